import type { AppContext } from '../context.js';

/**
 * A recurring task run by pg-boss on a cron schedule. `run` receives the instant to act on (the
 * context's clock, so tests pass a fixed one) and returns how many rows it changed, for the log.
 * It must be idempotent: a job may run twice (retries, several workers after a crash).
 */
export interface ScheduledJob {
  /** The pg-boss queue name: lowercase letters, digits and hyphens. */
  readonly name: string;
  /** Five-field cron expression, in `JOB_TIME_ZONE`. */
  readonly cron: string;
  readonly run: (context: AppContext, now: Date) => Promise<number>;
}

/** Cron expressions are read in the time zone of the people who operate the service. */
export const JOB_TIME_ZONE = 'Europe/Paris';
