import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENT_EMAILS, DEMO_USER_EMAIL, seedDemoTerritory } from '../../seed/index.js';
import { signInAgent } from '../../../test/support/agents.js';
import { TEST_NOW, buildTestApp } from '../../../test/support/app.js';
import { hiddenFields, type InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { createKnownUsager } from '../../../test/support/usagers.js';

const DAY_MS = 86_400_000;

describe('merging two usagers (issue 10 §1)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let nadia: InjectSession;
  let aicha: InjectSession;
  let melunId: number;
  let meauxId: number;
  let elodieId: number;
  let duplicateId: number;

  const db = () => database.db;
  const base = (organisationId: number, userId: number) => `/agents/organisations/${String(organisationId)}/usagers/${String(userId)}/fusionner`;

  async function organisationId(slug: string): Promise<number> {
    return (await db().selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  }

  /** A usager with a profile in the organisations given. */
  async function createUsager(values: { firstName: string; lastName: string; phone?: string; responsibleId?: number; passwordHash?: string; email?: string }, organisationIds: readonly number[]): Promise<number> {
    const row = await db()
      .insertInto('users')
      .values({
        first_name: values.firstName,
        last_name: values.lastName,
        responsible_id: values.responsibleId ?? null,
        phone_number: values.phone ?? null,
        phone_number_e164: values.phone ?? null,
        email: values.email ?? null,
        password_hash: values.passwordHash ?? null,
        confirmed_at: values.passwordHash === undefined ? null : TEST_NOW,
        created_through: 'agent',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const id of organisationIds) await db().insertInto('user_profiles').values({ user_id: row.id, organisation_id: id }).execute();
    return row.id;
  }

  /** Opens the comparison and posts its form with the choices given (the page's defaults otherwise). */
  async function merge(session: InjectSession, keptId: number, mergedId: number, choices: Record<string, string> = {}) {
    const page = await session.get(`${base(melunId, keptId)}?avec=${String(mergedId)}`);
    expect(page.statusCode).toBe(200);
    const defaults = Object.fromEntries([...page.body.matchAll(/<input type="radio" id="[^"]+" name="([^"]+)" value="([^"]+)" checked>/g)].map((match) => [match[1] ?? '', match[2] ?? '']));
    return session.post(base(melunId, keptId), { ...hiddenFields(page.body), ...defaults, ...choices });
  }

  function token(): string {
    return createHash('sha256').update(randomUUID()).digest('hex');
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildTestApp(database, TEST_NOW);
    nadia = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
    aicha = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
    melunId = await organisationId('mds-melun');
    meauxId = await organisationId('mds-meaux');
    elodieId = (await db().selectFrom('users').select('id').where('first_name', '=', 'Élodie').executeTakeFirstOrThrow()).id;
    duplicateId = (await db().selectFrom('users').select('id').where('first_name', '=', 'Elodie').where('last_name', '=', 'LEFEVRE').executeTakeFirstOrThrow()).id;
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('finds the demo duplicate among the visible usagers, and journals the search', async () => {
    const empty = await nadia.get(base(melunId, elodieId));
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Cherchez le doublon');
    const found = await nadia.get(`${base(melunId, elodieId)}?recherche=${encodeURIComponent('lefevre elo')}`);
    expect(found.statusCode).toBe(200);
    expect(found.headers['cache-control']).toBe('no-store');
    expect(found.body).toContain(`fusionner?avec=${String(duplicateId)}`);
    expect(found.body).not.toContain(`fusionner?avec=${String(elodieId)}"`);
    const entry = await db().selectFrom('read_journal').selectAll().where('kind', '=', 'user_search').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry.user_ids.map(Number)).toEqual([duplicateId]);
    expect(entry.details).toMatchObject({ purpose: 'merge', results: 1 });
    // LIKE wildcards are text, not patterns.
    const wildcard = await nadia.get(`${base(melunId, elodieId)}?recherche=${encodeURIComponent('%')}`);
    expect(wildcard.body).toContain('Aucun autre usager visible ne correspond.');
  });

  it('finds the duplicate with the users search: a misspelt name finds the accented one, a phone finds its usager but never the kept one; never another organisation’s usager nor an erased one', async () => {
    const phone = '06 12 34 98 73';
    const kept = await createKnownUsager(db(), { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [melunId] });
    const duplicate = await createKnownUsager(db(), { firstName: 'Beatrice', lastName: 'VAUQUELIN', phone, organisationIds: [melunId] });
    const foreign = await createKnownUsager(db(), { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [meauxId] });
    const erased = await createKnownUsager(db(), { firstName: 'Béatrice', lastName: 'Vauquelin', phone, organisationIds: [melunId], erased: true });
    const offered = (body: string): number[] => [...body.matchAll(/fusionner\?avec=(\d+)/g)].map((match) => Number(match[1]));

    const misspelt = await nadia.get(`${base(melunId, kept)}?recherche=Beatrise`);
    expect(misspelt.statusCode).toBe(200);
    expect(offered(misspelt.body)).toContain(duplicate);
    const byPhone = await nadia.get(`${base(melunId, kept)}?recherche=${encodeURIComponent(phone)}`);
    expect(offered(byPhone.body)).toEqual([duplicate]);
    const entry = await db().selectFrom('read_journal').select(['kind', 'user_ids', 'details']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect({ ...entry, user_ids: entry.user_ids.map(Number) }).toEqual({ kind: 'user_search', user_ids: [duplicate], details: { purpose: 'merge', results: 1 } });
    for (const body of [misspelt.body, byPhone.body]) expect(offered(body).filter((id) => id === kept || id === foreign || id === erased)).toEqual([]);
  });

  it('compares field by field, with the kept value checked unless it is empty, and journals both records', async () => {
    const page = await nadia.get(`${base(melunId, elodieId)}?avec=${String(duplicateId)}`);
    expect(page.statusCode).toBe(200);
    for (const name of ['prenom', 'nom', 'telephone', 'adresse']) expect(page.body).toContain(`name="${name}"`);
    expect(page.body).not.toContain('name="naissance"');
    expect(page.body).toContain('<input type="radio" id="prenom-conserve" name="prenom" value="conserve" checked>');
    expect(page.body).toContain('<input type="radio" id="adresse-fusionne" name="adresse" value="fusionne" checked>');
    expect(hiddenFields(page.body)).toMatchObject({ avec: String(duplicateId), empreinte: expect.stringMatching(/^[0-9a-f]{64}$/) as string });
    const entry = await db().selectFrom('read_journal').selectAll().where('kind', '=', 'user_view').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry.user_ids.map(Number).sort((a, b) => a - b)).toEqual([elodieId, duplicateId].sort((a, b) => a - b));
  });

  it('merges the duplicate, moving every kind of row in one go, and erases it', async () => {
    const k = elodieId;
    const m = duplicateId;
    // Rows pointing to the duplicate, of every kind the merge moves.
    const child = await createUsager({ firstName: 'Lina', lastName: 'Lefevre', responsibleId: m }, [melunId]);
    const agents = await db().selectFrom('agents').select('id').orderBy('id').limit(2).execute();
    const referentsBefore = (await db().selectFrom('referent_assignations').select('agent_id').where('user_id', '=', k).execute()).map((row) => row.agent_id);
    const [agentA, agentB] = agents.map((agent) => agent.id);
    await db().insertInto('referent_assignations').values([{ user_id: m, agent_id: agentA ?? 0 }, { user_id: m, agent_id: agentB ?? 0 }, { user_id: k, agent_id: agentA ?? 0 }]).execute();
    await db().insertInto('user_profiles').values({ user_id: m, organisation_id: meauxId, notes: 'Suivi à Meaux' }).execute();
    await db().updateTable('user_profiles').set({ notes: 'Orientée par le CCAS' }).where('user_id', '=', k).where('organisation_id', '=', meauxId).execute();
    const elodieParticipations = await db()
      .selectFrom('participations as p')
      .innerJoin('appointments as a', 'a.id', 'p.appointment_id')
      .select(['p.id', 'p.appointment_id', 'p.status'])
      .where('p.user_id', '=', k)
      .where('a.is_collective', '=', false)
      .orderBy('p.id')
      .execute();
    const [first, second, third] = elodieParticipations;
    if (first === undefined || second === undefined || third === undefined) throw new Error('Élodie needs three appointments in the demo');
    // In `first`, Élodie did not come while her duplicate is marked seen: the duplicate's participation wins.
    await db().updateTable('participations').set({ status: 'noshow' }).where('id', '=', first.id).execute();
    const winning = await db().insertInto('participations').values({ appointment_id: first.appointment_id, user_id: m, status: 'seen', created_by_type: 'agent' }).returning('id').executeTakeFirstOrThrow();
    // In `second`, a tie: Élodie's stays, and the duplicate's link now opens it.
    await db().updateTable('participations').set({ status: 'unknown' }).where('id', '=', second.id).execute();
    const losing = await db().insertInto('participations').values({ appointment_id: second.appointment_id, user_id: m, status: 'unknown', created_by_type: 'user', created_by_user_id: m }).returning('id').executeTakeFirstOrThrow();
    const at = new Date(TEST_NOW.getTime() - DAY_MS);
    const until = new Date(TEST_NOW.getTime() + 30 * DAY_MS);
    const appointmentLink = await db()
      .insertInto('access_tokens')
      .values({ token_hash: token(), purpose: 'appointment_access', user_id: m, participation_id: losing.id, appointment_id: second.appointment_id, created_at: at, expires_at: until })
      .returning('id')
      .executeTakeFirstOrThrow();
    const signInLink = await db().insertInto('access_tokens').values({ token_hash: token(), purpose: 'passwordless_sign_in', user_id: m, created_at: at, expires_at: until }).returning('id').executeTakeFirstOrThrow();
    const invitation = await db().insertInto('access_tokens').values({ token_hash: token(), purpose: 'invitation', user_id: m, created_at: at, expires_at: until }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('waitlist_entries').values([
      { appointment_id: third.appointment_id, user_id: m },
      { appointment_id: third.appointment_id, user_id: k },
      { appointment_id: second.appointment_id, user_id: m },
    ]).execute();
    await db().updateTable('appointments').set({ created_by_type: 'user', created_by_user_id: m }).where('id', '=', third.appointment_id).execute();
    const notBefore = new Date(TEST_NOW.getTime() + DAY_MS);
    const reminderKey = (userId: number) => `reminder:${String(second.appointment_id)}:2026-12-01T09:00:00.000Z:2880:u${String(userId)}:sms`;
    await db().insertInto('notifications').values([
      { idempotency_key: reminderKey(k), event: 'reminder', channel: 'sms', appointment_id: second.appointment_id, user_id: k, not_before: notBefore },
      { idempotency_key: reminderKey(m), event: 'reminder', channel: 'sms', appointment_id: second.appointment_id, user_id: m, not_before: notBefore },
      { idempotency_key: `event:1:appointment_created:u${String(m)}:mail`, event: 'appointment_created', channel: 'mail', appointment_id: third.appointment_id, user_id: m, not_before: notBefore },
      { idempotency_key: `account:merge-test:u${String(m)}`, event: 'account', channel: 'mail', user_id: m, not_before: notBefore },
      { idempotency_key: `event:2:appointment_created:u${String(m)}:sms`, event: 'appointment_created', channel: 'sms', appointment_id: third.appointment_id, user_id: m, not_before: at, status: 'sent' },
    ]).execute();
    const countOf = async (userId: number) => Number((await db().selectFrom('participations').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);
    const before = { kept: await countOf(k), merged: await countOf(m) };

    const answer = await merge(nadia, k, m, { telephone: 'fusionne', nom: 'conserve', prenom: 'conserve' });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(`${base(melunId, k)}/resultat`);
    const result = await nadia.get(`${base(melunId, k)}/resultat`);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain(`La fiche n° ${String(m)} a été fusionnée dans celle de Élodie Lefèvre`);

    // The chosen values, the phone with its E.164 form; the kept name.
    const kept = await db().selectFrom('users').selectAll().where('id', '=', k).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ first_name: 'Élodie', last_name: 'Lefèvre', phone_number: '06 12 34 56 93', phone_number_e164: '+33612345693', address: '4 rue de la Rochette, 77000 Melun', deleted_at: null });
    // Participations: all moved, one per appointment, the best status.
    expect(await countOf(m)).toBe(0);
    expect(await countOf(k)).toBe(before.kept + before.merged - 2);
    const inFirst = await db().selectFrom('participations').select(['id', 'status']).where('appointment_id', '=', first.appointment_id).where('user_id', '=', k).execute();
    expect(inFirst).toEqual([{ id: winning.id, status: 'seen' }]);
    const inSecond = await db().selectFrom('participations').select(['id', 'created_by_user_id']).where('appointment_id', '=', second.appointment_id).where('user_id', '=', k).execute();
    expect(inSecond).toEqual([{ id: second.id, created_by_user_id: null }]);
    expect((await db().selectFrom('appointments').select('created_by_user_id').where('id', '=', third.appointment_id).executeTakeFirstOrThrow()).created_by_user_id).toBe(k);
    // Relatives, referents (the union), profiles and notes.
    expect((await db().selectFrom('users').select('responsible_id').where('id', '=', child).executeTakeFirstOrThrow()).responsible_id).toBe(k);
    const referents = await db().selectFrom('referent_assignations').select(['user_id', 'agent_id']).where('user_id', 'in', [k, m]).orderBy('agent_id').execute();
    expect(referents.every((referent) => referent.user_id === k)).toBe(true);
    expect(referents.map((referent) => referent.agent_id)).toEqual([...new Set([...referentsBefore, agentA, agentB])].sort((a, b) => (a ?? 0) - (b ?? 0)));
    const notes = await db().selectFrom('user_profiles').select(['organisation_id', 'notes']).where('user_id', '=', k).where('organisation_id', 'in', [melunId, meauxId]).orderBy('organisation_id').execute();
    expect(notes).toEqual(
      [
        { organisation_id: melunId, notes: 'Venue sans rendez-vous, dossier à compléter.' },
        { organisation_id: meauxId, notes: 'Orientée par le CCAS\n\nSuivi à Meaux' },
      ].sort((a, b) => a.organisation_id - b.organisation_id),
    );
    // Waitlist: the kept usager's entry where both waited; the other one moved.
    const waits = await db().selectFrom('waitlist_entries').select(['appointment_id', 'user_id']).where('user_id', 'in', [k, m]).orderBy('appointment_id').execute();
    expect(waits).toEqual([{ appointment_id: second.appointment_id, user_id: k }, { appointment_id: third.appointment_id, user_id: k }].sort((a, b) => a.appointment_id - b.appointment_id));
    // Links: the appointment link opens the participation kept; the sign-in link is spent; the invitation follows.
    const tokens = await db().selectFrom('access_tokens').select(['id', 'user_id', 'participation_id', 'used_at']).where('id', 'in', [appointmentLink.id, signInLink.id, invitation.id]).orderBy('id').execute();
    expect(tokens).toEqual([
      { id: appointmentLink.id, user_id: k, participation_id: second.id, used_at: null },
      { id: signInLink.id, user_id: k, participation_id: null, used_at: TEST_NOW },
      { id: invitation.id, user_id: k, participation_id: null, used_at: null },
    ]);
    // Notifications: the twin reminder and the account e-mail cancelled, the rest follows the person.
    const messages = await db().selectFrom('notifications').select(['idempotency_key', 'user_id', 'status']).where('idempotency_key', 'like', '%:u' + String(m) + ':%').orderBy('idempotency_key').execute();
    const account = await db().selectFrom('notifications').select(['user_id', 'status']).where('idempotency_key', '=', `account:merge-test:u${String(m)}`).executeTakeFirstOrThrow();
    expect(account).toEqual({ user_id: k, status: 'cancelled' });
    expect(messages).toEqual([
      { idempotency_key: `event:1:appointment_created:u${String(m)}:mail`, user_id: k, status: 'pending' },
      { idempotency_key: `event:2:appointment_created:u${String(m)}:sms`, user_id: k, status: 'sent' },
      { idempotency_key: reminderKey(m), user_id: k, status: 'cancelled' },
    ]);
    // The duplicate: erased, no profile left, no longer visible.
    const erased = await db().selectFrom('users').selectAll().where('id', '=', m).executeTakeFirstOrThrow();
    expect(erased).toMatchObject({ first_name: 'Usager', last_name: 'fusionné', birth_date: null, phone_number: null, phone_number_e164: null, address: null, email: null, responsible_id: null });
    expect(erased.deleted_at).toEqual(TEST_NOW);
    expect(await db().selectFrom('user_profiles').select('organisation_id').where('user_id', '=', m).execute()).toEqual([]);
    expect((await nadia.get(base(melunId, m))).statusCode).toBe(404);
    expect((await nadia.get(`${base(melunId, k)}?avec=${String(m)}`)).statusCode).toBe(404);
    // The audit entry: ids and field names only.
    const audit = await db().selectFrom('audit_log').selectAll().where('subject_type', '=', 'user').where('subject_id', '=', k).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'update', actor_type: 'agent' });
    expect(audit.details).toMatchObject({ operation: 'merge', keptUserId: k, mergedUserId: m, fieldsTakenFromMerged: 'phone,address', participationsDropped: 2 });
    expect(JSON.stringify(audit.details)).not.toMatch(/Elodie|LEFEVRE|06 12|Rochette/);
  });

  it('answers a replayed confirmation as the first one, and another merge of the erased usager with a refusal', async () => {
    const keptId = await createUsager({ firstName: 'Paul', lastName: 'Martin' }, [melunId]);
    const mergedId = await createUsager({ firstName: 'Paul', lastName: 'MARTIN', phone: '+33611111111' }, [melunId]);
    const page = await nadia.get(`${base(melunId, keptId)}?avec=${String(mergedId)}`);
    const form = { ...hiddenFields(page.body), nom: 'conserve', telephone: 'fusionne' };
    expect((await nadia.post(base(melunId, keptId), form)).statusCode).toBe(303);
    const replay = await nadia.post(base(melunId, keptId), form);
    expect(replay.statusCode).toBe(303);
    expect((await nadia.get(replay.headers.location as string)).statusCode).toBe(200);
    const other = await nadia.post(base(melunId, keptId), { ...form, cle: randomUUID() });
    expect(other.statusCode).toBe(409);
    expect(other.body).toContain('Cette fiche a déjà été fusionnée ou supprimée.');
    const audits = await db().selectFrom('audit_log').select('id').where('subject_id', '=', keptId).where('subject_type', '=', 'user').execute();
    expect(audits).toHaveLength(1);
  });

  it('lets an account holder be kept with their e-mail, and asks to swap when the account is on the other side', async () => {
    const camilleId = (await db().selectFrom('users').select('id').where('email', '=', DEMO_USER_EMAIL).executeTakeFirstOrThrow()).id;
    const copyId = await createUsager({ firstName: 'Camille', lastName: 'DURAND', email: 'camille.autre@example.fr', phone: '+33622222222' }, [melunId]);
    const wrongWay = await nadia.get(`${base(melunId, copyId)}?avec=${String(camilleId)}`);
    expect(wrongWay.statusCode).toBe(200);
    expect(wrongWay.body).toContain('La fiche à fusionner a un compte en ligne');
    expect(wrongWay.body).toContain(`${base(melunId, camilleId)}?avec=${String(copyId)}`);
    expect(wrongWay.body).not.toContain('Fusionner les deux fiches');
    const forged = await nadia.post(base(melunId, copyId), { ...hiddenFields(wrongWay.body), avec: String(camilleId), cle: randomUUID(), empreinte: '0'.repeat(64) });
    expect([409, 422]).toContain(forged.statusCode);
    const rightWay = await nadia.get(`${base(melunId, camilleId)}?avec=${String(copyId)}`);
    expect(rightWay.body).not.toContain('name="email"');
    expect(rightWay.body).toContain('c’est l’identifiant de son compte en ligne');
    expect((await merge(nadia, camilleId, copyId, { nom: 'conserve', telephone: 'conserve' })).statusCode).toBe(303);
    const camille = await db().selectFrom('users').select(['email', 'password_hash', 'deleted_at']).where('id', '=', camilleId).executeTakeFirstOrThrow();
    expect(camille.email).toBe(DEMO_USER_EMAIL);
    expect(camille.password_hash).not.toBeNull();
  });

  it('refuses two accounts, a usager and their relative, and relatives of two different people', async () => {
    const camilleId = (await db().selectFrom('users').select('id').where('email', '=', DEMO_USER_EMAIL).executeTakeFirstOrThrow()).id;
    const noeId = (await db().selectFrom('users').select('id').where('first_name', '=', 'Noé').executeTakeFirstOrThrow()).id;
    const other = await createUsager({ firstName: 'Camille', lastName: 'Durand', email: 'camille.deux@example.fr', passwordHash: 'x' }, [melunId]);
    const cases: [number, number, string][] = [
      [camilleId, other, 'Les deux fiches ont chacune un compte en ligne'],
      [camilleId, noeId, 'L’une de ces personnes est le proche de l’autre'],
      [noeId, camilleId, 'L’une de ces personnes est le proche de l’autre'],
      [noeId, await createUsager({ firstName: 'Noé', lastName: 'Durand', responsibleId: other }, [melunId]), 'deux responsables différents'],
    ];
    for (const [keptId, mergedId, message] of cases) {
      const page = await nadia.get(`${base(melunId, keptId)}?avec=${String(mergedId)}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(message);
      expect(page.body).not.toContain('Fusionner les deux fiches');
    }
    expect(await db().selectFrom('users').select('id').where('id', 'in', [camilleId, noeId, other]).where('deleted_at', 'is not', null).execute()).toEqual([]);
  });

  it('asks for every differing field, and refuses a comparison that changed since it was shown', async () => {
    const keptId = await createUsager({ firstName: 'Inès', lastName: 'Roux', phone: '+33633333333' }, [melunId]);
    const mergedId = await createUsager({ firstName: 'Ines', lastName: 'Roux', phone: '+33644444444' }, [melunId]);
    const page = await nadia.get(`${base(melunId, keptId)}?avec=${String(mergedId)}`);
    const missing = await nadia.post(base(melunId, keptId), { ...hiddenFields(page.body), prenom: 'fusionne' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('<a href="#telephone">Choisissez la valeur à conserver pour « Téléphone ».</a>');
    expect(missing.body).toContain('<input type="radio" id="prenom-fusionne" name="prenom" value="fusionne" checked>');
    await db().updateTable('users').set({ phone_number: '+33655555555', phone_number_e164: '+33655555555' }).where('id', '=', mergedId).execute();
    const stale = await nadia.post(base(melunId, keptId), { ...hiddenFields(page.body), prenom: 'fusionne', telephone: 'fusionne' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('a été modifiée depuis l’affichage de la comparaison');
    expect((await db().selectFrom('users').select('deleted_at').where('id', '=', mergedId).executeTakeFirstOrThrow()).deleted_at).toBeNull();
  });

  it('asks for one reason for both records where the territory requires one, journals it with the comparison, and asks it before a merge posted without one', async () => {
    const territoryId = (await db().selectFrom('organisations').select('territory_id').where('id', '=', melunId).executeTakeFirstOrThrow()).territory_id;
    await db().updateTable('territories').set({ read_reason_required: true }).where('id', '=', territoryId).execute();
    try {
      const kept = await createUsager({ firstName: 'Rémi', lastName: 'Motifdemandé' }, [melunId]);
      const other = await createUsager({ firstName: 'Remi', lastName: 'MOTIFDEMANDE', phone: '+33611223399' }, [melunId]);
      const foreign = await createUsager({ firstName: 'Hors', lastName: 'Champ' }, [meauxId]);
      const journalSize = async () => Number((await db().selectFrom('read_journal').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'user_view').executeTakeFirstOrThrow()).n);
      const viewsBefore = await journalSize();

      // Nothing about either usager before the reason, and nothing journaled.
      const asked = await nadia.get(`${base(melunId, kept)}?avec=${String(other)}`);
      expect(asked.statusCode).toBe(200);
      expect(asked.body).toContain('Pourquoi comparez-vous ces deux dossiers ?');
      expect(asked.body).not.toContain('MOTIFDEMANDE');
      expect(asked.body).not.toContain('+33611223399');
      expect(hiddenFields(asked.body)).toMatchObject({ avec: String(other) });
      expect(await journalSize()).toBe(viewsBefore);
      // Foreign ids are a 404 before the reason too.
      expect((await nadia.get(`${base(melunId, kept)}?avec=${String(foreign)}`)).statusCode).toBe(404);
      await nadia.get(`${base(melunId, kept)}?avec=${String(other)}`);
      expect((await nadia.post(`${base(melunId, kept)}/motif`, { avec: String(foreign), motif: 'Doublon' })).statusCode).toBe(404);
      await nadia.get(`${base(melunId, kept)}?avec=${String(other)}`);

      const empty = await nadia.post(`${base(melunId, kept)}/motif`, { avec: String(other), motif: '   ' });
      expect(empty.statusCode).toBe(422);
      expect(empty.body).toContain('Indiquez le motif de la consultation.');
      const control = await nadia.post(`${base(melunId, kept)}/motif`, { avec: String(other), motif: 'Doublon\u0007' });
      expect(control.statusCode).toBe(422);
      const given = await nadia.post(`${base(melunId, kept)}/motif`, { avec: String(other), motif: '  Doublon signalé   par l’accueil ' });
      expect(given.statusCode).toBe(303);
      expect(given.headers.location).toBe(`${base(melunId, kept)}?avec=${String(other)}`);

      const page = await nadia.get(`${base(melunId, kept)}?avec=${String(other)}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('MOTIFDEMANDE');
      const entry = await db().selectFrom('read_journal').selectAll().where('kind', '=', 'user_view').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(entry.reason).toBe('Doublon signalé par l’accueil');
      expect(entry.details).toMatchObject({ purpose: 'merge' });
      expect(entry.user_ids.map(Number).sort((a, b) => a - b)).toEqual([kept, other].sort((a, b) => a - b));
      // The same reason stands for each record's own page for a while.
      const userPage = await nadia.get(`/agents/organisations/${String(melunId)}/usagers/${String(other)}`);
      expect(userPage.body).not.toContain('Pourquoi consultez-vous ce dossier ?');
      expect(userPage.body).toContain('MOTIFDEMANDE');

      // Another agent's session has no reason: a posted merge asks for it (409) and merges nothing.
      const sophie = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      await sophie.get(`${base(melunId, kept)}?avec=${String(other)}`);
      const { _csrf: nadiasToken, ...formFields } = hiddenFields(page.body);
      expect(nadiasToken).toBeDefined();
      const forged = await sophie.post(base(melunId, kept), { ...formFields, prenom: 'conserve', nom: 'conserve', telephone: 'fusionne' });
      expect(forged.statusCode).toBe(409);
      expect(forged.body).toContain('Pourquoi comparez-vous ces deux dossiers ?');
      expect((await db().selectFrom('users').select('deleted_at').where('id', '=', other).executeTakeFirstOrThrow()).deleted_at).toBeNull();

      await nadia.get(`${base(melunId, kept)}?avec=${String(other)}`);
      const defaults = Object.fromEntries([...page.body.matchAll(/<input type="radio" id="[^"]+" name="([^"]+)" value="([^"]+)" checked>/g)].map((match) => [match[1] ?? '', match[2] ?? '']));
      const merged = await nadia.post(base(melunId, kept), { ...hiddenFields(page.body), ...defaults });
      expect(merged.statusCode).toBe(303);
      expect((await db().selectFrom('users').select('deleted_at').where('id', '=', other).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
    } finally {
      await db().updateTable('territories').set({ read_reason_required: false }).where('id', '=', territoryId).execute();
    }
  });

  it('answers 404 for the same usager, unknown ids, and usagers outside the agent’s organisation', async () => {
    const melunOnly = await createUsager({ firstName: 'Hugo', lastName: 'Blanc' }, [melunId]);
    const meauxOnly = await createUsager({ firstName: 'Hugo', lastName: 'BLANC' }, [meauxId]);
    const reunionId = await organisationId('solidarites-saint-denis-974');
    const reunionOnly = await createUsager({ firstName: 'Hugo', lastName: 'Blanc' }, [reunionId]);
    const answers = [
      await nadia.get(`${base(melunId, melunOnly)}?avec=${String(melunOnly)}`),
      await nadia.get(`${base(melunId, melunOnly)}?avec=999999`),
      await nadia.get(base(melunId, 999999)),
      await nadia.get(`${base(melunId, melunOnly)}?avec=${String(meauxOnly)}`),
      await nadia.get(`${base(melunId, meauxOnly)}?avec=${String(melunOnly)}`),
      await nadia.get(`${base(melunId, melunOnly)}?avec=${String(reunionOnly)}`),
      await nadia.get(base(meauxId, melunOnly)),
      await aicha.get(`${base(meauxId, meauxOnly)}?avec=${String(melunOnly)}`),
      await aicha.get(`${base(melunId, melunOnly)}?avec=${String(meauxOnly)}`),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array.from({ length: answers.length }, () => 404));
    // The search never lists a usager of another organisation.
    const search = await nadia.get(`${base(melunId, melunOnly)}?recherche=blanc`);
    expect(search.body).not.toContain(`avec=${String(meauxOnly)}`);
    expect(search.body).not.toContain(`avec=${String(reunionOnly)}`);
    // A POST with a foreign id is a 404 and writes nothing.
    await aicha.get(base(meauxId, meauxOnly));
    const post = await aicha.post(base(meauxId, meauxOnly), { avec: String(melunOnly), cle: randomUUID(), empreinte: 'a'.repeat(64) });
    expect(post.statusCode).toBe(404);
    expect(await db().selectFrom('users').select('id').where('id', 'in', [melunOnly, meauxOnly]).where('deleted_at', 'is not', null).execute()).toEqual([]);
  });

  it('answers hostile input with 4xx, never 500', async () => {
    const keptId = await createUsager({ firstName: 'Zoé', lastName: 'Petit' }, [melunId]);
    const mergedId = await createUsager({ firstName: 'Zoe', lastName: 'Petit' }, [melunId]);
    const hostile = ['\u0000', '\r\nSet-Cookie: pris=1', '✓', '😀', 'é'.repeat(300), 'x'.repeat(10_000), '   ', '-1', '9'.repeat(30), '<script>alert(1)</script>'];
    const answers: { what: string; status: number }[] = [];
    const record = (what: string, status: number) => answers.push({ what: what.slice(0, 80), status });
    for (const value of hostile) {
      record(`GET avec=${value}`, (await nadia.get(`${base(melunId, keptId)}?avec=${encodeURIComponent(value)}`)).statusCode);
      const search = await nadia.get(`${base(melunId, keptId)}?recherche=${encodeURIComponent(value)}`);
      // A search text is a search text: 200 (nothing found) up to 200 characters, 400 beyond.
      record(`GET recherche=${value}`, search.statusCode === 200 ? 400 : search.statusCode);
      expect(search.body).not.toContain('<script>alert(1)</script>');
      record(`GET path ${value}`, (await nadia.get(`/agents/organisations/${String(melunId)}/usagers/${encodeURIComponent(value)}/fusionner`)).statusCode);
    }
    const page = await nadia.get(`${base(melunId, keptId)}?avec=${String(mergedId)}`);
    const form = hiddenFields(page.body);
    for (const value of hostile) {
      for (const field of ['avec', 'cle', 'empreinte', 'prenom']) {
        await nadia.get(`${base(melunId, keptId)}?avec=${String(mergedId)}`);
        record(`POST ${field}=${value}`, (await nadia.post(base(melunId, keptId), { ...form, [field]: value })).statusCode);
      }
    }
    await nadia.get(`${base(melunId, keptId)}?avec=${String(mergedId)}`);
    const repeated = `${new URLSearchParams(form).toString()}&avec=${String(mergedId)}&prenom=conserve&prenom=fusionne`;
    record('POST repeated', (await nadia.send('POST', base(melunId, keptId), repeated, 'application/x-www-form-urlencoded')).statusCode);
    record('POST JSON', (await nadia.send('POST', base(melunId, keptId), JSON.stringify({ ...form, avec: { id: mergedId }, prenom: ['conserve'] }), 'application/json')).statusCode);
    expect(answers.filter((answer) => answer.status >= 500 || answer.status < 400)).toEqual([]);
    expect(await db().selectFrom('users').select('deleted_at').where('id', '=', mergedId).executeTakeFirstOrThrow()).toEqual({ deleted_at: null });
    expect(await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE subject_id = ${keptId} AND subject_type = 'user'`.execute(db()).then((r) => Number(r.rows[0]?.n))).toBe(0);
  });
});
