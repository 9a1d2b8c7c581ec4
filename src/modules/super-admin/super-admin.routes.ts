// Routes of the super admin back office (ADR 0032). Schema (400) → guard (404 for anyone who is
// not a TOTP-verified super admin acting as themselves) → form rules (422, input kept) → one use
// case → redirect (Post/Redirect/Get). Also the second step of a super admin's sign-in and the
// way back from « se connecter en tant que » (an agent page: the back office is closed meanwhile).
import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken, rateLimit } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import {
  actsAsSuperAdmin,
  agentGuards,
  agentOf,
  cleanAgentEmail,
  completeSecondFactor,
  endImpersonation,
  endImpersonationSession,
  pendingSecondFactorOf,
  startImpersonationSession,
  type AgentPrincipal,
} from '../agents/index.js';
import { cleanPersonName } from '../../shared/text/free-text.js';
import { GeocoderUnavailableError, type Geocoder, type GeocodingResult } from '../geocoding/index.js';
import { checkImpersonationReason, checkTerritoryForm, type TerritoryForm } from './domain/territory-form.js';
import {
  addAdminBody,
  agentParams,
  agentSearchQuery,
  impersonationBody,
  removeAdminBody,
  secondFactorBody,
  superAdminHomeQuery,
  territoryAdminParams,
  territoryAdminsQuery,
  territoryBody,
  territoryParams,
} from './super-admin.schemas.js';
import { findImpersonationTarget, findTerritory, isDepartementTaken, listImpersonations, listTerritorialAdmins, listTerritories, searchAgents } from './super-admin.repository.js';
import {
  addTerritorialAdmin,
  createTerritory,
  jobsOverview,
  prepareEnrolment,
  removeTerritorialAdmin,
  startImpersonation,
  verifySecondFactor,
  type FirstPlaceLocation,
  type SuperAdminServices,
} from './super-admin.use-cases.js';
import { SecondFactorPage } from './views/second-factor-pages.js';
import { AgentSearchPage, ImpersonationFormPage, JobsPage, NewTerritoryPage, TerritoriesPage, TerritoryAdminsPage, type TerritoryFormValues } from './views/super-admin-pages.js';

const FORM_LIMIT = { config: { rateLimit: rateLimit({ max: 100, timeWindowSeconds: 15 * 60 }) } };

const SECOND_FACTOR_MESSAGES = {
  WRONG_CODE: 'Code incorrect. Saisissez le code à 6 chiffres affiché maintenant par votre application.',
  REPLAYED: 'Ce code a déjà été utilisé. Attendez le code suivant (30 secondes au plus) et saisissez-le.',
  NOT_ENROLLED: 'La double authentification n’est pas activée pour ce compte. Reconnectez-vous.',
} as const;

function throttledMessage(retryAfterMs: number): string {
  const wait = retryAfterMs < 60_000 ? 'quelques secondes' : `${String(Math.ceil(retryAfterMs / 60_000))} minutes`;
  return `Trop de tentatives de connexion pour ce compte. Réessayez dans ${wait}.`;
}

/** The QR code of an otpauth URI, as inline SVG (fill and stroke attributes only: the CSP allows them). */
async function qrSvg(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 200 });
  return svg.replace('<svg ', '<svg role="img" aria-label="QR code de la clé de double authentification" focusable="false" ');
}

export function registerSuperAdminRoutes(app: ZodApp, context: AppContext, services: SuperAdminServices, geocoder: Geocoder): void {
  const { requireAgent } = agentGuards(context);

  /**
   * The back office's guard: 404 for anyone who is not a TOTP-verified super admin acting as
   * themselves — visitors, agents, half-signed-in super admins, and super admins « en tant que »
   * an agent (an expired impersonation is ended by requireAgent, which sends them back here).
   */
  async function requireSuperAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (request.session.get('agentId') === undefined) throw new NotFoundError();
    await requireAgent(request, reply);
    if (reply.sent) return;
    if (!actsAsSuperAdmin(agentOf(request))) throw new NotFoundError();
  }
  const page = { preHandler: requireSuperAdmin };
  const form = { preHandler: requireSuperAdmin, ...FORM_LIMIT };
  const render = (request: FastifyRequest): { principal: AgentPrincipal; csrfToken: string } => ({ principal: agentOf(request), csrfToken: csrfToken(request) });

  // ── Second factor (sign-in, step 2) ─────────────────────────────────────────────────────────

  app.get('/agents/connexion/code', async (request, reply) => {
    const pending = pendingSecondFactorOf(request, context);
    if (pending === undefined) return reply.redirect('/agents/connexion', 303);
    const state = await prepareEnrolment(services, { agentId: pending.agentId, now: context.now() });
    const enrolment = state.enrolled ? undefined : { secret: state.secret, uri: state.uri, qrSvg: await qrSvg(state.uri) };
    return sendPage(reply, SecondFactorPage({ csrfToken: csrfToken(request), enrolment }), { private: true });
  });

  app.post('/agents/connexion/code', { ...FORM_LIMIT, schema: { body: secondFactorBody } }, async (request, reply) => {
    const pending = pendingSecondFactorOf(request, context);
    if (pending === undefined) return reply.redirect('/agents/connexion', 303);
    const now = context.now();
    const result = await verifySecondFactor(services, { agentId: pending.agentId, code: request.body.code, now });
    if (result.ok) {
      await completeSecondFactor(request, context, pending);
      return reply.redirect('/super-admin', 303);
    }
    const state = await prepareEnrolment(services, { agentId: pending.agentId, now });
    const enrolment = state.enrolled ? undefined : { secret: state.secret, uri: state.uri, qrSvg: await qrSvg(state.uri) };
    if (result.reason === 'THROTTLED') {
      reply.header('retry-after', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
      return sendPage(reply, SecondFactorPage({ csrfToken: csrfToken(request), enrolment, errors: { code: throttledMessage(result.retryAfterMs) } }), { statusCode: 429, private: true });
    }
    return sendPage(reply, SecondFactorPage({ csrfToken: csrfToken(request), enrolment, errors: { code: SECOND_FACTOR_MESSAGES[result.reason] } }), { statusCode: 422, private: true });
  });

  // ── Territories ─────────────────────────────────────────────────────────────────────────────

  /**
   * The first place's address through the geocoding port: the best answer inside the département
   * (its BAN label when it is a street or a house number, else the address as typed; its
   * coordinates when the adapter gives them). Undefined: nothing found in the département (the
   * form says so). When the geocoder cannot be reached, the address is kept as typed without
   * coordinates and the admin is told to confirm it under « Lieux ».
   */
  async function locateFirstPlace(form: TerritoryForm, request: FastifyRequest): Promise<(FirstPlaceLocation & { geocoderDown: boolean }) | undefined> {
    let results: GeocodingResult[];
    try {
      results = await geocoder.search(form.placeAddress, { limit: 5 });
    } catch (error) {
      if (!(error instanceof GeocoderUnavailableError)) throw error;
      request.log.warn({ reason: error.reason }, 'geocoder unavailable');
      return { address: form.placeAddress, latitude: null, longitude: null, geocoderDown: true };
    }
    const found = results.find((result) => result.departementNumber === form.departement.code);
    if (found === undefined) return undefined;
    const precise = found.type === 'housenumber' || found.type === 'street';
    return { address: precise ? found.label : form.placeAddress, latitude: found.latitude, longitude: found.longitude, geocoderDown: false };
  }

  app.get('/super-admin', { ...page, schema: { querystring: superAdminHomeQuery } }, async (request, reply) => {
    const notice =
      request.query.fin === 'expiree'
        ? 'Votre connexion en tant qu’agent a expiré : vous êtes revenu à votre compte.'
        : request.query.fin === 'retour'
          ? 'Vous êtes revenu à votre compte.'
          : request.query.territoire === 'cree'
            ? 'Le territoire a été créé et l’invitation envoyée à son administrateur.'
            : request.query.territoire === 'cree-sans-coordonnees'
              ? 'Le territoire a été créé et l’invitation envoyée. La vérification des adresses était indisponible : l’adresse du premier lieu est enregistrée telle que saisie, à confirmer dans « Lieux ».'
              : undefined;
    return sendPage(reply, TerritoriesPage({ ...render(request), territories: await listTerritories(context.db), notice }), { private: true });
  });

  app.get('/super-admin/territoires/nouveau', page, async (request, reply) => sendPage(reply, NewTerritoryPage(render(request)), { private: true }));

  app.post('/super-admin/territoires/nouveau', { ...form, schema: { body: territoryBody } }, async (request, reply) => {
    const values: TerritoryFormValues = request.body;
    const invalid = (errors: Record<string, string>): FastifyReply => sendPage(reply, NewTerritoryPage({ ...render(request), values, errors }), { statusCode: 422, private: true });
    const checked = checkTerritoryForm(request.body, cleanAgentEmail);
    if (!checked.ok) return invalid(checked.errors);
    const takenMessage = `Le département ${checked.value.departement.code} a déjà un territoire : gérez-le depuis la liste des territoires.`;
    if (await isDepartementTaken(context.db, checked.value.departement.code)) return invalid({ departement: takenMessage });
    const location = await locateFirstPlace(checked.value, request);
    if (location === undefined) {
      return invalid({ adresseLieu: `Adresse introuvable dans le département ${checked.value.departement.code}. Vérifiez le numéro, la rue, le code postal et la commune.` });
    }
    const result = await createTerritory(services, { principal: agentOf(request), form: checked.value, location, now: context.now() });
    if (!result.ok) {
      return invalid(
        result.reason === 'DEPARTEMENT_TAKEN'
          ? { departement: takenMessage }
          : { emailAdmin: 'Cette adresse appartient à un compte agent supprimé. Saisissez une autre adresse.' },
      );
    }
    return reply.redirect(location.latitude === null && location.geocoderDown ? '/super-admin?territoire=cree-sans-coordonnees' : '/super-admin?territoire=cree', 303);
  });

  // ── Territorial admins ──────────────────────────────────────────────────────────────────────

  async function territoryOr404(territoryId: number): Promise<{ id: number; departementNumber: string; name: string }> {
    const territory = await findTerritory(context.db, territoryId);
    if (territory === undefined) throw new NotFoundError();
    return territory;
  }

  app.get('/super-admin/territoires/:territoryId/administrateurs', { ...page, schema: { params: territoryParams, querystring: territoryAdminsQuery } }, async (request, reply) => {
    const territory = await territoryOr404(request.params.territoryId);
    const notice =
      request.query.ajout === 'invite'
        ? 'L’invitation a été envoyée : le nouvel administrateur a 7 jours pour choisir son mot de passe.'
        : request.query.ajout === 'ajoute'
          ? 'L’agent est maintenant administrateur de ce territoire et en a été informé par e-mail.'
          : request.query.retrait === 'fait'
            ? 'L’administrateur a été retiré du territoire.'
            : undefined;
    return sendPage(reply, TerritoryAdminsPage({ ...render(request), territory, admins: await listTerritorialAdmins(context.db, territory.id), notice }), { private: true });
  });

  app.post('/super-admin/territoires/:territoryId/administrateurs', { ...form, schema: { params: territoryParams, body: addAdminBody } }, async (request, reply) => {
    const territory = await territoryOr404(request.params.territoryId);
    const values = request.body;
    const invalid = async (errors: Record<string, string>): Promise<FastifyReply> =>
      sendPage(reply, TerritoryAdminsPage({ ...render(request), territory, admins: await listTerritorialAdmins(context.db, territory.id), values, errors }), { statusCode: 422, private: true });
    const email = cleanAgentEmail(values.email);
    if (!email.ok) return invalid({ email: email.message });
    const typedNames = (values.prenom ?? '').trim() !== '' || (values.nom ?? '').trim() !== '';
    let names: { firstName: string; lastName: string } | undefined;
    if (typedNames) {
      const firstName = cleanPersonName(values.prenom ?? '');
      const lastName = cleanPersonName(values.nom ?? '');
      const errors: Record<string, string> = {};
      if (!firstName.ok) errors.prenom = 'Saisissez le prénom (lettres, espaces, apostrophes et tirets).';
      if (!lastName.ok) errors.nom = 'Saisissez le nom (lettres, espaces, apostrophes et tirets).';
      if (!firstName.ok || !lastName.ok) return invalid(errors);
      names = { firstName: firstName.value, lastName: lastName.value };
    }
    const result = await addTerritorialAdmin(services, { principal: agentOf(request), territoryId: territory.id, email: email.value, names, now: context.now() });
    if (result.ok) return reply.redirect(`/super-admin/territoires/${String(territory.id)}/administrateurs?ajout=${result.outcome === 'INVITED' ? 'invite' : 'ajoute'}`, 303);
    switch (result.reason) {
      case 'ALREADY_ADMIN':
        return invalid({ email: 'Cet agent est déjà administrateur de ce territoire.' });
      case 'NEEDS_NAMES':
        return invalid({ prenom: 'Aucun agent n’a cette adresse : saisissez le prénom de la personne à inviter.', nom: 'Saisissez aussi son nom.' });
      case 'ADDRESS_UNUSABLE':
        return invalid({ email: 'Cette adresse appartient à un compte agent supprimé. Saisissez une autre adresse.' });
      case 'NO_ORGANISATION':
        return invalid({ email: 'Ce territoire n’a pas encore d’organisation : un administrateur doit y être rattaché.' });
      case 'UNKNOWN_TERRITORY':
        throw new NotFoundError();
    }
  });

  app.post('/super-admin/territoires/:territoryId/administrateurs/:agentId/retrait', { ...form, schema: { params: territoryAdminParams, body: removeAdminBody } }, async (request, reply) => {
    const territory = await territoryOr404(request.params.territoryId);
    const result = await removeTerritorialAdmin(services, {
      principal: agentOf(request),
      territoryId: territory.id,
      agentId: request.params.agentId,
      confirmedLast: request.body.confirmation === 'oui',
      now: context.now(),
    });
    if (result.ok) return reply.redirect(`/super-admin/territoires/${String(territory.id)}/administrateurs?retrait=fait`, 303);
    if (result.reason === 'NOT_ADMIN') throw new NotFoundError();
    const admins = await listTerritorialAdmins(context.db, territory.id);
    const confirmRemoval = admins.find((admin) => admin.agentId === request.params.agentId);
    return sendPage(reply, TerritoryAdminsPage({ ...render(request), territory, admins, confirmRemoval }), { statusCode: 409, private: true });
  });

  // ── « Se connecter en tant que » ────────────────────────────────────────────────────────────

  app.get('/super-admin/agents', { ...page, schema: { querystring: agentSearchQuery } }, async (request, reply) => {
    // eslint-disable-next-line no-control-regex -- control characters never reach the query
    const query = (request.query.q ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
    const words = query.split(/\s+/).filter((word) => word !== '').slice(0, 5);
    const results = words.length === 0 ? undefined : await searchAgents(context.db, words);
    const journal = await listImpersonations(context.db, agentOf(request).agentId);
    return sendPage(reply, AgentSearchPage({ ...render(request), query, results, journal }), { private: true });
  });

  async function targetOr404(request: FastifyRequest, agentId: number): Promise<NonNullable<Awaited<ReturnType<typeof findImpersonationTarget>>>> {
    const target = await findImpersonationTarget(context.db, agentId);
    // Super admins, oneself and agents without access to the workspace cannot be impersonated: 404 like an unknown id.
    if (target === undefined || target.isSuperAdmin || !target.maySignIn || target.id === agentOf(request).agentId) throw new NotFoundError();
    return target;
  }

  app.get('/super-admin/agents/:agentId/en-tant-que', { ...page, schema: { params: agentParams } }, async (request, reply) => {
    const agent = await targetOr404(request, request.params.agentId);
    return sendPage(reply, ImpersonationFormPage({ ...render(request), agent, minutes: context.config.impersonationMinutes }), { private: true });
  });

  app.post('/super-admin/agents/:agentId/en-tant-que', { ...form, schema: { params: agentParams, body: impersonationBody } }, async (request, reply) => {
    const agent = await targetOr404(request, request.params.agentId);
    const reason = checkImpersonationReason(request.body.motif);
    if (!reason.ok) {
      return sendPage(reply, ImpersonationFormPage({ ...render(request), agent, minutes: context.config.impersonationMinutes, reason: request.body.motif, errors: { motif: reason.message } }), {
        statusCode: 422,
        private: true,
      });
    }
    const result = await startImpersonation(context.db, { principal: agentOf(request), agentId: agent.id, reason: reason.value, now: context.now(), minutes: context.config.impersonationMinutes });
    if (!result.ok) throw new NotFoundError();
    startImpersonationSession(request, result.impersonationId);
    return reply.redirect('/agents', 303);
  });

  /** « Revenir à mon compte »: an agent page (the banner's button); only during an impersonation. */
  app.post('/agents/en-tant-que/fin', { preHandler: requireAgent, ...FORM_LIMIT }, async (request, reply) => {
    const impersonation = agentOf(request).impersonation;
    if (impersonation === undefined) throw new NotFoundError();
    await endImpersonation(context.db, { impersonationId: impersonation.impersonationId, endReason: 'returned', now: context.now() });
    endImpersonationSession(request);
    return reply.redirect('/super-admin?fin=retour', 303);
  });

  // ── Background jobs ─────────────────────────────────────────────────────────────────────────

  app.get('/super-admin/taches', page, async (request, reply) => sendPage(reply, JobsPage({ ...render(request), overview: await jobsOverview(context.db) }), { private: true }));
}
