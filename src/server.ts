/**
 * Web process entry: configuration, context (database, migrations, mailer), demo data on a first
 * embedded start, HTTP server, the jobs too when WORKER=inline (always on the embedded database,
 * which one process only can open), graceful shutdown. Every fatal start-up problem ends with one
 * line naming its cause.
 */
import { buildApp } from './app.js';
import { scheduledJobs } from './jobs/index.js';
import { startExportWorker, type ExportWorker } from './modules/exports/index.js';
import { startNotificationPump, type NotificationPump } from './modules/notifications/index.js';
import { createProcessContext, type ProcessContext } from './platform/context-factory.js';
import { fail, failOnKnownStartupError, loadConfigOrFail, stopOnSignals } from './platform/entry.js';
import { startJobRunner, type JobRunner } from './platform/jobs/job-runner.js';
import { createLogger } from './platform/logger/logger.js';
import { installProcessGuards } from './platform/process-guards.js';
import { seedDemoIfWanted } from './seed/index.js';

async function main(): Promise<void> {
  const config = loadConfigOrFail();
  const logger = createLogger(config.logLevel);
  installProcessGuards({ logger });

  let processContext: ProcessContext;
  try {
    processContext = await createProcessContext(config, logger);
  } catch (error) {
    failOnKnownStartupError(error);
    throw error;
  }
  const { context, database } = processContext;

  await seedDemoIfWanted(database, config.seedDemo, logger);

  const app = await buildApp(context);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await processContext.close();
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      fail(`le port ${String(config.port)} est déjà utilisé (changez PORT ou arrêtez l’autre programme)`);
    }
    if (error instanceof Error && 'code' in error && error.code === 'EACCES') {
      fail(`le port ${String(config.port)} est réservé (EACCES) ; choisissez un PORT supérieur à 1024`);
    }
    throw error;
  }

  let jobs: JobRunner | undefined;
  let pump: NotificationPump | undefined;
  let exportWorker: ExportWorker | undefined;
  if (config.worker === 'inline') {
    try {
      jobs = await startJobRunner({ context, logger, jobs: scheduledJobs, connectionString: config.databaseUrl });
    } catch (error) {
      await app.close();
      await processContext.close();
      fail(`les tâches planifiées (pg-boss) n’ont pas démarré : ${error instanceof Error ? error.message : String(error)}`);
    }
    pump = startNotificationPump(context, logger, config.notifications);
    exportWorker = startExportWorker(context, logger);
  }
  logger.info({ url: config.baseUrl, backend: database.backend, worker: config.worker }, 'Créneau est prêt');

  // In-flight requests finish first, then running jobs, then the mailer and the database.
  stopOnSignals(logger, async () => {
    await app.close();
    await pump?.stop();
    await exportWorker?.stop();
    await jobs?.stop();
    await processContext.close();
  });
}

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
