import { AgentLayout, type AgentPrincipal } from '../../agents/index.js';
import { CsrfField } from '../../../platform/security/index.js';
import { ErrorSummary, Input } from '../../../platform/views/forms.js';
import { Fragment, h, type Child, type Html } from '../../../platform/views/jsx.js';
import { DEPARTEMENTS, HOLIDAY_REGIONS } from '../domain/departements.js';
import type { AgentSearchResult, ImpersonationRecord, TerritorialAdmin, TerritorySummary } from '../super-admin.repository.js';
import type { JobsOverview } from '../super-admin.use-cases.js';

type Errors = Record<string, string | undefined>;
type BackOfficeTab = 'territoires' | 'agents' | 'taches';

const TABS: readonly { key: BackOfficeTab; label: string; href: string }[] = [
  { key: 'territoires', label: 'Territoires', href: '/super-admin' },
  { key: 'agents', label: 'Se connecter en tant que', href: '/super-admin/agents' },
  { key: 'taches', label: 'Tâches de fond', href: '/super-admin/taches' },
];

const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

/** « 24/11/2026 10:00 » (heure de Paris). */
export function formatInstant(at: Date | null): string {
  return at === null ? '—' : PARIS_DATE_TIME.format(at);
}

/** The back office's frame: the agent layout (Super admin section) and the back office's own tabs. */
function BackOffice(props: { title: string; principal: AgentPrincipal; csrfToken: string; tab: BackOfficeTab; children?: Child }): Html {
  return (
    <AgentLayout title={props.title} principal={props.principal} csrfToken={props.csrfToken} section="super-admin">
      <nav class="fr-mb-3w" aria-label="Back office super admin">
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
          {TABS.map((tab) => (
            <li>
              <a class={tab.key === props.tab ? 'fr-btn' : 'fr-btn fr-btn--tertiary'} href={tab.href} aria-current={tab.key === props.tab ? 'page' : undefined}>
                {tab.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.children}
    </AgentLayout>
  );
}

function Notice(props: { text: string | undefined }): Html | null {
  if (props.text === undefined) return null;
  return (
    <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
      <p>{props.text}</p>
    </div>
  );
}

// ── Territories ──────────────────────────────────────────────────────────────────────────────

export function TerritoriesPage(props: { principal: AgentPrincipal; csrfToken: string; territories: readonly TerritorySummary[]; notice?: string }): Html {
  return (
    <BackOffice title="Territoires — super admin" principal={props.principal} csrfToken={props.csrfToken} tab="territoires">
      <h1>Territoires</h1>
      <Notice text={props.notice} />
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/super-admin/territoires/nouveau">
          Créer un territoire
        </a>
      </p>
      <div class="fr-table">
        <table>
          <caption>{props.territories.length === 1 ? '1 territoire' : `${String(props.territories.length)} territoires`}</caption>
          <thead>
            <tr>
              <th scope="col">Département</th>
              <th scope="col">Nom</th>
              <th scope="col">Organisations</th>
              <th scope="col">Administrateurs territoriaux</th>
              <th scope="col">Créé le</th>
            </tr>
          </thead>
          <tbody>
            {props.territories.map((territory) => (
              <tr>
                <td>{territory.departementNumber}</td>
                <td>{territory.name}</td>
                <td>{String(territory.organisations)}</td>
                <td>
                  <a href={`/super-admin/territoires/${String(territory.id)}/administrateurs`}>
                    {String(territory.admins)} administrateur{territory.admins === 1 ? '' : 's'}
                    <span class="fr-sr-only"> du territoire {territory.name}</span>
                  </a>
                </td>
                <td>{formatInstant(territory.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </BackOffice>
  );
}

export type TerritoryFormValues = Partial<Record<'departement' | 'nomTerritoire' | 'regionFeries' | 'nomOrganisation' | 'nomLieu' | 'adresseLieu' | 'prenomAdmin' | 'nomAdmin' | 'emailAdmin', string>>;

export function NewTerritoryPage(props: { principal: AgentPrincipal; csrfToken: string; values?: TerritoryFormValues; errors?: Errors }): Html {
  const values = props.values ?? {};
  const errors = props.errors ?? {};
  const regionError = errors.regionFeries;
  return (
    <BackOffice title="Créer un territoire — super admin" principal={props.principal} csrfToken={props.csrfToken} tab="territoires">
      <h1>Créer un territoire</h1>
      <p>
        Un seul formulaire crée le territoire, sa première organisation, son premier lieu et invite son premier administrateur territorial par e-mail. Tout est enregistré
        ensemble, ou rien.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/super-admin/territoires/nouveau" novalidate>
        <CsrfField token={props.csrfToken} />
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Territoire</legend>
          <div class="fr-fieldset__content">
            <Input name="departement" label="Numéro du département" hint="01 à 95, 2A, 2B, ou 971 à 976" value={values.departement} error={errors.departement} />
            <Input name="nomTerritoire" label="Nom du territoire" hint="Exemple : Conseil départemental du Calvados" value={values.nomTerritoire} error={errors.nomTerritoire} />
            <div class={regionError === undefined ? 'fr-select-group' : 'fr-select-group fr-select-group--error'}>
              <label class="fr-label" for="regionFeries">
                Jours fériés
                <span class="fr-hint-text">Les jours fériés ferment les organisations (Alsace-Moselle et outre-mer ont les leurs).</span>
              </label>
              <select
                class={regionError === undefined ? 'fr-select' : 'fr-select fr-select--error'}
                id="regionFeries"
                name="regionFeries"
                aria-describedby={regionError === undefined ? undefined : 'regionFeries-erreur'}
                aria-invalid={regionError === undefined ? undefined : 'true'}
              >
                {HOLIDAY_REGIONS.map((region) => (
                  <option value={region.value} selected={(values.regionFeries ?? '') === region.value}>
                    {region.label}
                  </option>
                ))}
              </select>
              {regionError === undefined ? null : (
                <p class="fr-error-text" id="regionFeries-erreur">
                  {regionError}
                </p>
              )}
            </div>
          </div>
        </fieldset>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Première organisation et premier lieu</legend>
          <div class="fr-fieldset__content">
            <Input name="nomOrganisation" label="Nom de l’organisation" hint="Exemple : Maison des solidarités de Caen" value={values.nomOrganisation} error={errors.nomOrganisation} />
            <Input name="nomLieu" label="Nom du lieu" hint="Exemple : MDS Caen centre" value={values.nomLieu} error={errors.nomLieu} />
            <Input name="adresseLieu" label="Adresse du lieu" hint="Numéro, voie, code postal et commune. Le fuseau horaire est celui du département." value={values.adresseLieu} error={errors.adresseLieu} autocomplete="street-address" />
          </div>
        </fieldset>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Premier administrateur territorial</legend>
          <div class="fr-fieldset__content">
            <Input name="prenomAdmin" label="Prénom" value={values.prenomAdmin} error={errors.prenomAdmin} />
            <Input name="nomAdmin" label="Nom" value={values.nomAdmin} error={errors.nomAdmin} />
            <Input name="emailAdmin" label="Adresse e-mail professionnelle" type="email" hint="Format attendu : prenom.nom@departement.fr. Il recevra une invitation à choisir son mot de passe." value={values.emailAdmin} error={errors.emailAdmin} />
          </div>
        </fieldset>
        <button class="fr-btn fr-mt-2w" type="submit">
          Créer le territoire et envoyer l’invitation
        </button>
      </form>
      <p class="fr-text--sm fr-mt-3w">{String(DEPARTEMENTS.length)} départements peuvent recevoir un territoire.</p>
    </BackOffice>
  );
}

// ── Territorial admins ───────────────────────────────────────────────────────────────────────

export interface TerritoryAdminsPageProps {
  principal: AgentPrincipal;
  csrfToken: string;
  territory: { id: number; departementNumber: string; name: string };
  admins: readonly TerritorialAdmin[];
  notice?: string;
  values?: { email?: string; prenom?: string; nom?: string };
  errors?: Errors;
  /** The admin whose removal needs a confirmation (the last one). */
  confirmRemoval?: TerritorialAdmin;
}

export function TerritoryAdminsPage(props: TerritoryAdminsPageProps): Html {
  const values = props.values ?? {};
  const errors = props.errors ?? {};
  const base = `/super-admin/territoires/${String(props.territory.id)}/administrateurs`;
  return (
    <BackOffice title={`Administrateurs territoriaux — ${props.territory.name}`} principal={props.principal} csrfToken={props.csrfToken} tab="territoires">
      <h1>
        Administrateurs territoriaux — {props.territory.name} ({props.territory.departementNumber})
      </h1>
      <Notice text={props.notice} />
      {props.confirmRemoval === undefined ? null : (
        <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert" id="confirmation-retrait" tabindex="-1">
          <h2 class="fr-alert__title">{`${props.confirmRemoval.firstName} ${props.confirmRemoval.lastName} est le dernier administrateur de ce territoire`}</h2>
          <p>Sans administrateur territorial, personne ne pourra gérer les organisations, les agents et la sectorisation du territoire, sauf un super admin.</p>
          <form method="post" action={`${base}/${String(props.confirmRemoval.agentId)}/retrait`} class="fr-mt-2w">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="confirmation" value="oui" />
            <button class="fr-btn fr-btn--secondary" type="submit">
              Retirer quand même le dernier administrateur
            </button>
          </form>
        </div>
      )}
      <div class="fr-table">
        <table>
          <caption>{props.admins.length === 1 ? '1 administrateur territorial' : `${String(props.admins.length)} administrateurs territoriaux`}</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">E-mail</th>
              <th scope="col">Compte</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {props.admins.map((admin) => (
              <tr>
                <td>{`${admin.firstName} ${admin.lastName}`}</td>
                <td>{admin.email}</td>
                <td>{admin.invitationPending ? 'Invitation en attente' : 'Actif'}</td>
                <td>
                  <form method="post" action={`${base}/${String(admin.agentId)}/retrait`}>
                    <CsrfField token={props.csrfToken} />
                    <button class="fr-btn fr-btn--tertiary fr-btn--sm" type="submit">
                      Retirer<span class="fr-sr-only"> {`${admin.firstName} ${admin.lastName}`}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Ajouter un administrateur territorial</h2>
      <p>Un agent qui a déjà un compte reçoit le rôle et en est informé par e-mail. Une nouvelle adresse reçoit une invitation : saisissez alors aussi le prénom et le nom.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action={base} novalidate>
        <CsrfField token={props.csrfToken} />
        <Input name="email" label="Adresse e-mail professionnelle" type="email" value={values.email} error={errors.email} />
        <Input name="prenom" label="Prénom" hint="Seulement pour une nouvelle adresse" required={false} value={values.prenom} error={errors.prenom} />
        <Input name="nom" label="Nom" hint="Seulement pour une nouvelle adresse" required={false} value={values.nom} error={errors.nom} />
        <button class="fr-btn fr-mt-2w" type="submit">
          Ajouter
        </button>
      </form>
      <p class="fr-mt-3w">
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/super-admin">
          Tous les territoires
        </a>
      </p>
    </BackOffice>
  );
}

// ── Impersonation ────────────────────────────────────────────────────────────────────────────

const END_REASONS: Record<string, string> = { returned: 'Retour au compte', expired: 'Expirée', signed_out: 'Déconnexion', agent_unavailable: 'Agent indisponible' };

export function AgentSearchPage(props: { principal: AgentPrincipal; csrfToken: string; query: string; results: readonly AgentSearchResult[] | undefined; journal: readonly ImpersonationRecord[]; notice?: string }): Html {
  return (
    <BackOffice title="Se connecter en tant qu’un agent — super admin" principal={props.principal} csrfToken={props.csrfToken} tab="agents">
      <h1>Se connecter en tant qu’un agent</h1>
      <Notice text={props.notice} />
      <p>Pour aider un agent ou comprendre ce qu’il voit. La connexion dure un temps limité, demande un motif, et chaque action est journalisée à votre nom et au sien.</p>
      <form method="get" action="/super-admin/agents" role="search" class="fr-mb-3w">
        <div class="fr-search-bar" id="recherche-agents">
          <label class="fr-label" for="q">
            Rechercher un agent par nom ou e-mail
          </label>
          <input class="fr-input" type="search" id="q" name="q" value={props.query} placeholder="Nom, prénom ou e-mail" />
          <button class="fr-btn" type="submit" title="Rechercher">
            Rechercher
          </button>
        </div>
      </form>
      {props.results === undefined ? null : (
        <div class="fr-table">
          <table>
            <caption>{props.results.length === 0 ? 'Aucun agent trouvé' : `Agents trouvés : ${String(props.results.length)}`}</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">E-mail</th>
                <th scope="col">Organisations</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {props.results.map((agent) => (
                <tr>
                  <td>{`${agent.firstName} ${agent.lastName}`}</td>
                  <td>{agent.email}</td>
                  <td>{agent.organisations === '' ? '—' : agent.organisations}</td>
                  <td>
                    {agent.isSuperAdmin ? (
                      'Super admin : impossible'
                    ) : !agent.maySignIn ? (
                      'Sans accès à l’espace agents'
                    ) : (
                      <a class="fr-link" href={`/super-admin/agents/${String(agent.id)}/en-tant-que`}>
                        Se connecter en tant que<span class="fr-sr-only"> {`${agent.firstName} ${agent.lastName}`}</span>
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Vos dernières connexions en tant qu’agent</h2>
      {props.journal.length === 0 ? (
        <p>Aucune pour l’instant.</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>Journal de vos connexions en tant qu’agent</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Motif</th>
                <th scope="col">Début</th>
                <th scope="col">Fin</th>
                <th scope="col">Pages et actions</th>
              </tr>
            </thead>
            <tbody>
              {props.journal.map((record) => (
                <tr>
                  <td>{record.agentName}</td>
                  <td>{record.reason}</td>
                  <td>{formatInstant(record.startedAt)}</td>
                  <td>{record.endedAt === null ? `Prévue ${formatInstant(record.expiresAt)}` : `${formatInstant(record.endedAt)} (${END_REASONS[record.endReason ?? ''] ?? ''})`}</td>
                  <td>{String(record.requests)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </BackOffice>
  );
}

export function ImpersonationFormPage(props: { principal: AgentPrincipal; csrfToken: string; agent: AgentSearchResult; minutes: number; reason?: string; errors?: Errors }): Html {
  const errors = props.errors ?? {};
  const reasonError = errors.motif;
  const name = `${props.agent.firstName} ${props.agent.lastName}`;
  return (
    <BackOffice title={`Se connecter en tant que ${name} — super admin`} principal={props.principal} csrfToken={props.csrfToken} tab="agents">
      <h1>Se connecter en tant que {name}</h1>
      <p>
        {props.agent.email}
        {props.agent.organisations === '' ? '' : ` — ${props.agent.organisations}`}
      </p>
      <p>
        Vous verrez l’espace agents comme {name}, pendant {String(props.minutes)} minutes au plus. Un bandeau le rappelle sur chaque page ; le back office vous est fermé
        jusqu’à votre retour.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action={`/super-admin/agents/${String(props.agent.id)}/en-tant-que`} novalidate>
        <CsrfField token={props.csrfToken} />
        <div class={reasonError === undefined ? 'fr-input-group' : 'fr-input-group fr-input-group--error'}>
          <label class="fr-label" for="motif">
            Motif
            <span class="fr-hint-text">Obligatoire, 500 caractères au plus. Exemple : demande d’assistance n° 1234 — agenda vide.</span>
          </label>
          <textarea
            class={reasonError === undefined ? 'fr-input' : 'fr-input fr-input--error'}
            id="motif"
            name="motif"
            rows={3}
            maxlength={500}
            required
            aria-describedby={reasonError === undefined ? undefined : 'motif-erreur'}
            aria-invalid={reasonError === undefined ? undefined : 'true'}
          >
            {props.reason ?? ''}
          </textarea>
          {reasonError === undefined ? null : (
            <p class="fr-error-text" id="motif-erreur">
              {reasonError}
            </p>
          )}
        </div>
        <button class="fr-btn fr-mt-2w" type="submit">
          Se connecter en tant que {name}
        </button>
      </form>
    </BackOffice>
  );
}

// ── Background jobs ──────────────────────────────────────────────────────────────────────────

export function JobsPage(props: { principal: AgentPrincipal; csrfToken: string; overview: JobsOverview }): Html {
  const { overview } = props;
  return (
    <BackOffice title="Tâches de fond — super admin" principal={props.principal} csrfToken={props.csrfToken} tab="taches">
      <h1>Tâches de fond</h1>
      <ul>
        <li>
          Notifications en échec : <strong>{String(overview.failedNotifications)}</strong>
        </li>
        <li>
          Exports en échec : <strong>{String(overview.failedExports)}</strong>
        </li>
      </ul>
      {!overview.available ? (
        <div class="fr-alert fr-alert--info fr-mb-3w">
          <p>Le planificateur (pg-boss) n’a pas encore démarré sur cette base : aucune file d’attente pour l’instant.</p>
        </div>
      ) : (
        <>
          <div class="fr-table">
            <table>
              <caption>Files d’attente ({String(overview.queues.length)})</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">En attente</th>
                  <th scope="col">En cours</th>
                  <th scope="col">Terminées</th>
                  <th scope="col">En échec</th>
                </tr>
              </thead>
              <tbody>
                {overview.queues.map((queue) => (
                  <tr>
                    <td>{queue.name}</td>
                    <td>{String(queue.created)}</td>
                    <td>{String(queue.active)}</td>
                    <td>{String(queue.completed)}</td>
                    <td>{String(queue.failed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="fr-table">
            <table>
              <caption>Dernières tâches en échec ({String(overview.failedJobs.length)})</caption>
              <thead>
                <tr>
                  <th scope="col">Tâche</th>
                  <th scope="col">Échec le</th>
                  <th scope="col">Tentatives</th>
                  <th scope="col">Erreur</th>
                </tr>
              </thead>
              <tbody>
                {overview.failedJobs.map((job) => (
                  <tr>
                    <td>{job.name}</td>
                    <td>
                      {formatInstant(job.failedAt)}
                      {job.archived ? ' (archivée)' : ''}
                    </td>
                    <td>{String(job.retryCount + 1)}</td>
                    <td>{job.error}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </BackOffice>
  );
}
