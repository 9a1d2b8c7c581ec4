/**
 * What both process entries (src/server.ts, src/worker.ts) share: one line naming the cause of a
 * start-up failure, the validated configuration, and a graceful stop on SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DatabaseUnavailableError } from './db/database.js';
import { MigrationError } from './db/migrator.js';
import type { Logger } from './logger/logger.js';
import { MailerConfigurationError } from './mailer/index.js';

/** Ends the process with one French line on stderr. */
export function fail(message: string): never {
  process.stderr.write(`Créneau n’a pas pu démarrer : ${message}\n`);
  process.exit(1);
}

/** Start-up errors whose message already says what to fix; anything else is a bug (stack kept). */
export function failOnKnownStartupError(error: unknown): void {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof MigrationError ||
    error instanceof MailerConfigurationError
  ) {
    fail(error.message);
  }
}

export function loadConfigOrFail(): Config {
  try {
    return loadConfig();
  } catch (error) {
    failOnKnownStartupError(error);
    throw error;
  }
}

const FORCED_EXIT_MS = 10_000;

/**
 * On the first SIGTERM or SIGINT, runs `stop` (stop accepting work, finish what runs, close the
 * database) and exits 0; exits 1 if it fails or takes longer than 10 s.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'arrêt en cours');
    const forceExit = setTimeout(() => {
      logger.error(`arrêt forcé après ${FORCED_EXIT_MS / 1000} s`);
      process.exit(1);
    }, FORCED_EXIT_MS);
    forceExit.unref();
    stop().then(
      () => {
        logger.info('arrêt terminé');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'arrêt en erreur');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
