import type { ScheduledJob } from '../../platform/jobs/scheduled-job.js';
import { purgeReadJournal } from './read-journal.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The journal keeps READ_JOURNAL_RETENTION_DAYS (default a year), then forgets, every night. */
export const readJournalJobs: readonly ScheduledJob[] = [
  {
    name: 'purge-read-journal',
    cron: '40 3 * * *',
    run: (context, now) => purgeReadJournal(context.db, new Date(now.getTime() - context.config.readJournalRetentionDays * DAY_MS)),
  },
];
