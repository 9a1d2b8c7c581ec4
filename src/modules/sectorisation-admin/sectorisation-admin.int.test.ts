import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { TEST_NOW, buildTestApp, createTestContext } from '../../../test/support/app.js';
import { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { scheduledJobs } from '../../jobs/index.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';

const BOUNDARY = '----creneau-test-boundary';

/** A multipart body: the CSRF field first (as the form puts it), then the file parts. */
function multipartBody(token: string, files: readonly { field?: string; name: string; content: string | Buffer }[], extraFields: readonly [string, string][] = []): Buffer {
  const chunks: Buffer[] = [];
  const field = (name: string, value: string): void => {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  };
  field('_csrf', token);
  for (const [name, value] of extraFields) field(name, value);
  for (const file of files) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.field ?? 'fichier'}"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`));
    chunks.push(typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

function decode(html: string): string {
  return html.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
}

describe('sectorisation administration (issue 11 §2)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let sophie: InjectSession;
  let nadia: InjectSession;
  let meauxAdmin: InjectSession;
  let reunionAdmin: InjectSession;
  const ids = { t77: 0, t974: 0, melun: 0, meaux: 0, reunion: 0, sectorMelun: 0, sectorMeaux: 0, sector974: 0, zone974: 0, attribution974: 0, nadia: 0, reunionAgent: 0 };
  const base = (territoryId: number) => `/agents/territoires/${String(territoryId)}/sectorisation`;
  const sector = (territoryId: number, sectorId: number) => `${base(territoryId)}/secteurs/${String(sectorId)}`;

  const zonesOf77 = async () =>
    (
      await database.db
        .selectFrom('zones as z')
        .innerJoin('sectors as s', 's.id', 'z.sector_id')
        .select(['z.id', 's.human_id', 'z.level', 'z.city_code', 'z.city_name', 'z.street_ban_id', 'z.street_name'])
        .where('s.territory_id', '=', ids.t77)
        .orderBy('z.id')
        .execute()
    ).map((row) => ({ ...row }));
  const counts = async () => {
    const result = await sql<{ sectors: string; zones: string; attributions: string; audit: string }>`
      SELECT (SELECT count(*) FROM sectors) AS sectors, (SELECT count(*) FROM zones) AS zones,
             (SELECT count(*) FROM sector_attributions) AS attributions, (SELECT count(*) FROM audit_log) AS audit`.execute(database.db);
    return result.rows[0];
  };

  async function upload(session: InjectSession, territoryId: number, files: readonly { field?: string; name: string; content: string | Buffer }[], extraFields: readonly [string, string][] = []) {
    const page = await session.get(`${base(territoryId)}/import`);
    expect(page.statusCode).toBe(200);
    return session.send('POST', `${base(territoryId)}/import`, multipartBody(csrfOf(page.body), files, extraFields), `multipart/form-data; boundary=${BOUNDARY}`);
  }

  function confirmationOf(html: string): { action: string; empreinte: string } {
    const action = /action="([^"]+\/confirmer)"/.exec(html)?.[1] ?? '';
    const empreinte = /name="empreinte" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? '';
    expect(action).not.toBe('');
    return { action, empreinte };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    const db = database.db;
    await seedDemoTerritory(db, TEST_NOW);
    app = await buildTestApp(database, TEST_NOW);
    sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    meauxAdmin = await signInAgent(app, 'admin.meaux@demo.creneau.fr');
    reunionAdmin = await signInAgent(app, DEMO_AGENT_EMAILS.reunionAdmin);
    const organisation = (slug: string) => db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
    const melun = await organisation('mds-melun');
    const reunion = await organisation('solidarites-saint-denis-974');
    ids.melun = melun.id;
    ids.t77 = melun.territory_id;
    ids.meaux = (await organisation('mds-meaux')).id;
    ids.reunion = reunion.id;
    ids.t974 = reunion.territory_id;
    const sectorId = async (humanId: string) => (await db.selectFrom('sectors').select('id').where('human_id', '=', humanId).executeTakeFirstOrThrow()).id;
    ids.sectorMelun = await sectorId('melun');
    ids.sectorMeaux = await sectorId('meaux');
    ids.sector974 = await sectorId('saint-denis');
    ids.zone974 = (await db.selectFrom('zones').select('id').where('sector_id', '=', ids.sector974).executeTakeFirstOrThrow()).id;
    ids.attribution974 = (await db.selectFrom('sector_attributions').select('id').where('sector_id', '=', ids.sector974).executeTakeFirstOrThrow()).id;
    ids.nadia = (await db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.melunBasic).executeTakeFirstOrThrow()).id;
    ids.reunionAgent = (await db.selectFrom('agents').select('id').where('email', '=', DEMO_AGENT_EMAILS.reunionAdmin).executeTakeFirstOrThrow()).id;
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('lists the territory’s sectors with their zones and attributions, for its territorial admin only', async () => {
    const page = await sophie.get(base(ids.t77));
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('aria-current="page">Territoire');
    const html = decode(page.body);
    expect(html).toContain('Secteur de Melun');
    expect(html).toContain('2 communes');
    expect(html).toContain('Maison départementale des solidarités de Melun');
    expect(html).not.toContain('Secteur de Saint-Denis');
    const reunion = await reunionAdmin.get(base(ids.t974));
    expect(decode(reunion.body)).toContain('Secteur de Saint-Denis');
    expect(decode(reunion.body)).not.toContain('Secteur de Melun');
  });

  it('answers 404 to anyone who is not a territorial admin of that territory, on every route', async () => {
    const getPaths = (t: number, s: number) => [
      base(t),
      `${base(t)}/secteurs/nouveau`,
      sector(t, s),
      `${sector(t, s)}/modifier`,
      `${sector(t, s)}/supprimer`,
      `${base(t)}/import`,
      `${base(t)}/zones.csv`,
      `${base(t)}/test?adresse=Melun`,
    ];
    for (const [session, name] of [
      [nadia, 'basic agent'],
      [meauxAdmin, 'organisation admin'],
      [reunionAdmin, 'territorial admin of 974'],
    ] as const) {
      for (const path of getPaths(ids.t77, ids.sectorMelun)) expect((await session.get(path)).statusCode, `${name} GET ${path}`).toBe(404);
    }
    for (const path of getPaths(ids.t974, ids.sector974)) expect((await sophie.get(path)).statusCode, `sophie GET ${path}`).toBe(404);
    // POSTs with a valid CSRF token of the agent's own pages.
    await reunionAdmin.get(base(ids.t974));
    const before = await counts();
    const posts: [string, Record<string, string>][] = [
      [`${base(ids.t77)}/secteurs/nouveau`, { nom: 'Intrus', identifiant: 'intrus' }],
      [`${sector(ids.t77, ids.sectorMelun)}/modifier`, { nom: 'Intrus', identifiant: 'intrus' }],
      [`${sector(ids.t77, ids.sectorMelun)}/supprimer`, {}],
      [`${sector(ids.t77, ids.sectorMelun)}/zones/commune`, { codeInsee: '77001' }],
      [`${sector(ids.t77, ids.sectorMelun)}/zones/rue`, { idVoie: '77288_0740', nomVoie: 'Quai' }],
      [`${sector(ids.t77, ids.sectorMelun)}/attributions`, { cible: `organisation:${String(ids.melun)}` }],
    ];
    for (const [path, body] of posts) {
      await reunionAdmin.get(base(ids.t974));
      expect((await reunionAdmin.post(path, body)).statusCode, `POST ${path}`).toBe(404);
    }
    const melunZone = (await database.db.selectFrom('zones').select('id').where('sector_id', '=', ids.sectorMelun).executeTakeFirstOrThrow()).id;
    await reunionAdmin.get(base(ids.t974));
    expect((await reunionAdmin.post(`${sector(ids.t77, ids.sectorMelun)}/zones/${String(melunZone)}/supprimer`, {})).statusCode).toBe(404);
    const upload974 = await reunionAdmin.send('POST', `${base(ids.t77)}/import`, multipartBody(csrfOf(reunionAdmin.lastBody), [{ name: 'z.csv', content: 'secteur;code_insee;nom_commune\n' }]), `multipart/form-data; boundary=${BOUNDARY}`);
    expect(upload974.statusCode).toBe(404);
    expect(await counts()).toEqual(before);
    // Signed out: the sign-in page.
    const anonymous = new InjectSession(app);
    const signedOut = await anonymous.get(base(ids.t77));
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toContain('/agents/connexion');
  });

  it('answers 404 for a sector, zone or attribution of another territory under this one', async () => {
    const before = await counts();
    for (const path of [sector(ids.t77, ids.sector974), `${sector(ids.t77, ids.sector974)}/modifier`, `${sector(ids.t77, ids.sector974)}/supprimer`]) {
      expect((await sophie.get(path)).statusCode, path).toBe(404);
    }
    const posts: [string, Record<string, string>][] = [
      [`${sector(ids.t77, ids.sector974)}/modifier`, { nom: 'Volé', identifiant: 'vole' }],
      [`${sector(ids.t77, ids.sector974)}/supprimer`, {}],
      [`${sector(ids.t77, ids.sector974)}/zones/commune`, { codeInsee: '77001' }],
      [`${sector(ids.t77, ids.sectorMelun)}/zones/${String(ids.zone974)}/supprimer`, {}],
      [`${sector(ids.t77, ids.sector974)}/zones/${String(ids.zone974)}/supprimer`, {}],
      [`${sector(ids.t77, ids.sectorMelun)}/attributions/${String(ids.attribution974)}/supprimer`, {}],
      // Targets of another territory: an organisation of 974, an agent of 974 in an organisation of 77.
      [`${sector(ids.t77, ids.sectorMelun)}/attributions`, { cible: `organisation:${String(ids.reunion)}` }],
      [`${sector(ids.t77, ids.sectorMelun)}/attributions`, { cible: `agent:${String(ids.reunion)}:${String(ids.reunionAgent)}` }],
      [`${sector(ids.t77, ids.sectorMelun)}/attributions`, { cible: `agent:${String(ids.melun)}:${String(ids.reunionAgent)}` }],
      [`${base(ids.t77)}/import/${'0'.repeat(32)}/confirmer`, { empreinte: '0'.repeat(64) }],
    ];
    for (const [path, body] of posts) {
      await sophie.get(base(ids.t77));
      expect((await sophie.post(path, body)).statusCode, `POST ${path}`).toBe(404);
    }
    expect(await counts()).toEqual(before);
  });

  it('creates, edits and deletes a sector (with its zones and attributions), each change audited', async () => {
    await sophie.get(`${base(ids.t77)}/secteurs/nouveau`);
    const invalid = await sophie.post(`${base(ids.t77)}/secteurs/nouveau`, { nom: '', identifiant: 'Melun Nord!' });
    expect(invalid.statusCode).toBe(422);
    expect(decode(invalid.body)).toContain('Indiquez le nom du secteur.');
    expect(decode(invalid.body)).toContain('minuscules, chiffres, tirets et soulignés');
    expect(invalid.body).toContain('value="Melun Nord!"');
    const taken = await sophie.post(`${base(ids.t77)}/secteurs/nouveau`, { nom: 'Autre Melun', identifiant: 'melun' });
    expect(taken.statusCode).toBe(422);
    expect(decode(taken.body)).toContain('Un autre secteur du territoire porte déjà cet identifiant.');
    // The same identifier in another territory is free.
    const created = await sophie.post(`${base(ids.t77)}/secteurs/nouveau`, { nom: 'Secteur de Saint-Denis (77)', identifiant: 'saint-denis' });
    expect(created.statusCode).toBe(303);
    const sectorId = Number(/secteurs\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    expect(sectorId).toBeGreaterThan(0);
    const shown = await sophie.get(sector(ids.t77, sectorId));
    expect(decode(shown.body)).toContain('Le secteur a été créé.');
    const edit = await sophie.post(`${sector(ids.t77, sectorId)}/modifier`, { nom: '  Secteur   sud ', identifiant: 'sud' });
    expect(edit.statusCode).toBe(303);
    expect(await database.db.selectFrom('sectors').select(['name', 'human_id', 'territory_id']).where('id', '=', sectorId).executeTakeFirstOrThrow()).toEqual({ name: 'Secteur sud', human_id: 'sud', territory_id: ids.t77 });
    await sophie.get(sector(ids.t77, sectorId));
    expect((await sophie.post(`${sector(ids.t77, sectorId)}/zones/commune`, { codeInsee: '77001' })).statusCode).toBe(303);
    await sophie.get(sector(ids.t77, sectorId));
    expect((await sophie.post(`${sector(ids.t77, sectorId)}/attributions`, { cible: `organisation:${String(ids.melun)}` })).statusCode).toBe(303);
    const confirmation = await sophie.get(`${sector(ids.t77, sectorId)}/supprimer`);
    expect(decode(confirmation.body)).toContain('Ses 1 zone et ses 1 attribution seront supprimées avec lui.');
    const deleted = await sophie.post(`${sector(ids.t77, sectorId)}/supprimer`, {});
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(base(ids.t77));
    expect(await database.db.selectFrom('sectors').select('id').where('id', '=', sectorId).executeTakeFirst()).toBeUndefined();
    expect(await database.db.selectFrom('zones').select('id').where('sector_id', '=', sectorId).executeTakeFirst()).toBeUndefined();
    const audit = await database.db.selectFrom('audit_log').select(['action', 'subject_type']).where('territory_id', '=', ids.t77).where('subject_type', 'in', ['sector', 'zone', 'sector_attribution']).orderBy('id').execute();
    expect(audit.map((row) => `${row.action} ${row.subject_type}`)).toEqual(['create sector', 'update sector', 'create zone', 'create sector_attribution', 'delete sector']);
  });

  it('adds communes (name from the COG, in the département only) and streets, refuses duplicates, removes zones', async () => {
    await sophie.get(`${base(ids.t77)}/secteurs/nouveau`);
    const created = await sophie.post(`${base(ids.t77)}/secteurs/nouveau`, { nom: 'Secteur des rues', identifiant: 'rues' });
    const sectorId = Number(/secteurs\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    const path = sector(ids.t77, sectorId);
    const cases: [string, Record<string, string>, string][] = [
      ['zones/commune', { codeInsee: '14118' }, 'La commune 14118 n’est pas dans le département 77.'],
      ['zones/commune', { codeInsee: '77999' }, 'Aucune commune ne porte le code 77999'],
      ['zones/commune', { codeInsee: 'Melun' }, 'n’est pas un code INSEE de commune'],
      ['zones/commune', { codeInsee: '' }, 'Indiquez le code INSEE de la commune.'],
      ['zones/rue', { idVoie: '77288-0740', nomVoie: 'Quai' }, 'n’est pas un identifiant de voie BAN'],
      ['zones/rue', { idVoie: '97411_0001', nomVoie: 'Rue' }, 'La commune 97411 n’est pas dans le département 77.'],
      ['zones/rue', { idVoie: '77288_0740', nomVoie: '=HYPERLINK("http://x")' }, 'ne peut pas commencer par =, +, - ou @'],
      ['zones/rue', { idVoie: '77288_0740', nomVoie: 'Quai\u0007' }, 'contient des caractères non autorisés'],
      ['zones/rue', { idVoie: '77288_0740', nomVoie: 'x'.repeat(10_000) }, '200 caractères au plus'],
    ];
    for (const [action, body, message] of cases) {
      await sophie.get(path);
      const response = await sophie.post(`${path}/${action}`, body);
      expect(response.statusCode, `${action} ${JSON.stringify(body).slice(0, 60)}`).toBe(422);
      expect(decode(response.body)).toContain(message);
    }
    await sophie.get(path);
    const commune = await sophie.post(`${path}/zones/commune`, { codeInsee: '77001' });
    expect(commune.statusCode).toBe(303);
    const shown = decode((await sophie.get(path)).body);
    expect(shown).toContain('La commune Achères-la-Forêt (77001) a été ajoutée au secteur.');
    const again = await sophie.post(`${path}/zones/commune`, { codeInsee: '77001' });
    expect(again.statusCode).toBe(422);
    expect(decode(again.body)).toContain('Cette zone fait déjà partie du secteur.');
    await sophie.get(path);
    expect((await sophie.post(`${path}/zones/rue`, { idVoie: '77284_0230', nomVoie: 'Rue de la Cordonnerie' })).statusCode).toBe(303);
    const zones = await database.db.selectFrom('zones').select(['id', 'level', 'city_code', 'city_name', 'street_ban_id', 'street_name']).where('sector_id', '=', sectorId).orderBy('id').execute();
    expect(zones.map(({ id: _id, ...zone }) => zone)).toEqual([
      { level: 'city', city_code: '77001', city_name: 'Achères-la-Forêt', street_ban_id: null, street_name: null },
      { level: 'street', city_code: '77284', city_name: 'Meaux', street_ban_id: '77284_0230', street_name: 'Rue de la Cordonnerie' },
    ]);
    await sophie.get(path);
    expect((await sophie.post(`${path}/zones/${String(zones[0]?.id ?? 0)}/supprimer`, {})).statusCode).toBe(303);
    expect(await database.db.selectFrom('zones').select('id').where('sector_id', '=', sectorId).execute()).toHaveLength(1);
    // A zone of another sector of the same territory under this sector: 404.
    const melunZone = (await database.db.selectFrom('zones').select('id').where('sector_id', '=', ids.sectorMelun).executeTakeFirstOrThrow()).id;
    await sophie.get(path);
    expect((await sophie.post(`${path}/zones/${String(melunZone)}/supprimer`, {})).statusCode).toBe(404);
  });

  it('attributes a sector to an organisation or to an agent of it, and removes attributions', async () => {
    const path = sector(ids.t77, ids.sectorMeaux);
    const page = await sophie.get(path);
    expect(page.body).toContain(`value="agent:${String(ids.melun)}:${String(ids.nadia)}"`);
    const empty = await sophie.post(`${path}/attributions`, { cible: '' });
    expect(empty.statusCode).toBe(422);
    expect(decode(empty.body)).toContain('Choisissez une organisation ou un agent.');
    await sophie.get(path);
    expect((await sophie.post(`${path}/attributions`, { cible: `agent:${String(ids.melun)}:${String(ids.nadia)}` })).statusCode).toBe(303);
    await sophie.get(path);
    const twice = await sophie.post(`${path}/attributions`, { cible: `agent:${String(ids.melun)}:${String(ids.nadia)}` });
    expect(twice.statusCode).toBe(422);
    expect(decode(twice.body)).toContain('Le secteur est déjà attribué ainsi.');
    const row = await database.db.selectFrom('sector_attributions').select(['id', 'level', 'organisation_id', 'agent_id']).where('sector_id', '=', ids.sectorMeaux).where('agent_id', '=', ids.nadia).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ level: 'agent', organisation_id: ids.melun });
    // Nadia's organisation is Melun, not Meaux: an agent of Meaux's role does not exist for her.
    await sophie.get(path);
    expect((await sophie.post(`${path}/attributions`, { cible: `agent:${String(ids.meaux)}:${String(ids.nadia)}` })).statusCode).toBe(404);
    await sophie.get(path);
    expect((await sophie.post(`${path}/attributions/${String(row.id)}/supprimer`, {})).statusCode).toBe(303);
    expect(await database.db.selectFrom('sector_attributions').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();
  });

  it('refuses hostile values with 4xx and French messages, never 500', async () => {
    await sophie.get(`${base(ids.t77)}/secteurs/nouveau`);
    const long = await sophie.post(`${base(ids.t77)}/secteurs/nouveau`, { nom: 'x'.repeat(10_000), identifiant: 'a'.repeat(81) });
    expect(long.statusCode).toBe(422);
    expect(decode(long.body)).toContain('200 caractères au plus');
    await sophie.get(`${base(ids.t77)}/secteurs/nouveau`);
    const control = await sophie.post(`${base(ids.t77)}/secteurs/nouveau`, { nom: 'Nom\u0000', identifiant: 'nul' });
    expect(control.statusCode).toBe(422);
    await sophie.get(`${base(ids.t77)}/secteurs/nouveau`);
    const repeated = await sophie.send('POST', `${base(ids.t77)}/secteurs/nouveau`, `_csrf=${encodeURIComponent(csrfOf(sophie.lastBody))}&nom=a&nom=b&identifiant=x`, 'application/x-www-form-urlencoded');
    expect(repeated.statusCode).toBe(400);
    expect((await sophie.get(`${base(ids.t77)}/secteurs/abc`)).statusCode).toBe(404);
    expect((await sophie.get(`${base(ids.t77)}/secteurs/99999999999`)).statusCode).toBe(404);
    expect((await sophie.get(`${base(ids.t77)}/test?adresse=${'x'.repeat(10_000)}`)).statusCode).toBe(422);
    expect((await sophie.get(`${base(ids.t77)}/test?adresse=${'x'.repeat(10_001)}`)).statusCode).toBe(400);
    expect((await sophie.get(`${base(ids.t77)}/test?adresse=a&adresse=b`)).statusCode).toBe(400);
    await sophie.get(base(ids.t77));
    const forged = await sophie.post(`${base(ids.t77)}/import/${'a'.repeat(32)}/confirmer`, { empreinte: 'pas-une-empreinte' });
    expect(forged.statusCode).toBe(400);
    // The import route: not multipart, no CSRF token, two files, another field, not UTF-8.
    await sophie.get(`${base(ids.t77)}/import`);
    const urlencoded = await sophie.post(`${base(ids.t77)}/import`, { fichier: 'secteur;code_insee;nom_commune' });
    expect(urlencoded.statusCode).toBe(422);
    expect(decode(urlencoded.body)).toContain('Envoyez le fichier des zones depuis le formulaire d’import');
    const noToken = await sophie.send('POST', `${base(ids.t77)}/import`, multipartBody('forged', [{ name: 'z.csv', content: 'a' }]), `multipart/form-data; boundary=${BOUNDARY}`);
    expect(noToken.statusCode).toBe(403);
    const two = await upload(sophie, ids.t77, [
      { name: 'a.csv', content: 'secteur;code_insee;nom_commune\n' },
      { name: 'b.csv', content: 'secteur;code_insee;nom_commune\n' },
    ]);
    expect(two.statusCode).toBe(422);
    expect(decode(two.body)).toContain('Envoyez un seul fichier');
    const otherField = await upload(sophie, ids.t77, [{ name: 'a.csv', content: 'x' }], [['motDePasse', 'x']]);
    expect(otherField.statusCode).toBe(422);
    const latin1 = await upload(sophie, ids.t77, [{ name: 'zones.csv', content: Buffer.from('secteur;code_insee;nom_commune\nmelun;77288;Mel\xe9un\n', 'latin1') }]);
    expect(latin1.statusCode).toBe(422);
    expect(decode(latin1.body)).toContain('n’est pas en UTF-8');
    const noFile = await upload(sophie, ids.t77, [{ name: '', content: '' }]);
    expect(noFile.statusCode).toBe(422);
    expect(decode(noFile.body)).toContain('aucun fichier choisi');
  });

  it('refuses a 10 MB file with a French 413 message, writing nothing', async () => {
    const before = await counts();
    const big = `secteur;code_insee;nom_commune\n${'melun;77288;Melun\n'.repeat(600_000)}`;
    expect(big.length).toBeGreaterThan(10_000_000);
    const response = await upload(sophie, ids.t77, [{ name: 'zones.csv', content: big }]);
    expect(response.statusCode).toBe(413);
    expect(decode(response.body)).toContain('Le fichier est trop volumineux : 5 Mo au plus.');
    expect(await counts()).toEqual(before);
  });

  it('dry run: a bad line is reported with its line number in French, and nothing is written', async () => {
    const before = await counts();
    const keptBefore = await database.db.selectFrom('sectorisation_imports').select('id').execute();
    const csv = 'secteur;code_insee;nom_commune;id_voie_ban;nom_voie\nmelun;77288;Melun;;\nmelun;1411;Caen;;\ninconnu;77152;Dammarie-lès-Lys;;\nmelun;77288;Melun;77288_0740;\n';
    const response = await upload(sophie, ids.t77, [{ name: 'zones-melun.csv', content: csv }]);
    expect(response.statusCode).toBe(422);
    const html = decode(response.body);
    // The file's own errors first (the sector « inconnu » is checked once the file is well formed).
    expect(html).toContain('Le fichier contient 2 erreurs');
    expect(html).toContain('rien n’a été enregistré');
    expect(html).toMatch(/<td>3<\/td>\s*<td>code_insee<\/td>\s*<td>« 1411 » n’est pas un code INSEE de commune/);
    expect(html).toMatch(/<td>5<\/td>\s*<td>nom_voie<\/td>\s*<td>le nom de la voie est attendu avec son identifiant BAN/);
    expect(html).not.toContain('/confirmer');
    // The unknown sector is reported once the file itself is well formed.
    const unknownSector = await upload(sophie, ids.t77, [{ name: 'zones.csv', content: 'secteur;code_insee;nom_commune\nmelun;77288;Melun\ninconnu;77152;Dammarie-lès-Lys\nmelun;77998;Nulle part\n' }]);
    expect(unknownSector.statusCode).toBe(422);
    expect(decode(unknownSector.body)).toMatch(/<td>3<\/td>\s*<td>secteur<\/td>\s*<td>secteur « inconnu » inconnu dans ce territoire/);
    expect(decode(unknownSector.body)).toMatch(/<td>4<\/td>\s*<td>code_insee<\/td>\s*<td>aucune commune ne porte le code 77998/);
    const badHeader = await upload(sophie, ids.t77, [{ name: 'zones.csv', content: 'secteur;insee\nmelun;77288\n' }]);
    expect(badHeader.statusCode).toBe(422);
    expect(decode(badHeader.body)).toContain('colonne inconnue');
    expect(await counts()).toEqual(before);
    expect(await database.db.selectFrom('sectorisation_imports').select('id').execute()).toEqual(keptBefore);
  });

  it('dry run then confirmation: the summary first (nothing written), then exactly that file in one transaction; replayed, forged and concurrent confirmations apply nothing more', async () => {
    const zonesBefore = await zonesOf77();
    const countsBefore = await counts();
    // Melun: Melun kept, Dammarie-lès-Lys dropped, Le Mée-sur-Seine and a street added; Meaux's name corrected.
    const csv = [
      'secteur;code_insee;nom_commune;id_voie_ban;nom_voie',
      'melun;77288;Melun;;',
      'melun;77285;Le Mée-sur-Seine;;',
      'melun;77288;Melun;77288_0740;Quai Hippolyte Rossignol',
      'meaux;77284;Meaux (ville);;',
      '',
    ].join('\r\n');
    const dryRun = await upload(sophie, ids.t77, [{ name: 'zones.csv', content: `\uFEFF${csv}` }]);
    expect(dryRun.statusCode).toBe(200);
    const html = decode(dryRun.body);
    expect(html).toContain('Fichier valide : 4 zones pour 2 secteurs.');
    expect(html).toContain('L’import créerait 2 zones, en modifierait 1 et en supprimerait 1.');
    expect(html).toContain('Le Mée-sur-Seine (77285)');
    expect(html).toContain('Dammarie-lès-Lys (77152)');
    expect(await zonesOf77()).toEqual(zonesBefore);
    expect(await counts()).toEqual(countsBefore);
    const { action, empreinte } = confirmationOf(dryRun.body);

    // A forged digest: 409, and the import is still there to confirm.
    const forged = await sophie.post(action, { empreinte: 'f'.repeat(64) });
    expect(forged.statusCode).toBe(409);
    expect(await zonesOf77()).toEqual(zonesBefore);
    // Another territorial admin cannot confirm it (their territory, or this one's path).
    await reunionAdmin.get(base(ids.t974));
    expect((await reunionAdmin.post(action.replace(`/territoires/${String(ids.t77)}/`, `/territoires/${String(ids.t974)}/`), { empreinte })).statusCode).toBe(404);

    await sophie.get(`${base(ids.t77)}/import`);
    const confirmed = await sophie.post(action, { empreinte });
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe(base(ids.t77));
    expect(decode((await sophie.get(base(ids.t77))).body)).toContain('Import appliqué : 2 zone(s) créée(s), 1 modifiée(s), 1 supprimée(s).');
    const after = await zonesOf77();
    const key = (zone: { human_id: string; city_code: string; street_ban_id: string | null }) => `${zone.human_id} ${zone.city_code} ${zone.street_ban_id ?? ''}`;
    expect(after.filter((zone) => zone.human_id === 'melun' || zone.human_id === 'meaux').map(key).sort()).toEqual(['meaux 77284 ', 'melun 77285 ', 'melun 77288 ', 'melun 77288 77288_0740'].sort());
    expect(after.find((zone) => zone.human_id === 'meaux')?.city_name).toBe('Meaux (ville)');
    // Untouched: the zones of sectors the file does not name.
    expect(after.filter((zone) => zone.human_id !== 'melun' && zone.human_id !== 'meaux')).toEqual(zonesBefore.filter((zone) => zone.human_id !== 'melun' && zone.human_id !== 'meaux'));
    // One transaction: the new zones, the updated one, the kept file's mark and the audit entry share one xmin.
    const audit = await database.db.selectFrom('audit_log').select(['id', 'details']).where('territory_id', '=', ids.t77).where('subject_type', '=', 'territory').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ change: 'zones_import', created: 2, updated: 1, deleted: 1, sectors: 2 });
    const transactions = await sql<{ xmin: string }>`
      SELECT DISTINCT xmin::text AS xmin FROM (
        SELECT xmin FROM audit_log WHERE id = ${audit.id}
        UNION ALL SELECT z.xmin FROM zones z JOIN sectors s ON s.id = z.sector_id WHERE s.human_id IN ('melun', 'meaux') AND s.territory_id = ${ids.t77} AND z.city_code IN ('77285', '77284')
        UNION ALL SELECT xmin FROM sectorisation_imports WHERE applied_at IS NOT NULL AND id = ${/import\/([0-9a-f]{32})\//.exec(action)?.[1] ?? ''}
      ) AS rows`.execute(database.db);
    expect(transactions.rows).toHaveLength(1);

    // Replayed: 409, nothing more.
    const auditCount = (await counts())?.audit;
    await sophie.get(base(ids.t77));
    const replayed = await sophie.post(action, { empreinte });
    expect(replayed.statusCode).toBe(409);
    expect(decode(replayed.body)).toContain('Cet import a déjà été appliqué');
    expect(await zonesOf77()).toEqual(after);
    expect((await counts())?.audit).toBe(auditCount);

    // Re-importing the same file: nothing to change, and confirming changes nothing (not a row id).
    const again = await upload(sophie, ids.t77, [{ name: 'zones.csv', content: csv }]);
    expect(decode(again.body)).toContain('Rien à changer');
    const second = confirmationOf(again.body);
    expect((await sophie.post(second.action, { empreinte: second.empreinte })).statusCode).toBe(303);
    expect(await zonesOf77()).toEqual(after);
    expect((await counts())?.audit).toBe(auditCount);

    // Two confirmations at once: one applies, the other is refused.
    const third = await upload(sophie, ids.t77, [{ name: 'zones.csv', content: 'secteur;code_insee;nom_commune\nmeaux;77284;Meaux\n' }]);
    const { action: thirdAction, empreinte: thirdDigest } = confirmationOf(third.body);
    const statuses = (await Promise.all([sophie.post(thirdAction, { empreinte: thirdDigest }), sophie.post(thirdAction, { empreinte: thirdDigest })])).map((response) => response.statusCode).sort();
    expect(statuses).toEqual([303, 409]);
    expect((await zonesOf77()).find((zone) => zone.human_id === 'meaux')?.city_name).toBe('Meaux');
    expect((await counts())?.audit).toBe(Number(auditCount) + 1);
  });

  it('a confirmation that no longer validates (its sector deleted meanwhile) writes nothing and keeps the file unapplied', async () => {
    await sophie.get(`${base(ids.t77)}/secteurs/nouveau`);
    const created = await sophie.post(`${base(ids.t77)}/secteurs/nouveau`, { nom: 'Éphémère', identifiant: 'ephemere' });
    const sectorId = Number(/secteurs\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    const dryRun = await upload(sophie, ids.t77, [{ name: 'zones.csv', content: 'secteur;code_insee;nom_commune\nephemere;77001;Achères-la-Forêt\n' }]);
    const { action, empreinte } = confirmationOf(dryRun.body);
    await sophie.get(`${sector(ids.t77, sectorId)}/supprimer`);
    expect((await sophie.post(`${sector(ids.t77, sectorId)}/supprimer`, {})).statusCode).toBe(303);
    const before = await counts();
    await sophie.get(base(ids.t77));
    const stale = await sophie.post(action, { empreinte });
    expect(stale.statusCode).toBe(422);
    expect(decode(stale.body)).toContain('secteur « ephemere » inconnu dans ce territoire');
    expect(await counts()).toEqual(before);
    const importId = /import\/([0-9a-f]{32})\//.exec(action)?.[1] ?? '';
    expect((await database.db.selectFrom('sectorisation_imports').select('applied_at').where('id', '=', importId).executeTakeFirstOrThrow()).applied_at).toBeNull();
  });

  it('exports the zones in the bundle format; the export re-imports as nothing to change, formula-looking names included', async () => {
    // A name written by a bundle import that a spreadsheet would run as a formula.
    await database.db.insertInto('zones').values({ sector_id: ids.sectorMeaux, level: 'street', city_code: '77284', city_name: 'Meaux', street_ban_id: '77284_0230', street_name: '=HYPERLINK("http://evil")' }).execute();
    const exported = await sophie.get(`${base(ids.t77)}/zones.csv`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toBe('attachment; filename="zones-77.csv"');
    expect(exported.headers['cache-control']).toBe('no-store');
    const text = exported.body;
    expect(text.startsWith('\uFEFFsecteur;code_insee;nom_commune;id_voie_ban;nom_voie\n')).toBe(true);
    expect(text).toContain(`meaux;77284;Meaux;77284_0230;"'=HYPERLINK(""http://evil"")"\n`);
    expect(text).not.toContain('saint-denis');
    const lines = text.trim().split('\n');
    expect(lines.length - 1).toBe((await zonesOf77()).length);
    const before = await zonesOf77();
    const roundTrip = await upload(sophie, ids.t77, [{ name: 'zones-77.csv', content: text }]);
    expect(roundTrip.statusCode).toBe(200);
    expect(decode(roundTrip.body)).toContain('Rien à changer : les zones de ces secteurs sont déjà celles du fichier.');
    const { action, empreinte } = confirmationOf(roundTrip.body);
    expect((await sophie.post(action, { empreinte })).statusCode).toBe(303);
    expect(await zonesOf77()).toEqual(before);
    expect(before.find((zone) => zone.street_ban_id === '77284_0230' && zone.human_id === 'meaux')?.street_name).toBe('=HYPERLINK("http://evil")');
  });

  it('tests an address: sectors (street before commune), organisations, agents and bookable motifs; without JavaScript', async () => {
    const empty = await sophie.get(`${base(ids.t77)}/test`);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('method="get"');
    // The demo's RSA orientation is sectorised by organisation but booked by agents only: opened to the public here.
    await database.db.updateTable('appointment_types').set({ bookable_by: 'everyone' }).where('name', '=', 'Rendez-vous d’orientation RSA').execute();
    const melun = decode((await sophie.get(`${base(ids.t77)}/test?adresse=${encodeURIComponent('20 quai Hippolyte Rossignol 77000 Melun')}`)).body);
    expect(melun).toContain('Résultat pour « 20 Quai Hippolyte Rossignol 77000 Melun »');
    // The import above added the street 77288_0740 to the Melun sector: matched by the street.
    expect(melun).toContain('Secteur de Melun (melun) — par la rue');
    expect(melun).toContain('Organisation : Maison départementale des solidarités de Melun');
    expect(melun).toContain('Rendez-vous d’orientation RSA');
    expect(melun).toContain('par organisation');
    // A street sector attributed to an agent takes over the commune for its street.
    await sophie.get(`${base(ids.t77)}/secteurs/nouveau`);
    const created = await sophie.post(`${base(ids.t77)}/secteurs/nouveau`, { nom: 'Rue de la Cordonnerie', identifiant: 'cordonnerie' });
    const path = created.headers.location ?? '';
    await sophie.get(path);
    await sophie.post(`${path}/zones/rue`, { idVoie: '77284_0230', nomVoie: 'Rue de la Cordonnerie' });
    await sophie.get(path);
    await sophie.post(`${path}/attributions`, { cible: `agent:${String(ids.melun)}:${String(ids.nadia)}` });
    const meaux = decode((await sophie.get(`${base(ids.t77)}/test?adresse=${encodeURIComponent('8 rue de la Cordonnerie 77100 Meaux')}`)).body);
    expect(meaux).toContain('Rue de la Cordonnerie (cordonnerie) — par la rue');
    expect(meaux).not.toContain('(meaux) — par la commune');
    expect(meaux).toContain('Agent : Nadia Benali (Maison départementale des solidarités de Melun)');
    // Melun's organisation-level motifs need Melun's attribution: not for this street (Nadia's is at agent level).
    expect(meaux).not.toContain('Organisation : Maison départementale des solidarités de Melun');
    expect(meaux).not.toMatch(/Rendez-vous d’orientation RSA \(en visio\)<\/td><td>Maison départementale des solidarités de Melun/);
    const reunion = decode((await sophie.get(`${base(ids.t77)}/test?adresse=${encodeURIComponent('2 rue de la Source 97400 Saint-Denis')}`)).body);
    expect(reunion).toContain('hors de ce territoire');
    const nowhere = decode((await sophie.get(`${base(ids.t77)}/test?adresse=zzzz`)).body);
    expect(nowhere).toContain('Aucune adresse trouvée');
    const blank = await sophie.get(`${base(ids.t77)}/test?adresse=%20`);
    expect(blank.statusCode).toBe(422);
    expect(decode(blank.body)).toContain('Indiquez une adresse.');
  });

  it('forgets the kept files once expired, every night', async () => {
    const job = scheduledJobs.find((candidate) => candidate.name === 'purge-sectorisation-imports');
    if (job === undefined) throw new Error('the purge is not scheduled');
    const agentId = ids.nadia;
    const row = (id: string, expiresAt: Date) => ({ id, territory_id: ids.t77, agent_id: agentId, file_name: 'z.csv', content: 'x', content_sha256: 'a'.repeat(64), created_at: new Date(expiresAt.getTime() - 3_600_000), expires_at: expiresAt });
    await database.db.insertInto('sectorisation_imports').values([row('1'.repeat(32), new Date(TEST_NOW.getTime() - 1000)), row('2'.repeat(32), new Date(TEST_NOW.getTime() + 60_000))]).execute();
    const expiredBefore = Number((await database.db.selectFrom('sectorisation_imports').select((eb) => eb.fn.countAll<string>().as('n')).where('expires_at', '<=', TEST_NOW).executeTakeFirstOrThrow()).n);
    expect(await job.run(createTestContext(database), TEST_NOW)).toBe(expiredBefore);
    const left = await database.db.selectFrom('sectorisation_imports').select('id').where('id', 'in', ['1'.repeat(32), '2'.repeat(32)]).execute();
    expect(left).toEqual([{ id: '2'.repeat(32) }]);
  });
});
