import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { parseUserSearch } from './domain/search-query.js';
import type { UsersScope } from './users-scope.js';
import { searchUsers } from './users.repository.js';

/**
 * The search tables of migration 0014 (ADR 0027) are kept by triggers: whatever path changes a
 * usager or who knows them, the directory finds exactly the usagers of the scope, by their
 * current names.
 */
describe('users directory search tables (triggers)', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let territoryId: number;
  let first: number;
  let second: number;

  const scopeOf = (organisationIds: number[]): UsersScope => ({ organisationId: organisationIds[0] ?? 0, territoryId, organisationIds, territoryWide: organisationIds.length > 1, reasonRequired: false });
  const found = async (text: string, organisationIds: number[]): Promise<number[]> => (await searchUsers(database.db, scopeOf(organisationIds), parseUserSearch(text))).map((user) => user.id);

  async function termsOf(userId: number): Promise<string[]> {
    const rows = await database.db.selectFrom('user_search_terms').select(['organisation_id', 'term']).where('user_id', '=', userId).orderBy('organisation_id').orderBy('term').execute();
    return rows.map((row) => `${row.organisation_id === first ? "A" : "B"}:${row.term}`);
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    const territory = await database.db.insertInto('territories').values({ departement_number: '14', name: 'Calvados' }).returning('id').executeTakeFirstOrThrow();
    territoryId = territory.id;
    const insertOrganisation = async (slug: string): Promise<number> =>
      (await database.db.insertInto('organisations').values({ territory_id: territoryId, name: slug, slug }).returning('id').executeTakeFirstOrThrow()).id;
    first = await insertOrganisation('mds-caen');
    second = await insertOrganisation('mds-bayeux');
  });

  afterAll(async () => {
    await database.destroy();
  });

  it('writes the folded terms when an organisation gets to know a usager, and follows renames', async () => {
    const user = await database.db
      .insertInto('users')
      .values({ first_name: 'Éloïse', last_name: 'N’Diaye', birth_name: 'Lefèvre', created_through: 'seed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Known to nobody yet: no terms, found by nobody.
    expect(await termsOf(user.id)).toEqual([]);
    await database.db.insertInto('user_profiles').values({ user_id: user.id, organisation_id: first }).execute();
    expect(await termsOf(user.id)).toEqual(['A:eloise', 'A:eloise n diaye', 'A:lefevre', 'A:n diaye', 'A:n diaye eloise']);
    expect(await found('n’diaye', [first])).toEqual([user.id]);
    expect(await found('lefevre', [second])).toEqual([]);

    await database.db.updateTable('users').set({ last_name: 'Ndiaye-Sarr', birth_name: null }).where('id', '=', user.id).execute();
    expect(await termsOf(user.id)).toEqual(['A:eloise', 'A:eloise ndiaye sarr', 'A:ndiaye sarr', 'A:ndiaye sarr eloise']);
    expect(await found('lefevre', [first])).toEqual([]);
    expect(await found('ndiaye sa', [first])).toEqual([user.id]);
    // A typo finds the new name too (the trigram table follows).
    expect(await found('eloise ndiayr', [first])).toEqual([user.id]);
  });

  it('follows profiles moved (merge), removed, and usagers erased or deleted', async () => {
    const user = await database.db.insertInto('users').values({ first_name: 'Yannick', last_name: 'Quémeneur', created_through: 'seed' }).returning('id').executeTakeFirstOrThrow();
    const other = await database.db.insertInto('users').values({ first_name: 'Yanick', last_name: 'Quemeneur', created_through: 'seed' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('user_profiles').values({ user_id: user.id, organisation_id: first }).execute();
    await database.db.insertInto('user_profiles').values({ user_id: other.id, organisation_id: second }).execute();
    expect((await found('quemeneur', [first, second])).sort((a, b) => a - b)).toEqual([user.id, other.id]);

    // A merge moves the duplicate's profile to the kept usager and erases the duplicate.
    await database.db.updateTable('user_profiles').set({ user_id: user.id }).where('user_id', '=', other.id).execute();
    await database.db.updateTable('users').set({ deleted_at: new Date() }).where('id', '=', other.id).execute();
    expect(await found('quemeneur', [second])).toEqual([user.id]);
    expect(await termsOf(other.id)).toEqual([]);

    // The organisation forgets them.
    await database.db.deleteFrom('user_profiles').where('user_id', '=', user.id).where('organisation_id', '=', second).execute();
    expect(await found('quemeneur', [second])).toEqual([]);
    expect(await found('quemeneur', [first])).toEqual([user.id]);

    // Erased, then restored (an erasure undone by an admin): gone, then back.
    await database.db.updateTable('users').set({ deleted_at: new Date() }).where('id', '=', user.id).execute();
    expect(await found('quemeneur', [first])).toEqual([]);
    await database.db.updateTable('users').set({ deleted_at: null }).where('id', '=', user.id).execute();
    expect(await found('quemeneur', [first])).toEqual([user.id]);

    // Deleted for good: the profiles go with them, and so do the terms.
    await database.db.deleteFrom('users').where('id', 'in', [user.id, other.id]).execute();
    const left = await database.db.selectFrom('user_search_names').select('user_id').where('user_id', 'in', [user.id, other.id]).execute();
    expect(left).toEqual([]);
    expect(await termsOf(user.id)).toEqual([]);
  });

  it('lists exact names before prefixes, whichever organisation of the scope knows them', async () => {
    const insert = async (firstName: string, lastName: string, organisationId: number): Promise<number> => {
      const row = await database.db.insertInto('users').values({ first_name: firstName, last_name: lastName, created_through: 'seed' }).returning('id').executeTakeFirstOrThrow();
      await database.db.insertInto('user_profiles').values({ user_id: row.id, organisation_id: organisationId }).execute();
      return row.id;
    };
    const prefixOnly = await insert('Anne', 'Marceau', first);
    const exact = await insert('Paul', 'Marc', second);
    const results = await found('marc', [first, second]);
    expect(results.indexOf(exact)).toBeLessThan(results.indexOf(prefixOnly));
    expect(results).toContain(prefixOnly);
  });
});
