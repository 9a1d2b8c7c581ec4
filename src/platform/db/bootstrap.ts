import type { Config } from '../../config.js';
import type { Logger } from '../logger/logger.js';
import { openDatabase, type DatabaseHandle } from './database.js';
import { migrate } from './migrator.js';

/** Opens the configured database and applies pending migrations. */
export async function openMigratedDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  try {
    const applied = await migrate(handle.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
