/**
 * Worker process entry: the same context as the web process (src/platform/context-factory.ts),
 * then the pg-boss schedules and queues (src/jobs/), until SIGTERM/SIGINT. Run as many as needed
 * next to the web processes on PostgreSQL (`WORKER=off` on the web side); pg-boss makes sure each
 * scheduled run happens once. The embedded database can be opened by one process only: there,
 * the web process runs the jobs itself (WORKER=inline) and this entry refuses to start.
 */
import { scheduledJobs } from './jobs/index.js';
import { startExportWorker, type ExportWorker } from './modules/exports/index.js';
import { startNotificationPump, type NotificationPump } from './modules/notifications/index.js';
import { createProcessContext, type ProcessContext } from './platform/context-factory.js';
import { fail, failOnKnownStartupError, loadConfigOrFail, stopOnSignals } from './platform/entry.js';
import { startJobRunner } from './platform/jobs/job-runner.js';
import { createLogger } from './platform/logger/logger.js';
import { installProcessGuards } from './platform/process-guards.js';

async function main(): Promise<void> {
  const config = loadConfigOrFail();
  if (config.databaseUrl === undefined) {
    fail(
      'le worker séparé demande DATABASE_URL (PostgreSQL) ; avec la base embarquée, le processus web exécute lui-même les tâches (WORKER=inline)',
    );
  }
  const logger = createLogger(config.logLevel);
  installProcessGuards({ logger });

  let processContext: ProcessContext;
  try {
    processContext = await createProcessContext(config, logger);
  } catch (error) {
    failOnKnownStartupError(error);
    throw error;
  }

  let jobs;
  try {
    jobs = await startJobRunner({ context: processContext.context, logger, jobs: scheduledJobs, connectionString: config.databaseUrl });
  } catch (error) {
    await processContext.close();
    fail(`les tâches planifiées (pg-boss) n’ont pas démarré : ${error instanceof Error ? error.message : String(error)}`);
  }
  const pump: NotificationPump = startNotificationPump(processContext.context, logger, config.notifications);
  const exportWorker: ExportWorker = startExportWorker(processContext.context, logger);
  logger.info({ backend: processContext.database.backend, jobs: scheduledJobs.length }, 'worker Créneau prêt');

  // The pump finishes its round (outcomes written), the export worker its batch, then the jobs, then the database.
  stopOnSignals(logger, async () => {
    await pump.stop();
    await exportWorker.stop();
    await jobs.stop();
    await processContext.close();
  });
}

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
