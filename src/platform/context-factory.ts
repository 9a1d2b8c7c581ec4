import type { Config } from '../config.js';
import type { AppContext } from './context.js';
import { openMigratedDatabase } from './db/bootstrap.js';
import type { DatabaseHandle } from './db/database.js';
import type { Logger } from './logger/logger.js';
import { createMailer } from './mailer/index.js';

/** What a process (web or worker) runs on, and how to let go of it. */
export interface ProcessContext {
  context: AppContext;
  database: DatabaseHandle;
  /** Closes the mailer, then the database. */
  close: () => Promise<void>;
}

/**
 * The one place where a process's context is assembled — database with migrations applied,
 * mailer, clock — so that the web process and the worker cannot drift apart.
 */
export async function createProcessContext(config: Config, logger: Logger, now: () => Date = () => new Date()): Promise<ProcessContext> {
  const database = await openMigratedDatabase(config, logger);
  try {
    const mailer = createMailer({ nodeEnv: config.nodeEnv, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom }, { db: database.db, now });
    return {
      context: { config, db: database.db, backend: database.backend, now, mailer },
      database,
      close: async () => {
        await mailer.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
