// The merge of two usagers (issue 10 §1, ADR 0021). Routes, under
// /agents/organisations/:organisationId/usagers/:userId (the usager kept):
//   GET  fusionner[?recherche=]     find the duplicate among the visible usagers
//   GET  fusionner?avec=<id>        compare field by field, choose, confirm (first the reason
//                                   form where the territory has `read_reason_required`)
//   POST fusionner/motif            the reason for reading both records (avec, motif)
//   POST fusionner                  merge (avec, cle, empreinte, one choice per differing field)
//   GET  fusionner/resultat         what was merged (after the POST's redirect)
// Each passes requireAgent + requireOrganisation, then the users scope (usersScopeOf: any agent
// of the organisation, on the usagers the territory lets them see); a usager outside it is a 404.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { NotFoundError } from '../../platform/http/errors.js';
import type { ZodApp } from '../../platform/http/schemas.js';
import { csrfToken } from '../../platform/security/index.js';
import { sendPage } from '../../platform/views/send-page.js';
import { agentGuards, agentOf } from '../agents/index.js';
import { MAX_READ_REASON_LENGTH, ReasonPage, checkReadReason, rememberReadReason, rememberedReadReason, usersScopeOf, type UsersScope } from '../users/index.js';
import { FIELD_LABELS, REFUSAL_MESSAGES } from './domain/merge-labels.js';
import { MERGE_FIELDS, type MergeChoices, type MergeField, type Source } from './domain/merge-plan.js';
import { FIELD_INPUT_NAMES, mergeBody, mergeQuery, mergeReasonBody, userParams } from './user-merge.schemas.js';
import { arePairInScope, loadComparison, loadKeptUser, mergeUsers, searchMergeCandidates } from './user-merge.use-cases.js';
import { ChooseOtherUserPage, ComparisonPage, MergeResultPage, mergePath, type MergeNotice } from './views/user-merge-pages.js';

declare module 'fastify' {
  interface Session {
    /** The merge just done, shown once by the result page (ids and counts only). */
    userMergeNotice?: MergeNotice;
  }
}

const SOURCES: Readonly<Record<string, Source>> = { conserve: 'kept', fusionne: 'merged' };

/** The agent's choices as the plan reads them, and as the page shows them back. */
function choicesOf(body: Readonly<Record<string, unknown>>): { choices: MergeChoices; chosen: Record<string, Source> } {
  const choices: Partial<Record<MergeField, Source>> = {};
  const chosen: Record<string, Source> = {};
  for (const field of MERGE_FIELDS) {
    const name = FIELD_INPUT_NAMES[field];
    const value = body[name];
    const source = typeof value === 'string' ? SOURCES[value] : undefined;
    if (source !== undefined) {
      choices[field] = source;
      chosen[name] = source;
    }
  }
  return { choices, chosen };
}

export function registerUserMergeRoutes(app: ZodApp, context: AppContext): void {
  const { db } = context;
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const guarded = { preHandler: [requireAgent, requireOrganisation] };
  const PATH = '/agents/organisations/:organisationId/usagers/:userId/fusionner';

  async function scopeOf(request: FastifyRequest, organisationId: number): Promise<UsersScope> {
    const scope = await usersScopeOf(db, agentOf(request), organisationId);
    if (scope === undefined) throw new NotFoundError();
    return scope;
  }

  /**
   * The reason for reading both records, where the territory asks for one: the reasons remembered
   * for both usagers (one, when they are the same), else undefined. Null when none is asked.
   */
  function pairReason(request: FastifyRequest, scope: UsersScope, keptId: number, mergedId: number): string | null | undefined {
    if (!scope.reasonRequired) return null;
    const now = context.now();
    const kept = rememberedReadReason(request, now, scope.organisationId, keptId);
    const merged = rememberedReadReason(request, now, scope.organisationId, mergedId);
    if (kept === undefined || merged === undefined) return undefined;
    return kept === merged ? kept : `${kept} / ${merged}`;
  }

  function renderReasonForm(request: FastifyRequest, reply: FastifyReply, input: { scope: UsersScope; keptId: number; mergedId: number; typed: string; error?: string; statusCode: number }): FastifyReply {
    const page = ReasonPage({
      principal: agentOf(request),
      organisationId: input.scope.organisationId,
      csrfToken: csrfToken(request),
      userId: input.keptId,
      reason: input.typed.slice(0, MAX_READ_REASON_LENGTH),
      error: input.error,
      action: `${mergePath(input.scope.organisationId, input.keptId)}/motif`,
      hidden: { avec: String(input.mergedId) },
      heading: 'Pourquoi comparez-vous ces deux dossiers ?',
      records: 'ces deux dossiers',
      submitLabel: 'Comparer les dossiers',
    });
    return sendPage(reply, page, { statusCode: input.statusCode, private: true });
  }

  async function renderComparison(
    request: FastifyRequest,
    reply: FastifyReply,
    input: { scope: UsersScope; keptId: number; mergedId: number; statusCode: number; chosen?: Record<string, Source>; errors?: Record<string, string>; alert?: string },
  ): Promise<FastifyReply> {
    const principal = agentOf(request);
    const reason = pairReason(request, input.scope, input.keptId, input.mergedId);
    if (reason === undefined) {
      // Nothing about either usager is shown (nor journaled) before the reason; foreign ids are a 404 all the same.
      if (!(await arePairInScope(db, input.scope, input.keptId, input.mergedId))) throw new NotFoundError();
      return renderReasonForm(request, reply, { scope: input.scope, keptId: input.keptId, mergedId: input.mergedId, typed: '', statusCode: input.statusCode });
    }
    const comparison = await loadComparison(db, input.scope, principal.agentId, input.keptId, input.mergedId, reason);
    if (comparison === undefined) throw new NotFoundError();
    const page = ComparisonPage({
      principal,
      organisationId: input.scope.organisationId,
      csrfToken: csrfToken(request),
      comparison,
      confirmationKey: randomUUID(),
      chosen: input.chosen ?? {},
      errors: input.errors ?? {},
      alert: input.alert,
    });
    return sendPage(reply, page, { statusCode: input.statusCode, private: true });
  }

  async function renderChooser(request: FastifyRequest, reply: FastifyReply, input: { scope: UsersScope; keptId: number; search: string; statusCode: number; alert?: string }): Promise<FastifyReply> {
    const principal = agentOf(request);
    const kept = await loadKeptUser(db, input.scope, input.keptId);
    if (kept === undefined) throw new NotFoundError();
    const text = input.search.trim();
    const results = text === '' ? null : await searchMergeCandidates(db, { scope: input.scope, principal, keptId: input.keptId, text });
    const page = ChooseOtherUserPage({ principal, organisationId: input.scope.organisationId, csrfToken: csrfToken(request), kept, search: input.search, results, alert: input.alert });
    return sendPage(reply, page, { statusCode: input.statusCode, private: true });
  }

  app.get(PATH, { ...guarded, schema: { params: userParams, querystring: mergeQuery } }, async (request, reply) => {
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(request, organisationId);
    const otherId = request.query.avec;
    if (otherId === undefined) return renderChooser(request, reply, { scope, keptId: userId, search: request.query.recherche ?? '', statusCode: 200 });
    return renderComparison(request, reply, { scope, keptId: userId, mergedId: otherId, statusCode: 200 });
  });

  app.post(`${PATH}/motif`, { ...guarded, schema: { params: userParams, body: mergeReasonBody } }, async (request, reply) => {
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(request, organisationId);
    const otherId = request.body.avec;
    if (!(await arePairInScope(db, scope, userId, otherId))) throw new NotFoundError();
    const typed = request.body.motif ?? '';
    const checked = checkReadReason(typed);
    if (!checked.ok) return renderReasonForm(request, reply, { scope, keptId: userId, mergedId: otherId, typed, error: checked.error, statusCode: 422 });
    // One reason for both records: remembered for each, as a reason given on their pages would be.
    rememberReadReason(request, context.now(), organisationId, [userId, otherId], checked.reason);
    return reply.redirect(mergePath(organisationId, userId, otherId), 303);
  });

  app.post(PATH, { ...guarded, schema: { params: userParams, body: mergeBody } }, async (request, reply) => {
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(request, organisationId);
    const body = request.body;
    // The reason lapsed since the comparison (30 minutes): ask it again before anything is shown or merged.
    if (pairReason(request, scope, userId, body.avec) === undefined) {
      if (!(await arePairInScope(db, scope, userId, body.avec))) throw new NotFoundError();
      return renderReasonForm(request, reply, { scope, keptId: userId, mergedId: body.avec, typed: '', statusCode: 409 });
    }
    const { choices, chosen } = choicesOf(body);
    const result = await mergeUsers(db, {
      scope,
      agentId: agentOf(request).agentId,
      keptId: userId,
      mergedId: body.avec,
      choices,
      fingerprint: body.empreinte,
      confirmationKey: body.cle,
      now: context.now(),
    });
    if (result.ok) {
      request.session.set('userMergeNotice', { keptId: userId, mergedId: body.avec, replayed: result.replayed, moved: result.moved });
      return reply.redirect(`${mergePath(organisationId, userId)}/resultat`, 303);
    }
    switch (result.reason) {
      case 'NOT_FOUND':
        throw new NotFoundError();
      case 'ALREADY_MERGED':
        return renderChooser(request, reply, { scope, keptId: userId, search: '', statusCode: 409, alert: REFUSAL_MESSAGES.ALREADY_MERGED });
      case 'STALE':
        return renderComparison(request, reply, { scope, keptId: userId, mergedId: body.avec, statusCode: 409, chosen, alert: REFUSAL_MESSAGES.STALE });
      case 'MISSING_CHOICES': {
        const errors = Object.fromEntries(
          result.fields.map((field) => {
            const mergeField = field as MergeField;
            return [FIELD_INPUT_NAMES[mergeField], `Choisissez la valeur à conserver pour « ${FIELD_LABELS[mergeField]} ».`];
          }),
        );
        return renderComparison(request, reply, { scope, keptId: userId, mergedId: body.avec, statusCode: 422, chosen, errors });
      }
      case 'SAME_USER':
      case 'RELATIVE_OF_EACH_OTHER':
      case 'BOTH_ACCOUNTS':
      case 'ACCOUNT_ON_MERGED':
      case 'KEEP_THE_RELATIVE':
      case 'RESPONSIBLES_DIFFER':
      case 'RELATIVE_CANNOT_TAKE_RELATIVES':
        // Only a forged form gets here (the page offers no button): the page shows why.
        return renderComparison(request, reply, { scope, keptId: userId, mergedId: body.avec, statusCode: 422, chosen });
    }
  });

  app.get(`${PATH}/resultat`, { ...guarded, schema: { params: userParams } }, async (request, reply) => {
    const { organisationId, userId } = request.params;
    const scope = await scopeOf(request, organisationId);
    const kept = await loadKeptUser(db, scope, userId);
    if (kept === undefined) throw new NotFoundError();
    const notice = request.session.get('userMergeNotice');
    if (notice?.keptId !== userId) return reply.redirect(`/agents/organisations/${String(organisationId)}/usagers/${String(userId)}`, 303);
    request.session.set('userMergeNotice', undefined);
    const page = MergeResultPage({
      principal: agentOf(request),
      organisationId,
      csrfToken: csrfToken(request),
      notice,
      keptName: `${String(kept.values.firstName)} ${String(kept.values.lastName)}`,
    });
    return sendPage(reply, page, { private: true });
  });
}
