import PgBoss from 'pg-boss';
import type { AppContext } from '../context.js';
import type { Logger } from '../logger/logger.js';
import { describeReason } from '../process-guards.js';
import { kyselyExecutor } from './kysely-executor.js';
import { JOB_TIME_ZONE, type ScheduledJob } from './scheduled-job.js';

export interface JobRunnerOptions {
  context: AppContext;
  logger: Logger;
  jobs: readonly ScheduledJob[];
  /**
   * PostgreSQL: pg-boss opens its own small pool on this URL, so that its polling never waits
   * for the app's connections. Undefined: it goes through the app's handle (`kyselyExecutor`),
   * the only way on the embedded database.
   */
  connectionString: string | undefined;
  /** How often each queue is polled; purges are not urgent. */
  pollingIntervalSeconds?: number;
}

export interface JobRunner {
  /** Queues a run of the job now, besides its schedule (operators, tests). */
  runNow(name: string): Promise<void>;
  /** Names and crons of the schedules stored in the database. */
  schedules(): Promise<{ name: string; cron: string }[]>;
  /** Stops polling, waits up to 5 s for running jobs; the database stays open (the caller closes it). */
  stop(): Promise<void>;
}

// pg-boss keeps its tables in its own schema, created and migrated by itself at start.
const PGBOSS_SCHEMA = 'pgboss';
const PGBOSS_POOL_SIZE = 2;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts pg-boss, creates one queue per job, (re)writes the schedules and works the queues.
 * pg-boss makes this safe with several worker processes: a schedule fires once across them
 * (singleton per minute) and a queued job is fetched by one worker (SKIP LOCKED).
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { context, logger, jobs } = options;
  const boss = new PgBoss(
    options.connectionString === undefined
      ? { db: kyselyExecutor(context.db), schema: PGBOSS_SCHEMA }
      : {
          connectionString: options.connectionString,
          schema: PGBOSS_SCHEMA,
          max: PGBOSS_POOL_SIZE,
          application_name: 'creneau-jobs',
        },
  );
  // Without a listener, an 'error' event (database unreachable during a poll) would throw and
  // end the process; pg-boss retries on its next poll.
  boss.on('error', (error: unknown) => {
    logger.error({ reason: describeReason(error) }, 'erreur de pg-boss');
  });
  await boss.start();
  try {
    const names = new Set(jobs.map((job) => job.name));
    for (const { name } of await boss.getSchedules()) {
      // A job removed from the list must not keep being queued with nobody to work it.
      if (!names.has(name)) await boss.unschedule(name);
    }
    for (const job of jobs) {
      // stately: at most one run queued and one active per job, however many workers.
      await boss.createQueue(job.name, { name: job.name, policy: 'stately', expireInSeconds: 600, retryLimit: 2, retryDelay: 60 });
      await boss.schedule(job.name, job.cron, {}, { tz: JOB_TIME_ZONE });
      await boss.work(job.name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 10 }, async () => {
        const startedAt = performance.now();
        try {
          const changed = await job.run(context, context.now());
          logger.info({ job: job.name, changed, ms: Math.round(performance.now() - startedAt) }, 'tâche terminée');
        } catch (error) {
          logger.error({ job: job.name, reason: describeReason(error) }, 'tâche en échec');
          throw error;
        }
      });
    }
  } catch (error) {
    await boss.stop({ graceful: false, wait: true });
    throw error;
  }
  logger.info({ jobs: jobs.map((job) => job.name) }, 'tâches planifiées');

  return {
    async runNow(name) {
      await boss.send(name, {});
    },
    async schedules() {
      return (await boss.getSchedules()).map(({ name, cron }) => ({ name, cron }));
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
    },
  };
}
