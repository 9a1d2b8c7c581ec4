/**
 * Process entry: configuration, database, migrations, demo data on a first embedded start, HTTP
 * server, graceful shutdown. Every fatal start-up problem ends with one line naming its cause.
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError, type DatabaseHandle } from './platform/db/database.js';
import { openMigratedDatabase } from './platform/db/bootstrap.js';
import { MigrationError } from './platform/db/migrator.js';
import { createMailer } from './platform/mailer/index.js';
import { createLogger } from './platform/logger/logger.js';
import { seedDemoIfWanted } from './seed/index.js';

function fail(message: string): never {
  process.stderr.write(`Créneau n’a pas pu démarrer : ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let database: DatabaseHandle;
  try {
    database = await openMigratedDatabase(config, logger);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || error instanceof MigrationError) fail(error.message);
    throw error;
  }

  await seedDemoIfWanted(database, config.seedDemo, logger);

  const now = (): Date => new Date();
  const mailer = createMailer({ nodeEnv: config.nodeEnv, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom }, { db: database.db, now });
  const app = await buildApp({ config, db: database.db, backend: database.backend, now, mailer });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await database.close();
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      fail(`le port ${String(config.port)} est déjà utilisé (changez PORT ou arrêtez l’autre programme)`);
    }
    if (error instanceof Error && 'code' in error && error.code === 'EACCES') {
      fail(`le port ${String(config.port)} est réservé (EACCES) ; choisissez un PORT supérieur à 1024`);
    }
    throw error;
  }
  logger.info({ url: config.baseUrl, backend: database.backend }, 'Créneau est prêt');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'arrêt en cours');
    const forceExit = setTimeout(() => {
      logger.error('arrêt forcé après 10 s');
      process.exit(1);
    }, 10_000);
    forceExit.unref();
    app
      .close()
      .then(() => mailer.close())
      .then(() => database.close())
      .then(() => {
        logger.info('arrêt terminé');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'arrêt en erreur');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.once('SIGINT', () => {
    stop('SIGINT');
  });
}

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
