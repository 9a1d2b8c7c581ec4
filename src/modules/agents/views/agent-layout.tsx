import { CsrfField } from '../../../platform/security/index.js';
import { h, type Child, type Html } from '../../../platform/views/jsx.js';
import { formatTime } from '../../../platform/views/format.js';
import { Layout } from '../../../platform/views/layout.js';
import { canManageOrganisation, canManageTerritory } from '../domain/policies.js';
import { agentDisplayName, type AgentPrincipal } from '../domain/principal.js';

/** The sections of the agent workspace, in the order of the main navigation. */
export type AgentSection =
  | 'agenda'
  | 'rdv'
  | 'creneaux'
  | 'collectifs'
  | 'usagers'
  | 'plages'
  | 'absences'
  | 'exports'
  | 'organisation'
  | 'agents'
  | 'notifications'
  | 'journal'
  | 'territoire'
  | 'super-admin'
  | 'compte';

type SectionVisibility = (principal: AgentPrincipal, organisationId: number) => boolean;
const organisationAdmins: SectionVisibility = (principal, organisationId) => canManageOrganisation(principal, organisationId);
const territoryAdmins: SectionVisibility = (principal, organisationId) => {
  const role = principal.roles.find((candidate) => candidate.organisationId === organisationId);
  return role !== undefined && canManageTerritory(principal, role.territoryId);
};

/** The territory of the organisation, as the principal's role there says. */
function territoryOf(principal: AgentPrincipal, organisationId: number): number {
  return principal.roles.find((candidate) => candidate.organisationId === organisationId)?.territoryId ?? 0;
}

interface SectionLink {
  key: AgentSection;
  label: string;
  path: (organisationId: number, principal: AgentPrincipal) => string;
  visibleTo?: SectionVisibility;
}

const SECTIONS: readonly SectionLink[] = [
  { key: 'agenda', label: 'Agenda', path: (id) => `/agents/organisations/${String(id)}/agenda` },
  { key: 'rdv', label: 'Rendez-vous', path: (id) => `/agents/organisations/${String(id)}/rdv` },
  { key: 'creneaux', label: 'Trouver un créneau', path: (id) => `/agents/organisations/${String(id)}/creneaux` },
  { key: 'collectifs', label: 'RDV collectifs', path: (id) => `/agents/organisations/${String(id)}/collectifs` },
  { key: 'usagers', label: 'Usagers', path: (id) => `/agents/organisations/${String(id)}/usagers` },
  { key: 'plages', label: 'Plages d’ouverture', path: (id) => `/agents/organisations/${String(id)}/plages` },
  { key: 'absences', label: 'Absences', path: (id) => `/agents/organisations/${String(id)}/absences` },
  { key: 'exports', label: 'Exports', path: (id) => `/agents/organisations/${String(id)}/exports` },
  { key: 'organisation', label: 'Administration', path: (id) => `/agents/organisations/${String(id)}/administration`, visibleTo: organisationAdmins },
  { key: 'agents', label: 'Agents', path: (id) => `/agents/organisations/${String(id)}/agents`, visibleTo: organisationAdmins },
  { key: 'notifications', label: 'Notifications', path: (id) => `/agents/organisations/${String(id)}/notifications`, visibleTo: organisationAdmins },
  { key: 'journal', label: 'Journal des consultations', path: (id) => `/agents/organisations/${String(id)}/journal-des-consultations`, visibleTo: territoryAdmins },
  { key: 'territoire', label: 'Territoire', path: (id, principal) => `/agents/territoires/${String(territoryOf(principal, id))}`, visibleTo: territoryAdmins },
  { key: 'compte', label: 'Mon compte', path: () => '/agents/compte' },
];

export interface AgentLayoutProps {
  title: string;
  principal: AgentPrincipal;
  /**
   * The organisation the page is about (the navigation's links stay in it); absent on pages of a
   * territory or of the whole platform, whose navigation lists the territories the agent
   * administers and, for super admins, the back office.
   */
  organisationId?: number;
  /** The section to mark as current in the navigation. */
  section?: AgentSection;
  /** A CSRF token for the sign-out form of the header. */
  csrfToken: string;
  width?: 'container' | 'fluid';
  children?: Child;
}

/** The header's tools for a signed-in agent: who is signed in, and sign-out (a POST form). */
function AgentQuickLinks(props: { principal: AgentPrincipal; csrfToken: string }): Html {
  return (
    <ul class="fr-btns-group">
      <li>
        <a class="fr-btn fr-icon-account-circle-line" href="/agents/compte">
          {agentDisplayName(props.principal)}
        </a>
      </li>
      <li>
        <form method="post" action="/agents/deconnexion">
          <CsrfField token={props.csrfToken} />
          <button class="fr-btn fr-icon-logout-box-r-line" type="submit">
            Se déconnecter
          </button>
        </form>
      </li>
    </ul>
  );
}

/** « Territoire 14 » (by the name of an organisation of it when the agent has a role there). */
function territoryLabel(principal: AgentPrincipal, territoryId: number): string {
  return principal.roles.some((role) => role.territoryId === territoryId) ? 'Territoire' : `Territoire n° ${String(territoryId)}`;
}

/**
 * While a super admin acts as the agent (ADR 0032): who, why, until when, and the way back. On
 * every page of the workspace, first in the content, announced as a status.
 */
function ImpersonationBanner(props: { principal: AgentPrincipal; csrfToken: string }): Html | null {
  const impersonation = props.principal.impersonation;
  if (impersonation === undefined) return null;
  const timeZone = props.principal.roles[0]?.timeZone ?? 'Europe/Paris';
  const endsAt = formatTime(timeZone, Math.floor(impersonation.endsAt.getTime() / 60_000));
  return (
    <div class="fr-alert fr-alert--warning fr-mb-3w" role="status" id="bandeau-en-tant-que">
      <p class="fr-alert__title">Vous êtes connecté en tant que {agentDisplayName(props.principal)}</p>
      <p>
        Motif : {impersonation.reason} — fin à {endsAt}. Chaque action est journalisée à votre nom ({agentDisplayName(impersonation.superAdmin)}) et à celui de l’agent.
      </p>
      <form method="post" action="/agents/en-tant-que/fin" class="fr-mt-1w">
        <CsrfField token={props.csrfToken} />
        <button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit">
          Revenir à mon compte
        </button>
      </form>
    </div>
  );
}

/** The DSFR page of the agent workspace: the agent's header tools and the sections' navigation. */
export function AgentLayout(props: AgentLayoutProps): Html {
  const organisationId = props.organisationId;
  const organisation = props.principal.roles.find((role) => role.organisationId === organisationId);
  const links =
    organisationId === undefined
      ? [
          ...[...props.principal.territorialAdminOf].map((territoryId) => ({ key: 'territoire', label: territoryLabel(props.principal, territoryId), href: `/agents/territoires/${String(territoryId)}` })),
          ...(props.principal.isSuperAdmin ? [{ key: 'super-admin', label: 'Super admin', href: '/super-admin' }] : []),
          { key: 'compte' as AgentSection, label: 'Mon compte', href: '/agents/compte' },
        ]
      : SECTIONS.filter((section) => section.visibleTo === undefined || section.visibleTo(props.principal, organisationId)).map((section) => ({
          key: section.key,
          label: section.label,
          href: section.path(organisationId, props.principal),
        }));
  const navigation = (
    <nav class="fr-nav" id="navigation-agents" role="navigation" aria-label="Menu de l’espace agents">
      <ul class="fr-nav__list">
        {links.map((link) => (
          <li class="fr-nav__item">
            <a class="fr-nav__link" href={link.href} aria-current={link.key === props.section ? 'page' : undefined}>
              {link.label}
            </a>
          </li>
        ))}
        {props.principal.roles.length > 1 || organisationId === undefined ? (
          <li class="fr-nav__item">
            <a class="fr-nav__link" href="/agents">
              Changer d’organisation
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
  return (
    <Layout title={props.title} quickLinks={<AgentQuickLinks principal={props.principal} csrfToken={props.csrfToken} />} navigation={navigation} width={props.width}>
      <ImpersonationBanner principal={props.principal} csrfToken={props.csrfToken} />
      {organisation === undefined ? null : <p class="fr-text--sm fr-mb-1w">{organisation.organisationName}</p>}
      {props.children}
    </Layout>
  );
}
