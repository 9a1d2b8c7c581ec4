import type { DatabaseHandle } from '../platform/db/database.js';
import type { Logger } from '../platform/logger/logger.js';
import { seedDemoTerritory } from './demo-territory.js';

export { DEMO_AGENT_EMAILS, DEMO_PASSWORD, DEMO_USER_EMAIL, seedDemoTerritory } from './demo-territory.js';

/**
 * `auto` seeds the demo territory on the first start of an embedded database that holds no
 * territory yet (so `npm start` shows something); a PostgreSQL database is never seeded unless
 * asked (`SEED_DEMO=always` or `npm run db:seed`).
 */
export async function seedDemoIfWanted(
  database: DatabaseHandle,
  mode: 'auto' | 'always' | 'never',
  logger: Logger,
  now: Date = new Date(),
): Promise<void> {
  if (mode === 'never') return;
  if (mode === 'auto') {
    if (database.backend !== 'pglite') return;
    const anyTerritory = await database.db.selectFrom('territories').select('id').limit(1).executeTakeFirst();
    if (anyTerritory !== undefined) return;
  }
  const seeded = await seedDemoTerritory(database.db, now);
  if (seeded) logger.info('territoire de démonstration créé (Seine-et-Marne et La Réunion)');
}
