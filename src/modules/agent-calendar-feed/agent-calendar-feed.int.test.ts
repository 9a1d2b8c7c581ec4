import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../test/support/agents.js';
import { TEST_NOW, buildTestApp } from '../../../test/support/app.js';
import { InjectSession } from '../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { expectEveryFieldPresent, expectRawRowKeys, recordRawRows } from '../../../test/support/row-keys.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../seed/index.js';
import { findFeedAbsences, findFeedAppointments } from './agent-calendar-feed.repository.js';
import { feedWindow } from './domain/calendar-feed.js';

const PAGE = '/agents/compte/calendrier';

/** Parses a feed with ical.js, with the feed's own VTIMEZONEs (ical.js ships no zone data). */
function parseFeed(text: string): ICAL.Event[] {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  return calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

/** The feed URL shown once on the page after a creation. */
function feedPathOf(html: string): string {
  const url = /id="feed-url" type="text" readonly value="([^"]+)"/.exec(html)?.[1];
  expect(url, 'the feed URL shown on the page').toBeDefined();
  const parsed = new URL(url ?? '');
  expect(parsed.pathname).toMatch(/^\/agents\/calendrier\/[A-Za-z0-9_-]{43}\.ics$/);
  return parsed.pathname;
}

describe('personal calendar feed of an agent', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const window = feedWindow(TEST_NOW);

  /** GET the feed with no cookie at all: the token is the only credential. */
  const fetchFeed = (path: string): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url: path });

  async function agentIdOf(email: string): Promise<number> {
    const row = await database.db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return row.id;
  }

  /** Creates a feed for the agent through the page and returns the session and the feed's path. */
  async function createFeed(email: string, options: Record<string, string> = {}): Promise<{ session: InjectSession; path: string }> {
    const session = await signInAgent(app, email);
    await session.get(PAGE);
    const created = await session.post(PAGE, options);
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    return { session, path: feedPathOf(created.body) };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    app = await buildTestApp(database);
  });
  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  it('explains the page and offers the minimal level by default', async () => {
    const session = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
    const page = await session.get(PAGE);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Agenda personnel (iCal)');
    expect(page.body).toContain('quiconque la connaît peut le lire');
    expect(page.body).toContain('Créer l’adresse de mon agenda');
    expect(page.body).not.toMatch(/<input type="checkbox"[^>]*checked/);
    expect(page.body).toContain('aria-current="page"');
  });

  it('sends anonymous visitors of the page to the sign-in page', async () => {
    const response = await new InjectSession(app).get(PAGE);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/agents/connexion?retour=%2Fagents%2Fcompte%2Fcalendrier');
  });

  it('serves the agent’s appointments and absences without a session, with no personal data of usagers at the default level', async () => {
    const { session, path } = await createFeed(DEMO_AGENT_EMAILS.melunBasic);
    const agentId = await agentIdOf(DEMO_AGENT_EMAILS.melunBasic);
    const response = await fetchFeed(path);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['cache-control']).toBe('private, max-age=300');
    expect(response.headers['x-robots-tag']).toBe('noindex');
    expect(response.headers['set-cookie']).toBeUndefined();

    const events = parseFeed(response.body);
    const appointments = await sql<{ public_id: string; starts_at: Date; status: string }>`
      SELECT a.public_id, lower(a.during) AS starts_at, a.status FROM appointments a JOIN appointment_agents aa ON aa.appointment_id = a.id
      WHERE aa.agent_id = ${agentId} AND a.during && tstzrange(${window.from.toISOString()}::timestamptz, ${window.to.toISOString()}::timestamptz)`.execute(database.db);
    expect(appointments.rows.length).toBeGreaterThan(5);
    const appointmentEvents = events.filter((event) => event.uid.startsWith('rdv-'));
    expect(appointmentEvents).toHaveLength(appointments.rows.length);
    for (const row of appointments.rows) {
      const event = appointmentEvents.find((candidate) => candidate.uid === `rdv-${row.public_id}@localhost`);
      expect(event, row.public_id).toBeDefined();
      expect(event?.startDate.zone.tzid).toBe('Europe/Paris');
      expect(event?.startDate.toJSDate().toISOString()).toBe(new Date(row.starts_at).toISOString());
      expect(event?.component.getFirstPropertyValue('status')).toBe(row.status === 'excused' || row.status === 'revoked' ? 'CANCELLED' : 'CONFIRMED');
      expect(event?.summary).toMatch(/^(Annulé — )?Rendez-vous — (MDS de Melun|Antenne de Dammarie-lès-Lys)$/);
    }

    // The weekly team meeting on each Friday of the window, and the week of leave.
    const absenceEvents = events.filter((event) => event.uid.startsWith('absence-'));
    const meetings = absenceEvents.filter((event) => event.summary === 'Absence — Réunion d’équipe');
    let fridays = 0;
    for (let day = new Date(window.from); day < window.to; day = new Date(day.getTime() + 86_400_000)) if (day.getUTCDay() === 5) fridays += 1;
    expect(meetings).toHaveLength(fridays);
    for (const meeting of meetings) {
      expect(meeting.startDate.toJSDate().getUTCDay()).toBe(5);
      expect([meeting.startDate.hour, meeting.endDate.hour]).toEqual([14, 16]);
    }
    expect(absenceEvents.filter((event) => event.summary === 'Absence — Congés')).toHaveLength(1);
    expect(events).toHaveLength(appointments.rows.length + fridays + 1);

    // No usager's name, e-mail or phone; no motif.
    const users = await database.db.selectFrom('users').select(['first_name', 'last_name', 'email', 'phone_number', 'phone_number_e164']).execute();
    const unfolded = response.body.replace(/\r\n /g, '');
    for (const user of users) {
      for (const value of [user.last_name, `${user.first_name} ${user.last_name}`, user.email, user.phone_number, user.phone_number_e164]) {
        if (value !== null) expect(unfolded).not.toContain(value);
      }
    }
    const motifs = await database.db.selectFrom('appointment_types').select('name').distinct().execute();
    for (const motif of motifs) expect(unfolded).not.toContain(motif.name);

    // The page now says a feed exists, without the URL.
    const page = await session.get(PAGE);
    expect(page.body).toContain('Adresse créée le mardi 24 novembre 2026 à 10h00');
    expect(page.body).toContain('Dernière consultation le mardi 24 novembre 2026 à 10h00');
    expect(page.body).not.toContain('feed-url');
    expect(page.body).not.toContain(path);
  });

  it('shows initials, never names, at the initials level; regenerating stops the old URL', async () => {
    const { session, path: first } = await createFeed(DEMO_AGENT_EMAILS.melunBasic);
    expect((await fetchFeed(first)).statusCode).toBe(200);
    const regenerated = await session.post(PAGE, { initiales: 'oui' });
    expect(regenerated.statusCode).toBe(200);
    const second = feedPathOf(regenerated.body);
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).statusCode).toBe(404);
    const response = await fetchFeed(second);
    expect(response.statusCode).toBe(200);
    const summaries = parseFeed(response.body)
      .filter((event) => event.uid.startsWith('rdv-'))
      .map((event) => event.summary);
    expect(summaries.length).toBeGreaterThan(0);
    for (const summary of summaries) expect(summary).toMatch(/^(Annulé — )?Rendez-vous — [^()]+ \(([A-ZÀ-Ý]\.(-[A-ZÀ-Ý]\.)? [A-ZÀ-Ý]\.(, )?)+\)$/);
    const users = await database.db.selectFrom('users').select(['last_name', 'email']).execute();
    for (const user of users) {
      expect(response.body).not.toContain(user.last_name);
      if (user.email !== null) expect(response.body).not.toContain(user.email);
    }
    const agentId = await agentIdOf(DEMO_AGENT_EMAILS.melunBasic);
    const feeds = await database.db.selectFrom('agent_calendar_feeds').select(['detail_level', 'revoked_at']).where('agent_id', '=', agentId).execute();
    expect(feeds.filter((feed) => feed.revoked_at === null).map((feed) => feed.detail_level)).toEqual(['initials']);
    const page = await session.get(PAGE);
    expect(page.body).toContain('Les rendez-vous affichent : « Rendez-vous », le lieu et les initiales des participants.');
  });

  it('adds the motif when the agent asks for it', async () => {
    const { path } = await createFeed(DEMO_AGENT_EMAILS.melunBasic, { motif: 'oui' });
    const summaries = parseFeed((await fetchFeed(path)).body)
      .filter((event) => event.uid.startsWith('rdv-'))
      .map((event) => event.summary);
    expect(summaries.length).toBeGreaterThan(0);
    for (const summary of summaries) expect(summary).toMatch(/^(Annulé — )?Rendez-vous : .+ — /);
  });

  it('revokes the feed: its URL answers 404 like any unknown token', async () => {
    const { session, path } = await createFeed(DEMO_AGENT_EMAILS.meauxBasic);
    expect((await fetchFeed(path)).statusCode).toBe(200);
    const revoked = await session.post(`${PAGE}/revoquer`, {});
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe(PAGE);
    const page = await session.get(PAGE);
    expect(page.body).toContain('L’adresse de votre agenda est révoquée');
    expect(page.body).toContain('Créer l’adresse de mon agenda');
    const gone = await fetchFeed(path);
    const unknown = await fetchFeed(`/agents/calendrier/${'A'.repeat(43)}.ics`);
    expect(gone.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(gone.body).toBe(unknown.body);
  });

  it('answers 404 to random, malformed and truncated tokens', async () => {
    const { path } = await createFeed(DEMO_AGENT_EMAILS.meauxBasic);
    const token = path.slice('/agents/calendrier/'.length, -'.ics'.length);
    const random = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    for (const candidate of [
      `/agents/calendrier/${random}.ics`,
      `/agents/calendrier/${token.slice(0, 42)}.ics`,
      `/agents/calendrier/${token}x.ics`,
      `/agents/calendrier/${token.slice(0, 42)}%2F.ics`,
      `/agents/calendrier/${token}`,
      `/agents/calendrier/${'é'.repeat(43)}.ics`,
    ]) {
      expect((await fetchFeed(candidate)).statusCode, candidate).toBe(404);
    }
    expect((await fetchFeed(path)).statusCode).toBe(200);
  });

  it('stops the feed of a deleted agent and of an agent left with only intervenant roles', async () => {
    const { path } = await createFeed(DEMO_AGENT_EMAILS.meauxBasic);
    const agentId = await agentIdOf(DEMO_AGENT_EMAILS.meauxBasic);
    await database.db.updateTable('agents').set({ deleted_at: TEST_NOW }).where('id', '=', agentId).execute();
    expect((await fetchFeed(path)).statusCode).toBe(404);
    await database.db.updateTable('agents').set({ deleted_at: null }).where('id', '=', agentId).execute();
    expect((await fetchFeed(path)).statusCode).toBe(200);
    await database.db.updateTable('agent_roles').set({ access_level: 'intervenant' }).where('agent_id', '=', agentId).execute();
    expect((await fetchFeed(path)).statusCode).toBe(404);
    await database.db.updateTable('agent_roles').set({ access_level: 'basic' }).where('agent_id', '=', agentId).execute();
    expect((await fetchFeed(path)).statusCode).toBe(200);
  });

  it('lets no one left with only intervenant roles create a feed', async () => {
    // Claire Moreau, PMI at Melun (a demo agent with a password, not in DEMO_AGENT_EMAILS).
    const session = await signInAgent(app, 'pmi.melun@demo.creneau.fr');
    await session.get(PAGE);
    const agentId = await agentIdOf('pmi.melun@demo.creneau.fr');
    await database.db.updateTable('agent_roles').set({ access_level: 'intervenant' }).where('agent_id', '=', agentId).execute();
    const refused = await session.post(PAGE, {});
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/agents/connexion');
    const feeds = await database.db.selectFrom('agent_calendar_feeds').select('id').where('agent_id', '=', agentId).execute();
    expect(feeds).toEqual([]);
  });

  it('limits fetches per address (300 per 5 minutes), unknown tokens included', async () => {
    const fetchFrom = (address: string): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url: `/agents/calendrier/${'B'.repeat(43)}.ics`, remoteAddress: address });
    for (let index = 0; index < 300; index += 1) expect((await fetchFrom('203.0.113.7')).statusCode).toBe(404);
    expect((await fetchFrom('203.0.113.7')).statusCode).toBe(429);
    expect((await fetchFrom('203.0.113.8')).statusCode).toBe(404);
  });

  it('records the last use at most once an hour', async () => {
    const { path } = await createFeed(DEMO_AGENT_EMAILS.reunionAdmin);
    const agentId = await agentIdOf(DEMO_AGENT_EMAILS.reunionAdmin);
    const lastUsedAt = async (): Promise<Date | null> =>
      (await database.db.selectFrom('agent_calendar_feeds').select('last_used_at').where('agent_id', '=', agentId).where('revoked_at', 'is', null).executeTakeFirstOrThrow()).last_used_at;
    expect(await lastUsedAt()).toBeNull();
    await fetchFeed(path);
    expect(await lastUsedAt()).toEqual(TEST_NOW);
    const halfAnHourAgo = new Date(TEST_NOW.getTime() - 30 * 60_000);
    await database.db.updateTable('agent_calendar_feeds').set({ last_used_at: halfAnHourAgo }).where('agent_id', '=', agentId).where('revoked_at', 'is', null).execute();
    await fetchFeed(path);
    expect(await lastUsedAt()).toEqual(halfAnHourAgo);
    await database.db.updateTable('agent_calendar_feeds').set({ last_used_at: new Date(TEST_NOW.getTime() - 2 * 3_600_000) }).where('agent_id', '=', agentId).where('revoked_at', 'is', null).execute();
    await fetchFeed(path);
    expect(await lastUsedAt()).toEqual(TEST_NOW);
  });

  it('writes La Réunion’s appointments in Indian/Reunion time, read back at the right instants', async () => {
    const { path } = await createFeed(DEMO_AGENT_EMAILS.reunionAdmin);
    const response = await fetchFeed(path);
    expect(response.body).toContain('TZID:Indian/Reunion');
    expect(response.body).not.toContain('TZID:Europe/Paris');
    expect(response.body).not.toContain('BEGIN:DAYLIGHT');
    const agentId = await agentIdOf(DEMO_AGENT_EMAILS.reunionAdmin);
    const rows = await sql<{ public_id: string; starts_at: Date; ends_at: Date }>`
      SELECT a.public_id, lower(a.during) AS starts_at, upper(a.during) AS ends_at FROM appointments a JOIN appointment_agents aa ON aa.appointment_id = a.id
      WHERE aa.agent_id = ${agentId} AND a.during && tstzrange(${window.from.toISOString()}::timestamptz, ${window.to.toISOString()}::timestamptz)`.execute(database.db);
    expect(rows.rows.length).toBeGreaterThan(0);
    const events = parseFeed(response.body);
    for (const row of rows.rows) {
      const event = events.find((candidate) => candidate.uid === `rdv-${row.public_id}@localhost`);
      expect(event?.startDate.zone.tzid).toBe('Indian/Reunion');
      expect([9, 10, 11]).toContain(event?.startDate.hour);
      expect(event?.startDate.toJSDate().toISOString()).toBe(new Date(row.starts_at).toISOString());
      expect(event?.endDate.toJSDate().toISOString()).toBe(new Date(row.ends_at).toISOString());
    }
  });

  it('keeps at most one active feed per agent, in the database too', async () => {
    const agentId = await agentIdOf(DEMO_AGENT_EMAILS.melunAdmin);
    await createFeed(DEMO_AGENT_EMAILS.melunAdmin);
    await expect(
      database.db.insertInto('agent_calendar_feeds').values({ agent_id: agentId, token_hash: 'f'.repeat(64) }).execute(),
    ).rejects.toThrow(/agent_calendar_feed_one_active_per_agent/);
  });

  it('refuses the forms without a CSRF token (403) and changes nothing', async () => {
    const { session, path } = await createFeed(DEMO_AGENT_EMAILS.melunAdmin);
    expect((await session.send('POST', PAGE, 'motif=oui', 'application/x-www-form-urlencoded')).statusCode).toBe(403);
    expect((await session.send('POST', `${PAGE}/revoquer`, '', 'application/x-www-form-urlencoded')).statusCode).toBe(403);
    expect((await fetchFeed(path)).statusCode).toBe(200);
  });

  it('refuses a repeated option field with 400', async () => {
    const session = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
    await session.get(PAGE);
    const token = /name="_csrf" value="([^"]+)"/.exec(session.lastBody)?.[1] ?? '';
    const response = await session.send('POST', PAGE, `_csrf=${encodeURIComponent(token)}&motif=oui&motif=oui`, 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(400);
  });

  it('selects exactly the columns its rows declare', async () => {
    const agentId = await agentIdOf(DEMO_AGENT_EMAILS.melunBasic);
    const recorder = recordRawRows(database.db);
    const appointments = await findFeedAppointments(recorder.db, { agentId, from: window.from, to: window.to });
    expectRawRowKeys(recorder.onlyQueryRows(), [
      'id',
      'public_id',
      'starts_at',
      'ends_at',
      'time_zone',
      'status',
      'revision',
      'is_collective',
      'motif_name',
      'location_type',
      'place_name',
      'place_address',
    ]);
    expectEveryFieldPresent(appointments);
    recorder.clear();
    const absences = await findFeedAbsences(recorder.db, { agentId, fromDay: '2026-10-01', toDay: '2027-06-01' });
    expectRawRowKeys(recorder.onlyQueryRows(), ['id', 'agent_id', 'title', 'first_day', 'start_time', 'end_day', 'end_time', 'last_day', 'recurrence', 'excluded_dates', 'time_zone']);
    expectEveryFieldPresent(absences);
    expect(absences.map((absence) => absence.title).sort()).toEqual(['Congés', 'Réunion d’équipe']);
  });
});
