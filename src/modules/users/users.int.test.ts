import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { NOW, agentOf, findTypeId, firstPublicSlot, newKey, startOf } from '../../../test/support/appointments.js';
import { buildTestApp } from '../../../test/support/app.js';
import type { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { loadAgentPrincipal } from '../agents/index.js';
import { createAppointmentByAgent } from '../appointments/index.js';
import { foldText } from './domain/fold.js';
import { organisationUsersScopeOf, searchAndJournalUsers, usersScopeOf } from './index.js';

describe('users directory: search, user page, reason, create, edit, remove', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let melunId: number;
  let meauxId: number;
  let reunionId: number;
  let territory77: number;
  let melunAdminId: number;
  let elodieId: number;
  let patrickId: number;
  let karimId: number;
  let admin: InjectSession;
  let basic: InjectSession;
  let reunion: InjectSession;

  const base = (organisationId: number): string => `/agents/organisations/${String(organisationId)}/usagers`;

  async function idOf(table: 'organisations' | 'agents', column: 'slug' | 'email', value: string): Promise<number> {
    const row = await database.db.selectFrom(table).select('id').where(column as never, '=', value as never).executeTakeFirstOrThrow();
    return row.id;
  }

  async function userIdByName(firstName: string, lastName: string): Promise<number> {
    const row = await database.db.selectFrom('users').select('id').where('first_name', '=', firstName).where('last_name', '=', lastName).executeTakeFirstOrThrow();
    return row.id;
  }

  /** A usager known only to these organisations. */
  async function insertUser(values: { first: string; last: string; birthName?: string; birthDate?: string; email?: string; phone?: string }, organisationIds: number[]): Promise<number> {
    const row = await database.db
      .insertInto('users')
      .values({
        first_name: values.first,
        last_name: values.last,
        birth_name: values.birthName ?? null,
        birth_date: values.birthDate ?? null,
        email: values.email ?? null,
        phone_number: values.phone ?? null,
        phone_number_e164: values.phone ?? null,
        created_through: 'seed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const organisationId of organisationIds) await database.db.insertInto('user_profiles').values({ user_id: row.id, organisation_id: organisationId }).execute();
    return row.id;
  }

  async function journal(kind: 'user_search' | 'user_view') {
    return database.db.selectFrom('read_journal').selectAll().where('kind', '=', kind).orderBy('id', 'desc').execute();
  }

  async function setTerritory(values: { users_search_scope?: 'organisation' | 'territory'; read_reason_required?: boolean; user_fields?: string[] }): Promise<void> {
    await database.db
      .updateTable('territories')
      .set(values as never)
      .where('id', '=', territory77)
      .execute();
  }

  function searchIds(html: string, organisationId: number): number[] {
    const table = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
    return [...table.matchAll(new RegExp(`<th scope="row"><a href="${base(organisationId)}/(\\d+)"`, 'g'))].map((match) => Number(match[1]));
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildTestApp(database);
    melunId = await idOf('organisations', 'slug', 'mds-melun');
    meauxId = await idOf('organisations', 'slug', 'mds-meaux');
    const reunionOrg = await database.db.selectFrom('organisations as o').innerJoin('territories as t', 't.id', 'o.territory_id').select('o.id').where('t.departement_number', '=', '974').executeTakeFirstOrThrow();
    reunionId = reunionOrg.id;
    territory77 = (await database.db.selectFrom('territories').select('id').where('departement_number', '=', '77').executeTakeFirstOrThrow()).id;
    melunAdminId = await idOf('agents', 'email', DEMO_AGENT_EMAILS.melunAdmin);
    elodieId = await userIdByName('Élodie', 'Lefèvre');
    patrickId = await userIdByName('Patrick', 'Lebon');
    karimId = await userIdByName('Karim', 'Haddad');
    admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    basic = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    reunion = await signInAgent(app, DEMO_AGENT_EMAILS.reunionAdmin);
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('folds text in JavaScript exactly as creneau_fold does in the database', async () => {
    const samples = ['Élodie LEFÈVRE', 'N’Guyen', 'Œuvre-Façade', 'ÇA  va... bien', 'Jean-Marie d’Arc', 'Ægir Straße', 'x@Y.fr', '  '];
    for (const sample of samples) {
      const row = await sql<{ folded: string }>`SELECT creneau_fold(${sample}) AS folded`.execute(database.db);
      expect(row.rows[0]?.folded, sample).toBe(foldText(sample));
    }
  });

  it('finds a misspelt, accent-less name, and journals the ids returned (never the text)', async () => {
    const before = (await journal('user_search')).length;
    const page = await admin.get(`${base(melunId)}?recherche=${encodeURIComponent('Elodi Lefevr')}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const ids = searchIds(page.body, melunId);
    // Élodie Lefèvre and the demo's duplicate of her (« Elodie LEFEVRE », to be merged) come first.
    const duplicateId = await userIdByName('Elodie', 'LEFEVRE');
    expect(ids.slice(0, 2).sort((a, b) => a - b)).toEqual([elodieId, duplicateId].sort((a, b) => a - b));
    expect(page.body).toContain('<caption>');
    const entries = await journal('user_search');
    expect(entries.length).toBe(before + 1);
    const entry = entries[0];
    expect(entry?.user_ids).toEqual(ids);
    expect(entry?.agent_id).toBe(melunAdminId);
    expect(entry?.organisation_id).toBe(melunId);
    expect(entry?.details).toEqual({ results: ids.length });
    expect(JSON.stringify(entry)).not.toMatch(/lefevr/i);
  });

  it('finds by prefix, birth name, e-mail, id and phone typed in every French way', async () => {
    const birthNamed = await insertUser({ first: 'Gisèle', last: 'Martin', birthName: 'Déchelette' }, [melunId]);
    const cases: [string, number][] = [
      ['lefe', elodieId],
      ['LEFÈVRE', elodieId],
      ['dechelet', birthNamed],
      ['karim.hadd', karimId],
      [`#${String(karimId)}`, karimId],
      ['06 12 34 56 03', elodieId],
      ['+33 6 12 34 56 03', elodieId],
      ['0612345603', elodieId],
      ['06.12.34.56.03', elodieId],
      ['0033612345603', elodieId],
      ['0692 12 34 01', patrickId],
      ['+262 692 12 34 01', patrickId],
    ];
    for (const [text, expected] of cases) {
      const page = await admin.get(`${base(melunId)}?recherche=${encodeURIComponent(text)}`);
      expect(page.statusCode, text).toBe(200);
      expect(searchIds(page.body, melunId), text).toContain(expected);
    }
    const prefix = await admin.get(`${base(melunId)}?recherche=${encodeURIComponent('06 12 34 56')}`);
    expect(searchIds(prefix.body, melunId).length).toBeGreaterThanOrEqual(5);
  });

  it('ranks exact and prefix matches before similar names', async () => {
    await insertUser({ first: 'Anne', last: 'Lefebvre' }, [melunId]);
    const exact = await insertUser({ first: 'Anne', last: 'Lefèvre' }, [melunId]);
    const page = await admin.get(`${base(melunId)}?recherche=${encodeURIComponent('anne lefevre')}`);
    expect(searchIds(page.body, melunId)[0]).toBe(exact);
  });

  it('shows relatives with their responsible, and writes nothing for an empty or fruitless search', async () => {
    const page = await admin.get(`${base(melunId)}?recherche=noe`);
    expect(page.body).toMatch(/Noé[\s\S]*Camille Durand/);
    const before = (await journal('user_search')).length;
    expect((await admin.get(base(melunId))).statusCode).toBe(200);
    expect((await admin.get(`${base(melunId)}?recherche=zzzzqqqq`)).body).toContain('Aucun usager ne correspond');
    expect((await admin.get(`${base(melunId)}?recherche=e`)).body).toContain('au moins 2 lettres');
    expect((await journal('user_search')).length).toBe(before);
  });

  it('scopes the search and pages to the organisation, or to the territory when it says so', async () => {
    const meauxOnly = await insertUser({ first: 'Zéphyrin', last: 'Quintal' }, [meauxId]);
    const search = `${base(melunId)}?recherche=zephyrin`;
    expect(searchIds((await admin.get(search)).body, melunId)).not.toContain(meauxOnly);
    expect((await admin.get(`${base(melunId)}/${String(meauxOnly)}`)).statusCode).toBe(404);
    await setTerritory({ users_search_scope: 'territory' });
    try {
      expect(searchIds((await admin.get(search)).body, melunId)).toContain(meauxOnly);
      expect((await admin.get(`${base(melunId)}/${String(meauxOnly)}`)).statusCode).toBe(200);
      // Another territory never sees them.
      expect(searchIds((await reunion.get(`${base(reunionId)}?recherche=zephyrin`)).body, reunionId)).not.toContain(meauxOnly);
      expect((await reunion.get(`${base(reunionId)}/${String(meauxOnly)}`)).statusCode).toBe(404);
    } finally {
      await setTerritory({ users_search_scope: 'organisation' });
    }
  });

  it('serves the pickers: their limit still full when the kept usager is left out, their page in the journal, control characters as spaces, and the organisation alone when they ask', async () => {
    const principal = await loadAgentPrincipal(database.db, melunAdminId);
    if (principal === undefined) throw new Error('the demo has Melun’s admin');
    const many = [];
    for (let index = 0; index < 21; index += 1) many.push(await insertUser({ first: `Prénom${String(index).padStart(2, '0')}`, last: 'Piquenom' }, [melunId]));
    const scope = await usersScopeOf(database.db, principal, melunId);
    if (scope === undefined) throw new Error('Melun’s admin works in Melun');
    const left = many[3] ?? 0;
    const { results } = await searchAndJournalUsers(database.db, principal, scope, 'piquenom', { limit: 20, excludeUserId: left, details: { purpose: 'merge' } });
    expect(results).toHaveLength(20);
    expect(results.map((user) => user.id)).not.toContain(left);
    const [entry] = await journal('user_search');
    expect(entry?.user_ids.map(Number)).toEqual(results.map((user) => user.id));
    expect(entry?.details).toEqual({ purpose: 'merge', results: 20 });
    // A NUL byte is refused by PostgreSQL in a parameter: a separator, like a space.
    expect((await searchAndJournalUsers(database.db, principal, scope, 'piquenom\u0000prénom07@')).results).toEqual([]);
    expect((await searchAndJournalUsers(database.db, principal, scope, 'piquenom\u0000prenom07')).results.map((user) => user.id)).toEqual([many[7]]);

    const meauxOnly = await insertUser({ first: 'Prénom', last: 'Piquenom' }, [meauxId]);
    await setTerritory({ users_search_scope: 'territory' });
    try {
      const wide = await usersScopeOf(database.db, principal, melunId);
      const narrow = await organisationUsersScopeOf(database.db, principal, melunId);
      if (wide === undefined || narrow === undefined) throw new Error('Melun’s admin works in Melun');
      expect(narrow).toMatchObject({ organisationId: melunId, organisationIds: [melunId], territoryWide: false, territoryId: wide.territoryId });
      expect((await searchAndJournalUsers(database.db, principal, wide, 'prenom piquenom', { limit: 50 })).results.map((user) => user.id)).toContain(meauxOnly);
      expect((await searchAndJournalUsers(database.db, principal, narrow, 'prenom piquenom', { limit: 50 })).results.map((user) => user.id)).not.toContain(meauxOnly);
    } finally {
      await setTerritory({ users_search_scope: 'organisation' });
    }
  });

  it('answers 404 for another organisation’s pages and unknown ids', async () => {
    for (const url of [base(reunionId), `${base(reunionId)}/${String(elodieId)}`, `${base(reunionId)}/nouveau`, `${base(melunId)}/999999`, `${base(melunId)}/999999/modifier`]) {
      expect((await admin.get(url)).statusCode, url).toBe(404);
    }
    expect((await basic.get(base(meauxId))).statusCode).toBe(404);
  });

  it('shows the user page with identity, relatives, organisations and appointments, and journals the view', async () => {
    const camilleId = await userIdByName('Camille', 'Durand');
    const before = (await journal('user_view')).length;
    const page = await admin.get(`${base(melunId)}/${String(camilleId)}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Identité');
    expect(page.body).toContain('Noé Durand');
    expect(page.body).toContain('Maison départementale des solidarités de Melun'.slice(0, 10));
    expect(page.body).toMatch(/Rendez-vous (à venir|passés)/);
    const entries = await journal('user_view');
    expect(entries.length).toBe(before + 1);
    expect(entries[0]?.user_ids).toEqual([camilleId]);
    expect(entries[0]?.reason).toBeNull();
  });

  it('shows the territory’s social fields in French, and edits them', async () => {
    await setTerritory({ user_fields: ['caisse_affiliation', 'affiliation_number', 'family_situation', 'number_of_children', 'housing', 'case_number', 'notes'] });
    try {
      const form = await admin.get(`${base(melunId)}/${String(karimId)}/modifier`);
      expect(form.body).toContain('Numéro d’allocataire');
      const saved = await admin.post(`${base(melunId)}/${String(karimId)}/modifier`, {
        prenom: 'Karim',
        nom: 'Haddad',
        naissance: '03/09/1985',
        email: 'karim.haddad@demo.creneau.fr',
        telephone: '06 12 34 56 02',
        notifEmail: 'oui',
        caisse: 'caf',
        numeroAllocataire: '1234567',
        situationFamiliale: 'single',
        nombreEnfants: '2',
        logement: 'tenant',
        numeroDossier: 'D-42',
        notes: 'Préfère les rendez-vous le matin',
      });
      expect(saved.statusCode).toBe(303);
      const row = await database.db.selectFrom('users').selectAll().where('id', '=', karimId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ caisse_affiliation: 'caf', affiliation_number: '1234567', family_situation: 'single', number_of_children: 2, housing: 'tenant', case_number: 'D-42', notify_by_sms: false });
      const profile = await database.db.selectFrom('user_profiles').select('notes').where('user_id', '=', karimId).where('organisation_id', '=', melunId).executeTakeFirstOrThrow();
      expect(profile.notes).toBe('Préfère les rendez-vous le matin');
      const audit = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'user').where('subject_id', '=', karimId).where('action', '=', 'update').executeTakeFirstOrThrow();
      expect((audit.details as { fields: string }).fields).toContain('caisse_affiliation');
      expect(JSON.stringify(audit.details)).not.toContain('1234567');
      const page = await admin.get(`${base(melunId)}/${String(karimId)}`);
      expect(page.body).toContain('CAF');
      expect(page.body).toContain('Célibataire');
      expect(page.body).toContain('Locataire');
      expect(page.body).toContain('Préfère les rendez-vous le matin');
    } finally {
      await setTerritory({ user_fields: [] });
    }
  });

  it('asks for a reason first when the territory requires one, journals it, and remembers it for a while', async () => {
    await setTerritory({ read_reason_required: true });
    try {
      const before = (await journal('user_view')).length;
      const url = `${base(melunId)}/${String(elodieId)}`;
      const ask = await basic.get(url);
      expect(ask.statusCode).toBe(200);
      expect(ask.body).toContain('Pourquoi consultez-vous ce dossier');
      expect(ask.body).not.toContain('Lefèvre');
      expect((await journal('user_view')).length).toBe(before);
      expect((await basic.post(`${url}/motif`, { motif: '  ' })).statusCode).toBe(422);
      expect((await basic.post(`${url}/motif`, { motif: 'x'.repeat(501) })).statusCode).toBe(422);
      expect((await basic.get(`${base(melunId)}/999999`)).statusCode).toBe(404);
      await basic.get(url);
      const given = await basic.post(`${url}/motif`, { motif: 'Préparation du rendez-vous' });
      expect(given.statusCode).toBe(303);
      const page = await basic.get(url);
      expect(page.body).toContain('Lefèvre');
      await basic.get(url);
      const entries = await journal('user_view');
      expect(entries.length).toBe(before + 2);
      expect(entries[0]?.reason).toBe('Préparation du rendez-vous');
      // Another usager asks again.
      expect((await basic.get(`${base(melunId)}/${String(karimId)}`)).body).toContain('Pourquoi consultez-vous ce dossier');
    } finally {
      await setTerritory({ read_reason_required: false });
    }
  });

  it('creates a usager with a profile and an audit entry', async () => {
    await admin.get(`${base(melunId)}/nouveau`);
    const created = await admin.post(`${base(melunId)}/nouveau`, {
      prenom: 'Léa',
      nom: 'Fontaine',
      nomNaissance: 'Rivière',
      naissance: '12/03/1990',
      email: 'Lea.Fontaine@example.fr',
      telephone: '0694 20 12 34',
      adresse: '1 rue de la Paix, 77000 Melun',
      notifEmail: 'oui',
      notifSms: 'oui',
    });
    expect(created.statusCode).toBe(303);
    const id = Number(/usagers\/(\d+)$/.exec(String(created.headers.location))?.[1]);
    const row = await database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ first_name: 'Léa', birth_name: 'Rivière', birth_date: '1990-03-12', email: 'lea.fontaine@example.fr', phone_number: '0694 20 12 34', phone_number_e164: '+594694201234', created_through: 'agent' });
    expect(await database.db.selectFrom('user_profiles').select('user_id').where('user_id', '=', id).where('organisation_id', '=', melunId).executeTakeFirst()).toBeDefined();
    const audit = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'user').where('subject_id', '=', id).where('action', '=', 'create').executeTakeFirst();
    expect(audit?.actor_id).toBe(melunAdminId);
    expect((await admin.get(String(created.headers.location))).body).toContain('L’usager a été créé.');
  });

  it('keeps the input and names the fields on a 422', async () => {
    await admin.get(`${base(melunId)}/nouveau`);
    const refused = await admin.post(`${base(melunId)}/nouveau`, { prenom: 'Léo', nom: '', naissance: '31/02/2020', telephone: '12', email: 'pas-une-adresse' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Saisissez le nom.');
    expect(refused.body).toContain('Date de naissance invalide');
    expect(refused.body).toContain('Numéro de téléphone invalide');
    expect(refused.body).toContain('Adresse e-mail invalide');
    expect(refused.body).toContain('value="Léo"');
    expect(refused.body).toContain('href="#nom"');
  });

  it('blocks a second account with the same e-mail, with a link to the existing usager', async () => {
    await admin.get(`${base(melunId)}/nouveau`);
    const refused = await admin.post(`${base(melunId)}/nouveau`, { prenom: 'Karim', nom: 'Autre', email: 'KARIM.HADDAD@demo.creneau.fr', doublons: String(karimId), confirmerDoublon: 'oui' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('déjà celle d’un compte');
    expect(refused.body).toContain(`href="${base(melunId)}/${String(karimId)}"`);
    expect(await database.db.selectFrom('users').select('id').where('last_name', '=', 'Autre').executeTakeFirst()).toBeUndefined();
  });

  it('warns on the same names and birth date or the same phone, and saves once confirmed', async () => {
    await admin.get(`${base(melunId)}/nouveau`);
    // (Élodie Lefèvre has a duplicate in the demo: Karim, who has none, keeps the check to one usager.)
    const fields = { prenom: 'karim', nom: 'HÂDDAD', naissance: '03/09/1985' };
    const warned = await admin.post(`${base(melunId)}/nouveau`, fields);
    expect(warned.statusCode).toBe(422);
    expect(warned.body).toContain('Cet usager existe peut-être déjà');
    expect(warned.body).toContain('mêmes nom, prénom et date de naissance');
    const unconfirmed = await admin.post(`${base(melunId)}/nouveau`, { ...fields, doublons: String(karimId) });
    expect(unconfirmed.statusCode).toBe(422);
    const confirmed = await admin.post(`${base(melunId)}/nouveau`, { ...fields, doublons: String(karimId), confirmerDoublon: 'oui' });
    expect(confirmed.statusCode).toBe(303);
    // The same phone as Patrick (typed the national way) warns too.
    await admin.get(`${base(melunId)}/nouveau`);
    const phone = await admin.post(`${base(melunId)}/nouveau`, { prenom: 'Marie', nom: 'Lebon', telephone: '0692 12 34 01' });
    expect(phone.statusCode).toBe(422);
    expect(phone.body).toContain('même téléphone');
  });

  it('creates a relative from the responsible’s page', async () => {
    const form = await admin.get(`${base(melunId)}/nouveau?responsable=${String(karimId)}`);
    expect(form.body).toContain('Ajouter un proche de Karim Haddad');
    const created = await admin.post(`${base(melunId)}/nouveau`, { prenom: 'Inès', nom: 'Haddad', naissance: '01/01/2020', responsable: String(karimId), email: 'karim.haddad@demo.creneau.fr' });
    expect(created.statusCode).toBe(303);
    const id = Number(/usagers\/(\d+)$/.exec(String(created.headers.location))?.[1]);
    expect((await database.db.selectFrom('users').select('responsible_id').where('id', '=', id).executeTakeFirstOrThrow()).responsible_id).toBe(karimId);
    expect((await admin.get(`${base(melunId)}/nouveau?responsable=${String(id)}`)).statusCode).toBe(404);
    const melunOnly = await insertUser({ first: 'Seul', last: 'Melun' }, [melunId]);
    expect((await reunion.get(`${base(reunionId)}/nouveau?responsable=${String(melunOnly)}`)).statusCode).toBe(404);
  });

  it('creates one usager only when the same form is sent 50 times at once', async () => {
    await admin.get(`${base(melunId)}/nouveau`);
    const fields = { prenom: 'Bérénice', nom: 'Concurrente', naissance: '02/02/1992' };
    const responses = await Promise.all(Array.from({ length: 50 }, () => admin.post(`${base(melunId)}/nouveau`, fields)));
    expect(responses.filter((response) => response.statusCode === 303)).toHaveLength(1);
    expect(responses.every((response) => response.statusCode === 303 || response.statusCode === 422)).toBe(true);
    const rows = await database.db.selectFrom('users').select('id').where('last_name', '=', 'Concurrente').execute();
    expect(rows).toHaveLength(1);
  });

  it('edits a usager and refuses another account’s e-mail', async () => {
    const id = await insertUser({ first: 'Paul', last: 'Modifiable', email: 'paul.modifiable@example.fr' }, [melunId]);
    await admin.get(`${base(melunId)}/${String(id)}/modifier`);
    const taken = await admin.post(`${base(melunId)}/${String(id)}/modifier`, { prenom: 'Paul', nom: 'Modifiable', email: 'karim.haddad@demo.creneau.fr' });
    expect(taken.statusCode).toBe(422);
    const saved = await admin.post(`${base(melunId)}/${String(id)}/modifier`, { prenom: 'Paul', nom: 'Modifié', email: 'paul.modifiable@example.fr', notifEmail: 'oui' });
    expect(saved.statusCode).toBe(303);
    expect((await database.db.selectFrom('users').select('last_name').where('id', '=', id).executeTakeFirstOrThrow()).last_name).toBe('Modifié');
    const meauxOnly = await insertUser({ first: 'Hors', last: 'Portée' }, [meauxId]);
    await admin.get(`${base(melunId)}/nouveau`);
    expect((await admin.post(`${base(melunId)}/${String(meauxOnly)}/modifier`, { prenom: 'X', nom: 'Y' })).statusCode).toBe(404);
  });

  it('refuses to remove a usager with a future appointment here, listing it, and removes them otherwise', async () => {
    const id = await insertUser({ first: 'Rémi', last: 'Retirable' }, [melunId, meauxId]);
    const typeId = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    const slot = await firstPublicSlot(database.db, typeId, 3);
    const request = {
      organisationId: melunId,
      appointmentTypeId: typeId,
      startsAt: startOf(slot),
      durationMinutes: null,
      placeId: slot.placeId,
      oneOffAddress: null,
      agentIds: [agentOf(slot)],
      userIds: [id],
      newParticipants: [],
      context: null,
      acknowledgedWarnings: [] as string[],
      overlapReason: 'Test' as string | null,
      actingAgentId: melunAdminId,
      idempotencyKey: newKey(),
      now: NOW,
    };
    let created = await createAppointmentByAgent(database.db, request);
    if (!created.ok && created.reason === 'WARNINGS') created = await createAppointmentByAgent(database.db, { ...request, idempotencyKey: newKey(), acknowledgedWarnings: created.warnings.map((warning) => warning.key) });
    expect(created.ok).toBe(true);
    await admin.get(`${base(melunId)}/${String(id)}`);
    const refused = await admin.post(`${base(melunId)}/${String(id)}/retirer`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('ne peut pas être retiré');
    expect(refused.body).toContain('Premier rendez-vous avec une assistante sociale');
    expect(await database.db.selectFrom('user_profiles').select('user_id').where('user_id', '=', id).where('organisation_id', '=', melunId).executeTakeFirst()).toBeDefined();
    // Meaux has no appointment of theirs: removing there is allowed (by Meaux's agent).
    const meaux = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
    await meaux.get(`${base(meauxId)}/${String(id)}`);
    const removed = await meaux.post(`${base(meauxId)}/${String(id)}/retirer`, {});
    expect(removed.statusCode).toBe(303);
    expect(await database.db.selectFrom('user_profiles').select('user_id').where('user_id', '=', id).where('organisation_id', '=', meauxId).executeTakeFirst()).toBeUndefined();
    const audit = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'user').where('subject_id', '=', id).where('action', '=', 'delete').executeTakeFirst();
    expect(audit?.details).toMatchObject({ organisationId: meauxId });
    // Now unknown to Meaux: 404 there, and removing again is a 404.
    expect((await meaux.get(`${base(meauxId)}/${String(id)}`)).statusCode).toBe(404);
    await meaux.get(base(meauxId));
    expect((await meaux.post(`${base(meauxId)}/${String(id)}/retirer`, {})).statusCode).toBe(404);
  });

  it('answers hostile input with a 4xx and a French message, writing nothing', async () => {
    const usersBefore = (await database.db.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    expect((await admin.get(`${base(melunId)}?recherche=${'a'.repeat(10_000)}`)).statusCode).toBe(400);
    expect((await admin.get(`${base(melunId)}?recherche=${encodeURIComponent('abc\u0000')}`)).statusCode).toBe(400);
    expect((await admin.get(`${base(melunId)}?recherche=a&recherche=b`)).statusCode).toBe(400);
    expect((await admin.get(`${base(melunId)}?recherche=${encodeURIComponent("'; DROP TABLE users; --")}`)).statusCode).toBe(200);
    expect((await admin.get(`${base(melunId)}?recherche=${encodeURIComponent('100%_\\')}`)).statusCode).toBe(200);
    // A malformed id in the path is an unknown page.
    expect((await admin.get(`${base(melunId)}/abc`)).statusCode).toBe(404);
    expect((await admin.get(`${base(melunId)}/99999999999`)).statusCode).toBe(404);
    await admin.get(`${base(melunId)}/nouveau`);
    const long = await admin.post(`${base(melunId)}/nouveau`, { prenom: 'x'.repeat(10_000), nom: 'Nom\u0007', adresse: 'https://evil.example', nombreEnfants: '-1' });
    expect(long.statusCode).toBe(422);
    expect(long.body).not.toContain('x'.repeat(6000));
    const tooLong = await admin.post(`${base(melunId)}/nouveau`, { prenom: 'x'.repeat(10_001), nom: 'A' });
    expect(tooLong.statusCode).toBe(400);
    const repeated = await admin.send('POST', `${base(melunId)}/nouveau`, 'prenom=a&prenom=b&nom=c', 'application/x-www-form-urlencoded');
    expect(repeated.statusCode).toBeGreaterThanOrEqual(400);
    expect(repeated.statusCode).toBeLessThan(500);
    const usersAfter = (await database.db.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    expect(usersAfter).toBe(usersBefore);
  });
});
