// Pages of the territory administration (ADR 0030), under /agents/territoires/:territoryId. Every
// route: schema (400) → requireAgent → the territory's admins only (`canManageTerritory`, else
// 404 like an unknown id) → form rules (422, input kept) → one use case → 303 (Post/Redirect/Get).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { USER_FIELDS } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { FastifyPluginAsyncZod } from '../../platform/http/schemas.js';
import { csrfToken, rateLimit } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { agentGuards, agentOf, canManageTerritory, checkInvitationForm, inviteAgent, type AgentAccountMailServices, type AgentPrincipal } from '../agents/index.js';
import { listPublicHolidays } from '../availability/index.js';
import { accountMailQueueOf } from '../notifications/index.js';
import { timeZoneOfDepartement } from '../territory-bundles/index.js';
import { USER_FIELD_LABELS } from '../users/index.js';
import { isAccessLevel } from './domain/territorial-roles.js';
import { checkCategoryForm, checkClosureForm, checkHolidayRegion, checkOrganisationForm } from './domain/territory-forms.js';
import {
  addRoleBody,
  agentParams,
  agentsQuery,
  categoryBody,
  categoryParams,
  closureBody,
  closureParams,
  directoryBody,
  emptyBody,
  holidayRegionBody,
  inviteBody,
  organisationBody,
  organisationParams,
  revokeBody,
  serviceParams,
  territoryParams,
} from './territory-admin.schemas.js';
import {
  AGENTS_PAGE_LIMIT,
  closureExists,
  enabledServices,
  findOrganisation,
  findTerritory,
  findTerritoryAgent,
  listBookedDuringClosures,
  listClosures,
  listOrganisations,
  listTerritoryAgents,
  listToggleables,
  toggleableExists,
  type TerritoryRecord,
  type ToggleableKind,
} from './territory-admin.repository.js';
import {
  addAgentToOrganisation,
  addClosure,
  createCategory,
  grantTerritorialRole,
  removeClosure,
  revokeTerritorialRole,
  saveDirectorySettings,
  saveHolidayRegion,
  saveOrganisation,
  setToggleableEnabled,
} from './territory-admin.use-cases.js';
import {
  AgentPage,
  AgentsPage,
  DirectoryPage,
  HolidaysPage,
  HubPage,
  InviteAgentPage,
  OrganisationFormPage,
  OrganisationsPage,
  ServicesPage,
  territoryPath,
  type InUse,
  type PageBase,
  type Values,
} from './views/territory-pages.js';

declare module 'fastify' {
  interface Session {
    /** A message shown once on the next territory administration page. */
    territoryAdminNotice?: string;
  }
}

const FORM_LIMIT = { config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 15 * 60 }) } };

/** What a 422 shows again: bounded (a 10 000-character field is not echoed whole). */
function kept(body: Readonly<Record<string, unknown>>): Values {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string' || typeof value === 'number') values[key] = String(value).slice(0, 500);
  return values;
}

/** The notice after enabling or disabling, and the name shown when the item is gone meanwhile. */
const TOGGLE_TEXTS: Readonly<Record<ToggleableKind, { unnamed: string; notice: (name: string, enabled: boolean) => string }>> = {
  service: { unnamed: 'Ce service', notice: (name, enabled) => (enabled ? `Le service ${name} est activé.` : `Le service ${name} est désactivé.`) },
  category: { unnamed: 'Cette catégorie', notice: (name, enabled) => (enabled ? `La catégorie ${name} est activée.` : `La catégorie ${name} est désactivée.`) },
};

const REVOCATION_MESSAGES = {
  NOT_ADMIN: 'Cet agent n’administre pas ce territoire.',
  LAST_ADMIN: 'Un territoire garde toujours au moins un administrateur : nommez-en un autre avant de retirer ce rôle.',
  NEEDS_CONFIRMATION: 'Cochez la case pour confirmer le retrait de votre propre rôle.',
  ALREADY_ADMIN: 'Cet agent administre déjà ce territoire.',
} as const;

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async; this one only registers routes
export const territoryAdminRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context;
  const { requireAgent } = agentGuards(context);
  const guarded = { preHandler: [requireAgent] };
  const mailServices: AgentAccountMailServices = { db, mail: accountMailQueueOf(context, app.log), sessionSecret: context.config.sessionSecret, baseUrl: context.config.baseUrl };
  app.addHook('onClose', async () => mailServices.mail.drain());
  const BASE = '/agents/territoires/:territoryId';

  /** The territory, for its admins only: anyone else, or an unknown id, gets 404. */
  async function territoryOf(request: FastifyRequest, territoryId: number): Promise<{ principal: AgentPrincipal; territory: TerritoryRecord }> {
    const principal = agentOf(request);
    if (!canManageTerritory(principal, territoryId)) throw new NotFoundError();
    const territory = await findTerritory(db, territoryId);
    if (territory === undefined) throw new NotFoundError();
    return { principal, territory };
  }

  function base(request: FastifyRequest, principal: AgentPrincipal, territory: TerritoryRecord): PageBase {
    const notice = request.session.get('territoryAdminNotice');
    if (notice !== undefined) request.session.set('territoryAdminNotice', undefined);
    return { principal, territory, csrfToken: csrfToken(request), notice };
  }

  function done(request: FastifyRequest, reply: FastifyReply, territoryId: number, suffix: string, notice: string): FastifyReply {
    request.session.set('territoryAdminNotice', notice);
    return reply.redirect(territoryPath(territoryId, suffix), 303);
  }

  const page = (reply: FastifyReply, html: Parameters<typeof sendPage>[1], statusCode = 200): FastifyReply => sendPage(reply, html, { statusCode, private: true });

  // -------------------------------------------------------------------------------------------
  // Hub
  // -------------------------------------------------------------------------------------------

  app.get(BASE, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const [organisations, agents, closures] = await Promise.all([listOrganisations(db, territory.id), listTerritoryAgents(db, territory.id, {}), listClosures(db, territory.id)]);
    const organisationOfAdmin = principal.roles.find((role) => role.territoryId === territory.id && role.accessLevel !== 'intervenant')?.organisationId;
    return page(reply, HubPage({ ...base(request, principal, territory), organisationCount: organisations.length, agentCount: agents.length, closureCount: closures.length, organisationOfAdmin }));
  });

  // -------------------------------------------------------------------------------------------
  // Organisations
  // -------------------------------------------------------------------------------------------

  app.get(`${BASE}/organisations`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    return page(reply, OrganisationsPage({ ...base(request, principal, territory), organisations: await listOrganisations(db, territory.id) }));
  });

  app.get(`${BASE}/organisations/nouvelle`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    return page(reply, OrganisationFormPage({ ...base(request, principal, territory), mode: { kind: 'create' }, defaultTimeZone: timeZoneOfDepartement(territory.departementNumber), values: {} }));
  });

  app.post(`${BASE}/organisations/nouvelle`, { ...guarded, ...FORM_LIMIT, schema: { params: territoryParams, body: organisationBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const defaultTimeZone = timeZoneOfDepartement(territory.departementNumber);
    const render = (errors: Record<string, string>): FastifyReply =>
      page(reply, OrganisationFormPage({ ...base(request, principal, territory), mode: { kind: 'create' }, defaultTimeZone, values: kept(request.body), errors }), 422);
    const form = checkOrganisationForm(request.body, defaultTimeZone);
    if (!form.ok) return render(form.errors);
    const result = await saveOrganisation(db, { principal, territoryId: territory.id, organisationId: null, form: form.value });
    if (!result.ok) {
      if ('errors' in result) return render(result.errors);
      throw new NotFoundError();
    }
    return done(request, reply, territory.id, '/organisations', `L’organisation « ${form.value.name} » a été créée. Invitez maintenant ses agents.`);
  });

  app.get(`${BASE}/organisations/:organisationId/modifier`, { ...guarded, schema: { params: organisationParams } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const organisation = await findOrganisation(db, territory.id, request.params.organisationId);
    if (organisation === undefined) throw new NotFoundError();
    const values: Values = {
      nom: organisation.name,
      slug: organisation.slug,
      telephone: organisation.phoneNumber ?? '',
      email: organisation.email ?? '',
      siteWeb: organisation.website ?? '',
      identifiantExterne: organisation.externalId ?? '',
      fuseauHoraire: organisation.timeZone,
    };
    return page(reply, OrganisationFormPage({ ...base(request, principal, territory), mode: { kind: 'edit', organisationId: organisation.id, name: organisation.name }, defaultTimeZone: timeZoneOfDepartement(territory.departementNumber), values }));
  });

  app.post(`${BASE}/organisations/:organisationId/modifier`, { ...guarded, ...FORM_LIMIT, schema: { params: organisationParams, body: organisationBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const organisation = await findOrganisation(db, territory.id, request.params.organisationId);
    if (organisation === undefined) throw new NotFoundError();
    const defaultTimeZone = timeZoneOfDepartement(territory.departementNumber);
    const render = (errors: Record<string, string>): FastifyReply =>
      page(reply, OrganisationFormPage({ ...base(request, principal, territory), mode: { kind: 'edit', organisationId: organisation.id, name: organisation.name }, defaultTimeZone, values: kept(request.body), errors }), 422);
    const form = checkOrganisationForm(request.body, defaultTimeZone);
    if (!form.ok) return render(form.errors);
    const result = await saveOrganisation(db, { principal, territoryId: territory.id, organisationId: organisation.id, form: form.value });
    if (!result.ok) {
      if ('errors' in result) return render(result.errors);
      throw new NotFoundError();
    }
    return done(request, reply, territory.id, '/organisations', `L’organisation « ${form.value.name} » a été enregistrée.`);
  });

  // -------------------------------------------------------------------------------------------
  // Agents and roles
  // -------------------------------------------------------------------------------------------

  async function organisationChoices(territoryId: number): Promise<{ id: number; name: string }[]> {
    return (await listOrganisations(db, territoryId)).map((organisation) => ({ id: organisation.id, name: organisation.name }));
  }

  app.get(`${BASE}/agents`, { ...guarded, schema: { params: territoryParams, querystring: agentsQuery } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const organisations = await organisationChoices(territory.id);
    const organisationId = request.query.organisation;
    // An organisation of another territory in the filter is a 404 like any foreign id.
    if (organisationId !== undefined && !organisations.some((organisation) => organisation.id === organisationId)) throw new NotFoundError();
    const search = (request.query.recherche ?? '').trim();
    const agents = await listTerritoryAgents(db, territory.id, { organisationId, search });
    return page(reply, AgentsPage({ ...base(request, principal, territory), agents, organisations, filters: { organisation: organisationId, search }, limit: AGENTS_PAGE_LIMIT }));
  });

  app.get(`${BASE}/agents/inviter`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    return page(reply, InviteAgentPage({ ...base(request, principal, territory), organisations: await organisationChoices(territory.id), services: await enabledServices(db, territory.id) }));
  });

  app.post(`${BASE}/agents/inviter`, { ...guarded, ...FORM_LIMIT, schema: { params: territoryParams, body: inviteBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const [organisations, services] = await Promise.all([organisationChoices(territory.id), enabledServices(db, territory.id)]);
    const render = (errors: Record<string, string>): FastifyReply => page(reply, InviteAgentPage({ ...base(request, principal, territory), organisations, services, values: kept(request.body), errors }), 422);
    const organisation = organisations.find((candidate) => candidate.id === request.body.organisation);
    const form = checkInvitationForm(
      request.body,
      services.map((service) => service.id),
    );
    const errors: Record<string, string> = organisation === undefined ? { organisation: 'Choisissez l’organisation de l’agent dans la liste.' } : {};
    if (!form.ok || organisation === undefined) return render({ ...errors, ...(form.ok ? {} : form.errors) });
    const result = await inviteAgent(mailServices, { principal, organisationId: organisation.id, organisation: { organisationName: organisation.name, territoryId: territory.id }, form: form.value, now: context.now() });
    if (!result.ok) {
      return render({
        email:
          result.reason === 'ALREADY_MEMBER'
            ? 'Cet agent fait déjà partie de cette organisation et a déjà choisi son mot de passe.'
            : 'Cette adresse est déjà utilisée par un compte agent d’un autre territoire. Contactez le support de Créneau.',
      });
    }
    return done(
      request,
      reply,
      territory.id,
      '/agents',
      result.outcome === 'INVITED'
        ? `L’invitation a été envoyée à ${form.value.email}. L’agent a 7 jours pour choisir son mot de passe.`
        : `${form.value.firstName} ${form.value.lastName} avait déjà un compte : il a maintenant accès à ${organisation.name} et en a été informé par e-mail.`,
    );
  });

  async function agentPage(request: FastifyRequest, reply: FastifyReply, territoryId: number, agentId: number, failure?: { values?: Values; errors: Record<string, string> }): Promise<FastifyReply> {
    const { principal, territory } = await territoryOf(request, territoryId);
    const agent = await findTerritoryAgent(db, territory.id, agentId);
    if (agent === undefined) throw new NotFoundError();
    return page(reply, AgentPage({ ...base(request, principal, territory), agent, organisations: await organisationChoices(territory.id), values: failure?.values ?? {}, errors: failure?.errors ?? {} }), failure === undefined ? 200 : 422);
  }

  app.get(`${BASE}/agents/:agentId`, { ...guarded, schema: { params: agentParams } }, async (request, reply) => agentPage(request, reply, request.params.territoryId, request.params.agentId));

  app.post(`${BASE}/agents/:agentId/organisations`, { ...guarded, ...FORM_LIMIT, schema: { params: agentParams, body: addRoleBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const { agentId } = request.params;
    const agent = await findTerritoryAgent(db, territory.id, agentId);
    if (agent === undefined) throw new NotFoundError();
    const values = kept(request.body);
    const errors: Record<string, string> = {};
    const organisationId = request.body.organisation;
    if (organisationId === undefined) errors.organisation = 'Choisissez une organisation dans la liste.';
    else if ((await findOrganisation(db, territory.id, organisationId)) === undefined) throw new NotFoundError();
    const level = request.body.niveau;
    if (!isAccessLevel(level)) errors.niveau = 'Choisissez le niveau d’accès de l’agent.';
    if (organisationId === undefined || !isAccessLevel(level)) return agentPage(request, reply, territory.id, agentId, { values, errors });
    const result = await addAgentToOrganisation(db, { principal, territoryId: territory.id, agentId, organisationId, accessLevel: level });
    if (!result.ok) {
      if (result.reason === 'NOT_FOUND') throw new NotFoundError();
      return agentPage(request, reply, territory.id, agentId, { values, errors: { organisation: 'L’agent fait déjà partie de cette organisation.' } });
    }
    return done(request, reply, territory.id, `/agents/${String(agentId)}`, 'L’agent a été ajouté à l’organisation.');
  });

  app.post(`${BASE}/agents/:agentId/admin-territorial`, { ...guarded, ...FORM_LIMIT, schema: { params: agentParams, body: emptyBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const { agentId } = request.params;
    const result = await grantTerritorialRole(db, { principal, territoryId: territory.id, agentId });
    if (!result.ok) {
      if (result.reason === 'NOT_FOUND') throw new NotFoundError();
      return agentPage(request, reply, territory.id, agentId, { errors: { adminTerritoire: REVOCATION_MESSAGES.ALREADY_ADMIN } });
    }
    return done(request, reply, territory.id, `/agents/${String(agentId)}`, 'L’agent administre maintenant le territoire.');
  });

  app.post(`${BASE}/agents/:agentId/admin-territorial/retrait`, { ...guarded, ...FORM_LIMIT, schema: { params: agentParams, body: revokeBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const { agentId } = request.params;
    const result = await revokeTerritorialRole(db, { principal, territoryId: territory.id, agentId, confirmed: request.body.confirmer === 'oui' });
    if (!result.ok) {
      if (result.reason === 'NOT_FOUND') throw new NotFoundError();
      const field = result.reason === 'NEEDS_CONFIRMATION' ? 'confirmer' : 'adminTerritoire';
      return agentPage(request, reply, territory.id, agentId, { errors: { [field]: REVOCATION_MESSAGES[result.reason] } });
    }
    if (agentId === principal.agentId) {
      // The admin no longer administers the territory: its pages are now 404 for them.
      return reply.redirect('/agents', 303);
    }
    return done(request, reply, territory.id, `/agents/${String(agentId)}`, 'L’agent n’administre plus le territoire.');
  });

  // -------------------------------------------------------------------------------------------
  // Services and motif categories
  // -------------------------------------------------------------------------------------------

  async function servicesPage(request: FastifyRequest, reply: FastifyReply, principal: AgentPrincipal, territory: TerritoryRecord, failure?: { inUse?: InUse; values?: Values; errors?: Record<string, string> }): Promise<FastifyReply> {
    const [services, categories] = await Promise.all([listToggleables(db, territory.id, 'service'), listToggleables(db, territory.id, 'category')]);
    return page(
      reply,
      ServicesPage({ ...base(request, principal, territory), services, categories, inUse: failure?.inUse, categoryValues: failure?.values ?? {}, categoryErrors: failure?.errors ?? {} }),
      failure === undefined ? 200 : 422,
    );
  }

  app.get(`${BASE}/services`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    return servicesPage(request, reply, principal, territory);
  });

  /** Enables or disables a service or a category; an unknown id is 404, a disabling refused (active motifs) is the page again with them listed. */
  async function toggle(request: FastifyRequest, reply: FastifyReply, territoryId: number, kind: ToggleableKind, id: number, enabled: boolean): Promise<FastifyReply> {
    const { principal, territory } = await territoryOf(request, territoryId);
    if (!(await toggleableExists(db, kind, id))) throw new NotFoundError();
    const result = await setToggleableEnabled(db, { principal, territoryId: territory.id, kind, id, enabled });
    const name = (await listToggleables(db, territory.id, kind)).find((item) => item.id === id)?.name ?? TOGGLE_TEXTS[kind].unnamed;
    if (!result.ok) return servicesPage(request, reply, principal, territory, { inUse: { kind, name, motifs: result.motifs } });
    return done(request, reply, territory.id, '/services', TOGGLE_TEXTS[kind].notice(name, enabled));
  }

  for (const [action, enabled] of [
    ['activer', true],
    ['desactiver', false],
  ] as const) {
    app.post(`${BASE}/services/:serviceId/${action}`, { ...guarded, ...FORM_LIMIT, schema: { params: serviceParams, body: emptyBody } }, async (request, reply) =>
      toggle(request, reply, request.params.territoryId, 'service', request.params.serviceId, enabled),
    );
    app.post(`${BASE}/categories/:categoryId/${action}`, { ...guarded, ...FORM_LIMIT, schema: { params: categoryParams, body: emptyBody } }, async (request, reply) =>
      toggle(request, reply, request.params.territoryId, 'category', request.params.categoryId, enabled),
    );
  }

  app.post(`${BASE}/categories`, { ...guarded, ...FORM_LIMIT, schema: { params: territoryParams, body: categoryBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const form = checkCategoryForm(request.body);
    if (!form.ok) return servicesPage(request, reply, principal, territory, { values: kept(request.body), errors: form.errors });
    const result = await createCategory(db, { principal, territoryId: territory.id, form: form.value });
    if (!result.ok) return servicesPage(request, reply, principal, territory, { values: kept(request.body), errors: result.errors });
    return done(request, reply, territory.id, '/services', `La catégorie ${form.value.name} a été créée et activée.`);
  });

  // -------------------------------------------------------------------------------------------
  // Fields and directory settings
  // -------------------------------------------------------------------------------------------

  function directoryPage(request: FastifyRequest, reply: FastifyReply, principal: AgentPrincipal, territory: TerritoryRecord, values: Parameters<typeof DirectoryPage>[0]['values'], errors?: Record<string, string>): FastifyReply {
    return page(reply, DirectoryPage({ ...base(request, principal, territory), labels: USER_FIELD_LABELS, fields: USER_FIELDS, values, ...(errors === undefined ? {} : { errors }) }), errors === undefined ? 200 : 422);
  }

  app.get(`${BASE}/champs`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    return directoryPage(request, reply, principal, territory, { champs: territory.userFields, portee: territory.usersSearchScope, motifObligatoire: territory.readReasonRequired });
  });

  app.post(`${BASE}/champs`, { ...guarded, ...FORM_LIMIT, schema: { params: territoryParams, body: directoryBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const { champs, portee } = request.body;
    const motifObligatoire = request.body.motifObligatoire !== undefined;
    if (portee === undefined) return directoryPage(request, reply, principal, territory, { champs, portee: '', motifObligatoire }, { portee: 'Choisissez la portée de l’annuaire des usagers.' });
    // In the order of USER_FIELDS, whatever the order of the checkboxes sent.
    const userFields = USER_FIELDS.filter((field) => champs.includes(field));
    await saveDirectorySettings(db, { principal, territoryId: territory.id, userFields, usersSearchScope: portee, readReasonRequired: motifObligatoire });
    return done(request, reply, territory.id, '/champs', 'Les réglages de l’annuaire des usagers ont été enregistrés.');
  });

  // -------------------------------------------------------------------------------------------
  // Holidays and local closures
  // -------------------------------------------------------------------------------------------

  async function holidaysPage(
    request: FastifyRequest,
    reply: FastifyReply,
    principal: AgentPrincipal,
    territory: TerritoryRecord,
    failure?: { regionValue?: string; regionError?: string; values?: Values; errors?: Record<string, string> },
  ): Promise<FastifyReply> {
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: timeZoneOfDepartement(territory.departementNumber), year: 'numeric' }).format(context.now()));
    const years = [year, year + 1].map((each) => ({ year: each, holidays: listPublicHolidays({ departementNumber: territory.departementNumber, holidayRegion: territory.holidayRegion }, each) }));
    return page(
      reply,
      HolidaysPage({
        ...base(request, principal, territory),
        years,
        closures: await listClosures(db, territory.id),
        booked: await listBookedDuringClosures(db, territory.id, context.now()),
        regionValue: failure?.regionValue ?? territory.holidayRegion ?? '',
        regionError: failure?.regionError,
        closureValues: failure?.values ?? {},
        closureErrors: failure?.errors ?? {},
      }),
      failure === undefined ? 200 : 422,
    );
  }

  app.get(`${BASE}/jours-feries`, { ...guarded, schema: { params: territoryParams } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    return holidaysPage(request, reply, principal, territory);
  });

  app.post(`${BASE}/jours-feries`, { ...guarded, ...FORM_LIMIT, schema: { params: territoryParams, body: holidayRegionBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const region = checkHolidayRegion(request.body.region);
    if (!region.ok) return holidaysPage(request, reply, principal, territory, { regionValue: '', regionError: region.errors.region ?? 'Choisissez une région dans la liste.' });
    await saveHolidayRegion(db, { principal, territoryId: territory.id, holidayRegion: region.value });
    return done(request, reply, territory.id, '/jours-feries', 'La région des jours fériés a été enregistrée : la liste ci-dessous en tient compte.');
  });

  app.post(`${BASE}/fermetures`, { ...guarded, ...FORM_LIMIT, schema: { params: territoryParams, body: closureBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    const form = checkClosureForm(request.body);
    if (!form.ok) return holidaysPage(request, reply, principal, territory, { values: kept(request.body), errors: form.errors });
    const closureId = await addClosure(db, { principal, territoryId: territory.id, form: form.value });
    const booked = (await listBookedDuringClosures(db, territory.id, context.now(), closureId)).reduce((total, entry) => total + entry.appointments, 0);
    const warning =
      booked === 0
        ? ''
        : ` Attention : ${String(booked)} rendez-vous déjà pris ${booked === 1 ? 'tombe' : 'tombent'} pendant cette fermeture et ${booked === 1 ? 'n’est pas annulé' : 'ne sont pas annulés'} : prévenez les usagers ou déplacez les rendez-vous (détail dans le tableau).`;
    return done(request, reply, territory.id, '/jours-feries', `La fermeture « ${form.value.label} » a été ajoutée : aucun créneau n’est proposé ces jours-là.${warning}`);
  });

  app.post(`${BASE}/fermetures/:closureId/supprimer`, { ...guarded, ...FORM_LIMIT, schema: { params: closureParams, body: emptyBody } }, async (request, reply) => {
    const { principal, territory } = await territoryOf(request, request.params.territoryId);
    if (!(await closureExists(db, territory.id, request.params.closureId))) throw new NotFoundError();
    if (!(await removeClosure(db, { principal, territoryId: territory.id, closureId: request.params.closureId }))) throw new NotFoundError();
    return done(request, reply, territory.id, '/jours-feries', 'La fermeture a été supprimée.');
  });
};
