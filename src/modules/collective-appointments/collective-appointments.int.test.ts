import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { NOW, createUser, findTypeId, findUserId } from '../../../test/support/appointments.js';
import { buildTestApp } from '../../../test/support/app.js';
import type { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createKnownUsager } from '../../../test/support/usagers.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { planFromOutbox } from '../notifications/index.js';

const PMI_MELUN = 'pmi.melun@demo.creneau.fr';

// The machine running the suites is shared: generous timeouts (each test still asserts exact outcomes).
describe('collective appointments: list, creation, participants, statuses, notifications per participant', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let melunId: number;
  let meauxId: number;
  let claire: InjectSession;
  let nadia: InjectSession;
  let sophie: InjectSession;
  let aicha: InjectSession;
  let massageTypeId: number;
  let melunPlaceId: number;
  let claireId: number;
  let seededWorkshopId: number;
  let meauxWorkshopId: number;

  const base = (organisationId: number): string => `/agents/organisations/${String(organisationId)}/collectifs`;

  async function idOf(table: 'organisations' | 'agents', column: 'slug' | 'email', value: string): Promise<number> {
    const row = await database.db.selectFrom(table).select('id').where(column as never, '=', value as never).executeTakeFirstOrThrow();
    return row.id;
  }

  async function workshopOf(organisationId: number): Promise<number> {
    const row = await database.db.selectFrom('appointments').select('id').where('organisation_id', '=', organisationId).where('is_collective', '=', true).orderBy('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** Plans the pending outbox events and returns the notifications they produced (reminders apart), as `event user|agent channel`. */
  async function plannedAfter(action: () => Promise<unknown>): Promise<string[]> {
    await planFromOutbox(database.db, { now: NOW });
    const before = await database.db.selectFrom('notifications').select((eb) => eb.fn.max<string | number | null>('id').as('max')).executeTakeFirstOrThrow();
    await action();
    await planFromOutbox(database.db, { now: NOW });
    const rows = await database.db
      .selectFrom('notifications')
      .select(['event', 'user_id', 'agent_id', 'channel'])
      .where('id', '>', Number(before.max ?? 0))
      .where('event', '<>', 'reminder')
      .orderBy('id')
      .execute();
    return rows.map((row) => `${row.event} ${row.user_id === null ? `agent:${String(row.agent_id)}` : `user:${String(row.user_id)}`} ${row.channel}`).sort();
  }

  const sessionForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
    titre: 'Atelier portage',
    capacite: '2',
    lieu: String(melunPlaceId),
    agents: String(claireId),
    date: '2026-12-09',
    heure: '14:00',
    duree: '90',
    ...overrides,
  });

  async function createWorkshop(session: InjectSession, overrides: Record<string, string> = {}): Promise<number> {
    const form = await session.get(`${base(melunId)}/nouveau`);
    const key = /name="cle" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const created = await session.post(`${base(melunId)}/nouveau`, { motif: String(massageTypeId), cle: key, ...sessionForm(overrides) });
    expect(created.statusCode, created.body.slice(0, 300)).toBe(303);
    return Number(/\/collectifs\/(\d+)$/.exec(String(created.headers.location))?.[1]);
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildTestApp(database);
    melunId = await idOf('organisations', 'slug', 'mds-melun');
    meauxId = await idOf('organisations', 'slug', 'mds-meaux');
    claireId = await idOf('agents', 'email', PMI_MELUN);
    massageTypeId = await findTypeId(database.db, 'mds-melun', 'Atelier massage bébé');
    melunPlaceId = (await database.db.selectFrom('places').select('id').where('organisation_id', '=', melunId).where('name', '=', 'MDS de Melun').executeTakeFirstOrThrow()).id;
    seededWorkshopId = await workshopOf(melunId);
    meauxWorkshopId = await workshopOf(meauxId);
    claire = await signInAgent(app, PMI_MELUN);
    nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    aicha = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('lists the upcoming sessions the agent may see, with seats taken over capacity, and the past ones on request', async () => {
    const list = await claire.get(base(melunId));
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.body).toContain(`href="${base(melunId)}/${String(seededWorkshopId)}"`);
    expect(list.body).toContain('3 / 8');
    expect(list.body).toContain('mercredi 2 décembre 2026 à 9h30 (heure de Paris)');
    expect(list.body).toContain(`href="${base(melunId)}/nouveau"`);
    // The secretariat sees the whole organisation; the social service's agent does not see the PMI's workshop.
    expect((await sophie.get(base(melunId))).body).toContain(`/collectifs/${String(seededWorkshopId)}"`);
    const social = await nadia.get(base(melunId));
    expect(social.statusCode).toBe(200);
    expect(social.body).not.toContain(`/collectifs/${String(seededWorkshopId)}"`);
    const past = await claire.get(`${base(melunId)}?periode=passes`);
    expect(past.statusCode).toBe(200);
    expect(past.body).not.toContain(`/collectifs/${String(seededWorkshopId)}"`);
    expect((await claire.get(`${base(melunId)}?periode=hier`)).statusCode).toBe(400);
    // Another organisation's list: 404.
    expect((await claire.get(base(meauxId))).statusCode).toBe(404);
  });

  it('offers only the collective motifs the agent may use, keeps the input on a 422, and creates one session for a double submission', async () => {
    const form = await claire.get(`${base(melunId)}/nouveau`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Atelier massage bébé');
    expect(form.body).not.toContain('Consultation de puériculture');
    expect((await nadia.get(`${base(melunId)}/nouveau`)).body).toContain('Aucun motif collectif de vos services');
    const key = /name="cle" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const invalid = await claire.post(`${base(melunId)}/nouveau`, { motif: String(massageTypeId), cle: key, ...sessionForm({ capacite: '0', date: '2026-02-30', heure: '25:61', titre: 'Atelier du\u0000soir' }) });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('Nombre de places invalide');
    expect(invalid.body).toContain('Date invalide');
    expect(invalid.body).toContain('Heure invalide');
    expect(invalid.body).toContain('Titre invalide');
    expect(invalid.body).toContain('value="0"');
    // The social service's agent may not use the PMI's motif, even by its id.
    await nadia.get(`${base(melunId)}/nouveau`);
    const foreignMotif = await nadia.post(`${base(melunId)}/nouveau`, { motif: String(massageTypeId), cle: 'cle-nadia-0123456789abcdef', ...sessionForm() });
    expect(foreignMotif.statusCode).toBe(422);
    expect(foreignMotif.body).toContain('Choisissez un motif collectif de vos services');

    const before = await database.db.selectFrom('appointments').select((eb) => eb.fn.countAll<string | number>().as('count')).where('is_collective', '=', true).executeTakeFirstOrThrow();
    const fields = { motif: String(massageTypeId), cle: key, ...sessionForm({ capacite: '', titre: 'Atelier  sans   limite' }) };
    const first = await claire.post(`${base(melunId)}/nouveau`, fields);
    await claire.get(`${base(melunId)}/nouveau`); // the same form sent again (its CSRF token is the session's)
    const again = await claire.post(`${base(melunId)}/nouveau`, fields);
    expect(first.statusCode).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    const after = await database.db.selectFrom('appointments').select((eb) => eb.fn.countAll<string | number>().as('count')).where('is_collective', '=', true).executeTakeFirstOrThrow();
    expect(Number(after.count) - Number(before.count)).toBe(1);
    const detail = await claire.get(String(first.headers.location));
    expect(detail.body).toContain('Le rendez-vous collectif est créé.');
    expect(detail.body).toContain('Atelier sans limite');
    expect(detail.body).toContain('0 (sans limite)');
    expect(detail.body).toContain('mercredi 9 décembre 2026 à 14h00 (heure de Paris), 90 minutes');
    const id = Number(/\/collectifs\/(\d+)$/.exec(String(first.headers.location))?.[1]);
    const row = await database.db.selectFrom('appointments').select(['is_collective', 'max_participants', 'name', 'created_by_agent_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ is_collective: true, max_participants: null, name: 'Atelier sans limite', created_by_agent_id: claireId });
    const audit = await database.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'appointment').where('subject_id', '=', id).execute();
    expect(audit.map((entry) => entry.action)).toEqual(['create']);
  });

  it('adds a participant found in the directory and notifies that participant only; removing notifies them of the cancellation only', async () => {
    const id = await createWorkshop(claire, { capacite: '3' });
    const camille = await findUserId(database.db, 'Camille');
    const jeanne = await findUserId(database.db, 'Jeanne');
    const search = await claire.get(`${base(melunId)}/${String(id)}?recherche=durand`);
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain('Ajouter Camille Durand');
    const journal = await database.db.selectFrom('read_journal').select(['kind', 'user_ids']).where('agent_id', '=', claireId).where('kind', '=', 'user_search').execute();
    expect(journal.length).toBeGreaterThan(0);

    expect(await plannedAfter(() => claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(camille) }))).toEqual([`appointment_created user:${String(camille)} mail`, `appointment_created user:${String(camille)} sms`]);
    // Jeanne has a mobile and no e-mail: an SMS; Camille hears nothing more.
    await claire.get(`${base(melunId)}/${String(id)}`);
    expect(await plannedAfter(() => claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(jeanne) }))).toEqual([`appointment_created user:${String(jeanne)} sms`]);
    const page = await claire.get(`${base(melunId)}/${String(id)}`);
    expect(page.body).toContain('2 / 3');
    expect(page.body).toContain('Retirer Camille Durand');
    const views = await database.db.selectFrom('read_journal').select('user_ids').where('agent_id', '=', claireId).where('kind', '=', 'user_view').execute();
    expect(views.some((view) => view.user_ids.map(Number).includes(camille) && view.user_ids.map(Number).includes(jeanne))).toBe(true);
    // Twice: already registered.
    const twice = await claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(camille) });
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('déjà inscrit');

    await claire.get(`${base(melunId)}/${String(id)}`);
    expect(await plannedAfter(() => claire.post(`${base(melunId)}/${String(id)}/participants/retrait`, { usager: String(camille) }))).toEqual([`appointment_cancelled user:${String(camille)} mail`, `appointment_cancelled user:${String(camille)} sms`]);
    expect(await database.db.selectFrom('participations').select('id').where('appointment_id', '=', id).where('user_id', '=', camille).executeTakeFirst()).toBeUndefined();
    const removal = await database.db.selectFrom('audit_log').select(['action', 'details']).where('subject_type', '=', 'participation').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(removal.action).toBe('delete');
  });

  it('changes each participant’s status through the machine: a cancellation tells that participant only, coming back takes a seat again', async () => {
    const id = await createWorkshop(claire, { capacite: '2' });
    const karim = await findUserId(database.db, 'Karim');
    const moussa = await findUserId(database.db, 'Moussa');
    const patrick = await findUserId(database.db, 'Patrick');
    for (const userId of [karim, moussa]) {
      await claire.get(`${base(melunId)}/${String(id)}`);
      expect((await claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(userId) })).statusCode).toBe(303);
    }
    await claire.get(`${base(melunId)}/${String(id)}`);
    const early = await claire.post(`${base(melunId)}/${String(id)}/participants/statut`, { usager: String(karim), statut: 'seen' });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('qu’une fois le rendez-vous commencé');

    await claire.get(`${base(melunId)}/${String(id)}`);
    expect(await plannedAfter(() => claire.post(`${base(melunId)}/${String(id)}/participants/statut`, { usager: String(karim), statut: 'excused' }))).toEqual([`appointment_cancelled user:${String(karim)} mail`, `appointment_cancelled user:${String(karim)} sms`]);
    // Karim's seat is free again: Patrick takes it, then Karim cannot come back while it is full.
    await claire.get(`${base(melunId)}/${String(id)}`);
    expect((await claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(patrick) })).statusCode).toBe(303);
    await claire.get(`${base(melunId)}/${String(id)}`);
    const full = await claire.post(`${base(melunId)}/${String(id)}/participants/statut`, { usager: String(karim), statut: 'unknown' });
    expect(full.statusCode).toBe(409);
    expect(full.body).toContain('Toutes les places sont prises');
    await claire.get(`${base(melunId)}/${String(id)}`);
    expect((await claire.post(`${base(melunId)}/${String(id)}/participants/retrait`, { usager: String(patrick) })).statusCode).toBe(303);
    await claire.get(`${base(melunId)}/${String(id)}`);
    expect(await plannedAfter(() => claire.post(`${base(melunId)}/${String(id)}/participants/statut`, { usager: String(karim), statut: 'unknown' }))).toEqual([`appointment_created user:${String(karim)} mail`, `appointment_created user:${String(karim)} sms`]);
    const statuses = await database.db.selectFrom('participations').select(['user_id', 'status']).where('appointment_id', '=', id).orderBy('user_id').execute();
    expect(statuses.map((row) => row.status)).toEqual(['unknown', 'unknown']);
  });

  it('marks a participant seen once the session has begun', async () => {
    const later = await buildTestApp(database, new Date('2026-12-09T13:30:00Z'));
    try {
      const id = await createWorkshop(claire, { titre: 'Atelier du 9', heure: '14:00' });
      const moussa = await findUserId(database.db, 'Moussa');
      await claire.get(`${base(melunId)}/${String(id)}`);
      await claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(moussa) });
      const agent = await signInAgent(later, PMI_MELUN);
      await agent.get(`${base(melunId)}/${String(id)}`);
      const seen = await agent.post(`${base(melunId)}/${String(id)}/participants/statut`, { usager: String(moussa), statut: 'seen' });
      expect(seen.statusCode).toBe(303);
      const page = await agent.get(`${base(melunId)}/${String(id)}`);
      expect(page.body).toContain('Présent');
      const row = await database.db.selectFrom('participations').select('status').where('appointment_id', '=', id).where('user_id', '=', moussa).executeTakeFirstOrThrow();
      expect(row.status).toBe('seen');
    } finally {
      await later.close();
    }
  });

  it('changes title and capacity without notifying anyone, refuses a capacity below the registered, and tells every active participant of a new time', async () => {
    const id = await createWorkshop(claire, { capacite: '5' });
    const users = [await findUserId(database.db, 'Karim'), await findUserId(database.db, 'Élodie'), await findUserId(database.db, 'Moussa')];
    for (const userId of users) {
      await claire.get(`${base(melunId)}/${String(id)}`);
      expect((await claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(userId) })).statusCode).toBe(303);
    }
    await claire.get(`${base(melunId)}/${String(id)}`);
    await claire.post(`${base(melunId)}/${String(id)}/participants/statut`, { usager: String(users[2]), statut: 'revoked' });
    const edit = await claire.get(`${base(melunId)}/${String(id)}/modifier`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Atelier portage"');
    expect(edit.body).toContain('value="14:00"');
    const below = await claire.post(`${base(melunId)}/${String(id)}/modifier`, sessionForm({ capacite: '1' }));
    expect(below.statusCode).toBe(422);
    expect(below.body).toContain('plus de participants inscrits que ce nombre de places');
    expect(below.body).toContain('value="1"');
    await claire.get(`${base(melunId)}/${String(id)}/modifier`);
    expect(await plannedAfter(() => claire.post(`${base(melunId)}/${String(id)}/modifier`, sessionForm({ titre: 'Portage en écharpe', capacite: '2' })))).toEqual([]);
    const renamed = await database.db.selectFrom('appointments').select(['name', 'max_participants', 'revision']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(renamed).toMatchObject({ name: 'Portage en écharpe', max_participants: 2 });
    await claire.get(`${base(melunId)}/${String(id)}/modifier`);
    const unchanged = await claire.post(`${base(melunId)}/${String(id)}/modifier`, sessionForm({ titre: 'Portage en écharpe', capacite: '2' }));
    expect(unchanged.statusCode).toBe(422);
    expect(unchanged.body).toContain('Aucune modification');
    // The cancelled participant (Moussa) is not told; Karim (e-mail + mobile) and Élodie (mobile) are.
    await claire.get(`${base(melunId)}/${String(id)}/modifier`);
    const moved = await plannedAfter(() => claire.post(`${base(melunId)}/${String(id)}/modifier`, sessionForm({ titre: 'Portage en écharpe', capacite: '2', heure: '15:30' })));
    expect(moved).toEqual([`appointment_updated user:${String(users[0])} mail`, `appointment_updated user:${String(users[0])} sms`, `appointment_updated user:${String(users[1])} sms`].sort());
    const after = await database.db.selectFrom('appointments').select(['revision', sql<Date>`lower(during)`.as('starts_at')]).where('id', '=', id).executeTakeFirstOrThrow();
    expect(after.revision).toBe(renamed.revision + 1);
    expect(new Date(after.starts_at).toISOString()).toBe('2026-12-09T14:30:00.000Z');
  });

  it('cancels the whole session: every registered participant is told', async () => {
    const id = await createWorkshop(claire);
    const karim = await findUserId(database.db, 'Karim');
    await claire.get(`${base(melunId)}/${String(id)}`);
    await claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(karim) });
    await claire.get(`${base(melunId)}/${String(id)}`);
    expect(await plannedAfter(() => claire.post(`${base(melunId)}/${String(id)}/annuler`, {}))).toEqual([`appointment_cancelled user:${String(karim)} mail`, `appointment_cancelled user:${String(karim)} sms`]);
    const page = await claire.get(`${base(melunId)}/${String(id)}`);
    expect(page.body).toContain('Annulé');
    expect(page.body).not.toContain('Ajouter un participant');
    await claire.get(`${base(melunId)}/${String(id)}/modifier`);
    const edit = await claire.post(`${base(melunId)}/${String(id)}/modifier`, sessionForm({ titre: 'Autre' }));
    expect(edit.statusCode).toBe(422);
  });

  it('answers 404 for sessions, usagers and participants the agent may not reach', async () => {
    const outsider = await createUser(database.db, 'Horsperimetre');
    const individual = await database.db.selectFrom('appointments').select('id').where('organisation_id', '=', melunId).where('is_collective', '=', false).orderBy('id').executeTakeFirstOrThrow();
    const answers: string[] = [];
    const record = async (who: string, promise: Promise<{ statusCode: number }>): Promise<void> => {
      answers.push(`${who} → ${String((await promise).statusCode)}`);
    };
    await record('meaux agent on a melun session', aicha.get(`${base(melunId)}/${String(seededWorkshopId)}`));
    await record('melun agent, meaux session in melun', claire.get(`${base(melunId)}/${String(meauxWorkshopId)}`));
    await record('social agent on a PMI session', nadia.get(`${base(melunId)}/${String(seededWorkshopId)}`));
    await record('an individual appointment', claire.get(`${base(melunId)}/${String(individual.id)}`));
    await record('an individual appointment, edit', claire.get(`${base(melunId)}/${String(individual.id)}/modifier`));
    await claire.get(`${base(melunId)}/${String(seededWorkshopId)}`);
    await record('a usager outside the directory scope', claire.post(`${base(melunId)}/${String(seededWorkshopId)}/participants`, { usager: String(outsider) }));
    await claire.get(`${base(melunId)}/${String(seededWorkshopId)}`);
    await record('a non-participant removed', claire.post(`${base(melunId)}/${String(seededWorkshopId)}/participants/retrait`, { usager: String(outsider) }));
    await claire.get(`${base(melunId)}/${String(seededWorkshopId)}`);
    await record('a non-participant status', claire.post(`${base(melunId)}/${String(seededWorkshopId)}/participants/statut`, { usager: String(outsider), statut: 'excused' }));
    await nadia.get(base(melunId));
    await record('social agent adds to a PMI session', nadia.post(`${base(melunId)}/${String(seededWorkshopId)}/participants`, { usager: String(await findUserId(database.db, 'Camille')) }));
    expect(answers.filter((answer) => !answer.endsWith('→ 404'))).toEqual([]);
    const count = await database.db.selectFrom('participations').select((eb) => eb.fn.countAll<string | number>().as('count')).where('appointment_id', '=', seededWorkshopId).executeTakeFirstOrThrow();
    expect(Number(count.count)).toBe(3);
  });

  it('refuses hostile input with 4xx and writes nothing', async () => {
    const before = await database.db.selectFrom('participations').select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow();
    const detail = `${base(melunId)}/${String(seededWorkshopId)}`;
    const statuses: number[] = [];
    for (const value of ['\u0000', 'x'.repeat(10_001), '-1', 'abc', '9'.repeat(30), '<script>', '1 OR 1=1']) {
      await claire.get(detail);
      statuses.push((await claire.post(`${detail}/participants`, { usager: value })).statusCode);
      statuses.push((await claire.post(`${detail}/participants/statut`, { usager: '1', statut: value })).statusCode);
      // A search text is free: answered (escaped) or refused, never a server error.
      const searched = await claire.get(`${detail}?recherche=${encodeURIComponent(value)}`);
      expect(searched.statusCode === 200 || searched.statusCode === 400, `recherche=${value.slice(0, 20)}`).toBe(true);
      expect(searched.body).not.toContain('<script>');
      statuses.push((await claire.get(`${base(melunId)}/${encodeURIComponent(value)}`)).statusCode);
    }
    for (const field of ['titre', 'capacite', 'lieu', 'date', 'heure', 'duree']) {
      // Spaces only in the optional title or capacity mean « none » and « no limit »: not hostile there.
      const blank = field === 'titre' || field === 'capacite' ? [] : ['   '];
      for (const value of ['\u0000', '\r\nX: 1', '✓😀', 'é'.repeat(300), '2026-02-30', '25:61', ...blank]) {
        await claire.get(`${detail}/modifier`);
        const response = await claire.post(`${detail}/modifier`, sessionForm({ [field]: value }));
        statuses.push(response.statusCode);
        if (response.statusCode === 303) throw new Error(`${field}=${JSON.stringify(value)} was accepted`);
      }
    }
    await claire.get(detail);
    const token = /name="_csrf" value="([^"]+)"/.exec(claire.lastBody)?.[1] ?? '';
    statuses.push((await claire.send('POST', `${detail}/participants`, `_csrf=${encodeURIComponent(token)}&usager=1&usager=2`, 'application/x-www-form-urlencoded')).statusCode);
    statuses.push((await claire.send('POST', `${detail}/modifier`, `_csrf=${encodeURIComponent(token)}&titre=a&titre=b`, 'application/x-www-form-urlencoded')).statusCode);
    statuses.push((await claire.send('POST', `${detail}/participants`, JSON.stringify({ _csrf: token, usager: { $ne: '' } }), 'application/json')).statusCode);
    statuses.push((await claire.send('POST', `${detail}/modifier`, `_csrf=${encodeURIComponent(token)}&titre=a&capacite=${'9'.repeat(10_001)}`, 'application/x-www-form-urlencoded')).statusCode);
    expect(statuses.filter((status) => status < 400 || status >= 500)).toEqual([]);
    const after = await database.db.selectFrom('participations').select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(Number(before.count));
    const seeded = await database.db.selectFrom('appointments').select(['name', 'max_participants']).where('id', '=', seededWorkshopId).executeTakeFirstOrThrow();
    expect(seeded).toEqual({ name: 'Atelier massage bébé', max_participants: 8 });
  });

  it('keeps the public funnel’s seats: a usager joining online counts against the capacity the agent set', async () => {
    const id = await createWorkshop(claire, { capacite: '1', titre: 'Atelier à une place' });
    const { joinCollectiveAppointment } = await import('../appointments/index.js');
    const camille = await findUserId(database.db, 'Camille');
    const joined = await joinCollectiveAppointment(database.db, { appointmentId: id, userId: camille, idempotencyKey: 'join-collectif-0123456789', now: NOW });
    expect(joined.ok).toBe(true);
    const page = await claire.get(`${base(melunId)}/${String(id)}`);
    expect(page.body).toContain('1 / 1');
    expect(page.body).toContain('Toutes les places sont prises');
    await claire.get(`${base(melunId)}/${String(id)}`);
    const full = await claire.post(`${base(melunId)}/${String(id)}/participants`, { usager: String(await findUserId(database.db, 'Karim')) });
    expect(full.statusCode).toBe(409);
  });

  it('searches usagers to add with the users search: a misspelt name finds the accented one, a phone finds its usager, journaled; another organisation’s usager only where the territory says so, an erased one never', async () => {
    const phone = '06 12 34 98 72';
    const beatrice = await createKnownUsager(database.db, { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [melunId] });
    const foreign = await createKnownUsager(database.db, { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [meauxId] });
    const erased = await createKnownUsager(database.db, { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [melunId], erased: true });
    const id = await createWorkshop(claire, { capacite: '5', titre: 'Atelier recherche' });
    const detail = `${base(melunId)}/${String(id)}`;
    const offered = (body: string): number[] => [...body.matchAll(/name="usager" value="(\d+)"/g)].map((match) => Number(match[1]));

    const misspelt = await claire.get(`${detail}?recherche=Beatrise`);
    expect(misspelt.statusCode).toBe(200);
    expect(offered(misspelt.body)).toContain(beatrice);
    expect(misspelt.body).toContain('Ajouter Béatrice Vauquelin');
    const byPhone = await claire.get(`${detail}?recherche=${encodeURIComponent(phone)}`);
    expect(offered(byPhone.body)).toEqual([beatrice]);
    const journal = await database.db.selectFrom('read_journal').select(['kind', 'user_ids', 'details', 'organisation_id']).where('agent_id', '=', claireId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect({ ...journal, user_ids: journal.user_ids.map(Number) }).toEqual({ kind: 'user_search', user_ids: [beatrice], details: { page: 'collective_appointment', results: 1 }, organisation_id: melunId });
    for (const body of [misspelt.body, byPhone.body]) expect(offered(body).filter((userId) => userId === foreign || userId === erased)).toEqual([]);

    // The users directory's scope, as before: a territory-wide territory reaches Meaux's usagers.
    const { territory_id: territoryId } = await database.db.selectFrom('organisations').select('territory_id').where('id', '=', melunId).executeTakeFirstOrThrow();
    await database.db.updateTable('territories').set({ users_search_scope: 'territory' }).where('id', '=', territoryId).execute();
    try {
      const wide = await claire.get(`${detail}?recherche=${encodeURIComponent(phone)}`);
      expect(offered(wide.body).sort((a, b) => a - b)).toEqual([beatrice, foreign].sort((a, b) => a - b));
    } finally {
      await database.db.updateTable('territories').set({ users_search_scope: 'organisation' }).where('id', '=', territoryId).execute();
    }
  });
});
