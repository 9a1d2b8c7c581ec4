import type { ScheduledJob } from '../../platform/jobs/scheduled-job.js';
import { purgeExpiredExports } from './exports.repository.js';

/** Expired exports and their encrypted chunks are deleted every quarter of an hour. */
export const exportJobs: readonly ScheduledJob[] = [
  {
    name: 'purge-expired-exports',
    cron: '*/15 * * * *',
    run: (context, now) => purgeExpiredExports(context.db, now),
  },
];
