/** `npm run db:seed`: migrates, then inserts the demo territory if it is not there yet. */
import { openMigratedDatabase } from '../platform/db/bootstrap.js';
import { seedDemoIfWanted } from '../seed/index.js';
import { runCli } from './run-cli.js';

runCli(async (config, logger) => {
  const database = await openMigratedDatabase(config, logger);
  try {
    await seedDemoIfWanted(database, 'always', logger);
  } finally {
    await database.close();
  }
});
