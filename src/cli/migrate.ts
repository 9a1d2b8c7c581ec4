/** `npm run db:migrate`: applies pending migrations to the configured database. */
import { openDatabase } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrator.js';
import { runCli } from './run-cli.js';

runCli(async (config, logger) => {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(database.db);
    logger.info({ applied, backend: database.backend }, applied.length === 0 ? 'base à jour' : 'migrations appliquées');
  } finally {
    await database.close();
  }
});
