import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import type { AppointmentStatus } from '../../appointments/index.js';
import { newUserPath } from '../../users/index.js';
import type { AgentChoice, CollectiveDetail, CollectiveMotif, CollectiveParticipant, CollectiveSummary, PlaceChoice, UserMatch } from '../collective-appointments.repository.js';
import type { CollectiveFormInput } from '../domain/collective-form.js';
import { STATUS_CHOICES, isFull, participantStatusLabel, seatsLabel } from '../domain/labels.js';

export interface PageBase {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
}

export function collectivesBase(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/collectifs`;
}

function CollectiveLayout(props: PageBase & { title: string; children?: Child }): Html {
  return (
    <AgentLayout title={props.title} principal={props.principal} organisationId={props.organisationId} section="collectifs" csrfToken={props.csrfToken}>
      {props.children}
    </AgentLayout>
  );
}

function Notice(props: { notice: string | undefined }): Html {
  if (props.notice === undefined) return <></>;
  return (
    <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
      <p>{props.notice}</p>
    </div>
  );
}

/** "Atelier massage bébé" (the title), or the motif's name when the session has none. */
export function sessionName(session: Pick<CollectiveSummary, 'title' | 'motifName'>): string {
  return session.title ?? session.motifName;
}

function isCancelled(status: AppointmentStatus): boolean {
  return status === 'excused' || status === 'revoked';
}

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

export interface SessionRow {
  readonly session: CollectiveSummary;
  /** "mercredi 2 décembre 2026 à 9h30 (heure de Paris)". */
  readonly when: string;
}

export function CollectiveListPage(props: PageBase & { period: 'upcoming' | 'past'; rows: readonly SessionRow[]; truncated: boolean }): Html {
  const base = collectivesBase(props.organisationId);
  const heading = props.period === 'upcoming' ? 'Rendez-vous collectifs à venir' : 'Rendez-vous collectifs passés';
  return (
    <CollectiveLayout {...props} title={heading}>
      <h1>Rendez-vous collectifs</h1>
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href={`${base}/nouveau`}>
          Nouveau rendez-vous collectif
        </a>
      </p>
      <nav class="fr-mb-2w" aria-label="Période">
        <ul class="fr-btns-group fr-btns-group--inline-sm">
          <li>
            <a class={props.period === 'upcoming' ? 'fr-btn fr-btn--sm' : 'fr-btn fr-btn--sm fr-btn--secondary'} href={base} aria-current={props.period === 'upcoming' ? 'page' : undefined}>
              À venir
            </a>
          </li>
          <li>
            <a class={props.period === 'past' ? 'fr-btn fr-btn--sm' : 'fr-btn fr-btn--sm fr-btn--secondary'} href={`${base}?periode=passes`} aria-current={props.period === 'past' ? 'page' : undefined}>
              Passés
            </a>
          </li>
        </ul>
      </nav>
      {props.rows.length === 0 ? (
        <p>{props.period === 'upcoming' ? 'Aucun rendez-vous collectif à venir que vous puissiez voir.' : 'Aucun rendez-vous collectif passé que vous puissiez voir.'}</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>
              {heading}
              {props.truncated ? ` (les ${String(props.rows.length)} premiers)` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Date et heure</th>
                <th scope="col">Titre</th>
                <th scope="col">Motif</th>
                <th scope="col">Lieu</th>
                <th scope="col">Agents</th>
                <th scope="col">Participants</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map(({ session, when }) => (
                <tr>
                  <td>{when}</td>
                  <td>
                    <a href={`${base}/${String(session.id)}`}>{sessionName(session)}</a>
                    {isCancelled(session.status) ? <span class="fr-badge fr-badge--sm fr-badge--error fr-ml-1w">annulé</span> : null}
                  </td>
                  <td>{session.motifName}</td>
                  <td>{session.placeName ?? '—'}</td>
                  <td>{session.agentNames.join(', ')}</td>
                  <td>
                    {seatsLabel(session.participantCount, session.maxParticipants)}
                    {isFull(session.participantCount, session.maxParticipants) ? <span class="fr-badge fr-badge--sm fr-ml-1w">complet</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </CollectiveLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Creation and edit form
// ---------------------------------------------------------------------------------------------

/** The form's fields as typed (kept on a 422), with the motif of a creation. */
export interface SessionFormValues extends CollectiveFormInput {
  readonly motif: string;
}

function ChoiceFieldset(props: { name: string; legend: string; hint?: string; type: 'radio' | 'checkbox'; error?: string; choices: readonly { value: string; label: string; hint?: string; checked: boolean }[] }): Html {
  return (
    <fieldset class={props.error === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id={props.name} aria-labelledby={`${props.name}-legende`} role="group">
      <legend class="fr-fieldset__legend" id={`${props.name}-legende`}>
        {props.legend}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </legend>
      {props.choices.map((choice) => (
        <div class="fr-fieldset__element">
          <div class={props.type === 'radio' ? 'fr-radio-group' : 'fr-checkbox-group'}>
            <input type={props.type} id={`${props.name}-${choice.value}`} name={props.name} value={choice.value} checked={choice.checked} />
            <label class="fr-label" for={`${props.name}-${choice.value}`}>
              {choice.label}
              {choice.hint === undefined ? null : <span class="fr-hint-text">{choice.hint}</span>}
            </label>
          </div>
        </div>
      ))}
      {props.error === undefined ? null : <p class="fr-message fr-message--error">{props.error}</p>}
    </fieldset>
  );
}

function NumberInput(props: { name: string; label: string; hint: string; value: string; error?: string; min: number; max: number; required: boolean }): Html {
  const errorId = `${props.name}-erreur`;
  return (
    <div class={props.error === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        <span class="fr-hint-text">{props.hint}</span>
      </label>
      <input
        class={props.error === undefined ? 'fr-input' : 'fr-input fr-input--error'}
        type="number"
        min={String(props.min)}
        max={String(props.max)}
        id={props.name}
        name={props.name}
        value={props.value}
        required={props.required}
        aria-invalid={props.error === undefined ? undefined : 'true'}
        aria-describedby={props.error === undefined ? undefined : errorId}
      />
      {props.error === undefined ? null : (
        <p class="fr-error-text" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

export function CollectiveFormPage(
  props: PageBase & {
    /** Creation: the motifs to choose from and the idempotency key; edit: the session. */
    mode: { kind: 'create'; motifs: readonly CollectiveMotif[]; idempotencyKey: string } | { kind: 'edit'; session: CollectiveDetail };
    places: readonly PlaceChoice[];
    agents: readonly AgentChoice[];
    values: SessionFormValues;
    zoneHint: string;
    errors?: Record<string, string>;
  },
): Html {
  const errors = props.errors ?? {};
  const { values, mode } = props;
  const base = collectivesBase(props.organisationId);
  const heading = mode.kind === 'create' ? 'Nouveau rendez-vous collectif' : `Modifier : ${sessionName(mode.session)}`;
  const action = mode.kind === 'create' ? `${base}/nouveau` : `${base}/${String(mode.session.id)}/modifier`;
  const chosenAgents = new Set(values.agents);
  return (
    <CollectiveLayout {...props} title={heading}>
      <h1>{heading}</h1>
      <p>
        <a href={mode.kind === 'create' ? base : `${base}/${String(mode.session.id)}`}>{mode.kind === 'create' ? 'Revenir à la liste' : 'Revenir au rendez-vous collectif'}</a>
      </p>
      <ErrorSummary errors={errors} />
      {mode.kind === 'create' && mode.motifs.length === 0 ? (
        <p>Aucun motif collectif de vos services n’est proposé dans cette organisation.</p>
      ) : (
        <form method="post" action={action}>
          <CsrfField token={props.csrfToken} />
          {mode.kind === 'create' ? (
            <>
              <input type="hidden" name="cle" value={mode.idempotencyKey} />
              <ChoiceFieldset
                name="motif"
                legend="Motif collectif"
                type="radio"
                error={errors.motif}
                choices={mode.motifs.map((motif) => ({ value: String(motif.id), label: motif.name, hint: `${motif.serviceName} · ${String(motif.durationMinutes)} minutes`, checked: values.motif === String(motif.id) }))}
              />
            </>
          ) : (
            <p>
              Motif : <strong>{mode.session.motifName}</strong>
            </p>
          )}
          <Input name="titre" label="Titre" hint="Montré aux usagers ; sans titre, le nom du motif" value={values.titre} error={errors.titre} required={false} autocomplete="off" />
          <NumberInput name="capacite" label="Nombre de places (facultatif)" hint="Laissez vide pour ne pas limiter" value={values.capacite} error={errors.capacite} min={1} max={500} required={false} />
          <ChoiceFieldset
            name="lieu"
            legend="Lieu"
            type="radio"
            error={errors.lieu}
            choices={props.places.map((place) => ({ value: String(place.id), label: place.name, hint: place.address, checked: values.lieu === String(place.id) }))}
          />
          <ChoiceFieldset
            name="agents"
            legend="Agents"
            hint="Un ou plusieurs"
            type="checkbox"
            error={errors.agents}
            choices={props.agents.map((agent) => ({ value: String(agent.id), label: agent.name, checked: chosenAgents.has(agent.id) }))}
          />
          <Input name="date" label="Date" type="date" hint="Au format jj/mm/aaaa" value={values.date} error={errors.date} />
          <Input name="heure" label="Heure de début" hint={props.zoneHint} value={values.heure} error={errors.heure} inputmode="numeric" autocomplete="off" />
          <NumberInput name="duree" label="Durée en minutes" hint="Entre 5 et 720" value={values.duree} error={errors.duree} min={5} max={720} required={true} />
          <button class="fr-btn" type="submit">
            {mode.kind === 'create' ? 'Créer le rendez-vous collectif' : 'Enregistrer les modifications'}
          </button>
        </form>
      )}
    </CollectiveLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// One session: participants, statuses, additions
// ---------------------------------------------------------------------------------------------

function personLabel(person: Pick<CollectiveParticipant, 'firstName' | 'lastName' | 'birthDate'>): string {
  const name = `${person.firstName} ${person.lastName}`;
  return person.birthDate === null ? name : `${name} (né·e le ${person.birthDate.slice(8, 10)}/${person.birthDate.slice(5, 7)}/${person.birthDate.slice(0, 4)})`;
}

function contactLine(person: Pick<CollectiveParticipant, 'phoneNumber' | 'email'>): string {
  return [person.phoneNumber, person.email].filter((value): value is string => value !== null && value !== '').join(' · ');
}

export interface ParticipantRow {
  readonly participant: CollectiveParticipant;
  readonly targets: readonly AppointmentStatus[];
}

function ParticipantsTable(props: { base: string; csrfToken: string; rows: readonly ParticipantRow[]; started: boolean; editable: boolean }): Html {
  return (
    <div class="fr-table">
      <table>
        <caption>Participants et leur statut</caption>
        <thead>
          <tr>
            <th scope="col">Participant</th>
            <th scope="col">Contact</th>
            <th scope="col">Statut</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ participant, targets }) => {
            const name = `${participant.firstName} ${participant.lastName}`;
            const selectId = `statut-${String(participant.participationId)}`;
            return (
              <tr>
                <td>{personLabel(participant)}</td>
                <td>{contactLine(participant) === '' ? '—' : contactLine(participant)}</td>
                <td>{participantStatusLabel(participant.status, props.started)}</td>
                <td>
                  {targets.length === 0 || !props.editable ? null : (
                    <form method="post" action={`${props.base}/participants/statut`} class="fr-mb-1w">
                      <CsrfField token={props.csrfToken} />
                      <input type="hidden" name="usager" value={String(participant.userId)} />
                      <div class="fr-select-group">
                        <label class="fr-label" for={selectId}>
                          Nouveau statut de {name}
                        </label>
                        <select class="fr-select" id={selectId} name="statut">
                          {targets.map((target) => (
                            <option value={target}>{STATUS_CHOICES[target]}</option>
                          ))}
                        </select>
                      </div>
                      <button class="fr-btn fr-btn--sm" type="submit">
                        Enregistrer le statut de {name}
                      </button>
                    </form>
                  )}
                  {props.editable ? (
                    <form method="post" action={`${props.base}/participants/retrait`}>
                      <CsrfField token={props.csrfToken} />
                      <input type="hidden" name="usager" value={String(participant.userId)} />
                      <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                        Retirer {name}
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function AddParticipant(props: {
  base: string;
  /** The users module's creation form, coming back to this page with the new usager. */
  createPath: string;
  csrfToken: string;
  search: string;
  results: readonly UserMatch[] | null;
  participating: ReadonlySet<number>;
  full: boolean;
  error?: string;
}): Html {
  return (
    <>
      <h2 class="fr-h4 fr-mt-4w" id="usager">
        Ajouter un participant
      </h2>
      {props.full ? <p class="fr-text--bold">Toutes les places sont prises : augmentez le nombre de places pour ajouter quelqu’un.</p> : null}
      {props.error === undefined ? null : <p class="fr-message fr-message--error">{props.error}</p>}
      <form method="get" action={`${props.base}#usager`} role="search">
        <div class="fr-search-bar" id="recherche-usager">
          <label class="fr-label" for="recherche">
            Rechercher un usager : nom, prénom, e-mail ou téléphone
          </label>
          <input class="fr-input" type="search" id="recherche" name="recherche" value={props.search} />
          <button class="fr-btn" type="submit" title="Rechercher">
            Rechercher
          </button>
        </div>
      </form>
      <p class="fr-mt-2w">
        Pas encore de fiche ? <a href={props.createPath}>Créer un usager</a>, puis l’inscrire à ce rendez-vous collectif.
      </p>
      {props.results === null ? null : props.results.length === 0 ? (
        <p class="fr-mt-2w">Aucun usager ne correspond parmi ceux que vous pouvez voir.</p>
      ) : (
        <ul class="fr-mt-2w">
          {props.results.map((user) => (
            <li>
              {personLabel(user)} {contactLine(user) === '' ? null : <span class="fr-text--sm">— {contactLine(user)}</span>}
              {props.participating.has(user.id) ? (
                <span class="fr-badge fr-badge--sm fr-ml-1w">déjà inscrit</span>
              ) : (
                <form method="post" action={`${props.base}/participants`} class="fr-mb-1w">
                  <CsrfField token={props.csrfToken} />
                  <input type="hidden" name="usager" value={String(user.id)} />
                  <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
                    Ajouter {user.firstName} {user.lastName}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function CollectiveDetailPage(
  props: PageBase & {
    session: CollectiveDetail;
    when: string;
    started: boolean;
    rows: readonly ParticipantRow[];
    search: string;
    results: readonly UserMatch[] | null;
    notice?: string;
    errors?: Record<string, string>;
  },
): Html {
  const { session } = props;
  const base = `${collectivesBase(props.organisationId)}/${String(session.id)}`;
  const cancelled = isCancelled(session.status);
  const participating = new Set(session.participants.filter((participant) => !isCancelled(participant.status)).map((participant) => participant.userId));
  return (
    <CollectiveLayout {...props} title={`Rendez-vous collectif : ${sessionName(session)}`}>
      <Notice notice={props.notice} />
      <ErrorSummary errors={props.errors ?? {}} />
      <p>
        <a href={collectivesBase(props.organisationId)}>Tous les rendez-vous collectifs</a>
      </p>
      <h1>{sessionName(session)}</h1>
      {cancelled ? <p class="fr-badge fr-badge--error">Annulé</p> : null}
      <dl>
        <dt class="fr-text--bold">Motif</dt>
        <dd>{session.motifName}</dd>
        <dt class="fr-text--bold">Date et heure</dt>
        <dd>{props.when}</dd>
        <dt class="fr-text--bold">Lieu</dt>
        <dd>{session.placeName === null ? '—' : `${session.placeName}, ${session.placeAddress ?? ''}`}</dd>
        <dt class="fr-text--bold">Agents</dt>
        <dd>{session.agentNames.join(', ')}</dd>
        <dt class="fr-text--bold">Participants</dt>
        <dd id="places">{seatsLabel(session.participantCount, session.maxParticipants)}</dd>
      </dl>
      {cancelled ? null : (
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${base}/modifier`}>
              Modifier le titre, les places, l’horaire ou le lieu
            </a>
          </li>
          <li>
            <form method="post" action={`${base}/annuler`}>
              <CsrfField token={props.csrfToken} />
              <button class="fr-btn fr-btn--tertiary" type="submit" id="annuler">
                Annuler le rendez-vous collectif
              </button>
            </form>
          </li>
        </ul>
      )}
      <h2 id="participants">Participants</h2>
      {session.participants.length === 0 ? <p>Aucun participant pour l’instant.</p> : <ParticipantsTable base={base} csrfToken={props.csrfToken} rows={props.rows} started={props.started} editable={true} />}
      {cancelled ? null : (
        <AddParticipant
          base={base}
          createPath={newUserPath(props.organisationId, base)}
          csrfToken={props.csrfToken}
          search={props.search}
          results={props.results}
          participating={participating}
          full={isFull(session.participantCount, session.maxParticipants)}
          error={props.errors?.usager}
        />
      )}
    </CollectiveLayout>
  );
}
