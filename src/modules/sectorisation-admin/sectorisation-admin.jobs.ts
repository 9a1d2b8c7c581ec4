import type { ScheduledJob } from '../../platform/jobs/scheduled-job.js';
import { purgeExpiredImports } from './sectorisation-admin.repository.js';

/** Zones files kept for a confirmation are forgotten once expired (an hour after their dry run), every night. */
export const sectorisationAdminJobs: readonly ScheduledJob[] = [
  {
    name: 'purge-sectorisation-imports',
    cron: '50 3 * * *',
    run: (context, now) => purgeExpiredImports(context.db, now),
  },
];
