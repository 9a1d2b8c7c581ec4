// Public API of the notifications module: the pump (worker), its recurring jobs, account e-mails
// through the pipeline, and the reads the agent pages show (receipts, log).
export { accountMailQueueOf, createAccountMailQueue } from './account-mail-queue.js';
export { accountMailAssociatedData } from './delivery.js';
export { notificationJobs } from './notifications.jobs.js';
export { runNotificationRound, startNotificationPump, type NotificationPump, type PumpOptions, type RoundReport } from './pump.js';
export { deliveryDependencies, keyringOf } from './notifications.context.js';
export { deliverDue, smsCredentialsAssociatedData, type DeliveryDependencies, type DeliveryLog } from './delivery.js';
export { planFromOutbox, sweepReminders } from './planning.js';
export { offerEarlierSlots } from './waitlist.js';
export { recoverExpiredLeases } from './recovery.js';
export { findReportTarget, hashReportToken, recordDeliveryReports, reportTokenOf, reportUrlOf, PROVIDERS_WITH_REPORTS } from './reports.js';
export { listAppointmentNotifications, type AppointmentNotificationsView, type AppointmentReceiptView, type UpcomingNotificationView } from './notifications.queries.js';
export { MANUAL_REMINDER_INTERVAL_MINUTES, planManualReminder, type ManualReminderResult } from './manual-reminder.js';
export { AppointmentNotificationsSection, type AppointmentNotificationsSectionProps } from './views/agent-appointment-notifications.js';
export { checkSmsCredentials, createSmsProvider, parseDeliveryReport } from './sms/create-sms-provider.js';
export { SMS_CREDENTIAL_SCHEMAS } from './sms/sms-credentials.js';
export { SMS_PROVIDER_NAMES, SmsProviderError, type SmsErrorKind, type SmsProviderName } from './sms/sms-provider.js';
export type { AgentNotificationLevel } from './domain/recipients.js';
