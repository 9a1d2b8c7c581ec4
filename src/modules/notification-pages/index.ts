// Public API of the notification pages: the agents' and admins' pages about notifications (log,
// territory settings, preferences) and the providers' delivery-report webhook. Apart from the
// notifications module so that it may use the agents module (guards, layout), which itself sends
// account e-mails through notifications.
export { adminNotificationsPlugin } from './http/admin-notifications.routes.js';
export { agentNotificationsPlugin } from './http/agent-notifications.plugin.js';
