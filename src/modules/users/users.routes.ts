// Pages of the users directory (ADR 0020), under /agents/organisations/:organisationId/usagers.
// Every route passes `requireAgent` + `requireOrganisation`, then the agent's users scope
// (users-scope.ts): a usager outside it, or a foreign id, is a 404.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { dateToEpochMinutes, dayNumberToIsoDate, epochMinutesToLocal } from '../../shared/time/index.js';
import { agentGuards, agentOf, roleIn, type AgentPrincipal } from '../agents/index.js';
import { checkUserForm, type UserField } from './domain/user-form.js';
import { newUserQuery, reasonBody, removeBody, searchQuery, userFormBody, userParams } from './users.schemas.js';
import { SEARCH_LIMIT, findUserRecord, territoryUserFields, type UserRecord } from './users.repository.js';
import { createDirectoryUser, openUserRecord, removeFromOrganisation, searchAndJournalUsers, updateDirectoryUser, type SaveUserResult } from './users.use-cases.js';
import { usersScopeOf, type UsersScope } from './users-scope.js';
import { NEW_USER_PARAMETER, ReasonPage, SearchPage, UserFormPage, UserPage, frenchDate, userPath, usersBase, type UserFormValues } from './views/users-pages.js';
import { safeReturnTo } from '../auth/index.js';
import { organisationParams } from '../agents/index.js';
import { MAX_READ_REASON_LENGTH, checkReadReason, rememberReadReason, rememberedReadReason } from './read-reasons.js';

declare module 'fastify' {
  interface Session {
    /** A message shown once on the next directory page. */
    usersNotice?: string;
  }
}

type FormBody = typeof userFormBody._zod.output;

function formInput(body: FormBody) {
  return {
    prenom: body.prenom ?? '',
    nom: body.nom ?? '',
    nomNaissance: body.nomNaissance ?? '',
    naissance: body.naissance ?? '',
    email: body.email ?? '',
    telephone: body.telephone ?? '',
    adresse: body.adresse ?? '',
    notifSms: body.notifSms !== undefined,
    notifEmail: body.notifEmail !== undefined,
    caisse: body.caisse ?? '',
    numeroAllocataire: body.numeroAllocataire ?? '',
    situationFamiliale: body.situationFamiliale ?? '',
    nombreEnfants: body.nombreEnfants ?? '',
    logement: body.logement ?? '',
    numeroDossier: body.numeroDossier ?? '',
    notes: body.notes ?? '',
  };
}

/** What the form shows again on a 422 (bounded: a 10 000-character field is not echoed whole). */
function valuesOf(body: FormBody): UserFormValues {
  const input = formInput(body);
  const clip = (value: string): string => value.slice(0, 5000);
  return {
    prenom: clip(input.prenom),
    nom: clip(input.nom),
    nomNaissance: clip(input.nomNaissance),
    naissance: clip(input.naissance),
    email: clip(input.email),
    telephone: clip(input.telephone),
    adresse: clip(input.adresse),
    caisse: clip(input.caisse),
    numeroAllocataire: clip(input.numeroAllocataire),
    situationFamiliale: clip(input.situationFamiliale),
    nombreEnfants: clip(input.nombreEnfants),
    logement: clip(input.logement),
    numeroDossier: clip(input.numeroDossier),
    notes: clip(input.notes),
    notifSms: input.notifSms,
    notifEmail: input.notifEmail,
  };
}

function valuesOfRecord(user: UserRecord): UserFormValues {
  return {
    prenom: user.firstName,
    nom: user.lastName,
    nomNaissance: user.birthName ?? '',
    naissance: frenchDate(user.birthDate),
    email: user.email ?? '',
    telephone: user.phoneNumber ?? '',
    adresse: user.address ?? '',
    caisse: user.social.caisse_affiliation ?? '',
    numeroAllocataire: user.social.affiliation_number ?? '',
    situationFamiliale: user.social.family_situation ?? '',
    nombreEnfants: user.social.number_of_children === null ? '' : String(user.social.number_of_children),
    logement: user.social.housing ?? '',
    numeroDossier: user.social.case_number ?? '',
    notes: user.profile?.notes ?? '',
    notifSms: user.notifyBySms,
    notifEmail: user.notifyByEmail,
  };
}

function refusalErrors(result: Exclude<SaveUserResult, { ok: true } | { reason: 'NOT_FOUND' }>, confirmed: boolean): Record<string, string> {
  if (result.reason === 'BLOCKED') return { email: 'Cette adresse e-mail est déjà celle d’un compte : ouvrez la fiche de l’usager existant, ou changez l’adresse.' };
  return {
    confirmerDoublon: confirmed
      ? 'Un autre usager semblable vient d’être enregistré : vérifiez la liste et confirmez à nouveau.'
      : 'Cet usager existe peut-être déjà : vérifiez la liste, puis cochez la case pour enregistrer quand même.',
  };
}

export function registerUsersRoutes(app: ZodApp, context: AppContext): void {
  const { db } = context;
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const guarded = { preHandler: [requireAgent, requireOrganisation] };
  const BASE = '/agents/organisations/:organisationId/usagers';

  async function scopeOf(principal: AgentPrincipal, organisationId: number): Promise<UsersScope> {
    const scope = await usersScopeOf(db, principal, organisationId);
    if (scope === undefined) throw new NotFoundError();
    return scope;
  }

  function today(principal: AgentPrincipal, organisationId: number): string {
    const zone = roleIn(principal, organisationId)?.timeZone ?? 'Europe/Paris';
    return dayNumberToIsoDate(epochMinutesToLocal(zone, dateToEpochMinutes(context.now())).dayNumber);
  }

  function takeNotice(request: FastifyRequest): string | undefined {
    const notice = request.session.get('usersNotice');
    if (notice !== undefined) request.session.set('usersNotice', undefined);
    return notice;
  }

  /**
   * The page to go back to after a creation: a local path (safeReturnTo: no scheme, no `//`, no
   * control character) inside this organisation's agent pages, without a fragment or a dot
   * segment; else none (the usual redirect to the new usager's page).
   */
  function returnAddressOf(organisationId: number, value: string | undefined): string | undefined {
    const local = safeReturnTo(value);
    if (local === undefined || !local.startsWith(`/agents/organisations/${String(organisationId)}/`)) return undefined;
    // Path segments of letters, digits, `-` and `_` only (no `..`, no encoded dot), a plain query.
    return /^(\/[A-Za-z0-9_-]+)+(\?[A-Za-z0-9_.=&%-]*)?$/.test(local) ? local : undefined;
  }

  function rememberedReason(request: FastifyRequest, organisationId: number, userId: number): string | undefined {
    return rememberedReadReason(request, context.now(), organisationId, userId);
  }

  // -------------------------------------------------------------------------------------------
  // Search
  // -------------------------------------------------------------------------------------------

  app.get(BASE, { ...guarded, schema: { params: organisationParams, querystring: searchQuery } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const scope = await scopeOf(principal, organisationId);
    const search = (request.query.recherche ?? '').trim();
    const { query, results } = await searchAndJournalUsers(db, principal, scope, search);
    return sendPage(
      reply,
      SearchPage({ principal, organisationId, csrfToken: csrfToken(request), search, query, results, limit: SEARCH_LIMIT, territoryWide: scope.territoryWide, notice: takeNotice(request) }),
      { private: true },
    );
  });

  // -------------------------------------------------------------------------------------------
  // Create
  // -------------------------------------------------------------------------------------------

  async function responsibleOf(scope: UsersScope, responsibleId: number | undefined): Promise<{ id: number; name: string } | null> {
    if (responsibleId === undefined) return null;
    const responsible = await findUserRecord(db, scope, responsibleId);
    // A relative's relative is not a thing: the responsible is an account holder of the scope.
    if (responsible === undefined || responsible.responsibleId !== null) throw new NotFoundError();
    return { id: responsible.id, name: `${responsible.firstName} ${responsible.lastName}` };
  }

  app.get(`${BASE}/nouveau`, { ...guarded, schema: { params: organisationParams, querystring: newUserQuery } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const scope = await scopeOf(principal, organisationId);
    const responsible = await responsibleOf(scope, request.query.responsable);
    const fields = await territoryUserFields(db, scope.territoryId);
    const returnTo = returnAddressOf(organisationId, request.query.retour);
    return sendPage(reply, UserFormPage({ principal, organisationId, csrfToken: csrfToken(request), mode: { kind: 'create', responsible, returnTo }, fields, values: {} }), { private: true });
  });

  async function saveRefused(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { principal: AgentPrincipal; organisationId: number; fields: UserField[]; mode: Parameters<typeof UserFormPage>[0]['mode']; body: FormBody },
    result: SaveUserResult,
  ): Promise<FastifyReply> {
    if (result.ok) throw new Error('not a refusal');
    if (result.reason === 'NOT_FOUND') throw new NotFoundError();
    return sendPage(
      reply,
      UserFormPage({
        principal: page.principal,
        organisationId: page.organisationId,
        csrfToken: csrfToken(request),
        mode: page.mode,
        fields: page.fields,
        values: valuesOf(page.body),
        errors: refusalErrors(result, page.body.confirmerDoublon !== undefined),
        duplicates: { blocking: result.reason === 'BLOCKED', list: result.duplicates },
      }),
      { statusCode: 422, private: true },
    );
  }

  app.post(`${BASE}/nouveau`, { ...guarded, schema: { params: organisationParams, body: userFormBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId } = request.params;
    const scope = await scopeOf(principal, organisationId);
    const body = request.body;
    const responsible = await responsibleOf(scope, body.responsable);
    const fields = await territoryUserFields(db, scope.territoryId);
    const returnTo = returnAddressOf(organisationId, body.retour);
    const mode = { kind: 'create', responsible, returnTo } as const;
    const checked = checkUserForm(formInput(body), today(principal, organisationId), fields);
    if (!checked.ok) {
      return sendPage(reply, UserFormPage({ principal, organisationId, csrfToken: csrfToken(request), mode, fields, values: valuesOf(body), errors: checked.errors }), { statusCode: 422, private: true });
    }
    const acknowledged = body.confirmerDoublon === undefined ? [] : (body.doublons ?? []);
    const result = await createDirectoryUser(db, principal, scope, { value: checked.value, responsibleId: responsible?.id ?? null, acknowledgedDuplicates: acknowledged });
    if (!result.ok) return saveRefused(request, reply, { principal, organisationId, fields, mode, body }, result);
    if (returnTo !== undefined) return reply.redirect(`${returnTo}${returnTo.includes('?') ? '&' : '?'}${NEW_USER_PARAMETER}=${String(result.userId)}`, 303);
    request.session.set('usersNotice', 'L’usager a été créé.');
    return reply.redirect(userPath(organisationId, result.userId), 303);
  });

  // -------------------------------------------------------------------------------------------
  // User page and its reason
  // -------------------------------------------------------------------------------------------

  app.get(`${BASE}/:userId`, { ...guarded, schema: { params: userParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(principal, organisationId);
    let reason: string | null = null;
    if (scope.reasonRequired) {
      const remembered = rememberedReason(request, organisationId, userId);
      if (remembered === undefined) {
        // Nothing about the usager is shown (nor journalled) before the reason; an unknown id is a 404 all the same.
        if (!(await findUserRecord(db, scope, userId))) throw new NotFoundError();
        return sendPage(reply, ReasonPage({ principal, organisationId, csrfToken: csrfToken(request), userId, reason: '' }), { private: true });
      }
      reason = remembered;
    }
    const opened = await openUserRecord(db, principal, scope, userId, reason);
    if (opened === undefined) throw new NotFoundError();
    const fields = await territoryUserFields(db, scope.territoryId);
    return sendPage(
      reply,
      UserPage({ principal, organisationId, csrfToken: csrfToken(request), user: opened.user, relations: opened.relations, fields, now: context.now(), notice: takeNotice(request) }),
      { private: true },
    );
  });

  app.post(`${BASE}/:userId/motif`, { ...guarded, schema: { params: userParams, body: reasonBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(principal, organisationId);
    if (!(await findUserRecord(db, scope, userId))) throw new NotFoundError();
    const typed = request.body.motif ?? '';
    const checked = checkReadReason(typed);
    if (!checked.ok) {
      return sendPage(reply, ReasonPage({ principal, organisationId, csrfToken: csrfToken(request), userId, reason: typed.slice(0, MAX_READ_REASON_LENGTH), error: checked.error }), { statusCode: 422, private: true });
    }
    rememberReadReason(request, context.now(), organisationId, [userId], checked.reason);
    return reply.redirect(userPath(organisationId, userId), 303);
  });

  // -------------------------------------------------------------------------------------------
  // Edit
  // -------------------------------------------------------------------------------------------

  app.get(`${BASE}/:userId/modifier`, { ...guarded, schema: { params: userParams } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(principal, organisationId);
    const user = await findUserRecord(db, scope, userId);
    if (user === undefined) throw new NotFoundError();
    const fields = await territoryUserFields(db, scope.territoryId);
    return sendPage(
      reply,
      UserFormPage({ principal, organisationId, csrfToken: csrfToken(request), mode: { kind: 'edit', userId, name: `${user.firstName} ${user.lastName}` }, fields, values: valuesOfRecord(user) }),
      { private: true },
    );
  });

  app.post(`${BASE}/:userId/modifier`, { ...guarded, schema: { params: userParams, body: userFormBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(principal, organisationId);
    const user = await findUserRecord(db, scope, userId);
    if (user === undefined) throw new NotFoundError();
    const body = request.body;
    const fields = await territoryUserFields(db, scope.territoryId);
    const mode = { kind: 'edit', userId, name: `${user.firstName} ${user.lastName}` } as const;
    const checked = checkUserForm(formInput(body), today(principal, organisationId), fields);
    if (!checked.ok) {
      return sendPage(reply, UserFormPage({ principal, organisationId, csrfToken: csrfToken(request), mode, fields, values: valuesOf(body), errors: checked.errors }), { statusCode: 422, private: true });
    }
    const acknowledged = body.confirmerDoublon === undefined ? [] : (body.doublons ?? []);
    const result = await updateDirectoryUser(db, principal, scope, { userId, value: checked.value, acknowledgedDuplicates: acknowledged });
    if (!result.ok) return saveRefused(request, reply, { principal, organisationId, fields, mode, body }, result);
    request.session.set('usersNotice', 'Les modifications ont été enregistrées.');
    return reply.redirect(userPath(organisationId, userId), 303);
  });

  // -------------------------------------------------------------------------------------------
  // Remove from the organisation
  // -------------------------------------------------------------------------------------------

  app.post(`${BASE}/:userId/retirer`, { ...guarded, schema: { params: userParams, body: removeBody } }, async (request, reply) => {
    const principal = agentOf(request);
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(principal, organisationId);
    const result = await removeFromOrganisation(db, principal, scope, userId, context.now());
    if (result.ok) {
      request.session.set('usersNotice', 'L’usager a été retiré de l’organisation.');
      return reply.redirect(usersBase(organisationId), 303);
    }
    if (result.reason === 'NOT_FOUND') throw new NotFoundError();
    // The refusal is shown on the user page (a read: journalled like any view of it).
    const opened = await openUserRecord(db, principal, scope, userId, scope.reasonRequired ? (rememberedReason(request, organisationId, userId) ?? 'Retrait de l’organisation') : null);
    if (opened === undefined) throw new NotFoundError();
    const fields = await territoryUserFields(db, scope.territoryId);
    return sendPage(
      reply,
      UserPage({ principal, organisationId, csrfToken: csrfToken(request), user: opened.user, relations: opened.relations, fields, now: context.now(), removal: { appointments: result.appointments } }),
      { statusCode: 409, private: true },
    );
  });
}
