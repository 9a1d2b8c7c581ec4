import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import type { AppointmentStatus } from '../../appointments/index.js';
import type { AgentOption, AppointmentDetail, MotifOption, PlaceOption, UserSummary } from '../agent-appointments.repository.js';
import type { HistoryItem } from '../agent-appointments.use-cases.js';
import { STATUS_ACTIONS, STATUS_LABELS } from '../domain/descriptions.js';

export interface PageBase {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
}

export function appointmentsBase(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/rdv`;
}

export function wizardBase(organisationId: number, draftId: string): string {
  return `${appointmentsBase(organisationId)}/nouveau/${draftId}`;
}

const STEPS: readonly string[] = ['Motif', 'Participants', 'Agents, date et lieu', 'Vérification'];

function Stepper(props: { step: 1 | 2 | 3 | 4 }): Html {
  const next = STEPS[props.step];
  return (
    <div class="fr-stepper">
      <h2 class="fr-stepper__title">
        {STEPS[props.step - 1]}
        <span class="fr-stepper__state">
          Étape {props.step} sur {STEPS.length}
        </span>
      </h2>
      <div class="fr-stepper__steps" data-fr-current-step={String(props.step)} data-fr-steps={String(STEPS.length)}></div>
      {next === undefined ? null : (
        <p class="fr-stepper__details">
          <span class="fr-text--bold">Étape suivante :</span> {next}
        </p>
      )}
    </div>
  );
}

function WizardPage(props: PageBase & { step: 1 | 2 | 3 | 4; errors?: Record<string, string>; children?: Child }): Html {
  return (
    <AgentLayout title="Nouveau rendez-vous" principal={props.principal} organisationId={props.organisationId} section="rdv" csrfToken={props.csrfToken}>
      <h1>Nouveau rendez-vous</h1>
      <Stepper step={props.step} />
      <ErrorSummary errors={props.errors ?? {}} />
      {props.children}
    </AgentLayout>
  );
}

/** "Camille Durand", with the birth date when known. */
export function personLabel(user: Pick<UserSummary, 'firstName' | 'lastName' | 'birthDate'>): string {
  const name = `${user.firstName} ${user.lastName}`;
  return user.birthDate === null ? name : `${name} (née ou né le ${user.birthDate.slice(8, 10)}/${user.birthDate.slice(5, 7)}/${user.birthDate.slice(0, 4)})`;
}

function contactLine(user: Pick<UserSummary, 'email' | 'phoneNumber'>): string {
  return [user.phoneNumber, user.email].filter((value): value is string => value !== null && value !== '').join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Step 1: motif
// ---------------------------------------------------------------------------------------------

export function MotifStepPage(props: PageBase & { draftId: string; motifs: readonly MotifOption[]; selected: number | null; errors?: Record<string, string> }): Html {
  const error = props.errors?.motif;
  return (
    <WizardPage {...props} step={1}>
      {props.motifs.length === 0 ? (
        <p>Aucun motif de vos services n’est disponible dans cette organisation.</p>
      ) : (
        <form method="post" action={`${wizardBase(props.organisationId, props.draftId)}/motif`}>
          <CsrfField token={props.csrfToken} />
          <fieldset class={error === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id="motif" aria-labelledby="motif-legende" role="group">
            <legend class="fr-fieldset__legend" id="motif-legende">
              Motif du rendez-vous
            </legend>
            {props.motifs.map((motif) => (
              <div class="fr-fieldset__element">
                <div class="fr-radio-group">
                  <input type="radio" id={`motif-${String(motif.id)}`} name="motif" value={String(motif.id)} checked={props.selected === motif.id} />
                  <label class="fr-label" for={`motif-${String(motif.id)}`}>
                    {motif.name}
                    <span class="fr-hint-text">
                      {motif.serviceName} · {motif.durationMinutes} minutes
                    </span>
                  </label>
                </div>
              </div>
            ))}
            {error === undefined ? null : <p class="fr-message fr-message--error">{error}</p>}
          </fieldset>
          <button class="fr-btn" type="submit">
            Continuer
          </button>
        </form>
      )}
    </WizardPage>
  );
}

// ---------------------------------------------------------------------------------------------
// Step 2: participants
// ---------------------------------------------------------------------------------------------

export interface NewPersonView {
  readonly firstName: string;
  readonly lastName: string;
  readonly birthDate: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly responsibleName: string | null;
}

export interface PersonFormValues {
  readonly prenom?: string;
  readonly nom?: string;
  readonly naissance?: string;
  readonly telephone?: string;
  readonly email?: string;
  readonly procheDe?: number | '';
}

function NewPersonFields(props: { values: PersonFormValues; errors: Record<string, string>; required: boolean }): Html {
  return (
    <>
      <Input name="prenom" label="Prénom" value={props.values.prenom} error={props.errors.prenom} required={props.required} autocomplete="off" />
      <Input name="nom" label="Nom" value={props.values.nom} error={props.errors.nom} required={props.required} autocomplete="off" />
      <Input name="naissance" label="Date de naissance" hint="Au format jj/mm/aaaa" value={props.values.naissance} error={props.errors.naissance} required={false} autocomplete="off" />
      <Input name="telephone" label="Téléphone" type="tel" value={props.values.telephone} error={props.errors.telephone} required={false} autocomplete="off" />
      <Input name="email" label="Adresse e-mail" type="email" value={props.values.email} error={props.errors.email} required={false} autocomplete="off" />
    </>
  );
}

export function ParticipantsStepPage(
  props: PageBase & {
    draftId: string;
    motifName: string;
    chosen: readonly UserSummary[];
    newPeople: readonly NewPersonView[];
    search: string;
    results: readonly UserSummary[] | null;
    values: PersonFormValues;
    errors?: Record<string, string>;
  },
): Html {
  const base = wizardBase(props.organisationId, props.draftId);
  const errors = props.errors ?? {};
  const chosenIds = new Set(props.chosen.map((user) => user.id));
  return (
    <WizardPage {...props} step={2}>
      <p>
        Motif : <strong>{props.motifName}</strong> — <a href={`${base}/motif`}>changer</a>
      </p>
      <h2 class="fr-h4" id="participants">
        Participants choisis
      </h2>
      {props.chosen.length === 0 && props.newPeople.length === 0 ? <p>Aucun participant pour l’instant.</p> : null}
      <ul>
        {props.chosen.map((user) => (
          <li>
            {personLabel(user)} {contactLine(user) === '' ? null : <span class="fr-text--sm">— {contactLine(user)}</span>}
            <form method="post" action={`${base}/participants`} class="fr-mb-1w">
              <CsrfField token={props.csrfToken} />
              <input type="hidden" name="action" value="retirer" />
              <input type="hidden" name="usager" value={String(user.id)} />
              <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                Retirer {user.firstName} {user.lastName}
              </button>
            </form>
          </li>
        ))}
        {props.newPeople.map((person, index) => (
          <li>
            {personLabel(person)} <span class="fr-badge fr-badge--sm fr-badge--new">nouveau</span>
            {person.responsibleName === null ? null : <span class="fr-text--sm"> — proche de {person.responsibleName}</span>}
            <form method="post" action={`${base}/participants`} class="fr-mb-1w">
              <CsrfField token={props.csrfToken} />
              <input type="hidden" name="action" value="retirer-nouveau" />
              <input type="hidden" name="index" value={String(index)} />
              <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">
                Retirer {person.firstName} {person.lastName}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action={`${base}/participants`}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="action" value="continuer" />
        <button class="fr-btn" type="submit">
          Continuer
        </button>
      </form>

      <h2 class="fr-h4 fr-mt-4w">Rechercher un usager</h2>
      <form method="get" action={`${base}/participants`} role="search">
        <div class="fr-search-bar" id="recherche-usager">
          <label class="fr-label" for="recherche">
            Nom, prénom, e-mail ou téléphone
          </label>
          <input class="fr-input" type="search" id="recherche" name="recherche" value={props.search} />
          <button class="fr-btn" type="submit" title="Rechercher">
            Rechercher
          </button>
        </div>
      </form>
      {props.results === null ? null : props.results.length === 0 ? (
        <p class="fr-mt-2w">Aucun usager connu de l’organisation ne correspond.</p>
      ) : (
        <ul class="fr-mt-2w">
          {props.results.map((user) => (
            <li>
              {personLabel(user)} {contactLine(user) === '' ? null : <span class="fr-text--sm">— {contactLine(user)}</span>}
              {chosenIds.has(user.id) ? (
                <span class="fr-badge fr-badge--sm fr-ml-1w">déjà choisi</span>
              ) : (
                <form method="post" action={`${base}/participants`} class="fr-mb-1w">
                  <CsrfField token={props.csrfToken} />
                  <input type="hidden" name="action" value="ajouter" />
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

      <h2 class="fr-h4 fr-mt-4w">Créer un usager ou un proche</h2>
      <form method="post" action={`${base}/participants`}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="action" value="creer" />
        <NewPersonFields values={props.values} errors={errors} required={true} />
        {props.chosen.length === 0 ? null : (
          <div class="fr-select-group">
            <label class="fr-label" for="procheDe">
              Proche d’un participant (facultatif)
              <span class="fr-hint-text">Un enfant ou un parent dont ce participant s’occupe</span>
            </label>
            <select class="fr-select" id="procheDe" name="procheDe">
              <option value="">Non, un usager à part entière</option>
              {props.chosen
                .filter((user) => user.responsibleId === null)
                .map((user) => (
                  <option value={String(user.id)} selected={props.values.procheDe === user.id}>
                    Proche de {user.firstName} {user.lastName}
                  </option>
                ))}
            </select>
          </div>
        )}
        <button class="fr-btn fr-btn--secondary" type="submit">
          Ajouter cette personne
        </button>
      </form>
    </WizardPage>
  );
}

// ---------------------------------------------------------------------------------------------
// Step 3 and the edit page: agents, date, time, duration, place
// ---------------------------------------------------------------------------------------------

export interface SchedulingValues {
  readonly agents: readonly number[];
  readonly date: string;
  readonly heure: string;
  readonly duree: string;
  readonly lieu: string;
  readonly adresse: string;
  readonly contexte: string;
}

function SchedulingFields(props: { agents: readonly AgentOption[]; places: readonly PlaceOption[]; values: SchedulingValues; errors: Record<string, string>; zoneHint: string }): Html {
  const { values, errors } = props;
  const chosen = new Set(values.agents);
  return (
    <>
      <fieldset class={errors.agents === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id="agents" aria-labelledby="agents-legende" role="group">
        <legend class="fr-fieldset__legend" id="agents-legende">
          Agents
          <span class="fr-hint-text">Un ou plusieurs</span>
        </legend>
        {props.agents.map((agent) => (
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input type="checkbox" id={`agent-${String(agent.id)}`} name="agents" value={String(agent.id)} checked={chosen.has(agent.id)} />
              <label class="fr-label" for={`agent-${String(agent.id)}`}>
                {agent.firstName} {agent.lastName}
              </label>
            </div>
          </div>
        ))}
        {errors.agents === undefined ? null : <p class="fr-message fr-message--error">{errors.agents}</p>}
      </fieldset>
      <Input name="date" label="Date" type="date" hint="Au format jj/mm/aaaa" value={values.date} error={errors.date} />
      <div class={errors.heure === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
        <label class="fr-label" for="heure">
          Heure
          <span class="fr-hint-text">{props.zoneHint}</span>
        </label>
        <input class="fr-input" type="time" id="heure" name="heure" value={values.heure} required={true} aria-describedby={errors.heure === undefined ? undefined : 'heure-erreur'} />
        {errors.heure === undefined ? null : (
          <p class="fr-error-text" id="heure-erreur">
            {errors.heure}
          </p>
        )}
      </div>
      <div class={errors.duree === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
        <label class="fr-label" for="duree">
          Durée en minutes
        </label>
        <input class="fr-input" type="number" min="5" max="720" step="5" id="duree" name="duree" value={values.duree} required={true} aria-describedby={errors.duree === undefined ? undefined : 'duree-erreur'} />
        {errors.duree === undefined ? null : (
          <p class="fr-error-text" id="duree-erreur">
            {errors.duree}
          </p>
        )}
      </div>
      <fieldset class={errors.lieu === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id="lieu" aria-labelledby="lieu-legende" role="group">
        <legend class="fr-fieldset__legend" id="lieu-legende">
          Lieu
        </legend>
        {props.places.map((place) => (
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" id={`lieu-${String(place.id)}`} name="lieu" value={String(place.id)} checked={values.lieu === String(place.id)} />
              <label class="fr-label" for={`lieu-${String(place.id)}`}>
                {place.name}
                <span class="fr-hint-text">{place.address}</span>
              </label>
            </div>
          </div>
        ))}
        <div class="fr-fieldset__element">
          <div class="fr-radio-group">
            <input type="radio" id="lieu-ponctuel" name="lieu" value="ponctuel" checked={values.lieu === 'ponctuel'} />
            <label class="fr-label" for="lieu-ponctuel">
              Une adresse ponctuelle (domicile, partenaire…)
            </label>
          </div>
        </div>
        <div class="fr-fieldset__element">
          <div class="fr-radio-group">
            <input type="radio" id="lieu-aucun" name="lieu" value="" checked={values.lieu === ''} />
            <label class="fr-label" for="lieu-aucun">
              Sans lieu (téléphone, visioconférence)
            </label>
          </div>
        </div>
        {errors.lieu === undefined ? null : <p class="fr-message fr-message--error">{errors.lieu}</p>}
      </fieldset>
      <Input name="adresse" label="Adresse ponctuelle" hint="Si vous avez choisi « Une adresse ponctuelle »" value={values.adresse} error={errors.adresse} required={false} autocomplete="off" />
      <div class={errors.contexte === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
        <label class="fr-label" for="contexte">
          Contexte et notes (facultatif)
          <span class="fr-hint-text">Visible des agents seulement</span>
        </label>
        <textarea class="fr-input" id="contexte" name="contexte" rows="3" aria-describedby={errors.contexte === undefined ? undefined : 'contexte-erreur'}>
          {values.contexte}
        </textarea>
        {errors.contexte === undefined ? null : (
          <p class="fr-error-text" id="contexte-erreur">
            {errors.contexte}
          </p>
        )}
      </div>
    </>
  );
}

export function DetailsStepPage(
  props: PageBase & { draftId: string; motifName: string; agents: readonly AgentOption[]; places: readonly PlaceOption[]; values: SchedulingValues; zoneHint: string; errors?: Record<string, string> },
): Html {
  const base = wizardBase(props.organisationId, props.draftId);
  return (
    <WizardPage {...props} step={3}>
      <p>
        Motif : <strong>{props.motifName}</strong> — <a href={`${base}/participants`}>revenir aux participants</a>
      </p>
      <form method="post" action={`${base}/details`}>
        <CsrfField token={props.csrfToken} />
        <SchedulingFields agents={props.agents} places={props.places} values={props.values} errors={props.errors ?? {}} zoneHint={props.zoneHint} />
        <button class="fr-btn" type="submit">
          Continuer
        </button>
      </form>
    </WizardPage>
  );
}

// ---------------------------------------------------------------------------------------------
// Warnings (review step and edit page)
// ---------------------------------------------------------------------------------------------

export interface WarningView {
  readonly key: string;
  readonly kind: string;
  readonly text: string;
}

function WarningsFields(props: { warnings: readonly WarningView[]; acknowledged: readonly string[]; overlapReason: string; errors: Record<string, string> }): Html {
  if (props.warnings.length === 0) return <></>;
  const hasOverlap = props.warnings.some((warning) => warning.kind === 'overlap');
  const acknowledged = new Set(props.acknowledged);
  return (
    <>
      <div class="fr-alert fr-alert--warning fr-mb-3w">
        <h2 class="fr-alert__title">Avertissements</h2>
        <p>Le rendez-vous n’est créé ou modifié que si vous confirmez chacun de ces avertissements.</p>
      </div>
      <fieldset class={props.errors.avertissements === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id="avertissements" aria-labelledby="avertissements-legende" role="group">
        <legend class="fr-fieldset__legend" id="avertissements-legende">
          Je confirme malgré :
        </legend>
        {props.warnings.map((warning, index) => (
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input type="checkbox" id={`avertissement-${String(index)}`} name="avertissements" value={warning.key} checked={acknowledged.has(warning.key)} />
              <label class="fr-label" for={`avertissement-${String(index)}`}>
                {warning.text}
              </label>
            </div>
          </div>
        ))}
        {props.errors.avertissements === undefined ? null : <p class="fr-message fr-message--error">{props.errors.avertissements}</p>}
      </fieldset>
      {hasOverlap ? (
        <Input
          name="motifChevauchement"
          label="Raison du chevauchement"
          hint="Obligatoire pour passer outre un chevauchement ; elle est conservée avec le rendez-vous"
          value={props.overlapReason}
          error={props.errors.motifChevauchement}
          autocomplete="off"
        />
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Step 4: review
// ---------------------------------------------------------------------------------------------

export interface ReviewSummary {
  readonly motifName: string;
  readonly when: string;
  readonly durationMinutes: number;
  readonly where: string;
  readonly agents: readonly string[];
  readonly participants: readonly string[];
  readonly context: string | null;
}

export function ConfirmationStepPage(
  props: PageBase & {
    draftId: string;
    summary: ReviewSummary;
    warnings: readonly WarningView[];
    acknowledged: readonly string[];
    overlapReason: string;
    idempotencyKey: string;
    errors?: Record<string, string>;
  },
): Html {
  const base = wizardBase(props.organisationId, props.draftId);
  const { summary } = props;
  return (
    <WizardPage {...props} step={4}>
      <dl>
        <dt class="fr-text--bold">Motif</dt>
        <dd>{summary.motifName}</dd>
        <dt class="fr-text--bold">Date et heure</dt>
        <dd>
          {summary.when}, {summary.durationMinutes} minutes
        </dd>
        <dt class="fr-text--bold">Lieu</dt>
        <dd>{summary.where}</dd>
        <dt class="fr-text--bold">Agents</dt>
        <dd>{summary.agents.join(', ')}</dd>
        <dt class="fr-text--bold">Participants</dt>
        <dd>{summary.participants.join(', ')}</dd>
        {summary.context === null ? null : (
          <>
            <dt class="fr-text--bold">Contexte</dt>
            <dd>{summary.context}</dd>
          </>
        )}
      </dl>
      <p>
        <a href={`${base}/details`}>Modifier les agents, la date ou le lieu</a> · <a href={`${base}/participants`}>Modifier les participants</a>
      </p>
      <form method="post" action={`${base}/confirmation`}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="cle" value={props.idempotencyKey} />
        <WarningsFields warnings={props.warnings} acknowledged={props.acknowledged} overlapReason={props.overlapReason} errors={props.errors ?? {}} />
        <button class="fr-btn" type="submit">
          Créer le rendez-vous
        </button>
      </form>
    </WizardPage>
  );
}

// ---------------------------------------------------------------------------------------------
// Detail
// ---------------------------------------------------------------------------------------------

export function AppointmentDetailPage(
  props: PageBase & {
    detail: AppointmentDetail;
    when: string;
    targets: readonly AppointmentStatus[];
    history: readonly HistoryItem[];
    /** The « Notifications » section (receipts, messages to come, resend button), from the notifications module. */
    notifications?: Html;
    notice?: string;
    errors?: Record<string, string>;
  },
): Html {
  const { detail } = props;
  const base = `${appointmentsBase(props.organisationId)}/${String(detail.id)}`;
  const overridden = detail.agents.filter((agent) => agent.overlapAllowed);
  return (
    <AgentLayout title={`Rendez-vous : ${detail.motifName}`} principal={props.principal} organisationId={props.organisationId} section="rdv" csrfToken={props.csrfToken}>
      {props.notice === undefined ? null : (
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
          <p>{props.notice}</p>
        </div>
      )}
      <ErrorSummary errors={props.errors ?? {}} />
      <h1>{detail.motifName}</h1>
      <p class="fr-badge fr-badge--info">{STATUS_LABELS[detail.status]}</p>
      <dl>
        <dt class="fr-text--bold">Date et heure</dt>
        <dd>{props.when}</dd>
        <dt class="fr-text--bold">Lieu</dt>
        <dd>
          {detail.place === null
            ? 'Sans lieu (téléphone, visioconférence)'
            : detail.place.singleUse
              ? `Adresse ponctuelle : ${detail.place.address}`
              : `${detail.place.name}, ${detail.place.address}`}
        </dd>
        <dt class="fr-text--bold">Agents</dt>
        <dd>{detail.agents.map((agent) => agent.name).join(', ')}</dd>
        {detail.context === null ? null : (
          <>
            <dt class="fr-text--bold">Contexte</dt>
            <dd>{detail.context}</dd>
          </>
        )}
      </dl>
      {overridden.length === 0 ? null : (
        <div class="fr-notice fr-notice--info fr-mb-3w">
          <div class="fr-container">
            <div class="fr-notice__body">
              <p class="fr-notice__title">
                Chevauchement accepté pour {overridden.map((agent) => `${agent.name}${agent.overlapReason === null ? '' : ` (raison : ${agent.overlapReason})`}`).join(', ')}.
              </p>
            </div>
          </div>
        </div>
      )}
      <h2>Participants</h2>
      <ul>
        {detail.participants.map((participant) => (
          <li>
            {personLabel(participant)}
            {contactLine(participant) === '' ? null : <span> — {contactLine(participant)}</span>}
            {participant.status === detail.status ? null : <span class="fr-text--sm"> ({STATUS_LABELS[participant.status]})</span>}
          </li>
        ))}
      </ul>
      {detail.isCollective ? (
        <p>
          {/* The collective module's page (ADR 0022): its participants, their statuses and the session's edit. */}
          <a class="fr-btn fr-btn--secondary" href={`/agents/organisations/${String(detail.organisationId)}/collectifs/${String(detail.id)}`}>
            Gérer le rendez-vous collectif et ses participants
          </a>
        </p>
      ) : (
        <p>
          <a class="fr-btn fr-btn--secondary" href={`${base}/modifier`}>
            Modifier le rendez-vous
          </a>
        </p>
      )}
      <h2>Statut</h2>
      {props.targets.length === 0 ? (
        <p>Aucun changement de statut n’est possible pour l’instant.</p>
      ) : (
        <form method="post" action={`${base}/statut`}>
          <CsrfField token={props.csrfToken} />
          <ul class="fr-btns-group fr-btns-group--inline-md">
            {props.targets.map((target) => (
              <li>
                <button class={target === 'revoked' || target === 'excused' ? 'fr-btn fr-btn--secondary' : 'fr-btn'} type="submit" name="statut" value={target}>
                  {STATUS_ACTIONS[target]}
                </button>
              </li>
            ))}
          </ul>
        </form>
      )}
      {props.notifications ?? null}
      <h2>Historique des modifications</h2>
      {props.history.length === 0 ? (
        <p>Aucune modification enregistrée.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>Historique du rendez-vous, du plus ancien au plus récent</caption>
            <thead>
              <tr>
                <th scope="col">Quand</th>
                <th scope="col">Qui</th>
                <th scope="col">Quoi</th>
              </tr>
            </thead>
            <tbody>
              {props.history.map((item) => (
                <tr>
                  <td>{item.when}</td>
                  <td>{item.who}</td>
                  <td>
                    {item.what.map((line) => (
                      <p class="fr-mb-0">{line}</p>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AgentLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Edit
// ---------------------------------------------------------------------------------------------

export function EditAppointmentPage(
  props: PageBase & {
    detail: AppointmentDetail;
    agents: readonly AgentOption[];
    places: readonly PlaceOption[];
    values: SchedulingValues;
    zoneHint: string;
    /** Current participants and search results, with whether each is kept or added. */
    participants: readonly UserSummary[];
    keptUserIds: readonly number[];
    search: string;
    person: PersonFormValues;
    warnings: readonly WarningView[];
    acknowledged: readonly string[];
    overlapReason: string;
    idempotencyKey: string;
    errors?: Record<string, string>;
  },
): Html {
  const { detail } = props;
  const base = `${appointmentsBase(props.organisationId)}/${String(detail.id)}`;
  const errors = props.errors ?? {};
  const kept = new Set(props.keptUserIds);
  return (
    <AgentLayout title={`Modifier le rendez-vous : ${detail.motifName}`} principal={props.principal} organisationId={props.organisationId} section="rdv" csrfToken={props.csrfToken}>
      <h1>Modifier le rendez-vous</h1>
      <p>
        {detail.motifName} — <a href={base}>revenir au rendez-vous</a>
      </p>
      <ErrorSummary errors={errors} />
      <form method="get" action={`${base}/modifier`} role="search" class="fr-mb-3w">
        <div class="fr-search-bar" id="recherche-usager">
          <label class="fr-label" for="recherche">
            Ajouter un usager : nom, prénom, e-mail ou téléphone
          </label>
          <input class="fr-input" type="search" id="recherche" name="recherche" value={props.search} />
          <button class="fr-btn" type="submit" title="Rechercher">
            Rechercher
          </button>
        </div>
      </form>
      <form method="post" action={`${base}/modifier`}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="cle" value={props.idempotencyKey} />
        <WarningsFields warnings={props.warnings} acknowledged={props.acknowledged} overlapReason={props.overlapReason} errors={errors} />
        <fieldset class={errors.usagers === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id="usagers" aria-labelledby="usagers-legende" role="group">
          <legend class="fr-fieldset__legend" id="usagers-legende">
            Participants
            <span class="fr-hint-text">Décochez pour retirer, cochez pour ajouter</span>
          </legend>
          {props.participants.map((user) => (
            <div class="fr-fieldset__element">
              <div class="fr-checkbox-group">
                <input type="checkbox" id={`usager-${String(user.id)}`} name="usagers" value={String(user.id)} checked={kept.has(user.id)} />
                <label class="fr-label" for={`usager-${String(user.id)}`}>
                  {personLabel(user)}
                  {contactLine(user) === '' ? null : <span class="fr-hint-text">{contactLine(user)}</span>}
                </label>
              </div>
            </div>
          ))}
          {errors.usagers === undefined ? null : <p class="fr-message fr-message--error">{errors.usagers}</p>}
        </fieldset>
        <fieldset class="fr-fieldset" aria-labelledby="nouvel-usager-legende">
          <legend class="fr-fieldset__legend" id="nouvel-usager-legende">
            Créer un nouvel usager (facultatif)
          </legend>
          <div class="fr-fieldset__element">
            <NewPersonFields values={props.person} errors={errors} required={false} />
          </div>
        </fieldset>
        <SchedulingFields agents={props.agents} places={props.places} values={props.values} errors={errors} zoneHint={props.zoneHint} />
        <button class="fr-btn" type="submit">
          Enregistrer les modifications
        </button>
      </form>
    </AgentLayout>
  );
}
