import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Backend } from './db/database.js';
import type { Database } from './db/schema.js';
import type { Mailer } from './mailer/mailer.js';

/** What every module receives when it is registered: explicit dependencies, no globals. */
export interface AppContext {
  config: Config;
  db: Kysely<Database>;
  backend: Backend;
  /** The current instant; tests pass a fixed clock. */
  now: () => Date;
  /** E-mail: SMTP, or the development outbox. */
  mailer: Mailer;
}
