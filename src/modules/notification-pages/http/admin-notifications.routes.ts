// Notifications admin pages (issue 9): the log of an organisation's notifications, « Renvoyer »,
// and the territory's SMS and e-mail settings with a test SMS. Routes: schema → guards
// (requireAgent, requireOrganisation) → policy (logScopeOf / settingsTerritoryOf: otherwise 404)
// → one use case → render, or redirect after a write. Paths, under /agents/organisations/:organisationId:
//   GET  notifications[?statut=&canal=&evenement=&du=&au=&avant=]
//   POST notifications/:notificationId/renvoyer
//   GET/POST territoire/notifications             POST territoire/notifications/test-sms
// The plugin is imported by app.ts from this file, not through notifications/index.ts: agents
// imports notifications/index (account e-mails) and these pages import agents (guards, policies,
// layout), so exporting them there would close a module cycle.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../platform/context.js';
import { NotFoundError } from '../../../platform/http/errors.js';
import type { FastifyPluginCallbackZod, ZodApp } from '../../../platform/http/schemas.js';
import { csrfToken } from '../../../platform/security/index.js';
import { sendPage } from '../../../platform/views/send-page.js';
import { agentGuards, agentOf, organisationParams } from '../../agents/index.js';
import { listNotificationsLog, logScopeOf, parseLogFilters, resendNotification } from '../admin-notifications-log.js';
import { loadTerritorySettings, saveTerritorySettings, sendTestSms, settingsTerritoryOf, type SettingsDeps, type TerritorySettingsView, type TestSmsResult } from '../admin-territory-settings.js';
import { NotificationsLogView, notificationsPath, type AdminNotice } from '../views/admin-notifications-log.js';
import { TerritorySettingsPage, type SettingsValues } from '../views/admin-territory-notifications.js';
import { emptyBody, logQuery, notificationParams, settingsBody, testSmsBody } from './admin-notifications.schemas.js';
import { keyringOf } from '../../notifications/index.js';

declare module 'fastify' {
  interface Session {
    /** Message shown once on the next notifications admin page. */
    notificationsAdminNotice?: AdminNotice;
  }
}

const RESEND_REFUSALS = {
  NOT_RESENDABLE: 'Cette notification ne peut pas être renvoyée : seules celles en échec ou à vérifier le peuvent, hors messages de compte.',
  TOO_LATE: 'Le rendez-vous a commencé : ce message ne peut plus être envoyé.',
} as const;

function takeNotice(request: FastifyRequest): AdminNotice | undefined {
  const notice = request.session.get('notificationsAdminNotice');
  if (notice !== undefined) request.session.set('notificationsAdminNotice', undefined);
  return notice;
}

function redirectWithNotice(request: FastifyRequest, reply: FastifyReply, to: string, notice: AdminNotice): FastifyReply {
  request.session.set('notificationsAdminNotice', notice);
  return reply.redirect(to, 303);
}

function storedValues(settings: TerritorySettingsView): SettingsValues {
  return {
    fournisseur: settings.provider ?? '',
    expediteur: settings.sender,
    secours: settings.fallbackProvider ?? '',
    seuilCredits: settings.lowCreditThreshold === null ? '' : String(settings.lowCreditThreshold),
    mailExpediteur: settings.mailFrom,
    mailReponse: settings.mailReplyTo,
  };
}

function registerAdminNotificationsRoutes(app: ZodApp, context: AppContext): void {
  const { requireAgent, requireOrganisation } = agentGuards(context);
  const guards = { preHandler: [requireAgent, requireOrganisation] };
  const production = context.config.nodeEnv === 'production';
  const settingsDeps: SettingsDeps = {
    db: context.db,
    keyring: keyringOf(context),
    baseUrl: context.config.baseUrl,
    secretsEncryptionKey: context.config.secretsEncryptionKey,
    production,
  };

  app.get('/agents/organisations/:organisationId/notifications', { ...guards, schema: { params: organisationParams, querystring: logQuery } }, async (request, reply) => {
    const { organisationId } = request.params;
    const principal = agentOf(request);
    const scope = logScopeOf(principal, organisationId);
    if (scope === undefined) throw new NotFoundError();
    const check = parseLogFilters(request.query, scope.timeZone);
    const page = check.ok ? await listNotificationsLog(context.db, scope, check.filters) : undefined;
    const view = NotificationsLogView({
      principal,
      organisationId,
      csrfToken: csrfToken(request),
      timeZone: scope.timeZone,
      includesTerritory: scope.includesTerritory,
      values: request.query,
      errors: check.ok ? {} : check.errors,
      page,
      notice: takeNotice(request),
      canEditTerritory: settingsTerritoryOf(principal, organisationId) !== undefined,
    });
    return sendPage(reply, view, { statusCode: check.ok ? 200 : 422, private: true });
  });

  app.post('/agents/organisations/:organisationId/notifications/:notificationId/renvoyer', { ...guards, schema: { params: notificationParams, body: emptyBody } }, async (request, reply) => {
    const { organisationId, notificationId } = request.params;
    const principal = agentOf(request);
    const scope = logScopeOf(principal, organisationId);
    if (scope === undefined) throw new NotFoundError();
    const result = await resendNotification(context.db, { scope, agentId: principal.agentId, notificationId, now: context.now() });
    if (!result.ok && result.reason === 'NOT_FOUND') throw new NotFoundError();
    const notice: AdminNotice = result.ok
      ? { kind: 'success', text: `La notification n° ${String(notificationId)} sera renvoyée dans quelques instants.` }
      : { kind: 'error', text: result.reason === 'TOO_LATE' ? RESEND_REFUSALS.TOO_LATE : RESEND_REFUSALS.NOT_RESENDABLE };
    return redirectWithNotice(request, reply, notificationsPath(organisationId), notice);
  });

  async function renderSettings(
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      organisationId: number;
      territoryId: number;
      statusCode: number;
      values?: SettingsValues;
      errors?: Record<string, string>;
      testValues?: SettingsValues;
      testErrors?: Record<string, string>;
      testResult?: TestSmsResult;
    },
  ): Promise<FastifyReply> {
    const settings = await loadTerritorySettings(settingsDeps, input.territoryId);
    if (settings === undefined) throw new NotFoundError();
    const page = TerritorySettingsPage({
      principal: agentOf(request),
      organisationId: input.organisationId,
      csrfToken: csrfToken(request),
      settings,
      values: input.values ?? storedValues(settings),
      errors: input.errors ?? {},
      testValues: input.testValues ?? {},
      testErrors: input.testErrors ?? {},
      testResult: input.testResult,
      notice: takeNotice(request),
      production,
    });
    return sendPage(reply, page, { statusCode: input.statusCode, private: true });
  }

  app.get('/agents/organisations/:organisationId/territoire/notifications', { ...guards, schema: { params: organisationParams } }, async (request, reply) => {
    const { organisationId } = request.params;
    const territoryId = settingsTerritoryOf(agentOf(request), organisationId);
    if (territoryId === undefined) throw new NotFoundError();
    return renderSettings(request, reply, { organisationId, territoryId, statusCode: 200 });
  });

  app.post('/agents/organisations/:organisationId/territoire/notifications', { ...guards, schema: { params: organisationParams, body: settingsBody } }, async (request, reply) => {
    const { organisationId } = request.params;
    const principal = agentOf(request);
    const territoryId = settingsTerritoryOf(principal, organisationId);
    if (territoryId === undefined) throw new NotFoundError();
    const form = request.body as Readonly<Record<string, string | undefined>>;
    const result = await saveTerritorySettings(settingsDeps, { territoryId, agentId: principal.agentId, form, now: context.now() });
    if (!result.ok) return renderSettings(request, reply, { organisationId, territoryId, statusCode: 422, values: form, errors: { ...result.errors } });
    return redirectWithNotice(request, reply, `/agents/organisations/${String(organisationId)}/territoire/notifications`, { kind: 'success', text: 'Les paramètres SMS et e-mail du territoire sont enregistrés.' });
  });

  app.post('/agents/organisations/:organisationId/territoire/notifications/test-sms', { ...guards, schema: { params: organisationParams, body: testSmsBody } }, async (request, reply) => {
    const { organisationId } = request.params;
    const principal = agentOf(request);
    const territoryId = settingsTerritoryOf(principal, organisationId);
    if (territoryId === undefined) throw new NotFoundError();
    const number = request.body.numero ?? '';
    const result = await sendTestSms(
      { ...settingsDeps, sessionSecret: context.config.sessionSecret, logger: request.log },
      { territoryId, agentId: principal.agentId, number, now: context.now() },
    );
    if (!result.ok && result.kind === 'invalid') {
      return renderSettings(request, reply, { organisationId, territoryId, statusCode: 422, testValues: { numero: number }, testErrors: { ...result.errors } });
    }
    // The number is not shown back once used: a shared screen keeps no trace of it.
    return renderSettings(request, reply, { organisationId, territoryId, statusCode: !result.ok && result.kind === 'rate_limited' ? 429 : 200, testResult: result });
  });
}

/** `/agents/organisations/:organisationId/notifications…` and `…/territoire/notifications…`. */
export const adminNotificationsPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerAdminNotificationsRoutes(app, options.context);
  done();
};
