// Pages of the users directory (ADR 0020): search, user page, reason form, create and edit.
import { CsrfField } from '../../../platform/security/index.js';
import { formatDayLong, formatTime, zoneLabel } from '../../../platform/views/format.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { dateToEpochMinutes, epochMinutesToLocal } from '../../../shared/time/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { CAISSE_LABELS, FAMILY_SITUATION_LABELS, HOUSING_LABELS, USER_FIELD_LABELS, type UserField } from '../domain/user-form.js';
import type { UserSearchQuery } from '../domain/search-query.js';
import type { UserAppointmentLine, UserRecord, UserRelations, UserSearchResult } from '../users.repository.js';
import type { DuplicateView } from '../users.use-cases.js';

export interface PageBase {
  readonly principal: AgentPrincipal;
  readonly organisationId: number;
  readonly csrfToken: string;
}

export function usersBase(organisationId: number): string {
  return `/agents/organisations/${String(organisationId)}/usagers`;
}

export function userPath(organisationId: number, userId: number): string {
  return `${usersBase(organisationId)}/${String(userId)}`;
}

/** The query parameter naming the usager just created on the page the creation form returns to. */
export const NEW_USER_PARAMETER = 'nouvelUsager';

/**
 * The creation form that comes back to `returnTo` (a local page of the organisation) once the
 * usager is created, with `nouvelUsager=<id>` added to its query.
 */
export function newUserPath(organisationId: number, returnTo?: string): string {
  return `${usersBase(organisationId)}/nouveau${returnTo === undefined ? '' : `?retour=${encodeURIComponent(returnTo)}`}`;
}

function Page(props: PageBase & { title: string; children?: Child }): Html {
  return (
    <AgentLayout title={props.title} principal={props.principal} organisationId={props.organisationId} section="usagers" csrfToken={props.csrfToken}>
      {props.children}
    </AgentLayout>
  );
}

/** 'YYYY-MM-DD' → 'JJ/MM/AAAA' */
export function frenchDate(iso: string | null): string {
  return iso === null ? '' : `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

function when(timeZone: string, at: Date): string {
  const minutes = dateToEpochMinutes(at);
  const { dayNumber } = epochMinutesToLocal(timeZone, minutes);
  const text = `${formatDayLong(dayNumber)} à ${formatTime(timeZone, minutes)}`;
  return timeZone === 'Europe/Paris' ? text : `${text} (${zoneLabel(timeZone)})`;
}

function Notice(props: { notice: string | undefined }): Html {
  return props.notice === undefined ? (
    <></>
  ) : (
    <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
      <p>{props.notice}</p>
    </div>
  );
}

// -------------------------------------------------------------------------------------------
// Search
// -------------------------------------------------------------------------------------------

export interface SearchPageProps extends PageBase {
  readonly search: string;
  readonly query: UserSearchQuery;
  readonly results: readonly UserSearchResult[];
  readonly limit: number;
  readonly territoryWide: boolean;
  readonly notice?: string;
}

function searchSummary(props: SearchPageProps): string {
  if (props.query.kind === 'empty') return '';
  if (props.query.kind === 'too_short') return 'Saisissez au moins 2 lettres, ou 4 chiffres d’un numéro de téléphone.';
  if (props.results.length === 0) return 'Aucun usager ne correspond à cette recherche.';
  if (props.results.length >= props.limit) return `Les ${String(props.limit)} usagers les plus proches de la recherche : précisez-la pour en voir d’autres.`;
  return props.results.length === 1 ? '1 usager trouvé.' : `${String(props.results.length)} usagers trouvés.`;
}

export function SearchPage(props: SearchPageProps): Html {
  const summary = searchSummary(props);
  return (
    <Page {...props} title={props.search === '' ? 'Usagers' : `Usagers : recherche « ${props.search.slice(0, 60)} »`}>
      <h1>Usagers</h1>
      <Notice notice={props.notice} />
      <p>
        {props.territoryWide ? 'Les usagers connus des organisations du territoire.' : 'Les usagers connus de l’organisation.'}{' '}
        <a class="fr-link fr-icon-add-line fr-link--icon-left" href={`${usersBase(props.organisationId)}/nouveau`}>
          Créer un usager
        </a>
      </p>
      <form method="get" action={usersBase(props.organisationId)} role="search" class="fr-mb-3w">
        <div class="fr-search-bar fr-search-bar--lg" id="recherche-usagers">
          <label class="fr-label" for="recherche">
            Rechercher un usager
          </label>
          <input
            class="fr-input"
            type="search"
            id="recherche"
            name="recherche"
            value={props.search}
            placeholder="Nom, prénom, e-mail, téléphone ou numéro"
            aria-describedby="recherche-aide"
            maxlength="200"
            autocomplete="off"
          />
          <button class="fr-btn" type="submit" title="Rechercher">
            Rechercher
          </button>
        </div>
        <p class="fr-hint-text fr-mt-1w" id="recherche-aide">
          Les accents, les majuscules et les petites fautes de frappe sont ignorés. Un téléphone se saisit comme on veut : 06 12 34 56 78, +33 6…, 0692… ; « #123 » cherche un numéro d’usager.
        </p>
      </form>
      {summary === '' ? null : (
        <p role="status" id="resultat-recherche">
          {summary}
        </p>
      )}
      {props.results.length === 0 ? null : (
        <div class="fr-table fr-table--no-caption-top">
          <table>
            <caption>Usagers correspondant à « {props.search} », les plus proches d’abord</caption>
            <thead>
              <tr>
                <th scope="col">Usager</th>
                <th scope="col">Date de naissance</th>
                <th scope="col">Contact</th>
                <th scope="col">Proche de</th>
              </tr>
            </thead>
            <tbody>
              {props.results.map((user) => (
                <tr>
                  <th scope="row">
                    <a href={userPath(props.organisationId, user.id)}>
                      {user.lastName.toLocaleUpperCase('fr-FR')} {user.firstName}
                    </a>
                    {user.birthName === null ? null : <span class="fr-hint-text">née ou né {user.birthName}</span>}
                  </th>
                  <td>{frenchDate(user.birthDate)}</td>
                  <td>
                    {user.email ?? ''}
                    {user.email !== null && user.phoneNumber !== null ? <br /> : null}
                    {user.phoneNumber ?? ''}
                  </td>
                  <td>
                    {user.responsible === null ? null : (
                      <a href={userPath(props.organisationId, user.responsible.id)}>
                        {user.responsible.firstName} {user.responsible.lastName}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

// -------------------------------------------------------------------------------------------
// Reason
// -------------------------------------------------------------------------------------------

/**
 * The reason form (ADR 0019). By default for one usager's page; the merge comparison passes its own
 * `action`, hidden fields and sentence (one reason for both records).
 */
export function ReasonPage(
  props: PageBase & { userId: number; reason: string; error?: string; action?: string; hidden?: Readonly<Record<string, string>>; heading?: string; submitLabel?: string; records?: string },
): Html {
  return (
    <Page {...props} title="Motif de consultation">
      <h1>{props.heading ?? 'Pourquoi consultez-vous ce dossier ?'}</h1>
      <ErrorSummary errors={{ motif: props.error }} />
      <p>
        Votre territoire demande le motif de chaque consultation d’un dossier d’usager. Il est conservé dans le journal des consultations, que les administrateurs du territoire et
        le délégué à la protection des données peuvent lire. Il vaut 30 minutes pour {props.records ?? 'ce dossier'}.
      </p>
      <form method="post" action={props.action ?? `${userPath(props.organisationId, props.userId)}/motif`}>
        <CsrfField token={props.csrfToken} />
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <Input name="motif" label="Motif de la consultation" hint="Par exemple : préparation du rendez-vous de demain, appel de l’usager" value={props.reason} error={props.error} />
        <button class="fr-btn" type="submit">
          {props.submitLabel ?? 'Consulter le dossier'}
        </button>
      </form>
    </Page>
  );
}

// -------------------------------------------------------------------------------------------
// User page
// -------------------------------------------------------------------------------------------

function Row(props: { label: string; children?: Child }): Html {
  return (
    <>
      <dt class="fr-text--bold">{props.label}</dt>
      <dd class="fr-mb-1w">{props.children}</dd>
    </>
  );
}

function socialValue(field: Exclude<UserField, 'notes'>, user: UserRecord): string {
  const social = user.social;
  switch (field) {
    case 'caisse_affiliation':
      return social.caisse_affiliation === null ? '' : CAISSE_LABELS[social.caisse_affiliation];
    case 'family_situation':
      return social.family_situation === null ? '' : FAMILY_SITUATION_LABELS[social.family_situation];
    case 'housing':
      return social.housing === null ? '' : HOUSING_LABELS[social.housing];
    case 'number_of_children':
      return social.number_of_children === null ? '' : String(social.number_of_children);
    case 'affiliation_number':
      return social.affiliation_number ?? '';
    case 'case_number':
      return social.case_number ?? '';
  }
}

const STATUS_LABELS: Readonly<Record<string, string>> = { unknown: 'À renseigner', seen: 'Vu', excused: 'Annulé', revoked: 'Annulé par le service', noshow: 'Absent non excusé' };

function AppointmentsTable(props: { caption: string; lines: readonly UserAppointmentLine[]; organisationId: number }): Html {
  return (
    <div class="fr-table">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Motif</th>
            <th scope="col">Organisation</th>
            <th scope="col">Statut</th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((line) => (
            <tr>
              <td>
                {line.organisationId === props.organisationId ? (
                  <a href={`/agents/organisations/${String(line.organisationId)}/rdv/${String(line.appointmentId)}`}>{when(line.timeZone, line.startsAt)}</a>
                ) : (
                  when(line.timeZone, line.startsAt)
                )}
              </td>
              <td>{line.motifName}</td>
              <td>{line.organisationName}</td>
              <td>{line.cancelled ? 'Annulé' : (STATUS_LABELS[line.participationStatus === 'unknown' ? line.status : line.participationStatus] ?? line.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface UserPageProps extends PageBase {
  readonly user: UserRecord;
  readonly relations: UserRelations;
  readonly fields: readonly UserField[];
  readonly now: Date;
  readonly notice?: string;
  readonly removal?: { readonly appointments: readonly { appointmentId: number; motifName: string; startsAt: Date; timeZone: string; participantName: string; visible: boolean }[] };
}

export function UserPage(props: UserPageProps): Html {
  const { user, relations } = props;
  const base = userPath(props.organisationId, user.id);
  const upcoming = relations.appointments.filter((line) => line.startsAt >= props.now).reverse();
  const past = relations.appointments.filter((line) => line.startsAt < props.now);
  const socialFields = props.fields.filter((field): field is Exclude<UserField, 'notes'> => field !== 'notes');
  return (
    <Page {...props} title={`${user.firstName} ${user.lastName}`}>
      <h1>
        {user.firstName} {user.lastName.toLocaleUpperCase('fr-FR')}
      </h1>
      <Notice notice={props.notice} />
      {props.removal === undefined ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="retrait-refuse" tabindex="-1">
          <h2 class="fr-alert__title">L’usager ne peut pas être retiré de l’organisation</h2>
          <p>Il a encore des rendez-vous à venir ici (lui ou un proche dont il est responsable). Annulez-les ou attendez qu’ils soient passés :</p>
          <ul>
            {props.removal.appointments.map((line) => (
              <li>
                {line.visible ? (
                  <a href={`/agents/organisations/${String(props.organisationId)}/rdv/${String(line.appointmentId)}`}>
                    {when(line.timeZone, line.startsAt)} : {line.motifName}
                  </a>
                ) : (
                  `${when(line.timeZone, line.startsAt)} : rendez-vous d’un autre service`
                )}{' '}
                ({line.participantName})
              </li>
            ))}
          </ul>
        </div>
      )}
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <a class="fr-btn fr-icon-edit-line" href={`${base}/modifier`}>
            Modifier
          </a>
        </li>
        {user.responsibleId === null ? (
          <li>
            <a class="fr-btn fr-btn--secondary fr-icon-user-add-line" href={`${usersBase(props.organisationId)}/nouveau?responsable=${String(user.id)}`}>
              Ajouter un proche
            </a>
          </li>
        ) : null}
      </ul>
      <div class="fr-grid-row fr-grid-row--gutters">
        <section class="fr-col-12 fr-col-md-6" aria-labelledby="identite">
          <h2 id="identite" class="fr-h4">
            Identité
          </h2>
          <dl>
            <Row label="Prénom">{user.firstName}</Row>
            <Row label="Nom">{user.lastName}</Row>
            <Row label="Nom de naissance">{user.birthName ?? 'Non renseigné'}</Row>
            <Row label="Date de naissance">{user.birthDate === null ? 'Non renseignée' : frenchDate(user.birthDate)}</Row>
            <Row label="Numéro d’usager">{String(user.id)}</Row>
          </dl>
        </section>
        <section class="fr-col-12 fr-col-md-6" aria-labelledby="contact">
          <h2 id="contact" class="fr-h4">
            Contact
          </h2>
          <dl>
            <Row label="Adresse e-mail">{user.email ?? 'Non renseignée'}</Row>
            <Row label="Téléphone">{user.phoneNumber ?? 'Non renseigné'}</Row>
            <Row label="Adresse">{user.address ?? 'Non renseignée'}</Row>
            <Row label="Notifications">
              {[user.notifyByEmail ? 'par e-mail' : null, user.notifyBySms ? 'par SMS' : null].filter((item) => item !== null).join(' et ') || 'aucune'}
            </Row>
            <Row label="Compte en ligne">{user.hasAccount ? 'Oui' : 'Non'}</Row>
          </dl>
        </section>
      </div>
      {socialFields.length === 0 && !props.fields.includes('notes') ? null : (
        <section aria-labelledby="social">
          <h2 id="social" class="fr-h4">
            Situation
          </h2>
          <dl>
            {socialFields.map((field) => (
              <Row label={USER_FIELD_LABELS[field]}>{socialValue(field, user) || 'Non renseigné'}</Row>
            ))}
            {props.fields.includes('notes') ? (
              <Row label={USER_FIELD_LABELS.notes}>
                {(user.profile?.notes ?? null) === null ? 'Aucune' : (user.profile?.notes ?? '').split('\n').map((line, index) => (index === 0 ? <>{line}</> : <><br />{line}</>))}
              </Row>
            ) : null}
          </dl>
        </section>
      )}
      <section aria-labelledby="proches">
        <h2 id="proches" class="fr-h4">
          Proches et suivi
        </h2>
        <dl>
          {relations.responsible === null ? null : (
            <Row label="Responsable">
              {relations.responsible.known ? (
                <a href={userPath(props.organisationId, relations.responsible.id)}>
                  {relations.responsible.firstName} {relations.responsible.lastName}
                </a>
              ) : (
                `${relations.responsible.firstName} ${relations.responsible.lastName}`
              )}
            </Row>
          )}
          <Row label="Proches">
            {relations.relatives.length === 0 ? (
              'Aucun'
            ) : (
              <ul>
                {relations.relatives.map((relative) => (
                  <li>
                    {relative.known ? (
                      <a href={userPath(props.organisationId, relative.id)}>
                        {relative.firstName} {relative.lastName}
                      </a>
                    ) : (
                      `${relative.firstName} ${relative.lastName}`
                    )}
                    {relative.birthDate === null ? null : ` (${frenchDate(relative.birthDate)})`}
                  </li>
                ))}
              </ul>
            )}
          </Row>
          <Row label="Agents référents">
            {relations.referents.length === 0 ? 'Aucun' : relations.referents.map((agent) => `${agent.firstName} ${agent.lastName}`).join(', ')}
          </Row>
          <Row label="Organisations du territoire qui le connaissent">
            {relations.organisations.length === 0 ? 'Aucune' : relations.organisations.map((organisation) => organisation.name).join(', ')}
          </Row>
        </dl>
      </section>
      <section aria-labelledby="rendez-vous">
        <h2 id="rendez-vous" class="fr-h4">
          Rendez-vous
        </h2>
        <p class="fr-hint-text">Les rendez-vous que vous pouvez voir, dans les organisations du territoire où vous travaillez.</p>
        {upcoming.length === 0 ? <p>Aucun rendez-vous à venir.</p> : <AppointmentsTable caption="Rendez-vous à venir, du plus proche au plus lointain" lines={upcoming} organisationId={props.organisationId} />}
        {past.length === 0 ? <p>Aucun rendez-vous passé.</p> : <AppointmentsTable caption="Rendez-vous passés, du plus récent au plus ancien" lines={past} organisationId={props.organisationId} />}
      </section>
      {user.profile === null ? null : (
        <section aria-labelledby="retrait" class="fr-mt-4w">
          <h2 id="retrait" class="fr-h4">
            Retirer de l’organisation
          </h2>
          <p>L’usager ne sera plus connu de l’organisation : ses rendez-vous passés restent, son compte et ses autres organisations aussi.</p>
          <form method="post" action={`${base}/retirer`}>
            <CsrfField token={props.csrfToken} />
            <button class="fr-btn fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left" type="submit">
              Retirer de l’organisation
            </button>
          </form>
        </section>
      )}
    </Page>
  );
}

// -------------------------------------------------------------------------------------------
// Create and edit
// -------------------------------------------------------------------------------------------

export type UserFormValues = Partial<Record<'prenom' | 'nom' | 'nomNaissance' | 'naissance' | 'email' | 'telephone' | 'adresse' | 'caisse' | 'numeroAllocataire' | 'situationFamiliale' | 'nombreEnfants' | 'logement' | 'numeroDossier' | 'notes', string>> & {
  readonly notifSms?: boolean;
  readonly notifEmail?: boolean;
};

export interface UserFormPageProps extends PageBase {
  readonly mode:
    | {
        readonly kind: 'create';
        readonly responsible: { id: number; name: string } | null;
        /** A local page of the organisation to go back to once created (e.g. a collective session's participants). */
        readonly returnTo?: string;
      }
    | { readonly kind: 'edit'; readonly userId: number; readonly name: string };
  readonly fields: readonly UserField[];
  readonly values: UserFormValues;
  readonly errors?: Record<string, string>;
  readonly duplicates?: { readonly blocking: boolean; readonly list: readonly DuplicateView[] };
}

function Select(props: { name: string; label: string; value: string | undefined; options: Readonly<Record<string, string>>; error?: string | undefined }): Html {
  const errorId = `${props.name}-erreur`;
  return (
    <div class={props.error === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
      <label class="fr-label" for={props.name}>
        {props.label} (facultatif)
      </label>
      <select class={props.error === undefined ? 'fr-select' : 'fr-select fr-select--error'} id={props.name} name={props.name} aria-describedby={props.error === undefined ? undefined : errorId}>
        <option value="">Non renseigné</option>
        {Object.entries(props.options).map(([value, label]) => (
          <option value={value} selected={props.value === value}>
            {label}
          </option>
        ))}
      </select>
      {props.error === undefined ? null : (
        <p class="fr-error-text" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

const REASON_LABELS: Readonly<Record<string, string>> = { same_email: 'même adresse e-mail', same_identity: 'mêmes nom, prénom et date de naissance', same_phone: 'même téléphone' };

function DuplicatesBlock(props: { organisationId: number; duplicates: { blocking: boolean; list: readonly DuplicateView[] }; error?: string | undefined }): Html {
  const { duplicates } = props;
  const items = duplicates.list.map((duplicate) => {
    const name = `${duplicate.firstName} ${duplicate.lastName}${duplicate.birthDate === null ? '' : ` (${frenchDate(duplicate.birthDate)})`}`;
    return (
      <li>
        {duplicate.known ? <a href={userPath(props.organisationId, duplicate.userId)}>{name}</a> : 'un usager d’une autre organisation'} : {duplicate.reasons.map((reason) => REASON_LABELS[reason] ?? reason).join(', ')}
      </li>
    );
  });
  if (duplicates.blocking) {
    return (
      <div class="fr-alert fr-alert--error fr-mb-3w" id="doublons">
        <h2 class="fr-alert__title">Cette adresse e-mail est déjà celle d’un compte</h2>
        <p>Une adresse e-mail ne peut appartenir qu’à un seul compte. Ouvrez la fiche de l’usager existant, ou changez l’adresse.</p>
        {items.length === 0 ? null : <ul>{items}</ul>}
      </div>
    );
  }
  return (
    <div class={props.error === undefined ? 'fr-alert fr-alert--warning fr-mb-3w' : 'fr-alert fr-alert--error fr-mb-3w'} id="doublons">
      <h2 class="fr-alert__title">Cet usager existe peut-être déjà</h2>
      <ul>{items}</ul>
      {duplicates.list.map((duplicate) => (
        <input type="hidden" name="doublons" value={String(duplicate.userId)} form="formulaire-usager" />
      ))}
      <div class={props.error === undefined ? 'fr-checkbox-group' : 'fr-checkbox-group fr-checkbox-group--error'}>
        <input type="checkbox" id="confirmerDoublon" name="confirmerDoublon" value="oui" form="formulaire-usager" aria-describedby={props.error === undefined ? undefined : 'confirmerDoublon-erreur'} />
        <label class="fr-label" for="confirmerDoublon">
          J’ai vérifié : il s’agit d’une autre personne, enregistrer quand même
        </label>
        {props.error === undefined ? null : (
          <p class="fr-error-text" id="confirmerDoublon-erreur">
            {props.error}
          </p>
        )}
      </div>
    </div>
  );
}

export function UserFormPage(props: UserFormPageProps): Html {
  const { values, fields } = props;
  const errors = props.errors ?? {};
  const title = props.mode.kind === 'create' ? (props.mode.responsible === null ? 'Créer un usager' : `Ajouter un proche de ${props.mode.responsible.name}`) : `Modifier ${props.mode.name}`;
  const action = props.mode.kind === 'create' ? `${usersBase(props.organisationId)}/nouveau` : `${userPath(props.organisationId, props.mode.userId)}/modifier`;
  const cancel =
    props.mode.kind === 'create'
      ? (props.mode.returnTo ?? (props.mode.responsible === null ? usersBase(props.organisationId) : userPath(props.organisationId, props.mode.responsible.id)))
      : userPath(props.organisationId, props.mode.userId);
  return (
    <Page {...props} title={Object.keys(errors).length > 0 ? `Erreur : ${title}` : title}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      {props.duplicates === undefined ? null : <DuplicatesBlock organisationId={props.organisationId} duplicates={props.duplicates} error={errors.confirmerDoublon} />}
      <form method="post" action={action} id="formulaire-usager" novalidate>
        <CsrfField token={props.csrfToken} />
        {props.mode.kind === 'create' && props.mode.responsible !== null ? <input type="hidden" name="responsable" value={String(props.mode.responsible.id)} /> : null}
        {props.mode.kind === 'create' && props.mode.returnTo !== undefined ? <input type="hidden" name="retour" value={props.mode.returnTo} /> : null}
        <fieldset class="fr-fieldset" aria-labelledby="legende-identite">
          <legend class="fr-fieldset__legend" id="legende-identite">
            Identité
          </legend>
          <div class="fr-fieldset__element">
            <Input name="prenom" label="Prénom" value={values.prenom} error={errors.prenom} autocomplete="off" />
            <Input name="nom" label="Nom d’usage" value={values.nom} error={errors.nom} autocomplete="off" />
            <Input name="nomNaissance" label="Nom de naissance" value={values.nomNaissance} error={errors.nomNaissance} required={false} autocomplete="off" />
            <Input name="naissance" label="Date de naissance" hint="Au format jj/mm/aaaa" value={values.naissance} error={errors.naissance} required={false} autocomplete="off" />
          </div>
        </fieldset>
        <fieldset class="fr-fieldset" aria-labelledby="legende-contact">
          <legend class="fr-fieldset__legend" id="legende-contact">
            Contact
          </legend>
          <div class="fr-fieldset__element">
            <Input name="email" type="email" label="Adresse e-mail" value={values.email} error={errors.email} required={false} autocomplete="off" />
            <Input name="telephone" type="tel" label="Téléphone" hint="Exemples : 06 12 34 56 78, 0692 12 34 56, +33 6 12 34 56 78" value={values.telephone} error={errors.telephone} required={false} autocomplete="off" />
            <Input name="adresse" label="Adresse postale" value={values.adresse} error={errors.adresse} required={false} autocomplete="off" />
          </div>
        </fieldset>
        <fieldset class="fr-fieldset" aria-labelledby="legende-notifications">
          <legend class="fr-fieldset__legend" id="legende-notifications">
            Notifications des rendez-vous
          </legend>
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input type="checkbox" id="notifEmail" name="notifEmail" value="oui" checked={values.notifEmail !== false} />
              <label class="fr-label" for="notifEmail">
                Par e-mail
              </label>
            </div>
          </div>
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input type="checkbox" id="notifSms" name="notifSms" value="oui" checked={values.notifSms !== false} />
              <label class="fr-label" for="notifSms">
                Par SMS (sur un mobile)
              </label>
            </div>
          </div>
        </fieldset>
        {fields.length === 0 ? null : (
          <fieldset class="fr-fieldset" aria-labelledby="legende-situation">
            <legend class="fr-fieldset__legend" id="legende-situation">
              Situation
            </legend>
            <div class="fr-fieldset__element">
              {fields.includes('caisse_affiliation') ? <Select name="caisse" label={USER_FIELD_LABELS.caisse_affiliation} value={values.caisse} options={CAISSE_LABELS} error={errors.caisse} /> : null}
              {fields.includes('affiliation_number') ? (
                <Input name="numeroAllocataire" label={USER_FIELD_LABELS.affiliation_number} value={values.numeroAllocataire} error={errors.numeroAllocataire} required={false} autocomplete="off" />
              ) : null}
              {fields.includes('family_situation') ? (
                <Select name="situationFamiliale" label={USER_FIELD_LABELS.family_situation} value={values.situationFamiliale} options={FAMILY_SITUATION_LABELS} error={errors.situationFamiliale} />
              ) : null}
              {fields.includes('number_of_children') ? (
                <Input name="nombreEnfants" label={USER_FIELD_LABELS.number_of_children} value={values.nombreEnfants} error={errors.nombreEnfants} required={false} inputmode="numeric" autocomplete="off" />
              ) : null}
              {fields.includes('housing') ? <Select name="logement" label={USER_FIELD_LABELS.housing} value={values.logement} options={HOUSING_LABELS} error={errors.logement} /> : null}
              {fields.includes('case_number') ? (
                <Input name="numeroDossier" label={USER_FIELD_LABELS.case_number} value={values.numeroDossier} error={errors.numeroDossier} required={false} autocomplete="off" />
              ) : null}
              {fields.includes('notes') ? (
                <div class={errors.notes === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
                  <label class="fr-label" for="notes">
                    {USER_FIELD_LABELS.notes} (facultatif)
                    <span class="fr-hint-text">Visibles des agents de l’organisation seulement</span>
                  </label>
                  <textarea class="fr-input" id="notes" name="notes" rows="4" aria-describedby={errors.notes === undefined ? undefined : 'notes-erreur'}>
                    {values.notes ?? ''}
                  </textarea>
                  {errors.notes === undefined ? null : (
                    <p class="fr-error-text" id="notes-erreur">
                      {errors.notes}
                    </p>
                  )}
                </div>
              ) : null}
            </div>
          </fieldset>
        )}
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button class="fr-btn" type="submit">
              Enregistrer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={cancel}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Page>
  );
}
