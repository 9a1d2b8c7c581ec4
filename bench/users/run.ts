// npm run bench:users -- --json FILE [--users N] [--runs R] [--seed S] [--skip-generate] [--explain]
//
// The users directory's search at département scale: N usagers (1 000 000 by default) with
// realistic French names (accents, compound and birth names), phones (overseas included) and
// e-mails, spread over 15 organisations of 3 territories, then misspelt, accented, partial
// (prefix) and phone searches drawn from a fixed seed, run through `searchUsers` — the function
// the page calls — in the scope a real agent has (organisation, or the whole territory where the
// territory says so). PostgreSQL only (DATABASE_URL, or a local database it creates). See
// bench/README.md.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { loadAgentPrincipal } from '../../src/modules/agents/index.js';
import { SEARCH_LIMIT, parseUserSearch, searchUsers, searchUsersQuery, usersScopeOf, type UsersScope } from '../../src/modules/users/index.js';
import { openDatabase, redactUrl } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrator.js';
import type { Database } from '../../src/platform/db/schema.js';
import { Prng } from '../slots/prng.js';

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/creneau_bench_users';
const TARGET_P95_MS = 20;

// Common French last names first (drawn more often), then rarer ones; accents as the civil registry writes them.
const LAST_NAMES = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand',
  'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Müller', 'Lefebvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin',
  'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier',
  'Masson', 'Marchand', 'Duval', 'Denis', 'Dumont', 'Marie', 'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun', 'Blanchard', 'Giraud', 'Joly', 'Rivière', 'Lucas',
  'Brunet', 'Gaillard', 'Barbier', 'Arnaud', 'Martínez', 'Gérard', 'Roche', 'Renard', 'Schmitt', 'Roy', 'Leroux', 'Colin', 'Vidal', 'Caron', 'Picard', 'Roger', 'Fabre',
  'Aubert', 'Lemoine', 'Renaud', 'Dumas', 'Lacroix', 'Olivier', 'Philippe', 'Bourgeois', 'Pierre', 'Benoît', 'Rey', 'Leclerc', 'Payet', 'Rolland', 'Leclercq', 'Guillaume',
  'Lecomte', 'López', 'Jean', 'Dupuy', 'Guillot', 'Hubert', 'Berger', 'Carpentier', 'Sánchez', 'Dupuis', 'Moulin', 'Louis', 'Deschamps', 'Huet', 'Vasseur', 'Perez', 'Boucher',
  'Fleury', 'Royer', 'Klein', 'Jacquet', 'Adam', 'Paris', 'Poirier', 'Marty', 'Aubry', 'Guyot', 'Carré', 'Charles', 'Renault', 'Charpentier', 'Ménard', 'Maillard', 'Baron',
  'Bertin', 'Bailly', 'Hervé', 'Schneider', 'Fernández', 'Le Gall', 'Collet', 'Léger', 'Bouvier', 'Julien', 'Prévost', 'Millet', 'Perrot', 'Daniel', 'Le Roux', 'Cousin',
  'Germain', 'Breton', 'Besson', 'Langlois', 'Rémy', 'Le Goff', 'Pelletier', 'Lévêque', 'Perrier', 'Leblanc', 'Barré', 'Lebrun', 'Marchal', 'Weber', 'Mallet', 'Hamon',
  'Boulanger', 'Jacob', 'Monnier', 'Michaud', 'Rodríguez', 'Guichard', 'Gillet', 'Étienne', 'Grondin', 'Poulain', 'Tessier', 'Chevallier', 'Collin', 'Chauvin', 'Da Silva',
  'Bouchet', 'Gay', 'Lemaître', 'Bénard', 'Maréchal', 'Humbert', 'Reynaud', 'Antoine', 'Hoarau', 'Perret', 'Barthélemy', 'Cordier', 'Pichon', 'Lejeune', 'Gilbert', 'Lamy',
  'Delaunay', 'Pasquier', 'Carlier', 'Laporte', 'N’Diaye', 'Traoré', 'Diallo', 'Nguyen', 'Haddad', 'Benali', 'Mendy', 'Kone', 'Camara', 'Fofana', 'Ferreira', 'Rodrigues',
];
// Syllables of the long tail: rarer names, as many as a département has.
const TAIL_STARTS = ['Bel', 'Bou', 'Cha', 'Del', 'Fer', 'Gal', 'Jou', 'Lan', 'Mar', 'Mon', 'Pel', 'Ros', 'Sau', 'Tou', 'Val', 'Ver', 'Cor', 'Dél', 'Gué', 'Hé', 'Lé', 'Ri', 'Vi', 'Bé'];
const TAIL_MIDDLES = ['', 'l', 'r', 'n', 'ch', 'rt', 'ss', 'v', 'gn', 'qu', 'd', 'mb'];
const TAIL_ENDS = ['ier', 'et', 'ard', 'on', 'eau', 'ès', 'ot', 'in', 'aud', 'ey', 'ault', 'ère', 'as', 'ié', 'ange', 'elle'];
const FIRST_NAMES = [
  'Léa', 'Chloé', 'Emma', 'Inès', 'Zoé', 'Manon', 'Camille', 'Sarah', 'Jade', 'Louise', 'Anaïs', 'Hélène', 'Élodie', 'Céline', 'Nathalie', 'Isabelle', 'Sylvie', 'Françoise',
  'Marie', 'Aurélie', 'Stéphanie', 'Sandrine', 'Valérie', 'Émilie', 'Mélanie', 'Gaëlle', 'Noémie', 'Maëlys', 'Aïcha', 'Fatoumata', 'Mélissa', 'Océane', 'Agnès', 'Josiane',
  'Noé', 'Maël', 'Lucas', 'Hugo', 'Théo', 'Nathan', 'Jérôme', 'François', 'Loïc', 'Mathis', 'Gaël', 'Raphaël', 'Benoît', 'Stéphane', 'Frédéric', 'Sébastien', 'Thierry',
  'Jean-Pierre', 'Jean-Marc', 'Michel', 'Philippe', 'Nicolas', 'Julien', 'Karim', 'Mohamed', 'Moussa', 'Youssef', 'Cédric', 'Jérémy', 'Anthony', 'Hervé', 'Joël', 'René',
];
const EMAIL_DOMAINS = ['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'yahoo.fr', 'hotmail.fr', 'sfr.fr', 'outlook.fr'];
// Mobile ranges: metropolitan 06/07, and overseas (E.164 country code, national prefix).
const PHONE_RANGES: readonly { code: string; prefix: string; weight: number }[] = [
  { code: '+33', prefix: '6', weight: 55 },
  { code: '+33', prefix: '7', weight: 30 },
  { code: '+33', prefix: '1', weight: 5 },
  { code: '+262', prefix: '692', weight: 4 },
  { code: '+590', prefix: '690', weight: 2 },
  { code: '+596', prefix: '696', weight: 2 },
  { code: '+594', prefix: '694', weight: 2 },
];

const TERRITORIES = [
  { number: '77', name: 'Seine-et-Marne', scope: 'organisation', zone: 'Europe/Paris' },
  { number: '93', name: 'Seine-Saint-Denis', scope: 'territory', zone: 'Europe/Paris' },
  { number: '974', name: 'La Réunion', scope: 'organisation', zone: 'Indian/Reunion' },
] as const;
const ORGANISATIONS_PER_TERRITORY = 5;

function sqlTextArray(values: readonly string[]): string {
  return `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Inserts the territories, organisations, one agent working in all of them, and N usagers with their profiles. */
async function generate(db: Kysely<Database>, users: number, seed: number): Promise<void> {
  const existing = await db.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  if (existing.n > 0) throw new Error('La base contient déjà des usagers : utilisez --skip-generate, ou une base vide.');
  const organisationIds: number[] = [];
  const agent = await db.insertInto('agents').values({ email: 'bench.users@example.fr', first_name: 'Agent', last_name: 'Banc' }).returning('id').executeTakeFirstOrThrow();
  for (const territory of TERRITORIES) {
    const row = await db
      .insertInto('territories')
      .values({ departement_number: territory.number, name: territory.name, users_search_scope: territory.scope })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let index = 1; index <= ORGANISATIONS_PER_TERRITORY; index += 1) {
      const organisation = await db
        .insertInto('organisations')
        .values({ territory_id: row.id, name: `MDS ${territory.name} ${String(index)}`, slug: `mds-${territory.number}-${String(index)}`, time_zone: territory.zone })
        .returning('id')
        .executeTakeFirstOrThrow();
      organisationIds.push(organisation.id);
      await db.insertInto('agent_roles').values({ agent_id: agent.id, organisation_id: organisation.id, access_level: 'basic' }).execute();
    }
  }

  // Indexes are built once the rows are in (much faster than maintaining them row by row).
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'public' AND tablename IN ('users', 'user_profiles', 'user_search_terms', 'user_search_names') AND indexname NOT LIKE '%_pkey'`.execute(db);
  for (const index of indexes.rows) await sql.raw(`DROP INDEX ${index.indexname}`).execute(db);
  // The search tables' triggers (0014) would write row by row: off during the load, then one rebuild.
  await sql`ALTER TABLE users DISABLE TRIGGER users_search_terms_refresh`.execute(db);
  await sql`ALTER TABLE user_profiles DISABLE TRIGGER user_profiles_search_terms`.execute(db);

  const codes = sqlTextArray(PHONE_RANGES.flatMap((range) => Array.from({ length: range.weight }, () => `${range.code}${range.prefix}`)));
  const h = (salt: string): string => `abs(hashtext(i::text || '${salt}' || '${String(seed)}'))`;
  const u = (salt: string): string => `(${h(salt)}::float8 / 2147483648.0)`;
  const lastName = (salt: string): string => `CASE WHEN ${u(`${salt}t`)} < 0.75
      THEN (${sqlTextArray(LAST_NAMES)})[1 + floor(${String(LAST_NAMES.length)} * power(${u(`${salt}z`)}, 2))::int]
      ELSE (${sqlTextArray(TAIL_STARTS)})[1 + ${h(`${salt}a`)} % ${String(TAIL_STARTS.length)}] || (${sqlTextArray(TAIL_MIDDLES)})[1 + ${h(`${salt}b`)} % ${String(TAIL_MIDDLES.length)}]
           || (${sqlTextArray(TAIL_ENDS)})[1 + ${h(`${salt}c`)} % ${String(TAIL_ENDS.length)}] END`;
  const batch = 250_000;
  for (let start = 1; start <= users; start += batch) {
    const end = Math.min(users, start + batch - 1);
    await sql
      .raw(
        `
      INSERT INTO users (id, responsible_id, first_name, last_name, birth_name, birth_date, email, phone_number, phone_number_e164, created_through, created_at)
      OVERRIDING SYSTEM VALUE
      SELECT i,
        CASE WHEN i > 1 AND ${u('r')} < 0.08 THEN i - 1 END,
        (${sqlTextArray(FIRST_NAMES)})[1 + ${h('f')} % ${String(FIRST_NAMES.length)}],
        CASE WHEN ${u('d')} < 0.05 THEN ${lastName('l')} || '-' || ${lastName('m')} ELSE ${lastName('l')} END,
        CASE WHEN ${u('n')} < 0.15 THEN ${lastName('n')} END,
        DATE '1935-01-01' + (${h('b')} % 32000),
        CASE WHEN ${u('r')} >= 0.08 AND ${u('e')} < 0.55 THEN 'u' || i::text || '.' || (${sqlTextArray(['contact', 'perso', 'mail', 'famille'])})[1 + ${h('x')} % 4] || '@' || (${sqlTextArray(EMAIL_DOMAINS)})[1 + ${h('y')} % ${String(EMAIL_DOMAINS.length)}] END,
        NULL, p.e164, 'seed', now()
      FROM generate_series(${String(start)}, ${String(end)}) AS i
      CROSS JOIN LATERAL (SELECT CASE WHEN ${u('p')} < 0.85 THEN
        left((${codes})[1 + ${h('c')} % 100] || lpad((${h('q')} % 100000000)::text, 8, '0'), CASE WHEN ${h('c')} % 100 < 90 THEN 12 ELSE 13 END) END AS e164) p`,
      )
      .execute(db);
  }
  // As typed: "06 12 34 56 78" for metropolitan numbers, "0692 12 34 56" overseas, some "+33 6…".
  await sql
    .raw(
      `UPDATE users SET phone_number = CASE
        WHEN phone_number_e164 LIKE '+33%' AND id % 7 = 0 THEN '+33 ' || substr(phone_number_e164, 4, 1) || ' ' || substr(phone_number_e164, 5, 2) || ' ' || substr(phone_number_e164, 7, 2) || ' ' || substr(phone_number_e164, 9, 2) || ' ' || substr(phone_number_e164, 11, 2)
        WHEN phone_number_e164 LIKE '+33%' THEN '0' || substr(phone_number_e164, 4, 1) || ' ' || substr(phone_number_e164, 5, 2) || ' ' || substr(phone_number_e164, 7, 2) || ' ' || substr(phone_number_e164, 9, 2) || ' ' || substr(phone_number_e164, 11, 2)
        ELSE '0' || substr(phone_number_e164, 5, 3) || ' ' || substr(phone_number_e164, 8, 2) || ' ' || substr(phone_number_e164, 10, 2) || ' ' || substr(phone_number_e164, 12, 2) END
      WHERE phone_number_e164 IS NOT NULL`,
    )
    .execute(db);
  await sql.raw(`SELECT setval(pg_get_serial_sequence('users', 'id'), ${String(users)})`).execute(db);
  // Each usager is known to one organisation; one in ten to a second one of the same territory.
  const orgs = `ARRAY[${organisationIds.join(',')}]::bigint[]`;
  const perTerritory = ORGANISATIONS_PER_TERRITORY;
  await sql
    .raw(
      `INSERT INTO user_profiles (user_id, organisation_id)
       SELECT id, (${orgs})[1 + abs(hashtext(id::text || 'o${String(seed)}')) % ${String(organisationIds.length)}] FROM users`,
    )
    .execute(db);
  await sql
    .raw(
      `INSERT INTO user_profiles (user_id, organisation_id)
       SELECT up.user_id, (${orgs})[1 + ((array_position(${orgs}, up.organisation_id) - 1) / ${String(perTerritory)}) * ${String(perTerritory)} + ((array_position(${orgs}, up.organisation_id) - 1) % ${String(perTerritory)} + 1) % ${String(perTerritory)}]
       FROM user_profiles up WHERE abs(hashtext(up.user_id::text || 's${String(seed)}')) % 10 = 0`,
    )
    .execute(db);
  await sql`ALTER TABLE users ENABLE TRIGGER users_search_terms_refresh`.execute(db);
  await sql`ALTER TABLE user_profiles ENABLE TRIGGER user_profiles_search_terms`.execute(db);
  await sql`SELECT creneau_rebuild_user_search()`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.indexdef).execute(db);
  // Statistics and the visibility map, as autovacuum leaves them on a live instance (index-only scans need the latter).
  await sql`VACUUM (ANALYZE) users, user_profiles, user_search_terms, user_search_names`.execute(db);
}

type Kind = 'misspelt' | 'accented' | 'prefix' | 'phone';

interface Input {
  readonly kind: Kind;
  readonly text: string;
  readonly organisationId: number;
  /** The usager the text was made from (found or not: reported as recall). */
  readonly userId: number;
}

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '');
}

/** One typo in a word: a letter dropped, doubled, swapped with the next, or replaced. */
function typo(word: string, prng: Prng): string {
  if (word.length < 4) return word;
  const at = prng.int(1, word.length - 2);
  switch (prng.int(0, 3)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + (word[at] ?? '') + word.slice(at);
    case 2:
      return word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2);
    default:
      return word.slice(0, at) + prng.pick(['e', 'a', 'i', 'o', 'n', 'r']) + word.slice(at + 1);
  }
}

function phoneAsTyped(e164: string, prng: Prng): string {
  const overseas = !e164.startsWith('+33');
  const national = overseas ? `0${e164.slice(4)}` : `0${e164.slice(3)}`;
  const pairs = national.match(/.{1,2}/g) ?? [national];
  switch (prng.int(0, 3)) {
    case 0:
      return pairs.join(' ');
    case 1:
      return national;
    case 2:
      return pairs.join('.');
    default:
      return overseas ? `${e164.slice(0, 4)} ${e164.slice(4)}` : `+33 ${national.slice(1, 2)} ${pairs.slice(1).join(' ')}`;
  }
}

async function drawInputs(db: Kysely<Database>, runs: number, users: number, prng: Prng): Promise<Input[]> {
  const ids = Array.from({ length: runs }, () => prng.int(1, users));
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_profiles as up', 'up.user_id', 'u.id')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.phone_number_e164', sql<number>`min(up.organisation_id)`.as('organisation_id')])
    .where('u.id', 'in', ids)
    .groupBy(['u.id', 'u.first_name', 'u.last_name', 'u.phone_number_e164'])
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const kinds: Kind[] = ['misspelt', 'accented', 'prefix', 'phone'];
  return ids.flatMap((id, index) => {
    const user = byId.get(id);
    if (user === undefined) return [];
    let kind = kinds[index % kinds.length] ?? 'accented';
    if (kind === 'phone' && user.phone_number_e164 === null) kind = 'accented';
    const last = user.last_name.split('-')[0] ?? user.last_name;
    let text: string;
    switch (kind) {
      case 'misspelt':
        text = `${prng.chance(0.5) ? stripAccents(user.first_name) : user.first_name} ${typo(prng.chance(0.5) ? stripAccents(last) : last, prng)}`;
        break;
      case 'accented':
        text = prng.chance(0.5) ? `${user.first_name} ${last}` : `${last.toUpperCase()} ${stripAccents(user.first_name).toLowerCase()}`;
        break;
      case 'prefix':
        text = prng.chance(0.5) ? stripAccents(last).slice(0, prng.int(3, 5)) : `${user.first_name} ${stripAccents(last).slice(0, 3)}`;
        break;
      case 'phone':
        text = phoneAsTyped(user.phone_number_e164 ?? '', prng);
        break;
    }
    return [{ kind, text, organisationId: user.organisation_id, userId: id }];
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'string' }, users: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' }, 'skip-generate': { type: 'boolean' }, explain: { type: 'boolean' } },
    allowPositionals: false,
  });
  const users = Number(values.users ?? 1_000_000);
  const runs = Number(values.runs ?? 400);
  const seed = Number(values.seed ?? 20261202);
  if (!Number.isInteger(users) || users < 100 || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) throw new Error('--users (≥ 100), --runs et --seed attendent des entiers');
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_URL;
  if (process.env.DATABASE_URL === undefined) await ensureDatabase(databaseUrl);
  const handle = await openDatabase({ databaseUrl, dataDir: '', poolSize: 2 });
  const { db } = handle;
  try {
    console.log(`Backend: ${handle.backend} ${redactUrl(databaseUrl)}`);
    await migrate(db);
    if (values['skip-generate'] !== true) {
      const started = performance.now();
      await generate(db, users, seed);
      console.log(`${String(users)} usagers générés (profils et index compris) en ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const agent = await db.selectFrom('agents').select('id').where('email', '=', 'bench.users@example.fr').executeTakeFirstOrThrow();
    const principal = await loadAgentPrincipal(db, agent.id);
    if (principal === undefined) throw new Error('agent du banc introuvable');
    const scopes = new Map<number, UsersScope>();
    for (const role of principal.roles) {
      const scope = await usersScopeOf(db, principal, role.organisationId);
      if (scope !== undefined) scopes.set(role.organisationId, scope);
    }
    const prng = new Prng(seed);
    const inputs = await drawInputs(db, runs + 20, users, prng);
    const timings: { kind: Kind; ms: number; found: boolean; count: number }[] = [];
    for (const [index, input] of inputs.entries()) {
      const scope = scopes.get(input.organisationId);
      if (scope === undefined) throw new Error('organisation sans portée');
      const query = parseUserSearch(input.text);
      const started = performance.now();
      const results = await searchUsers(db, scope, query);
      const ms = performance.now() - started;
      // The first 20 warm the caches up and are not timed.
      if (index >= 20) timings.push({ kind: input.kind, ms, found: results.some((user) => user.id === input.userId), count: results.length });
      if (values.explain === true && index < 24 && index >= 20) {
        console.log(`\n--- ${input.kind} « ${input.text} » (${scope.territoryWide ? 'territoire' : 'organisation'})`);
        if (query.kind !== 'empty' && query.kind !== 'too_short') {
          const compiled = searchUsersQuery(db, scope, query, input.kind === 'misspelt' ? 'typos' : 'prefix').compile();
          const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`, [...compiled.parameters]));
          for (const row of plan.rows) console.log(row['QUERY PLAN']);
        }
      }
    }
    const all = timings.map((timing) => timing.ms).sort((a, b) => a - b);
    const report = {
      backend: handle.backend,
      users,
      scenarios: { users_search: { p50_ms: round(percentile(all, 50)), p95_ms: round(percentile(all, 95)), runs: all.length } },
      by_kind: Object.fromEntries(
        (['misspelt', 'accented', 'prefix', 'phone'] as const).map((kind) => {
          const own = timings.filter((timing) => timing.kind === kind);
          const sorted = own.map((timing) => timing.ms).sort((a, b) => a - b);
          return [kind, { p50_ms: round(percentile(sorted, 50)), p95_ms: round(percentile(sorted, 95)), runs: own.length, found_share: round(own.filter((timing) => timing.found).length / Math.max(1, own.length)) }];
        }),
      ),
      limit: SEARCH_LIMIT,
      seed,
    };
    console.log('');
    console.log('| scénario | exécutions | p50 (ms) | p95 (ms) | usager cherché trouvé |');
    console.log('|---|---|---|---|---|');
    for (const [kind, stats] of Object.entries(report.by_kind)) console.log(`| ${kind} | ${String(stats.runs)} | ${stats.p50_ms.toFixed(2)} | ${stats.p95_ms.toFixed(2)} | ${(stats.found_share * 100).toFixed(0)} % |`);
    console.log(`| **users_search** | ${String(report.scenarios.users_search.runs)} | ${report.scenarios.users_search.p50_ms.toFixed(2)} | ${report.scenarios.users_search.p95_ms.toFixed(2)} | |`);
    console.log(`\nObjectif p95 ≤ ${String(TARGET_P95_MS)} ms : ${report.scenarios.users_search.p95_ms <= TARGET_P95_MS ? 'atteint' : 'MANQUÉ'}`);
    if (values.json !== undefined) {
      await mkdir(path.dirname(path.resolve(values.json)), { recursive: true });
      await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    }
  } finally {
    await handle.close();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
