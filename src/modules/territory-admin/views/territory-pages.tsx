// Pages of the territory administration (ADR 0030), for the territory's admins: the hub,
// organisations, agents and roles, services and motif categories, directory settings, holidays
// and local closures. DSFR markup; forms re-rendered with French messages and the input kept.
import { CsrfField } from '../../../platform/security/index.js';
import { formatDayLong } from '../../../platform/views/format.js';
import { ErrorSummary, ErrorText, Input, SubmitOrCancel } from '../../../platform/views/forms.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { Breadcrumb, Notice } from '../../../platform/views/page-parts.js';
import { Table } from '../../../platform/views/tables.js';
import { isoDateToDayNumber } from '../../../shared/time/index.js';
import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import type { UserField } from '../../../platform/db/schema.js';
import { ACCESS_LEVEL_LABELS } from '../domain/territorial-roles.js';
import { closureLength, HOLIDAY_REGIONS } from '../domain/territory-forms.js';
import type { BookedDuringClosure, ClosureRecord, OrganisationSummary, TerritoryAgent, TerritoryRecord, ToggleableKind, ToggleableState } from '../territory-admin.repository.js';

export type Errors = Readonly<Record<string, string>>;
export type Values = Readonly<Record<string, string | undefined>>;

export interface PageBase {
  readonly principal: AgentPrincipal;
  readonly territory: TerritoryRecord;
  readonly csrfToken: string;
  readonly notice?: string | undefined;
}

export function territoryPath(territoryId: number, suffix = ''): string {
  return `/agents/territoires/${String(territoryId)}${suffix}`;
}

function territoryTitle(territory: TerritoryRecord): string {
  return `${territory.name} (${territory.departementNumber})`;
}

/** The layout of every page: the territory's navigation, a breadcrumb back to the hub, the title (prefixed « Erreur » on a 422). */
function Page(props: PageBase & { title: string; errors?: Errors | undefined; crumb?: { label: string; href: string } | undefined; children?: Child }): Html {
  const hasErrors = props.errors !== undefined && Object.keys(props.errors).length > 0;
  const hubHref = territoryPath(props.territory.id);
  return (
    <AgentLayout title={hasErrors ? `Erreur : ${props.title}` : props.title} principal={props.principal} section="territoire" csrfToken={props.csrfToken}>
      <Breadcrumb links={[{ label: `Territoire ${territoryTitle(props.territory)}`, href: hubHref }, ...(props.crumb === undefined ? [] : [props.crumb])]} current={props.title} />
      <h1>{props.title}</h1>
      <Notice notice={props.notice} />
      {hasErrors ? <ErrorSummary errors={props.errors ?? {}} /> : null}
      {props.children}
    </AgentLayout>
  );
}

function Select(props: { name: string; label: string; value: string | undefined; options: readonly { value: string; label: string }[]; error?: string | undefined; placeholder?: string; hint?: string }): Html {
  const hasError = props.error !== undefined;
  return (
    <div class={hasError ? 'fr-select-group fr-select-group--error' : 'fr-select-group'}>
      <label class="fr-label" for={props.name}>
        {props.label}
        {props.hint === undefined ? null : <span class="fr-hint-text">{props.hint}</span>}
      </label>
      <select class={hasError ? 'fr-select fr-select--error' : 'fr-select'} id={props.name} name={props.name} aria-describedby={hasError ? `${props.name}-erreur` : undefined} aria-invalid={hasError ? 'true' : undefined}>
        {props.placeholder === undefined ? null : <option value="">{props.placeholder}</option>}
        {props.options.map((option) => (
          <option value={option.value} selected={props.value === option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <ErrorText name={props.name} error={props.error} />
    </div>
  );
}

function PostButton(props: { action: string; csrfToken: string; label: string; secondary?: boolean; title?: string; children?: Child }): Html {
  return (
    <form method="post" action={props.action} class="fr-mb-1w">
      <CsrfField token={props.csrfToken} />
      {props.children}
      <button class={props.secondary === true ? 'fr-btn fr-btn--sm fr-btn--secondary' : 'fr-btn fr-btn--sm'} type="submit" title={props.title}>
        {props.label}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Hub
// ---------------------------------------------------------------------------------------------

export function HubPage(props: PageBase & { organisationCount: number; agentCount: number; closureCount: number; organisationOfAdmin: number | undefined }): Html {
  const id = props.territory.id;
  const cards: { title: string; href: string | undefined; text: string }[] = [
    { title: 'Organisations', href: territoryPath(id, '/organisations'), text: `${String(props.organisationCount)} organisation(s) : créer, modifier leurs coordonnées, voir leurs agents, lieux et motifs.` },
    { title: 'Agents et rôles', href: territoryPath(id, '/agents'), text: `${String(props.agentCount)} agent(s) : administrateurs du territoire, accès aux organisations, invitations.` },
    { title: 'Services et catégories de motifs', href: territoryPath(id, '/services'), text: 'Services proposés dans le territoire et catégories de motifs des invitations.' },
    { title: 'Champs et annuaire des usagers', href: territoryPath(id, '/champs'), text: 'Champs sociaux facultatifs des fiches usagers, portée de l’annuaire, motif de consultation.' },
    { title: 'Jours fériés et fermetures', href: territoryPath(id, '/jours-feries'), text: `Région des jours fériés et ${String(props.closureCount)} fermeture(s) locale(s).` },
    { title: 'Sectorisation', href: territoryPath(id, '/sectorisation'), text: 'Secteurs, zones par commune ou par rue, import CSV et test d’une adresse.' },
    {
      title: 'SMS et e-mails',
      href: props.organisationOfAdmin === undefined ? undefined : `/agents/organisations/${String(props.organisationOfAdmin)}/territoire/notifications`,
      text: 'Fournisseur et expéditeur des SMS, expéditeur des e-mails, SMS de test.',
    },
    {
      title: 'Journal des consultations',
      href: props.organisationOfAdmin === undefined ? undefined : `/agents/organisations/${String(props.organisationOfAdmin)}/journal-des-consultations`,
      text: 'Qui a consulté quelles fiches d’usagers, et pourquoi.',
    },
  ];
  return (
    <AgentLayout title={`Territoire ${territoryTitle(props.territory)}`} principal={props.principal} section="territoire" csrfToken={props.csrfToken}>
      <h1>Territoire {territoryTitle(props.territory)}</h1>
      <Notice notice={props.notice} />
      <p>Vous administrez ce territoire : ses organisations, ses agents et ses réglages communs.</p>
      <ul class="fr-grid-row fr-grid-row--gutters territory-hub" aria-label="Pages d’administration du territoire">
        {cards.map((card) => (
          <li class="fr-col-12 fr-col-md-6">
            <div class="fr-tile fr-tile--horizontal">
              <div class="fr-tile__body">
                <div class="fr-tile__content">
                  <h2 class="fr-tile__title">{card.href === undefined ? card.title : <a href={card.href}>{card.title}</a>}</h2>
                  <p class="fr-tile__desc">{card.text}</p>
                  {card.href === undefined ? <p class="fr-tile__detail">Accessible depuis une organisation du territoire dont vous êtes membre.</p> : null}
                </div>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </AgentLayout>
  );
}

// ---------------------------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------------------------

export function OrganisationsPage(props: PageBase & { organisations: readonly OrganisationSummary[] }): Html {
  const id = props.territory.id;
  return (
    <Page {...props} title="Organisations">
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href={territoryPath(id, '/organisations/nouvelle')}>
          Créer une organisation
        </a>
      </p>
      <Table
        caption="Organisations du territoire, par nom"
        columns={['Organisation', 'Lien public', 'Agents', 'Lieux', 'Motifs', 'Actions']}
        rows={props.organisations}
        empty="Aucune organisation dans ce territoire."
        row={(organisation) => (
          <tr>
            <th scope="row">{organisation.name}</th>
            <td>{organisation.slug}</td>
            <td>
              <a href={`${territoryPath(id, '/agents')}?organisation=${String(organisation.id)}`} aria-label={`${String(organisation.agents)} agent(s) de ${organisation.name}`}>
                {String(organisation.agents)}
              </a>
            </td>
            <td>{String(organisation.places)}</td>
            <td>{String(organisation.motifs)}</td>
            <td>
              <a href={territoryPath(id, `/organisations/${String(organisation.id)}/modifier`)} aria-label={`Modifier ${organisation.name}`}>
                Modifier
              </a>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}

export function OrganisationFormPage(props: PageBase & { mode: { kind: 'create' } | { kind: 'edit'; organisationId: number; name: string }; defaultTimeZone: string; values: Values; errors?: Errors }): Html {
  const id = props.territory.id;
  const errors = props.errors ?? {};
  const values = props.values;
  const title = props.mode.kind === 'create' ? 'Créer une organisation' : `Modifier ${props.mode.name}`;
  const action = props.mode.kind === 'create' ? territoryPath(id, '/organisations/nouvelle') : territoryPath(id, `/organisations/${String(props.mode.organisationId)}/modifier`);
  return (
    <Page {...props} title={title} errors={errors} crumb={{ label: 'Organisations', href: territoryPath(id, '/organisations') }}>
      <form method="post" action={action} novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="nom" label="Nom" value={values.nom} error={errors.nom} autocomplete="off" hint="Par exemple : Maison départementale des solidarités de Melun" />
        <Input name="slug" label="Identifiant du lien public" value={values.slug} error={errors.slug} autocomplete="off" hint="Lettres minuscules, chiffres et tirets, unique sur Créneau : il apparaît dans les adresses des pages publiques." />
        <Input name="telephone" label="Téléphone" type="tel" required={false} value={values.telephone} error={errors.telephone} autocomplete="off" />
        <Input name="email" label="Adresse e-mail de contact" type="email" required={false} value={values.email} error={errors.email} autocomplete="off" />
        <Input name="siteWeb" label="Site internet" required={false} value={values.siteWeb} error={errors.siteWeb} autocomplete="off" hint="Adresse complète, par exemple https://www.departement.fr" />
        <Input name="identifiantExterne" label="Identifiant externe" required={false} value={values.identifiantExterne} error={errors.identifiantExterne} autocomplete="off" hint="La référence de l’organisation dans vos autres logiciels, unique dans le territoire." />
        <Input
          name="fuseauHoraire"
          label="Fuseau horaire"
          required={false}
          value={values.fuseauHoraire}
          error={errors.fuseauHoraire}
          autocomplete="off"
          hint={`Laissez vide pour celui du département (${props.defaultTimeZone}). Format IANA, par exemple Europe/Paris.`}
        />
        <SubmitOrCancel class="fr-btns-group fr-btns-group--inline" label={props.mode.kind === 'create' ? 'Créer l’organisation' : 'Enregistrer'} cancelHref={territoryPath(id, '/organisations')} />
      </form>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Agents and roles
// ---------------------------------------------------------------------------------------------

function rolesText(agent: TerritoryAgent): string {
  return agent.roles.length === 0 ? 'Aucune organisation' : agent.roles.map((role) => `${role.organisationName} (${ACCESS_LEVEL_LABELS[role.accessLevel]})`).join(' ; ');
}

export function AgentsPage(props: PageBase & { agents: readonly TerritoryAgent[]; organisations: readonly { id: number; name: string }[]; filters: { organisation?: number | undefined; search: string }; limit: number }): Html {
  const id = props.territory.id;
  return (
    <Page {...props} title="Agents et rôles">
      <p>
        <a class="fr-btn fr-icon-mail-line fr-btn--icon-left" href={territoryPath(id, '/agents/inviter')}>
          Inviter un agent
        </a>
      </p>
      <form method="get" action={territoryPath(id, '/agents')} class="fr-mb-3w">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-5">
            <Select
              name="organisation"
              label="Organisation"
              value={props.filters.organisation === undefined ? '' : String(props.filters.organisation)}
              placeholder="Toutes les organisations"
              options={props.organisations.map((organisation) => ({ value: String(organisation.id), label: organisation.name }))}
            />
          </div>
          <div class="fr-col-12 fr-col-md-5">
            <Input name="recherche" label="Nom ou adresse e-mail" required={false} value={props.filters.search} autocomplete="off" />
          </div>
          <div class="fr-col-12 fr-col-md-2">
            <button class="fr-btn fr-mb-3w" type="submit">
              Filtrer
            </button>
          </div>
        </div>
      </form>
      <Table
        caption={`Agents du territoire, par nom${props.agents.length >= props.limit ? ` (les ${String(props.limit)} premiers : précisez la recherche)` : ''}`}
        columns={['Agent', 'Adresse e-mail', 'Organisations et niveaux', 'Administrateur du territoire', 'Actions']}
        rows={props.agents}
        empty="Aucun agent ne correspond."
        row={(agent) => (
          <tr>
            <th scope="row">
              {agent.firstName} {agent.lastName}
              {agent.invitationPending ? <p class="fr-badge fr-badge--sm fr-badge--info fr-mt-1v">Invitation en attente</p> : null}
            </th>
            <td>{agent.email ?? '—'}</td>
            <td>{rolesText(agent)}</td>
            <td>{agent.isTerritorialAdmin ? 'Oui' : 'Non'}</td>
            <td>
              <a href={territoryPath(id, `/agents/${String(agent.id)}`)} aria-label={`Gérer les rôles de ${agent.firstName} ${agent.lastName}`}>
                Gérer les rôles
              </a>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}

export function AgentPage(
  props: PageBase & {
    agent: TerritoryAgent;
    organisations: readonly { id: number; name: string }[];
    values?: Values;
    errors?: Errors;
  },
): Html {
  const id = props.territory.id;
  const { agent } = props;
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const isSelf = agent.id === props.principal.agentId;
  const base = territoryPath(id, `/agents/${String(agent.id)}`);
  const others = props.organisations.filter((organisation) => !agent.roles.some((role) => role.organisationId === organisation.id));
  return (
    <Page {...props} title={`${agent.firstName} ${agent.lastName}`} errors={errors} crumb={{ label: 'Agents et rôles', href: territoryPath(id, '/agents') }}>
      <p>{agent.email ?? 'Intervenant sans compte'}</p>
      <h2>Organisations</h2>
      {agent.roles.length === 0 ? (
        <p>Aucune organisation du territoire.</p>
      ) : (
        <ul>
          {agent.roles.map((role) => (
            <li>
              {role.organisationName} : {ACCESS_LEVEL_LABELS[role.accessLevel]}
            </li>
          ))}
        </ul>
      )}
      <h2>Ajouter à une organisation</h2>
      {others.length === 0 ? (
        <p>L’agent fait déjà partie de toutes les organisations du territoire.</p>
      ) : (
        <form method="post" action={`${base}/organisations`} novalidate>
          <CsrfField token={props.csrfToken} />
          <Select name="organisation" label="Organisation" value={values.organisation} placeholder="Choisir une organisation" options={others.map((organisation) => ({ value: String(organisation.id), label: organisation.name }))} error={errors.organisation} />
          <Select name="niveau" label="Niveau d’accès" value={values.niveau} placeholder="Choisir un niveau" options={Object.entries(ACCESS_LEVEL_LABELS).map(([value, label]) => ({ value, label }))} error={errors.niveau} />
          <button class="fr-btn" type="submit">
            Ajouter à l’organisation
          </button>
        </form>
      )}
      <h2 class="fr-mt-4w">Administration du territoire</h2>
      <div id="adminTerritoire">
        {agent.isTerritorialAdmin ? (
          <>
            <p>{isSelf ? 'Vous êtes administrateur de ce territoire.' : 'Cet agent administre ce territoire.'}</p>
            <form method="post" action={`${base}/admin-territorial/retrait`} novalidate>
              <CsrfField token={props.csrfToken} />
              {isSelf ? (
                <div class={errors.confirmer === undefined ? 'fr-checkbox-group fr-mb-2w' : 'fr-checkbox-group fr-checkbox-group--error fr-mb-2w'}>
                  <input type="checkbox" id="confirmer" name="confirmer" value="oui" aria-describedby={errors.confirmer === undefined ? undefined : 'confirmer-erreur'} />
                  <label class="fr-label" for="confirmer">
                    Je confirme retirer mon propre rôle : je n’aurai plus accès à ces pages.
                  </label>
                  <ErrorText name="confirmer" error={errors.confirmer} />
                </div>
              ) : null}
              {errors.adminTerritoire === undefined ? null : <ErrorText name="adminTerritoire" error={errors.adminTerritoire} />}
              <button class="fr-btn fr-btn--secondary" type="submit">
                Retirer le rôle d’administrateur du territoire
              </button>
            </form>
          </>
        ) : (
          <>
            <p>Cet agent n’administre pas ce territoire.</p>
            {errors.adminTerritoire === undefined ? null : <ErrorText name="adminTerritoire" error={errors.adminTerritoire} />}
            <PostButton action={`${base}/admin-territorial`} csrfToken={props.csrfToken} label="Nommer administrateur du territoire" />
          </>
        )}
      </div>
    </Page>
  );
}

export function InviteAgentPage(props: PageBase & { organisations: readonly { id: number; name: string }[]; services: readonly { id: number; name: string }[]; values?: Values; errors?: Errors }): Html {
  const id = props.territory.id;
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  return (
    <Page {...props} title="Inviter un agent" errors={errors} crumb={{ label: 'Agents et rôles', href: territoryPath(id, '/agents') }}>
      <p>L’agent reçoit un e-mail avec un lien, valable 7 jours, pour choisir son mot de passe. S’il a déjà un compte dans le territoire, il est ajouté à l’organisation.</p>
      <form method="post" action={territoryPath(id, '/agents/inviter')} novalidate>
        <CsrfField token={props.csrfToken} />
        <Select name="organisation" label="Organisation" value={values.organisation} placeholder="Choisir une organisation" options={props.organisations.map((organisation) => ({ value: String(organisation.id), label: organisation.name }))} error={errors.organisation} />
        <Input name="prenom" label="Prénom" autocomplete="off" value={values.prenom} error={errors.prenom} />
        <Input name="nom" label="Nom" autocomplete="off" value={values.nom} error={errors.nom} />
        <Input name="email" label="Adresse e-mail professionnelle" type="email" autocomplete="off" value={values.email} error={errors.email} hint="Format attendu : prenom.nom@departement.fr" />
        <Select name="niveau" label="Niveau d’accès" value={values.niveau} placeholder="Choisir un niveau" options={[{ value: 'basic', label: ACCESS_LEVEL_LABELS.basic }, { value: 'admin', label: ACCESS_LEVEL_LABELS.admin }]} error={errors.niveau} />
        <Select name="service" label="Service" value={values.service} placeholder="Choisir un service" options={props.services.map((service) => ({ value: String(service.id), label: service.name }))} error={errors.service} />
        <button class="fr-btn" type="submit">
          Envoyer l’invitation
        </button>
      </form>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Services and motif categories
// ---------------------------------------------------------------------------------------------

export interface InUse {
  readonly kind: ToggleableKind;
  readonly name: string;
  readonly motifs: readonly { name: string; organisationName: string }[];
}

/** The words and paths that tell the services' table from the categories'. */
interface ToggleLabels {
  readonly caption: string;
  readonly column: string;
  /** The URL segment of its activation routes. */
  readonly path: '/services' | '/categories';
  /** The categories show their code, the services do not. */
  readonly showCode: boolean;
  readonly enabled: string;
  readonly disabled: string;
}

const SERVICE_LABELS: ToggleLabels = { caption: 'Services proposés aux organisations du territoire', column: 'Service', path: '/services', showCode: false, enabled: 'Activé', disabled: 'Désactivé' };
const CATEGORY_LABELS: ToggleLabels = { caption: 'Catégories de motifs et leur état dans le territoire', column: 'Catégorie', path: '/categories', showCode: true, enabled: 'Activée', disabled: 'Désactivée' };

/** Services or categories with their state here, their active motifs and the button that flips the state. */
function ToggleTable(props: { territoryId: number; csrfToken: string; kind: ToggleLabels; rows: readonly ToggleableState[] }): Html {
  const { kind } = props;
  return (
    <Table
      caption={kind.caption}
      columns={[kind.column, ...(kind.showCode ? ['Code'] : []), 'État', 'Motifs actifs', 'Action']}
      rows={props.rows}
      row={(item) => (
        <tr>
          <th scope="row">{item.name}</th>
          {kind.showCode ? <td>{item.shortName}</td> : null}
          <td>{item.enabled ? kind.enabled : kind.disabled}</td>
          <td>{String(item.activeMotifs)}</td>
          <td>
            <PostButton
              action={territoryPath(props.territoryId, `${kind.path}/${String(item.id)}/${item.enabled ? 'desactiver' : 'activer'}`)}
              csrfToken={props.csrfToken}
              label={item.enabled ? `Désactiver ${item.name}` : `Activer ${item.name}`}
              secondary={item.enabled}
            />
          </td>
        </tr>
      )}
    />
  );
}

export function ServicesPage(props: PageBase & { services: readonly ToggleableState[]; categories: readonly ToggleableState[]; inUse?: InUse | undefined; categoryValues?: Values; categoryErrors?: Errors }): Html {
  const id = props.territory.id;
  const errors = props.categoryErrors ?? {};
  const values = props.categoryValues ?? {};
  return (
    <Page {...props} title="Services et catégories de motifs" errors={props.inUse === undefined ? errors : { ...errors, refus: `${props.inUse.name} est encore utilisé par des motifs actifs.` }}>
      {props.inUse === undefined ? null : (
        <div class="fr-alert fr-alert--error fr-mb-3w" id="refus" tabindex="-1">
          <h2 class="fr-alert__title">
            {props.inUse.kind === 'service' ? 'Ce service' : 'Cette catégorie'} ne peut pas être désactivé{props.inUse.kind === 'service' ? '' : 'e'} : des motifs actifs l’utilisent
          </h2>
          <p>Archivez ces motifs ou changez-les de {props.inUse.kind === 'service' ? 'service' : 'catégorie'} dans leur organisation, puis recommencez :</p>
          <ul>
            {props.inUse.motifs.map((motif) => (
              <li>
                {motif.name} ({motif.organisationName})
              </li>
            ))}
          </ul>
        </div>
      )}
      <h2>Services</h2>
      <ToggleTable territoryId={id} csrfToken={props.csrfToken} kind={SERVICE_LABELS} rows={props.services} />
      <h2>Catégories de motifs</h2>
      <p>Les catégories sont communes à tous les territoires (les invitations les nomment) ; chaque territoire active celles qu’il utilise.</p>
      <ToggleTable territoryId={id} csrfToken={props.csrfToken} kind={CATEGORY_LABELS} rows={props.categories} />
      <h3>Créer une catégorie</h3>
      <form method="post" action={territoryPath(id, '/categories')} novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="nom" label="Nom de la catégorie" value={values.nom} error={errors.nom} autocomplete="off" />
        <Input name="code" label="Code" value={values.code} error={errors.code} autocomplete="off" hint="Lettres minuscules, chiffres et tirets bas, par exemple rsa_orientation." />
        <button class="fr-btn" type="submit">
          Créer et activer la catégorie
        </button>
      </form>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Directory settings
// ---------------------------------------------------------------------------------------------

export function DirectoryPage(props: PageBase & { labels: Readonly<Record<UserField, string>>; fields: readonly UserField[]; values: { champs: readonly UserField[]; portee: string; motifObligatoire: boolean }; errors?: Errors }): Html {
  const id = props.territory.id;
  const errors = props.errors ?? {};
  return (
    <Page {...props} title="Champs et annuaire des usagers" errors={errors}>
      <form method="post" action={territoryPath(id, '/champs')} novalidate>
        <CsrfField token={props.csrfToken} />
        <fieldset class="fr-fieldset" id="champs" aria-labelledby="champs-legende">
          <legend class="fr-fieldset__legend" id="champs-legende">
            Champs sociaux facultatifs des fiches usagers
            <span class="fr-hint-text">Les agents ne voient et ne remplissent que les champs cochés.</span>
          </legend>
          {props.fields.map((field) => (
            <div class="fr-fieldset__element">
              <div class="fr-checkbox-group">
                <input type="checkbox" id={`champ-${field}`} name="champs" value={field} checked={props.values.champs.includes(field)} />
                <label class="fr-label" for={`champ-${field}`}>
                  {props.labels[field]}
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <fieldset class={errors.portee === undefined ? 'fr-fieldset' : 'fr-fieldset fr-fieldset--error'} id="portee" aria-labelledby="portee-legende">
          <legend class="fr-fieldset__legend" id="portee-legende">
            Portée de l’annuaire des usagers
          </legend>
          {[
            { value: 'organisation', label: 'Organisation : un agent trouve les usagers de son organisation' },
            { value: 'territory', label: 'Territoire : un agent trouve les usagers de toutes les organisations du territoire' },
          ].map((option) => (
            <div class="fr-fieldset__element">
              <div class="fr-radio-group">
                <input type="radio" id={`portee-${option.value}`} name="portee" value={option.value} checked={props.values.portee === option.value} />
                <label class="fr-label" for={`portee-${option.value}`}>
                  {option.label}
                </label>
              </div>
            </div>
          ))}
          <ErrorText name="portee" error={errors.portee} />
        </fieldset>
        <div class="fr-checkbox-group fr-mb-3w">
          <input type="checkbox" id="motifObligatoire" name="motifObligatoire" value="oui" checked={props.values.motifObligatoire} />
          <label class="fr-label" for="motifObligatoire">
            Demander un motif avant d’ouvrir une fiche usager ou de lancer un export
          </label>
        </div>
        <button class="fr-btn" type="submit">
          Enregistrer
        </button>
      </form>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Holidays and local closures
// ---------------------------------------------------------------------------------------------

export interface HolidaysOfYear {
  readonly year: number;
  readonly holidays: readonly { date: string; name: string }[];
}

function dayText(isoDate: string): string {
  return formatDayLong(isoDateToDayNumber(isoDate));
}

/** The appointments a closure covers, per organisation; a link to the organisation's list when the admin works there. */
function BookedCell(props: { closure: ClosureRecord; booked: readonly BookedDuringClosure[]; principal: AgentPrincipal }): Html {
  const rows = props.booked.filter((entry) => entry.closureId === props.closure.id);
  if (rows.length === 0) return <td>Aucun</td>;
  const member = new Set(props.principal.roles.filter((role) => role.accessLevel !== 'intervenant').map((role) => role.organisationId));
  const listOf = (organisationId: number): string => `/agents/organisations/${String(organisationId)}/rdv?du=${props.closure.firstDay}&au=${props.closure.lastDay}&statut=a-venir`;
  return (
    <td>
      <ul class="fr-raw-list">
        {rows.map((entry) => {
          const text = `${entry.organisationName} : ${String(entry.appointments)} rendez-vous`;
          return <li>{member.has(entry.organisationId) ? <a href={listOf(entry.organisationId)}>{text}</a> : text}</li>;
        })}
      </ul>
    </td>
  );
}

export function HolidaysPage(
  props: PageBase & {
    years: readonly HolidaysOfYear[];
    closures: readonly ClosureRecord[];
    booked: readonly BookedDuringClosure[];
    regionValue: string;
    regionError?: string | undefined;
    closureValues?: Values;
    closureErrors?: Errors;
  },
): Html {
  const id = props.territory.id;
  const closureErrors = props.closureErrors ?? {};
  const closureValues = props.closureValues ?? {};
  const errors = props.regionError === undefined ? closureErrors : { region: props.regionError, ...closureErrors };
  return (
    <Page {...props} title="Jours fériés et fermetures" errors={errors}>
      <h2>Jours fériés</h2>
      <form method="post" action={territoryPath(id, '/jours-feries')} novalidate>
        <CsrfField token={props.csrfToken} />
        <Select
          name="region"
          label="Région des jours fériés"
          hint="L’Alsace-Moselle ajoute le Vendredi saint et le 26 décembre ; les outre-mer, l’abolition de l’esclavage."
          value={props.regionValue}
          options={HOLIDAY_REGIONS.map((region) => ({ value: region.code, label: region.label }))}
          error={props.regionError}
        />
        <button class="fr-btn" type="submit">
          Enregistrer la région
        </button>
      </form>
      {props.years.map((year) => (
        <Table
          class="fr-table fr-mt-3w"
          caption={`Jours fériés ${String(year.year)} (les organisations sont fermées, sauf exception de l’organisation)`}
          columns={['Date', 'Jour férié']}
          rows={year.holidays}
          row={(holiday) => (
            <tr>
              <td>{dayText(holiday.date)}</td>
              <td>{holiday.name}</td>
            </tr>
          )}
        />
      ))}
      <h2>Fermetures locales</h2>
      <p>
        Les jours de fermeture, toutes les organisations du territoire sont fermées comme un jour férié : aucun créneau n’est proposé et l’agenda l’indique. Une fermeture n’annule pas les rendez-vous déjà
        pris : la colonne « Rendez-vous déjà pris » les compte, pour prévenir les usagers ou les déplacer.
      </p>
      <Table
        caption="Fermetures locales du territoire, par date"
        columns={['Libellé', 'Du', 'Au', 'Jours', 'Rendez-vous déjà pris', 'Action']}
        rows={props.closures}
        empty="Aucune fermeture locale."
        row={(closure) => (
          <tr>
            <th scope="row">{closure.label}</th>
            <td>{dayText(closure.firstDay)}</td>
            <td>{dayText(closure.lastDay)}</td>
            <td>{String(closureLength(closure))}</td>
            <BookedCell closure={closure} booked={props.booked} principal={props.principal} />
            <td>
              <PostButton action={territoryPath(id, `/fermetures/${String(closure.id)}/supprimer`)} csrfToken={props.csrfToken} label={`Supprimer la fermeture du ${dayText(closure.firstDay)}`} secondary />
            </td>
          </tr>
        )}
      />
      <h3>Ajouter une fermeture</h3>
      <form method="post" action={territoryPath(id, '/fermetures')} novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="libelle" label="Libellé" value={closureValues.libelle} error={closureErrors.libelle} autocomplete="off" hint="Par exemple : Fermeture exceptionnelle" />
        <Input name="debut" label="Premier jour" type="date" value={closureValues.debut} error={closureErrors.debut} />
        <Input name="fin" label="Dernier jour" type="date" required={false} value={closureValues.fin} error={closureErrors.fin} hint="Laissez vide pour une fermeture d’un seul jour." />
        <button class="fr-btn" type="submit">
          Ajouter la fermeture
        </button>
      </form>
    </Page>
  );
}
