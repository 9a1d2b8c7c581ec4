import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';
import { DEMO_AGENT_EMAILS } from '../../src/seed/index.js';

/**
 * The territorial admins the territory administration's tests need (ADR 0030), on a seeded demo
 * database: admin.77@… administers Seine-et-Marne (created when the seed has no such agent, with
 * the demo password and a basic role in Meaux, since only agents with a role in an organisation
 * sign in), and secretariat.melun@… is only the admin of Melun (the seed also made them
 * territorial admin). Idempotent.
 */
export async function prepareTerritoryAdmins(db: Kysely<Database>): Promise<{ territory77: number; territory974: number; admin77: number }> {
  const territories = await db.selectFrom('territories').select(['id', 'departement_number']).execute();
  const territory77 = territories.find((territory) => territory.departement_number === '77')?.id;
  const territory974 = territories.find((territory) => territory.departement_number === '974')?.id;
  if (territory77 === undefined || territory974 === undefined) throw new Error('the demo territories are missing');
  const melunAdmin = await db.selectFrom('agents').select(['id', 'password_hash']).where('email', '=', DEMO_AGENT_EMAILS.melunAdmin).executeTakeFirstOrThrow();
  let admin77 = (await db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.territoryAdmin77).executeTakeFirst())?.id;
  if (admin77 === undefined) {
    admin77 = (
      await db
        .insertInto('agents')
        .values({ email: DEMO_AGENT_EMAILS.territoryAdmin77, first_name: 'Hélène', last_name: 'Garnier', password_hash: melunAdmin.password_hash, invitation_accepted_at: new Date('2026-01-05T09:00:00Z') })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await sql`INSERT INTO agent_roles (agent_id, organisation_id, access_level) SELECT ${admin77}, id, 'basic' FROM organisations WHERE slug = 'mds-meaux'`.execute(db);
  }
  await db.insertInto('agent_territorial_roles').values({ agent_id: admin77, territory_id: territory77 }).onConflict((oc) => oc.doNothing()).execute();
  await db.deleteFrom('agent_territorial_roles').where('agent_id', '=', melunAdmin.id).execute();
  return { territory77, territory974, admin77 };
}
