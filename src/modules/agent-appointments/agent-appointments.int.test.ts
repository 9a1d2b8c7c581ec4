import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { MINUTE_MS, NOW, agentOf, createUser, findTypeId, firstPublicSlot, newKey, startOf } from '../../../test/support/appointments.js';
import { buildTestApp } from '../../../test/support/app.js';
import type { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createKnownUsager } from '../../../test/support/usagers.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { dayNumberToIsoDate, epochMinutesToLocal, formatTimeOfDay } from '../../shared/time/index.js';
import type { Slot } from '../availability/index.js';
import { createAppointmentByAgent } from '../appointments/index.js';

describe('agent appointment pages: wizard, detail, status, edit, history', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let melunId: number;
  let meauxId: number;
  let socialTypeId: number;
  let pmiTypeId: number;
  let adminId: number;
  let slot: Slot;
  let admin: InjectSession;

  const rdv = (organisationId: number): string => `/agents/organisations/${String(organisationId)}/rdv`;

  async function idOf(table: 'organisations' | 'agents', column: 'slug' | 'email', value: string): Promise<number> {
    const row = await database.db.selectFrom(table).select('id').where(column as never, '=', value as never).executeTakeFirstOrThrow();
    return row.id;
  }

  /** Creates an appointment through the core, confirming whatever it warns about. */
  async function createThroughCore(input: { typeId: number; agentIds: number[]; userIds: number[]; startsAt: Date; placeId: number | null }): Promise<number> {
    const request = {
      organisationId: melunId,
      appointmentTypeId: input.typeId,
      startsAt: input.startsAt,
      durationMinutes: null,
      placeId: input.placeId,
      oneOffAddress: null,
      agentIds: input.agentIds,
      userIds: input.userIds,
      newParticipants: [],
      context: null,
      acknowledgedWarnings: [] as string[],
      overlapReason: 'Test' as string | null,
      actingAgentId: adminId,
      idempotencyKey: newKey(),
      now: NOW,
    };
    const first = await createAppointmentByAgent(database.db, request);
    if (first.ok) return first.appointmentId;
    if (first.reason !== 'WARNINGS') throw new Error(first.reason);
    const second = await createAppointmentByAgent(database.db, { ...request, idempotencyKey: newKey(), acknowledgedWarnings: first.warnings.map((warning) => warning.key) });
    if (!second.ok) throw new Error(second.reason);
    return second.appointmentId;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    app = await buildTestApp(database);
    melunId = await idOf('organisations', 'slug', 'mds-melun');
    meauxId = await idOf('organisations', 'slug', 'mds-meaux');
    adminId = await idOf('agents', 'email', DEMO_AGENT_EMAILS.melunAdmin);
    socialTypeId = await findTypeId(database.db, 'mds-melun', 'Premier rendez-vous avec une assistante sociale');
    pmiTypeId = await findTypeId(database.db, 'mds-melun', 'Consultation de puériculture');
    slot = await firstPublicSlot(database.db, socialTypeId, 3);
    admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  /** Opens the wizard prefilled and returns its base path. */
  async function openWizard(session: InjectSession, query: string): Promise<string> {
    const opened = await session.get(`${rdv(melunId)}/nouveau?${query}`);
    expect(opened.statusCode).toBe(303);
    const location = String(opened.headers.location);
    return location.slice(0, location.lastIndexOf('/'));
  }

  it('preselects the place given by the slot search and reads the start in its zone; a place of another organisation is ignored', async () => {
    const places = await database.db.selectFrom('places').select(['id', 'organisation_id']).where('status', '=', 'enabled').orderBy('id').execute();
    const melunPlaces = places.filter((place) => place.organisation_id === melunId);
    const second = melunPlaces[1];
    const foreign = places.find((place) => place.organisation_id === meauxId);
    if (second === undefined || foreign === undefined) throw new Error('the demo has two Melun places and one in Meaux');
    const start = '2026-12-03T08:30:00Z';
    const wizard = await openWizard(admin, `motif=${String(socialTypeId)}&agents=${String(adminId)}&debut=${start}&lieu=${String(second.id)}`);
    const details = await admin.get(`${wizard}/details`);
    expect(details.statusCode).toBe(200);
    expect(details.body).toMatch(new RegExp(`id="lieu-${String(second.id)}" name="lieu" value="${String(second.id)}" checked`));
    expect(details.body).toContain('value="09:30"');
    const elsewhere = await openWizard(admin, `motif=${String(socialTypeId)}&debut=${start}&lieu=${String(foreign.id)}`);
    const page = await admin.get(`${elsewhere}/details`);
    expect(page.body).not.toContain(`id="lieu-${String(foreign.id)}"`);
    // The organisation's first listed place, as without a prefill.
    expect(page.body.match(/name="lieu" value="(\d+)" checked/)?.[1]).toBe(/id="lieu-(\d+)"/.exec(page.body)?.[1]);
  });

  it('creates an appointment with a new usager through the wizard prefilled from the agenda, then shows it', async () => {
    const wizard = await openWizard(admin, `motif=${String(socialTypeId)}&agents=${String(agentOf(slot))}&debut=${startOf(slot).toISOString()}`);
    expect(wizard).toMatch(new RegExp(`^${rdv(melunId)}/nouveau/[A-Za-z0-9_-]{16,40}$`));
    const participants = await admin.get(`${wizard}/participants`);
    expect(participants.statusCode).toBe(200);
    expect(participants.headers['cache-control']).toBe('no-store');
    // a mistyped phone keeps what was typed (422)
    const invalid = await admin.post(`${wizard}/participants`, { action: 'creer', prenom: 'Inès', nom: 'Martin-Lefort', naissance: '03/02/1990', telephone: '12', email: '' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('Numéro de téléphone invalide');
    expect(invalid.body).toContain('value="Martin-Lefort"');
    const created = await admin.post(`${wizard}/participants`, { action: 'creer', prenom: 'Inès', nom: 'Martin-Lefort', naissance: '03/02/1990', telephone: '06 11 22 33 45', email: 'ines.martin@example.fr' });
    expect(created.statusCode).toBe(303);
    expect((await admin.get(`${wizard}/participants`)).body).toContain('Inès Martin-Lefort');
    expect((await admin.post(`${wizard}/participants`, { action: 'continuer' })).headers.location).toBe(`${wizard}/details`);
    const details = await admin.get(`${wizard}/details`);
    const local = epochMinutesToLocal('Europe/Paris', slot.startsAtEpochMinutes);
    const date = dayNumberToIsoDate(local.dayNumber);
    const time = formatTimeOfDay(local.minuteOfDay);
    expect(details.body).toContain(`value="${date}"`);
    expect(details.body).toContain(`value="${time}"`);
    expect(details.body).toContain('value="45"');
    const impossible = await admin.post(`${wizard}/details`, { agents: String(agentOf(slot)), date: '2026-02-30', heure: '25:61', duree: '45', lieu: String(slot.placeId), adresse: '', contexte: '' });
    expect(impossible.statusCode).toBe(422);
    expect(impossible.body).toContain('Date invalide');
    expect(impossible.body).toContain('Heure invalide');
    const saved = await admin.post(`${wizard}/details`, { agents: String(agentOf(slot)), date, heure: time, duree: '45', lieu: String(slot.placeId), adresse: '', contexte: 'Orientée par la CAF' });
    expect(saved.headers.location).toBe(`${wizard}/confirmation`);
    const review = await admin.get(`${wizard}/confirmation`);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('Inès Martin-Lefort');
    expect(review.body).not.toContain('Avertissements');
    const key = /name="cle" value="([^"]+)"/.exec(review.body)?.[1] ?? '';
    const done = await admin.post(`${wizard}/confirmation`, { cle: key });
    expect(done.statusCode).toBe(303);
    const detailPath = String(done.headers.location);
    expect(detailPath).toMatch(new RegExp(`^${rdv(melunId)}/\\d+$`));
    const detail = await admin.get(detailPath);
    expect(detail.statusCode).toBe(200);
    expect(detail.headers['cache-control']).toBe('no-store');
    expect(detail.body).toContain('Le rendez-vous est créé.');
    expect(detail.body).toContain('Premier rendez-vous avec une assistante sociale');
    expect(detail.body).toContain('(heure de Paris)');
    expect(detail.body).toContain('06 11 22 33 45');
    expect(detail.body).toContain('ines.martin@example.fr');
    expect(detail.body).toContain('Orientée par la CAF');
    expect(detail.body).toContain('Rendez-vous créé dans l’espace agents.');
    expect(detail.body).toContain('Sophie Lambert');
    const appointmentId = Number(detailPath.split('/').pop());
    const views = await database.db.selectFrom('audit_log').select(['actor_id']).where('action', '=', 'read').where('subject_type', '=', 'appointment').where('subject_id', '=', appointmentId).execute();
    expect(views).toEqual([{ actor_id: adminId }]);
    // the draft is gone: the same step answers 404
    expect((await admin.get(`${wizard}/confirmation`)).statusCode).toBe(404);
    // a double click replays the same key: no second appointment
    const user = await database.db.selectFrom('users').select('id').where('email', '=', 'ines.martin@example.fr').executeTakeFirstOrThrow();
    const participations = await database.db.selectFrom('participations').select('id').where('user_id', '=', user.id).execute();
    expect(participations).toHaveLength(1);
  });

  it('lists an overlap at review and creates only once it is confirmed with a reason; the detail and history say so', async () => {
    const userId = await createUser(database.db, 'Chevauchepage');
    await database.db.insertInto('user_profiles').values({ user_id: userId, organisation_id: melunId }).execute();
    const wizard = await openWizard(admin, `motif=${String(socialTypeId)}&agents=${String(agentOf(slot))}&debut=${startOf(slot).toISOString()}`);
    const search = await admin.get(`${wizard}/participants?recherche=chevauchepage`);
    expect(search.body).toContain('Test Chevauchepage');
    expect((await admin.post(`${wizard}/participants`, { action: 'ajouter', usager: String(userId) })).statusCode).toBe(303);
    await admin.post(`${wizard}/participants`, { action: 'continuer' });
    const details = await admin.get(`${wizard}/details`);
    const date = /name="date" value="([^"]+)"/.exec(details.body)?.[1] ?? '';
    const time = /name="heure" value="([^"]+)"/.exec(details.body)?.[1] ?? '';
    await admin.post(`${wizard}/details`, { agents: String(agentOf(slot)), date, heure: time, duree: '45', lieu: String(slot.placeId), adresse: '', contexte: '' });
    const review = await admin.get(`${wizard}/confirmation`);
    expect(review.body).toContain('Chevauchement :');
    const overlapKey = `overlap:${String(agentOf(slot))}`;
    expect(review.body).toContain(`value="${overlapKey}"`);
    const key = /name="cle" value="([^"]+)"/.exec(review.body)?.[1] ?? '';
    const unconfirmed = await admin.post(`${wizard}/confirmation`, { cle: key });
    expect(unconfirmed.statusCode).toBe(422);
    expect(unconfirmed.body).toContain('Confirmez chacun des avertissements');
    const withoutReason = await admin.post(`${wizard}/confirmation`, { cle: key, avertissements: overlapKey, motifChevauchement: '  ' });
    expect(withoutReason.statusCode).toBe(422);
    expect(withoutReason.body).toContain('Indiquez pourquoi le chevauchement est voulu.');
    const done = await admin.post(`${wizard}/confirmation`, { cle: key, avertissements: overlapKey, motifChevauchement: 'Urgence, accord de la cheffe de service' });
    expect(done.statusCode).toBe(303);
    const detail = await admin.get(String(done.headers.location));
    expect(detail.body).toContain('Chevauchement accepté pour');
    expect(detail.body).toContain('Urgence, accord de la cheffe de service');
    expect(detail.body).toContain('Avertissements passés outre : chevauchement.');
    const appointmentId = Number(String(done.headers.location).split('/').pop());
    const link = await database.db.selectFrom('appointment_agents').select(['overlap_allowed', 'overlap_allowed_by_agent_id']).where('appointment_id', '=', appointmentId).executeTakeFirstOrThrow();
    expect(link).toEqual({ overlap_allowed: true, overlap_allowed_by_agent_id: adminId });
  });

  it('searches participants with the users search: a misspelt name finds the accented one, a phone finds its usager, journaled; never another organisation’s usager, even territory-wide, nor an erased one', async () => {
    const phone = '06 12 34 98 71';
    const beatrice = await createKnownUsager(database.db, { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [melunId] });
    const foreign = await createKnownUsager(database.db, { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [meauxId] });
    const erased = await createKnownUsager(database.db, { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [melunId], erased: true });
    const wizard = await openWizard(admin, `motif=${String(socialTypeId)}`);
    const offered = (body: string): number[] => [...body.matchAll(/name="usager" value="(\d+)"/g)].map((match) => Number(match[1]));

    const misspelt = await admin.get(`${wizard}/participants?recherche=Beatrise`);
    expect(misspelt.statusCode).toBe(200);
    expect(offered(misspelt.body)).toContain(beatrice);
    expect(misspelt.body).toContain('Ajouter Béatrice Vauquelin');
    const byPhone = await admin.get(`${wizard}/participants?recherche=${encodeURIComponent(phone)}`);
    expect(offered(byPhone.body)).toEqual([beatrice]);
    const journal = await database.db.selectFrom('read_journal').select(['kind', 'user_ids', 'details', 'organisation_id']).where('agent_id', '=', adminId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect({ ...journal, user_ids: journal.user_ids.map(Number) }).toEqual({ kind: 'user_search', user_ids: [beatrice], details: { page: 'agent_appointment_wizard', results: 1 }, organisation_id: melunId });
    for (const body of [misspelt.body, byPhone.body]) expect(offered(body).filter((id) => id === foreign || id === erased)).toEqual([]);

    // The directory of a territory-wide scope reaches Meaux; the wizard still offers Melun's usagers only.
    const { territory_id: territoryId } = await database.db.selectFrom('organisations').select('territory_id').where('id', '=', melunId).executeTakeFirstOrThrow();
    await database.db.updateTable('territories').set({ users_search_scope: 'territory' }).where('id', '=', territoryId).execute();
    try {
      for (const search of ['Beatrise', phone, 'vauquelin']) {
        const page = await admin.get(`${wizard}/participants?recherche=${encodeURIComponent(search)}`);
        expect(offered(page.body), search).toContain(beatrice);
        expect(offered(page.body).filter((id) => id === foreign || id === erased), search).toEqual([]);
      }
    } finally {
      await database.db.updateTable('territories').set({ users_search_scope: 'organisation' }).where('id', '=', territoryId).execute();
    }
  });

  it('changes the status with the buttons the status machine allows, and writes it in the history', async () => {
    const userId = await createUser(database.db, 'Statutpage');
    const past = new Date(NOW.getTime() - 2 * 60 * MINUTE_MS);
    const appointmentId = await createThroughCore({ typeId: socialTypeId, agentIds: [agentOf(slot)], userIds: [userId], startsAt: past, placeId: slot.placeId });
    const path = `${rdv(melunId)}/${String(appointmentId)}`;
    const page = await admin.get(path);
    for (const value of ['seen', 'noshow', 'excused', 'revoked']) expect(page.body).toContain(`name="statut" value="${value}"`);
    expect(page.body).not.toContain('name="statut" value="unknown"');
    const seen = await admin.post(`${path}/statut`, { statut: 'seen' });
    expect(seen.statusCode).toBe(303);
    const after = await admin.get(path);
    expect(after.body).toContain('Statut mis à jour : Vu.');
    expect(after.body).toContain('Statut : À venir ou à renseigner → Vu.');
    expect(after.body).toContain('name="statut" value="unknown"');
    expect(after.body).not.toContain('name="statut" value="excused"');
    const refused = await admin.post(`${path}/statut`, { statut: 'excused' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Ce changement de statut n’est pas possible');
    expect((await admin.post(`${path}/statut`, { statut: 'annule' })).statusCode).toBe(400);
  });

  it('edits the time and the participants, confirming the warnings, and the history tells what changed', async () => {
    const userId = await createUser(database.db, 'Modifpage');
    const otherId = await createUser(database.db, 'Ajoutpage');
    await database.db.insertInto('user_profiles').values({ user_id: otherId, organisation_id: melunId }).execute();
    const start = new Date(startOf(slot).getTime() + 35 * 86_400_000);
    const appointmentId = await createThroughCore({ typeId: socialTypeId, agentIds: [agentOf(slot)], userIds: [userId], startsAt: start, placeId: slot.placeId });
    const path = `${rdv(melunId)}/${String(appointmentId)}`;
    const form = await admin.get(`${path}/modifier?recherche=ajoutpage`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Test Ajoutpage');
    const key = /name="cle" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const date = /name="date" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const fields = { cle: key, agents: String(agentOf(slot)), date, heure: '03:00', duree: '30', lieu: String(slot.placeId), adresse: '', contexte: '', usagers: String(otherId) };
    const warned = await admin.post(`${path}/modifier`, fields);
    expect(warned.statusCode).toBe(422);
    expect(warned.body).toContain('Hors des plages d’ouverture');
    expect(warned.body).toContain('value="03:00"');
    const keys = [...warned.body.matchAll(/name="avertissements" value="([^"]+)"/g)].map((match) => match[1] ?? '');
    const pairs: [string, string][] = [...Object.entries({ ...fields, _csrf: /name="_csrf" value="([^"]+)"/.exec(warned.body)?.[1] ?? '' }), ...keys.map((value): [string, string] => ['avertissements', value])];
    const saved = await admin.send('POST', `${path}/modifier`, new URLSearchParams(pairs).toString(), 'application/x-www-form-urlencoded');
    expect(saved.statusCode).toBe(303);
    const detail = await admin.get(path);
    expect(detail.body).toContain('Le rendez-vous est modifié.');
    expect(detail.body).toContain('à 3h00 (heure de Paris)');
    expect(detail.body).toContain('Horaire :');
    expect(detail.body).toContain('Un participant ajouté.');
    expect(detail.body).toContain('Un participant retiré.');
    expect(detail.body).toContain('Avertissements passés outre : hors plages d’ouverture.');
    expect(detail.body).toContain('Test Ajoutpage');
    const revision = await database.db.selectFrom('appointments').select('revision').where('id', '=', appointmentId).executeTakeFirstOrThrow();
    expect(revision.revision).toBe(1);
  });

  it('keeps a basic agent of the Service social away from PMI motifs and PMI appointments (404)', async () => {
    const basic = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    const wizard = await openWizard(basic, `motif=${String(pmiTypeId)}`);
    const motifs = await basic.get(`${wizard}/motif`);
    expect(motifs.statusCode).toBe(200);
    expect(motifs.body).toContain('Premier rendez-vous avec une assistante sociale');
    expect(motifs.body).not.toContain('Consultation de puériculture');
    expect((await basic.post(`${wizard}/motif`, { motif: String(pmiTypeId) })).statusCode).toBe(404);
    const pmiSlot = await firstPublicSlot(database.db, pmiTypeId, 3);
    const pmiAppointment = await createThroughCore({ typeId: pmiTypeId, agentIds: [agentOf(pmiSlot)], userIds: [await createUser(database.db, 'Pmipage')], startsAt: startOf(pmiSlot), placeId: pmiSlot.placeId });
    for (const suffix of ['', '/modifier']) expect((await basic.get(`${rdv(melunId)}/${String(pmiAppointment)}${suffix}`)).statusCode).toBe(404);
    await basic.get(`${wizard}/motif`);
    expect((await basic.post(`${rdv(melunId)}/${String(pmiAppointment)}/statut`, { statut: 'revoked' })).statusCode).toBe(404);
    // the admin of Melun sees it
    expect((await admin.get(`${rdv(melunId)}/${String(pmiAppointment)}`)).statusCode).toBe(200);
    // another agent's wizard draft is not reachable
    expect((await admin.get(`${wizard}/motif`)).statusCode).toBe(404);
  });

  it('answers 404 for Meaux ids and for another organisation’s appointment', async () => {
    const pmiSlot = await firstPublicSlot(database.db, pmiTypeId, 4);
    const appointmentId = await createThroughCore({ typeId: pmiTypeId, agentIds: [agentOf(pmiSlot)], userIds: [await createUser(database.db, 'Meauxpage')], startsAt: startOf(pmiSlot), placeId: pmiSlot.placeId });
    expect((await admin.get(`${rdv(meauxId)}/${String(appointmentId)}`)).statusCode).toBe(404);
    expect((await admin.get(`${rdv(meauxId)}/nouveau`)).statusCode).toBe(404);
    const meaux = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
    expect((await meaux.get(`${rdv(melunId)}/${String(appointmentId)}`)).statusCode).toBe(404);
    expect((await meaux.get(`${rdv(meauxId)}/${String(appointmentId)}`)).statusCode).toBe(404);
    expect((await admin.get(`${rdv(melunId)}/999999999`)).statusCode).toBe(404);
  });

  it('answers hostile input with 400 or 422, never 500', async () => {
    const wizard = await openWizard(admin, `motif=${String(socialTypeId)}`);
    const form = async (): Promise<void> => {
      await admin.get(`${wizard}/participants`);
    };
    // an impossible instant is ignored (the wizard opens without prefill); malformed ids are 404 like unknown ones
    expect((await admin.get(`${rdv(melunId)}/nouveau?debut=2026-13-45T99:99Z`)).statusCode).toBe(303);
    expect((await admin.get(`${rdv(melunId)}/nouveau?agents=abc`)).statusCode).toBe(400);
    expect((await admin.get(`${rdv(melunId)}/nouveau?motif=1&motif=2`)).statusCode).toBe(400);
    expect((await admin.get(`${rdv(melunId)}/abc`)).statusCode).toBe(404);
    expect((await admin.get(`${wizard}/participants?recherche=%00`)).statusCode).toBe(400);
    expect((await admin.get(`${wizard}/participants?recherche=${'%C3%A9'.repeat(300)}`)).statusCode).toBe(400);
    expect((await admin.get(`${wizard}/participants?recherche=%E2%9C%93%F0%9F%98%80`)).statusCode).toBe(200);
    expect((await admin.get(`${rdv(melunId)}/nouveau/court/motif`)).statusCode).toBe(404);
    await form();
    expect((await admin.post(`${wizard}/participants`, { action: 'pirater' })).statusCode).toBe(400);
    await form();
    expect((await admin.post(`${wizard}/participants`, { action: 'creer', prenom: 'x'.repeat(10_001), nom: 'Nom' })).statusCode).toBe(400);
    await form();
    const token = /name="_csrf" value="([^"]+)"/.exec(admin.lastBody)?.[1] ?? '';
    expect((await admin.send('POST', `${wizard}/participants`, JSON.stringify({ _csrf: token, action: ['creer'], prenom: { a: 1 } }), 'application/json')).statusCode).toBe(400);
    await form();
    const typed = [
      await admin.post(`${wizard}/participants`, { action: 'creer', prenom: 'Jean\u0000', nom: '✓✓✓', naissance: '2099-01-01', telephone: '+33 6 12', email: 'pas-un-email' }),
      await admin.post(`${wizard}/participants`, { action: 'creer', prenom: 'é'.repeat(300), nom: 'https://evil.fr', naissance: '31/02/2000', telephone: '', email: '' }),
    ];
    for (const response of typed) expect(response.statusCode).toBe(422);
    await admin.post(`${wizard}/participants`, { action: 'creer', prenom: 'Hostile', nom: 'Essai', naissance: '', telephone: '', email: '' });
    await admin.get(`${wizard}/details`);
    const details = await admin.post(`${wizard}/details`, { agents: String(agentOf(slot)), date: '2026-12-01', heure: '09:00', duree: '99999', lieu: '424242', adresse: 'a'.repeat(5000), contexte: 'notes\u0000' });
    expect(details.statusCode).toBe(422);
    expect(details.body).toContain('Durée invalide');
    expect(details.body).toContain('Choisissez un lieu de l’organisation.');
    expect(details.body).toContain('caractère de contrôle');
    const foreignAgent = await admin.post(`${wizard}/details`, { agents: String(await idOf('agents', 'email', DEMO_AGENT_EMAILS.meauxBasic)), date: '2026-12-01', heure: '09:00', duree: '30', lieu: String(slot.placeId), adresse: '', contexte: '' });
    expect(foreignAgent.statusCode).toBe(422);
    expect(foreignAgent.body).toContain('Choisissez des agents de l’organisation.');
    // a control character in a field the step does not use is not kept in the session either
    const unused = await admin.post(`${wizard}/details`, { agents: String(agentOf(slot)), date: '2026-12-01', heure: '09:00', duree: '30', lieu: String(slot.placeId), adresse: 'x\u0000', contexte: '' });
    expect(unused.statusCode).toBe(303);
    await admin.get(`${wizard}/details`);
    expect((await admin.post(`${wizard}/participants`, { action: 'ajouter', usager: '999999999' })).statusCode).toBe(404);
  });
});
