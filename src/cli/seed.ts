/** `npm run db:seed`: migrates, then inserts the demo territory if it is not there yet. */
import { ConfigError } from '../config.js';
import { openMigratedDatabase } from '../platform/db/bootstrap.js';
import { seedDemoIfWanted } from '../seed/index.js';
import { runCli } from './run-cli.js';

runCli(async (config, logger) => {
  // Production fails closed: fictitious people must never appear among real usagers.
  if (config.nodeEnv === 'production') throw new ConfigError('Les données de démonstration sont interdites en production (NODE_ENV=production)');
  const database = await openMigratedDatabase(config, logger);
  try {
    await seedDemoIfWanted(database, 'always', logger);
  } finally {
    await database.close();
  }
});
