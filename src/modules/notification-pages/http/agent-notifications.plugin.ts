// The notifications module's agent-side and provider-side HTTP routes, as one encapsulated plugin
// (ADR 0012): the agent's notification preferences and the SMS delivery-report webhook.
//
// app.ts imports this file directly rather than through the module's index.ts: the agents
// module imports notifications/index.ts (account e-mails), and these routes import the agents
// module (guards, layout), so exporting them from index.ts would close a cycle.
import type { AppContext } from '../../../platform/context.js';
import type { FastifyPluginCallbackZod, ZodApp } from '../../../platform/http/schemas.js';
import { registerAgentNotificationPreferencesRoutes } from './agent-notification-preferences.routes.js';
import { registerDeliveryReportRoutes } from './sms-delivery-reports.routes.js';

/** `/agents/compte/notifications` and `/notifications/sms/accuses/:token`. */
export const agentNotificationsPlugin: FastifyPluginCallbackZod<{ readonly context: AppContext }> = (app, options, done) => {
  registerAgentNotificationPreferencesRoutes(app, options.context);
  // Its own context: the webhook's catch-all body parser must not reach the forms.
  void app.register((webhook: ZodApp, _options, registered) => {
    registerDeliveryReportRoutes(webhook, options.context);
    registered();
  });
  done();
};
