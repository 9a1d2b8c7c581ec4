/**
 * The notifications' recurring work, scheduled by pg-boss (src/jobs/index.ts lists it): the
 * reminder sweep, waitlist offers and the purge. Delivery itself runs in the pump (pump.ts).
 */
import type { ScheduledJob } from '../../platform/jobs/scheduled-job.js';
import { sweepReminders } from './planning.js';
import { offerEarlierSlots } from './waitlist.js';

/** Notifications and receipts are kept 13 months (a year of history for the admins, then gone). */
export const NOTIFICATION_RETENTION_MS = 396 * 24 * 60 * 60 * 1000;

export const notificationJobs: readonly ScheduledJob[] = [
  {
    name: 'notifications-reminder-sweep',
    cron: '*/15 * * * *',
    run: (context, now) => sweepReminders(context.db, { now }),
  },
  {
    name: 'notifications-waitlist-offers',
    cron: '*/10 * * * *',
    run: (context, now) => offerEarlierSlots(context.db, { now }),
  },
  {
    name: 'notifications-purge',
    cron: '40 3 * * *',
    run: async (context, now) => {
      const before = new Date(now.getTime() - NOTIFICATION_RETENTION_MS);
      const receipts = await context.db.deleteFrom('notification_receipts').where('created_at', '<', before).executeTakeFirst();
      const notifications = await context.db.deleteFrom('notifications').where('created_at', '<', before).where('status', 'in', ['sent', 'failed', 'cancelled']).executeTakeFirst();
      return Number(receipts.numDeletedRows) + Number(notifications.numDeletedRows);
    },
  },
];
