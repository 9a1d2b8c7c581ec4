// The notifications' HTTP routes on PGlite and PostgreSQL: the SMS delivery-report webhook, the
// « Notifications » section and « Renvoyer le rappel » of the agent's appointment page, and the
// agent's notification preferences.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '../../../../test/support/agents.js';
import { TEST_NOW, buildTestApp, createTestContext } from '../../../../test/support/app.js';
import { DAY_MS, bookFirstPublicSlot, findTypeId } from '../../../../test/support/appointments.js';
import { InjectSession } from '../../../../test/support/browser-session.js';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import type { AppContext } from '../../../platform/context.js';
import { DEMO_AGENT_EMAILS, seedDemoTerritory } from '../../../seed/index.js';
import { changeAppointmentStatus } from '../../appointments/index.js';
import { deliverDue, deliveryDependencies, hashReportToken, planManualReminder, reportTokenOf } from '../../notifications/index.js';

const PUERICULTURE = 'Consultation de puériculture';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('notifications: delivery-report webhook, appointment page section, resend, preferences', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let context: AppContext;
  let typeId: number;
  let melunOrganisationId: number;
  let melunTerritoryId: number;
  let reunionTerritoryId: number;
  let melunToken: string;
  let reunionToken: string;

  async function territoryOf(slug: string): Promise<{ organisationId: number; territoryId: number }> {
    const row = await database.db.selectFrom('organisations').select(['id', 'territory_id']).where('slug', '=', slug).executeTakeFirstOrThrow();
    return { organisationId: row.id, territoryId: row.territory_id };
  }

  async function createContactUser(lastName: string, phone: string | null = '+33612345678'): Promise<number> {
    const row = await database.db
      .insertInto('users')
      .values({ first_name: 'Test', last_name: lastName, email: `${lastName.toLowerCase()}@example.org`, phone_number: phone, phone_number_e164: phone, created_through: 'seed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** An SMS notification as delivery leaves it (sent or in doubt), in a territory. */
  async function smsNotification(territoryId: number, status: 'sent' | 'in_doubt', key: string, appointmentId: number | null = null): Promise<number> {
    const row = await database.db
      .insertInto('notifications')
      .values({
        idempotency_key: key,
        event: 'reminder',
        channel: 'sms',
        appointment_id: appointmentId,
        territory_id: territoryId,
        details: '{}',
        status,
        attempts: 1,
        not_before: TEST_NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function receiptsOf(notificationId: number) {
    return database.db.selectFrom('notification_receipts').selectAll().where('notification_id', '=', notificationId).execute();
  }

  const reportUrl = (token: string): string => `/notifications/sms/accuses/${token}`;

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, TEST_NOW);
    context = createTestContext(database);
    app = await buildTestApp(database);
    typeId = await findTypeId(database.db, 'mds-melun', PUERICULTURE);
    const melun = await territoryOf('mds-melun');
    melunOrganisationId = melun.organisationId;
    melunTerritoryId = melun.territoryId;
    reunionTerritoryId = (await territoryOf('solidarites-saint-denis-974')).territoryId;
    melunToken = reportTokenOf(context.config.secretsEncryptionKey, melunTerritoryId);
    reunionToken = reportTokenOf(context.config.secretsEncryptionKey, reunionTerritoryId);
    await database.db
      .insertInto('territory_sms_settings')
      .values([
        { territory_id: melunTerritoryId, provider: 'smsfactor', sender: 'CRENEAU', report_token_hash: hashReportToken(melunToken), fallback_provider: 'brevo' },
        { territory_id: reunionTerritoryId, provider: 'smsfactor', sender: 'CRENEAU', report_token_hash: hashReportToken(reunionToken) },
      ])
      .execute();
    // The demo data's own events are not this test's business.
    await database.db.updateTable('outbox_events').set({ processed_at: TEST_NOW }).execute();
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await database.destroy();
  });

  // -------------------------------------------------------------------------------------------
  // Delivery-report webhook
  // -------------------------------------------------------------------------------------------

  describe('delivery-report webhook', () => {
    it('answers 404 with a short French text for an unknown or malformed token, on GET and POST', async () => {
      for (const token of ['A'.repeat(43), 'court', 'x'.repeat(90), '%00', '..%2F..%2Fetc']) {
        for (const method of ['GET', 'POST'] as const) {
          const response = await app.inject({ method, url: reportUrl(token), payload: method === 'POST' ? { status: 3, message_id: 'n1a1' } : undefined });
          expect(response.statusCode, `${method} ${token.slice(0, 20)}`).toBe(404);
          expect(response.body.length).toBeLessThan(5000);
        }
      }
      const unknown = await app.inject({ method: 'POST', url: reportUrl('B'.repeat(43)), payload: {} });
      expect(unknown.body).toBe('Adresse d’accusés de réception inconnue.');
      expect(unknown.headers['content-type']).toBe('text/plain; charset=utf-8');
    });

    it('records an SMS Factor report posted as JSON once, and marks a message left in doubt as sent', async () => {
      const id = await smsNotification(melunTerritoryId, 'in_doubt', 'test:report-json');
      const report = { date: '2026-11-24 10:00:00', status: 3, destination: '33612345678', message_id: `n${String(id)}a1`, campaign_id: 'ticket-json', country_code: 'FR' };
      const first = await app.inject({ method: 'POST', url: reportUrl(melunToken), payload: report });
      expect(first.statusCode).toBe(200);
      expect(first.body).toBe('OK');
      expect(first.headers['set-cookie']).toBeUndefined();
      const again = await app.inject({ method: 'POST', url: reportUrl(melunToken), payload: report });
      expect(again.statusCode).toBe(200);
      const receipts = await receiptsOf(id);
      expect(receipts.map((receipt) => [receipt.result, receipt.provider, receipt.territory_id])).toEqual([['delivered', 'smsfactor', melunTerritoryId]]);
      const row = await database.db.selectFrom('notifications').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.status).toBe('sent');
    });

    it('reads SMS Factor reports from a GET query string and from a form-urlencoded body', async () => {
      const byGet = await smsNotification(melunTerritoryId, 'sent', 'test:report-get');
      const get = await app.inject({ method: 'GET', url: `${reportUrl(melunToken)}?status=2&message_id=n${String(byGet)}a1&campaign_id=ticket-get&destination=33612345678` });
      expect(get.statusCode).toBe(200);
      expect((await receiptsOf(byGet)).map((receipt) => [receipt.result, receipt.error])).toEqual([['failure', 'NOT_DELIVERED']]);

      const byForm = await smsNotification(melunTerritoryId, 'sent', 'test:report-form');
      const form = await app.inject({
        method: 'POST',
        url: reportUrl(melunToken),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ status: '3', message_id: `n${String(byForm)}a1`, campaign_id: 'ticket-form' }).toString(),
      });
      expect(form.statusCode).toBe(200);
      expect((await receiptsOf(byForm)).map((receipt) => receipt.result)).toEqual(['delivered']);
    });

    it('reads the fallback provider’s reports too (Brevo, matched by its tag)', async () => {
      const id = await smsNotification(melunTerritoryId, 'sent', 'test:report-brevo');
      const response = await app.inject({ method: 'POST', url: reportUrl(melunToken), payload: { msg_status: 'delivered', messageId: 'brevo-123', tag: `n${String(id)}a1` } });
      expect(response.statusCode).toBe(200);
      expect((await receiptsOf(id)).map((receipt) => [receipt.result, receipt.provider])).toEqual([['delivered', 'brevo']]);
    });

    it('ignores a report about a message of another territory (200, no receipt, status unchanged)', async () => {
      const reunion = await smsNotification(reunionTerritoryId, 'in_doubt', 'test:report-other-territory');
      const response = await app.inject({ method: 'POST', url: reportUrl(melunToken), payload: { status: 3, message_id: `n${String(reunion)}a1`, campaign_id: 'ticket-other' } });
      expect(response.statusCode).toBe(200);
      expect(await receiptsOf(reunion)).toEqual([]);
      const row = await database.db.selectFrom('notifications').select('status').where('id', '=', reunion).executeTakeFirstOrThrow();
      expect(row.status).toBe('in_doubt');
    });

    it('the same report 50 times at once gives one receipt', async () => {
      const id = await smsNotification(melunTerritoryId, 'in_doubt', 'test:report-race');
      const payload = { status: 3, message_id: `n${String(id)}a1`, campaign_id: 'ticket-race' };
      const answers = await Promise.all(Array.from({ length: 50 }, () => app.inject({ method: 'POST', url: reportUrl(melunToken), payload })));
      expect(answers.map((answer) => answer.statusCode)).toEqual(Array.from({ length: 50 }, () => 200));
      expect(await receiptsOf(id)).toHaveLength(1);
    });

    it('hostile bodies get 200, 400 or 413, never a 500, and record nothing', async () => {
      const id = await smsNotification(melunTerritoryId, 'sent', 'test:report-hostile');
      const reference = `n${String(id)}a1`;
      const bodies: { payload: string; contentType?: string }[] = [
        { payload: '{"status": 3, "message_id": ', contentType: 'application/json' },
        { payload: '{"__proto__": {"polluted": true}, "status": 3}', contentType: 'application/json' },
        { payload: '{"constructor": {"prototype": {"polluted": true}}}', contentType: 'application/json' },
        { payload: JSON.stringify({ status: { $gt: 0 }, message_id: [reference] }), contentType: 'application/json' },
        { payload: JSON.stringify({ status: '3', message_id: `${reference}\u0000` }), contentType: 'application/json' },
        { payload: JSON.stringify({ status: 3, message_id: 'n99999999999999999999a1' }), contentType: 'application/json' },
        { payload: JSON.stringify(Array.from({ length: 2000 }, () => ({ status: 1 }))), contentType: 'application/json' },
        { payload: '['.repeat(5000) + ']'.repeat(5000), contentType: 'application/json' },
        { payload: 'null', contentType: 'application/json' },
        { payload: '"texte"', contentType: 'application/json' },
        { payload: 'x'.repeat(100_000), contentType: 'application/json' },
        { payload: 'status=3&status=2&message_id=✓', contentType: 'application/x-www-form-urlencoded' },
        { payload: 'du texte ✓ \r\n', contentType: 'text/plain' },
        { payload: '<xml/>', contentType: 'application/xml' },
        { payload: '', contentType: 'application/json' },
        { payload: '\u0000\u0001' },
      ];
      for (const body of bodies) {
        const response = await app.inject({
          method: 'POST',
          url: reportUrl(melunToken),
          headers: body.contentType === undefined ? {} : { 'content-type': body.contentType },
          payload: body.payload,
        });
        expect([200, 400, 413], `${body.contentType ?? 'none'}: ${body.payload.slice(0, 40)}`).toContain(response.statusCode);
      }
      const query = await app.inject({ method: 'GET', url: `${reportUrl(melunToken)}?status=3&status=3&message_id=${'x'.repeat(2000)}` });
      expect([200, 400]).toContain(query.statusCode);
      expect(await receiptsOf(id)).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  // -------------------------------------------------------------------------------------------
  // Appointment page: « Notifications » and « Renvoyer le rappel »
  // -------------------------------------------------------------------------------------------

  describe('appointment page', () => {
    const pageOf = (appointmentId: number): string => `/agents/organisations/${String(melunOrganisationId)}/rdv/${String(appointmentId)}`;

    it('lists the receipts by the recipient’s name (never the address or number), with channel, event, provider, segments, result and error, and what is still to send', async () => {
      const userId = await createContactUser('Receveur');
      const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
      const agentId = booked.agentIds[0] ?? 0;
      const base = { appointment_id: booked.id, territory_id: melunTerritoryId, event: 'appointment_created' as const, created_at: TEST_NOW };
      await database.db
        .insertInto('notification_receipts')
        .values([
          { ...base, user_id: userId, channel: 'mail', result: 'sent', provider: 'smtp', provider_message_id: '<m1@localhost>' },
          { ...base, user_id: userId, channel: 'sms', result: 'sent', provider: 'smsfactor', segments: 1, provider_message_id: 'ticket-page-1' },
          { ...base, user_id: userId, channel: 'sms', result: 'delivered', provider: 'smsfactor', provider_message_id: 'ticket-page-1' },
          { ...base, user_id: userId, channel: 'sms', result: 'failure', provider: 'brevo', segments: 1, error: 'Brevo : numéro refusé (HTTP 400)' },
          { ...base, agent_id: agentId, channel: 'mail', result: 'processed', provider: 'smtp' },
        ])
        .execute();
      const session = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const page = await session.get(pageOf(booked.id));
      expect(page.statusCode).toBe(200);
      const section = page.body.slice(page.body.indexOf('id="notifications-titre"'));
      expect(section).toContain('Notifications');
      expect(section).toContain('<th scope="col">Canal</th>');
      expect(section).toContain('E-mail');
      expect(section).toContain('SMS Factor');
      for (const label of ['Envoyé', 'Distribué', 'Échec', 'Traité', 'Confirmation du rendez-vous', 'Test Receveur', 'Brevo : numéro refusé (HTTP 400)', '(agent)']) expect(section).toContain(label);
      expect(section).toContain('mardi 24 novembre 2026 à 10h00');
      expect(section).not.toContain('receveur@example.org');
      expect(section).not.toContain('612345678');
      // The reminder planned 48 h before, shown as to come.
      await database.db
        .insertInto('notifications')
        .values({ idempotency_key: `test:upcoming:${String(booked.id)}`, event: 'reminder', channel: 'mail', appointment_id: booked.id, user_id: userId, territory_id: melunTerritoryId, details: '{}', not_before: new Date(booked.startsAt.getTime() - 2 * DAY_MS) })
        .execute();
      const again = await session.get(pageOf(booked.id));
      expect(again.body).toMatch(/Rappel — E-mail à Test Receveur : Prévu le /);
      expect(again.body).toContain('Renvoyer le rappel');
    });

    it('« Renvoyer le rappel » plans the reminder now for each channel, journals it, refuses a second one within 10 minutes, and delivery sends it', async () => {
      const userId = await createContactUser('Renvoi');
      const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
      const session = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      await session.get(pageOf(booked.id));
      const sent = await session.post(`${pageOf(booked.id)}/rappel`, {});
      expect(sent.statusCode).toBe(303);
      expect(sent.headers.location).toBe(`${pageOf(booked.id)}#notifications`);
      const rows = await database.db.selectFrom('notifications').selectAll().where('appointment_id', '=', booked.id).where('idempotency_key', 'like', `reminder-manual:${String(booked.id)}:%`).execute();
      expect(rows.map((row) => row.channel).sort()).toEqual(['mail', 'sms']);
      for (const row of rows) {
        expect(row.idempotency_key).toMatch(new RegExp(`^reminder-manual:${String(booked.id)}:[A-Za-z0-9_-]{12}:u${String(userId)}:(mail|sms)$`));
        expect(row.event).toBe('reminder');
        expect(new Date(row.not_before).toISOString()).toBe(TEST_NOW.toISOString());
        expect((row.details as { startsAt: string }).startsAt).toBe(booked.startsAt.toISOString());
      }
      const audit = await database.db.selectFrom('audit_log').selectAll().where('subject_type', '=', 'appointment').where('subject_id', '=', booked.id).where('action', '=', 'create').execute();
      expect(audit.some((entry) => (entry.details as { change?: string }).change === 'manual_reminder')).toBe(true);

      const page = await session.get(pageOf(booked.id));
      expect(page.body).toContain('Le rappel est renvoyé : 2 messages partent dès maintenant (en journée, à l’heure du lieu).');
      expect(page.body).toContain('(renvoyé par un agent)');
      const refused = await session.post(`${pageOf(booked.id)}/rappel`, {});
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain('attendez 10 minutes');
      expect(refused.body).toContain('href="#rappel"');

      // Eleven minutes later, another resend is accepted.
      const later = await planManualReminder(database.db, { appointmentId: booked.id, agentId: booked.agentIds[0] ?? 0, now: new Date(TEST_NOW.getTime() + 11 * 60_000) });
      expect(later).toEqual({ ok: true, notifications: 2 });

      // Delivery accepts it (the start it names is the appointment's): the e-mail goes out now.
      await deliverDue(deliveryDependencies(context, silent), { now: TEST_NOW });
      const mailRow = rows.find((row) => row.channel === 'mail');
      const receipts = await receiptsOf(mailRow?.id ?? 0);
      expect(receipts.map((receipt) => receipt.result)).toEqual(['sent']);
      const mails = await database.db.selectFrom('dev_outbox_emails').select(['subject']).where('recipient', '=', 'renvoi@example.org').execute();
      expect(mails.some((mail) => /rappel/i.test(mail.subject))).toBe(true);
    });

    it('50 simultaneous resends plan one', async () => {
      const userId = await createContactUser('Course');
      const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
      const session = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      await session.get(pageOf(booked.id));
      const answers = await Promise.all(Array.from({ length: 50 }, () => session.post(`${pageOf(booked.id)}/rappel`, {})));
      expect(answers.filter((answer) => answer.statusCode === 303)).toHaveLength(1);
      expect(answers.filter((answer) => answer.statusCode === 429)).toHaveLength(49);
      const rows = await database.db.selectFrom('notifications').select('idempotency_key').where('idempotency_key', 'like', `reminder-manual:${String(booked.id)}:%`).execute();
      expect(rows).toHaveLength(2);
      // And straight through the use case, on several connections (PostgreSQL).
      const other = await bookFirstPublicSlot(database.db, typeId, 4, await createContactUser('Course2'));
      const results = await Promise.all(Array.from({ length: 50 }, () => planManualReminder(database.db, { appointmentId: other.id, agentId: other.agentIds[0] ?? 0, now: TEST_NOW })));
      expect(results.filter((result) => result.ok)).toHaveLength(1);
    });

    it('no button and a refusal for a cancelled or past appointment, or one with nobody to remind', async () => {
      const session = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      const cancelledUser = await createContactUser('Annule');
      const cancelled = await bookFirstPublicSlot(database.db, typeId, 3, cancelledUser);
      expect((await changeAppointmentStatus(database.db, { appointmentId: cancelled.id, status: 'revoked', actor: { type: 'system' }, now: TEST_NOW })).ok).toBe(true);
      const page = await session.get(pageOf(cancelled.id));
      expect(page.body).not.toContain('Renvoyer le rappel');
      const refused = await session.post(`${pageOf(cancelled.id)}/rappel`, {});
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Le rendez-vous est annulé');
      expect(refused.body).toContain('href="#notifications"');

      const unreachable = await database.db.insertInto('users').values({ first_name: 'Sans', last_name: 'Contact', created_through: 'seed' }).returning('id').executeTakeFirstOrThrow();
      const silentOne = await bookFirstPublicSlot(database.db, typeId, 5, unreachable.id);
      await session.get(pageOf(silentOne.id));
      const nobody = await session.post(`${pageOf(silentOne.id)}/rappel`, {});
      expect(nobody.statusCode).toBe(422);
      expect(nobody.body).toContain('Aucun participant ne peut recevoir de rappel');

      const past = await planManualReminder(database.db, { appointmentId: silentOne.id, agentId: silentOne.agentIds[0] ?? 0, now: new Date(silentOne.startsAt.getTime() + 60_000) });
      expect(past).toEqual({ ok: false, reason: 'STARTED' });
    });

    it('answers 404 to an agent of another organisation or service, and 403 without a CSRF token', async () => {
      const booked = await bookFirstPublicSlot(database.db, typeId, 3, await createContactUser('Etranger'));
      for (const email of [DEMO_AGENT_EMAILS.meauxBasic, DEMO_AGENT_EMAILS.melunBasic, DEMO_AGENT_EMAILS.reunionAdmin]) {
        const session = await signInAgent(app, email);
        await session.get('/agents/compte');
        expect((await session.post(`${pageOf(booked.id)}/rappel`, {})).statusCode, email).toBe(404);
        expect((await session.get(pageOf(booked.id))).statusCode, email).toBe(404);
      }
      const admin = await signInAgent(app, DEMO_AGENT_EMAILS.melunAdmin);
      await admin.get(pageOf(booked.id));
      const forged = await admin.send('POST', `${pageOf(booked.id)}/rappel`, '', 'application/x-www-form-urlencoded');
      expect(forged.statusCode).toBe(403);
      await admin.get(pageOf(booked.id));
      const bad = await admin.post(`/agents/organisations/${String(melunOrganisationId)}/rdv/99999999/rappel`, {});
      expect(bad.statusCode).toBe(404);
      await admin.get(pageOf(booked.id));
      const malformed = await admin.post(`/agents/organisations/${String(melunOrganisationId)}/rdv/abc/rappel`, {});
      expect(malformed.statusCode).toBe(404);
      expect(await database.db.selectFrom('notifications').select('id').where('idempotency_key', 'like', `reminder-manual:${String(booked.id)}:%`).execute()).toEqual([]);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Preferences
  // -------------------------------------------------------------------------------------------

  describe('notification preferences of an agent', () => {
    const PAGE = '/agents/compte/notifications';

    async function levelOf(email: string): Promise<string> {
      const row = await database.db.selectFrom('agents').select('notification_level').where('email', '=', email).executeTakeFirstOrThrow();
      return row.notification_level;
    }

    it('is linked from « Mon compte », shows the four levels in a fieldset with a legend, « others » chosen by default', async () => {
      const session = await signInAgent(app, DEMO_AGENT_EMAILS.meauxBasic);
      const account = await session.get('/agents/compte');
      expect(account.body).toContain(`href="${PAGE}"`);
      const page = await session.get(PAGE);
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).toMatch(/<fieldset[^>]*>\s*<legend class="fr-fieldset__legend"/);
      for (const label of ['Tous les changements', 'Les changements faits par d’autres', 'Seulement pour aujourd’hui et demain', 'Aucun']) expect(page.body).toContain(label);
      expect(page.body.match(/type="radio"/g)).toHaveLength(4);
      expect(page.body).toMatch(/id="niveau-others" name="niveau" value="others" checked/);
      expect(page.body).toContain('aria-current="page"');
    });

    it('saves the chosen level and says so', async () => {
      const session = await signInAgent(app, DEMO_AGENT_EMAILS.melunBasic);
      await session.get(PAGE);
      const saved = await session.post(PAGE, { niveau: 'soon' });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(PAGE);
      expect(await levelOf(DEMO_AGENT_EMAILS.melunBasic)).toBe('soon');
      const page = await session.get(PAGE);
      expect(page.body).toContain('C’est enregistré : « Seulement pour aujourd’hui et demain ».');
      expect(page.body).toMatch(/value="soon" checked/);
      await session.post(PAGE, { niveau: 'none' });
      expect(await levelOf(DEMO_AGENT_EMAILS.melunBasic)).toBe('none');
      await session.get(PAGE);
      await session.post(PAGE, { niveau: 'others' });
      expect(await levelOf(DEMO_AGENT_EMAILS.melunBasic)).toBe('others');
    });

    it('asks for a choice (422), refuses values that are not on the form (400) and forms without a CSRF token (403)', async () => {
      const session = await signInAgent(app, DEMO_AGENT_EMAILS.reunionAdmin);
      await session.get(PAGE);
      const missing = await session.post(PAGE, {});
      expect(missing.statusCode).toBe(422);
      expect(missing.body).toContain('Choisissez les e-mails que vous voulez recevoir.');
      expect(missing.body).toContain('href="#niveau"');
      for (const value of ['bogus', '', ' all', 'ALL', 'all\u0000', '✓', 'x'.repeat(10_000)]) {
        await session.get(PAGE);
        expect((await session.post(PAGE, { niveau: value })).statusCode, value.slice(0, 10)).toBe(400);
      }
      await session.get(PAGE);
      const token = /name="_csrf" value="([^"]+)"/.exec(session.lastBody)?.[1] ?? '';
      const twice = await session.send('POST', PAGE, `_csrf=${encodeURIComponent(token)}&niveau=all&niveau=none`, 'application/x-www-form-urlencoded');
      expect(twice.statusCode).toBe(400);
      const json = await session.send('POST', PAGE, JSON.stringify({ _csrf: token, niveau: ['all'] }), 'application/json');
      expect(json.statusCode).toBe(400);
      const forged = await session.send('POST', PAGE, 'niveau=all', 'application/x-www-form-urlencoded');
      expect(forged.statusCode).toBe(403);
      expect(await levelOf(DEMO_AGENT_EMAILS.reunionAdmin)).toBe('others');
    });

    it('sends anonymous visitors to the sign-in page and refuses their POST', async () => {
      const visitor = new InjectSession(app);
      const page = await visitor.get(PAGE);
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe('/agents/connexion?retour=%2Fagents%2Fcompte%2Fnotifications');
      const post = await visitor.post(PAGE, { niveau: 'all' });
      expect([303, 403]).toContain(post.statusCode);
    });
  });
});
