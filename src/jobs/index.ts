/** Every recurring job, in one list: the web process (WORKER=inline) and the worker both run it. */
import { exportJobs } from '../modules/exports/index.js';
import { notificationJobs } from '../modules/notifications/index.js';
import { readJournalJobs } from '../modules/read-journal/index.js';
import { sectorisationAdminJobs } from '../modules/sectorisation-admin/index.js';
import type { ScheduledJob } from '../platform/jobs/scheduled-job.js';
import { purges } from './purges.js';

export const scheduledJobs: readonly ScheduledJob[] = [...purges, ...notificationJobs, ...readJournalJobs, ...exportJobs, ...sectorisationAdminJobs];
