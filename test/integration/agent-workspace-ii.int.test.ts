// Issue 10's pieces working together: a usager merged (erased in place, ADR 0021) is neither
// offered nor accepted by the appointment wizard and the collective participant picker; the
// collective page creates a usager through the users module and comes back to add them; the
// agent's appointment page of a collective session links to the collective page.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../src/seed/index.js';
import { epochMinutesToLocal, dayNumberToIsoDate, formatTimeOfDay } from '../../src/shared/time/index.js';
import { signInAgent } from '../support/agents.js';
import { NOW, agentOf, findTypeId, firstPublicSlot, startOf } from '../support/appointments.js';
import { buildTestApp } from '../support/app.js';
import { hiddenFields, type InjectSession } from '../support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

describe('agent workspace II: merged usagers, collective sessions and the users directory together', { timeout: 240_000 }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let sophie: InjectSession;
  let melunId: number;
  let meauxId: number;
  let elodieId: number;
  let duplicateId: number;
  let workshopId: number;

  const org = (organisationId: number): string => `/agents/organisations/${String(organisationId)}`;
  const count = async (table: 'appointments' | 'participations'): Promise<number> =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildTestApp(database, NOW);
    melunId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow()).id;
    meauxId = (await database.db.selectFrom('organisations').select('id').where('slug', '=', 'mds-meaux').executeTakeFirstOrThrow()).id;
    elodieId = (await database.db.selectFrom('users').select('id').where('first_name', '=', 'Élodie').executeTakeFirstOrThrow()).id;
    duplicateId = (await database.db.selectFrom('users').select('id').where('first_name', '=', 'Elodie').where('last_name', '=', 'LEFEVRE').executeTakeFirstOrThrow()).id;
    workshopId = (
      await database.db.selectFrom('appointments').select('id').where('organisation_id', '=', melunId).where('is_collective', '=', true).where(sql<boolean>`lower(during) > ${NOW}`).orderBy('id').executeTakeFirstOrThrow()
    ).id;
    sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('a participant picked in the wizard and merged meanwhile is refused with a French message, dropped from the draft, and no longer offered', async () => {
    const typeId = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    const slot = await firstPublicSlot(database.db, typeId, 3);
    const opened = await sophie.get(`${org(melunId)}/rdv/nouveau?motif=${String(typeId)}&agents=${String(agentOf(slot))}&debut=${startOf(slot).toISOString()}`);
    expect(opened.statusCode).toBe(303);
    const location = String(opened.headers.location);
    const wizard = location.slice(0, location.lastIndexOf('/'));

    const found = await sophie.get(`${wizard}/participants?recherche=lefevre`);
    expect(found.body).toContain(`name="usager" value="${String(duplicateId)}"`);
    expect(found.body).toContain(`name="usager" value="${String(elodieId)}"`);
    expect((await sophie.post(`${wizard}/participants`, { action: 'ajouter', usager: String(duplicateId) })).statusCode).toBe(303);
    await sophie.get(`${wizard}/participants`);
    expect((await sophie.post(`${wizard}/participants`, { action: 'ajouter', usager: String(elodieId) })).statusCode).toBe(303);
    await sophie.get(`${wizard}/participants`);
    expect((await sophie.post(`${wizard}/participants`, { action: 'continuer' })).headers.location).toBe(`${wizard}/details`);
    await sophie.get(`${wizard}/details`);
    const local = epochMinutesToLocal('Europe/Paris', slot.startsAtEpochMinutes);
    const saved = await sophie.post(`${wizard}/details`, {
      agents: String(agentOf(slot)),
      date: dayNumberToIsoDate(local.dayNumber),
      heure: formatTimeOfDay(local.minuteOfDay),
      duree: '45',
      lieu: String(slot.placeId),
      adresse: '',
      contexte: '',
    });
    expect(saved.headers.location).toBe(`${wizard}/confirmation`);

    // Another agent merges the duplicate into Élodie meanwhile.
    const nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    const mergeBase = `${org(melunId)}/usagers/${String(elodieId)}/fusionner`;
    const comparison = await nadia.get(`${mergeBase}?avec=${String(duplicateId)}`);
    const defaults = Object.fromEntries([...comparison.body.matchAll(/<input type="radio" id="[^"]+" name="([^"]+)" value="([^"]+)" checked>/g)].map((match) => [match[1] ?? '', match[2] ?? '']));
    expect((await nadia.post(mergeBase, { ...hiddenFields(comparison.body), ...defaults })).statusCode).toBe(303);

    // The review says so before the agent confirms; confirming is refused and writes nothing.
    const review = await sophie.get(`${wizard}/confirmation`);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('Un des participants a été fusionné avec une autre fiche');
    const before = [await count('appointments'), await count('participations')];
    const refused = await sophie.post(`${wizard}/confirmation`, hiddenFields(review.body));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Un des participants a été fusionné avec une autre fiche');
    expect([await count('appointments'), await count('participations')]).toEqual(before);

    // Back on the participants step: taken out of the draft, said, and no longer offered by the search.
    const participants = await sophie.get(`${wizard}/participants?recherche=lefevre`);
    expect(participants.body).toContain('il est retiré des participants');
    expect(participants.body).not.toContain(`value="${String(duplicateId)}"`);
    expect(participants.body).toContain(`name="usager" value="${String(elodieId)}"`);

    // With Élodie alone the appointment is created.
    const again = await sophie.get(`${wizard}/confirmation`);
    expect(again.body).not.toContain('fusionné avec une autre fiche');
    const warnings = [...again.body.matchAll(/name="avertissements" value="([^"]+)"/g)].map((match) => match[1] ?? '');
    const fields = new URLSearchParams({ ...hiddenFields(again.body), motifChevauchement: 'Test' });
    for (const warning of warnings) fields.append('avertissements', warning);
    const created = await sophie.send('POST', `${wizard}/confirmation`, fields.toString(), 'application/x-www-form-urlencoded');
    expect(created.statusCode).toBe(303);
    const appointmentId = Number(String(created.headers.location).split('/').pop());
    const attendees = await database.db.selectFrom('participations').select('user_id').where('appointment_id', '=', appointmentId).execute();
    expect(attendees.map((row) => row.user_id)).toEqual([elodieId]);
  });

  it('the collective participant picker does not offer the merged usager, and refuses their id as a foreign one', async () => {
    const page = await sophie.get(`${org(melunId)}/collectifs/${String(workshopId)}?recherche=lefevre`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`name="usager" value="${String(elodieId)}"`);
    expect(page.body).not.toContain(`value="${String(duplicateId)}"`);
    const before = await count('participations');
    expect((await sophie.post(`${org(melunId)}/collectifs/${String(workshopId)}/participants`, { usager: String(duplicateId) })).statusCode).toBe(404);
    expect(await count('participations')).toBe(before);
  });

  it('creates a usager from the collective page through the users directory, comes back, and adds them', async () => {
    const collective = `${org(melunId)}/collectifs/${String(workshopId)}`;
    const page = await sophie.get(collective);
    const createPath = `${org(melunId)}/usagers/nouveau?retour=${encodeURIComponent(collective)}`;
    expect(page.body).toContain(`href="${createPath}"`);
    const form = await sophie.get(createPath);
    expect(form.statusCode).toBe(200);
    expect(hiddenFields(form.body)).toMatchObject({ retour: collective });
    expect(form.body).toContain(`href="${collective}"`);

    const created = await sophie.post(`${org(melunId)}/usagers/nouveau`, { prenom: 'Maëlle', nom: 'Nouvelle-Atelier', telephone: '07 98 76 54 31', retour: collective });
    expect(created.statusCode, /id="erreurs"[\s\S]{0,600}/.exec(created.body)?.[0]).toBe(303);
    const back = String(created.headers.location);
    expect(back).toMatch(new RegExp(`^${collective}\\?nouvelUsager=\\d+$`));
    const newId = Number(back.split('=').pop());
    const offered = await sophie.get(back);
    expect(offered.statusCode).toBe(200);
    expect(offered.body).toContain('La fiche de Maëlle Nouvelle-Atelier est créée');
    expect(offered.body).toContain(`name="usager" value="${String(newId)}"`);
    // Their name and contact were shown: a view in the read journal.
    const journal = await database.db.selectFrom('read_journal').select(['kind', 'user_ids', 'details']).orderBy('id', 'desc').limit(2).execute();
    expect(journal.map((row) => ({ kind: row.kind, userIds: row.user_ids.map(Number), details: row.details }))).toContainEqual({ kind: 'user_view', userIds: [newId], details: { page: 'collective_appointment', created: true } });
    const added = await sophie.post(`${collective}/participants`, { usager: String(newId) });
    expect(added.statusCode).toBe(303);
    const participation = await database.db.selectFrom('participations').select('status').where('appointment_id', '=', workshopId).where('user_id', '=', newId).executeTakeFirstOrThrow();
    expect(participation.status).toBe('unknown');

    // Someone outside the agent's scope, or a malformed id: 404 / 400.
    const meauxUser = await database.db.insertInto('users').values({ first_name: 'Hors', last_name: 'Champ', created_through: 'agent' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('user_profiles').values({ user_id: meauxUser.id, organisation_id: meauxId }).execute();
    expect((await sophie.get(`${collective}?nouvelUsager=${String(meauxUser.id)}`)).statusCode).toBe(404);
    expect((await sophie.get(`${collective}?nouvelUsager=abc`)).statusCode).toBe(400);
  });

  it('ignores a return address that is not a page of the organisation: the new usager’s page instead', async () => {
    const hostile = [
      'https://evil.example/agents/organisations',
      '//evil.example/x',
      '/\\evil.example',
      `${org(meauxId)}/collectifs/1`,
      `${org(melunId)}/../../mes-rdv`,
      `${org(melunId)}/%2e%2e/%2e%2e/mes-rdv`,
      `${org(melunId)}/collectifs/1#x`,
      `${org(melunId)}/collectifs/1\u0000`,
    ];
    for (const [index, retour] of hostile.entries()) {
      const form = await sophie.get(`${org(melunId)}/usagers/nouveau?retour=${encodeURIComponent(retour)}`);
      expect(form.statusCode, retour).toBeLessThan(500);
      expect(hiddenFields(form.body).retour, retour).toBeUndefined();
      const created = await sophie.post(`${org(melunId)}/usagers/nouveau`, { prenom: 'Retour', nom: `Hostile-${'abcdefghij'.charAt(index)}`, retour });
      expect(created.statusCode, /id="erreurs"[\s\S]{0,600}/.exec(created.body)?.[0]).toBe(303);
      expect(created.statusCode, retour).toBe(303);
      expect(String(created.headers.location), retour).toMatch(new RegExp(`^${org(melunId)}/usagers/\\d+$`));
    }
    // Far too long: refused by the route's schema (4xx), nothing created.
    await sophie.get(`${org(melunId)}/usagers/nouveau`);
    const long = await sophie.post(`${org(melunId)}/usagers/nouveau`, { prenom: 'Retour', nom: 'Trop-Long', retour: `/${'x'.repeat(10_000)}` });
    expect(long.statusCode).toBe(400);
  });

  it('the agent’s page of a collective appointment links to the collective page', async () => {
    const page = await sophie.get(`${org(melunId)}/rdv/${String(workshopId)}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="${org(melunId)}/collectifs/${String(workshopId)}"`);
    expect(page.body).toContain('Gérer le rendez-vous collectif et ses participants');
    expect(page.body).not.toContain(`href="${org(melunId)}/rdv/${String(workshopId)}/modifier"`);
  });
});
