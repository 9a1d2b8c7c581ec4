import { ConfigError, loadConfig, type Config } from '../config.js';
import { DatabaseUnavailableError } from '../platform/db/database.js';
import { MigrationError } from '../platform/db/migrator.js';
import { createLogger, type Logger } from '../platform/logger/logger.js';

/** A failure the command explains itself (usage, a refused input): its message is printed, without a stack. */
export class CliError extends Error {
  override name = 'CliError';
}

/** Runs a command-line task with the validated configuration; fatal errors end in one line. */
export function runCli(task: (config: Config, logger: Logger) => Promise<void>): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  task(config, logger).then(
    () => process.exit(0),
    (error: unknown) => {
      const known = error instanceof CliError || error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof MigrationError;
      process.stderr.write(`${known || !(error instanceof Error) ? String(error instanceof Error ? error.message : error) : (error.stack ?? error.message)}\n`);
      process.exit(1);
    },
  );
}
