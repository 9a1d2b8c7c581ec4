// SMS through the pipeline against loopback provider stubs, on PGlite and PostgreSQL: one GSM-7
// segment without the motif, receipts with segments, the fallback provider when credit runs out,
// the admins' low-credit alert, permanent errors not retried, delivery reports recorded once, and
// an interrupted send confirmed by its report instead of being sent twice.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/app.js';
import { NOW, bookFirstPublicSlot, findTypeId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { startBrevoStub, startSmsFactorStub, type BrevoStub, type SmsFactorStub } from '../../../test/support/sms-stubs/index.js';
import { encryptSecret } from '../../platform/security/index.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { countSegments, isGsm7 } from './domain/gsm7.js';
import { attemptReference } from './domain/references.js';
import { smsCredentialsAssociatedData, type DeliveryDependencies } from './delivery.js';
import { deliveryDependencies, keyringOf } from './notifications.context.js';
import { planFromOutbox } from './planning.js';
import { runNotificationRound } from './pump.js';
import { recoverExpiredLeases } from './recovery.js';
import { hashReportToken, recordDeliveryReports, reportTokenOf } from './reports.js';

const PUERICULTURE = 'Consultation de puériculture';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('SMS notifications through the territory’s providers', () => {
  let database: TestDatabase;
  let deps: DeliveryDependencies;
  let smsFactor: SmsFactorStub;
  let brevo: BrevoStub;
  let typeId: number;
  let territoryId: number;
  let serial = 0;

  async function configure(options: { fallback: boolean; threshold?: number | null }): Promise<void> {
    const context = createTestContext(database);
    const keyring = keyringOf(context);
    const primary = encryptSecret(JSON.stringify({ apiToken: smsFactor.token, endpoint: smsFactor.url }), keyring, smsCredentialsAssociatedData(territoryId, 'primary'));
    const fallback = encryptSecret(JSON.stringify({ apiKey: brevo.apiKey, endpoint: brevo.url }), keyring, smsCredentialsAssociatedData(territoryId, 'fallback'));
    await database.db.deleteFrom('territory_sms_settings').execute();
    await database.db
      .insertInto('territory_sms_settings')
      .values({
        territory_id: territoryId,
        provider: 'smsfactor',
        sender: 'CD77',
        credentials_encrypted: primary,
        fallback_provider: options.fallback ? 'brevo' : null,
        fallback_credentials_encrypted: options.fallback ? fallback : null,
        report_token_hash: hashReportToken(reportTokenOf(context.config.secretsEncryptionKey, territoryId)),
        low_credit_threshold: options.threshold ?? null,
      })
      .execute();
  }

  async function bookWithMobile(phone = '+33612345678'): Promise<{ appointmentId: number; userId: number }> {
    serial += 1;
    const user = await database.db
      .insertInto('users')
      .values({ first_name: 'Sms', last_name: `Usager${String(serial)}`, phone_number: phone, phone_number_e164: phone, created_through: 'seed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const booked = await bookFirstPublicSlot(database.db, typeId, 3, user.id);
    return { appointmentId: booked.id, userId: user.id };
  }

  async function smsRows(appointmentId: number) {
    return database.db.selectFrom('notifications').selectAll().where('appointment_id', '=', appointmentId).where('channel', '=', 'sms').orderBy('id').execute();
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    await database.db.updateTable('outbox_events').set({ processed_at: NOW }).execute();
    deps = deliveryDependencies(createTestContext(database), silent);
    typeId = await findTypeId(database.db, 'mds-melun', PUERICULTURE);
    const organisation = await database.db.selectFrom('organisations').select('territory_id').where('slug', '=', 'mds-melun').executeTakeFirstOrThrow();
    territoryId = organisation.territory_id;
    smsFactor = await startSmsFactorStub();
    brevo = await startBrevoStub();
  });

  afterAll(async () => {
    await smsFactor.close();
    await brevo.close();
    await database.destroy();
  });

  beforeEach(() => {
    smsFactor.reset();
    brevo.reset();
  });

  it('sends the confirmation as one GSM-7 segment without the motif, with the territory’s sender, and writes a receipt', async () => {
    await configure({ fallback: false });
    const { appointmentId } = await bookWithMobile();
    await runNotificationRound(deps, NOW);
    const [message, ...more] = smsFactor.received();
    expect(more).toEqual([]);
    expect(message?.to).toBe('33612345678');
    expect(message?.sender).toBe('CD77');
    const text = message?.text ?? '';
    expect(isGsm7(text)).toBe(true);
    expect(countSegments(text).segments).toBe(1);
    expect(text).not.toContain('puériculture');
    expect(text).toMatch(/\/r\/[A-Za-z0-9_-]{22}/);
    const [row] = await smsRows(appointmentId);
    expect(row?.status).toBe('sent');
    expect(message?.reference).toBe(attemptReference(row?.id ?? 0, 1));
    const receipts = await database.db.selectFrom('notification_receipts').selectAll().where('notification_id', '=', row?.id ?? 0).execute();
    expect(receipts.map((receipt) => [receipt.provider, receipt.result, receipt.segments])).toEqual([['smsfactor', 'sent', 1]]);
  });

  it('a delivery report is written once however many times it comes, and only for this territory', async () => {
    await configure({ fallback: false });
    const { appointmentId } = await bookWithMobile();
    await runNotificationRound(deps, NOW);
    const [row] = await smsRows(appointmentId);
    const reference = attemptReference(row?.id ?? 0, 1);
    const reports = [{ providerMessageId: 'ticket-1', reference, outcome: 'delivered' as const, detail: null }];
    const counts = await Promise.all(Array.from({ length: 20 }, () => recordDeliveryReports(database.db, { territoryId, provider: 'smsfactor', reports, now: NOW })));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await recordDeliveryReports(database.db, { territoryId: territoryId + 999, provider: 'smsfactor', reports: [{ ...reports[0], providerMessageId: 'ticket-2' }] as never, now: NOW })).toBe(0);
  });

  it('falls back to the second provider when the first has no credit, and alerts the territory’s admins once', async () => {
    await configure({ fallback: true });
    smsFactor.setFailure('no_credit');
    const admin = await database.db.selectFrom('agent_territorial_roles').select('agent_id').where('territory_id', '=', territoryId).executeTakeFirst();
    const { appointmentId } = await bookWithMobile();
    await runNotificationRound(deps, NOW);
    const [row] = await smsRows(appointmentId);
    expect(row?.status).toBe('sent');
    const receipts = await database.db.selectFrom('notification_receipts').select(['provider', 'result']).where('notification_id', '=', row?.id ?? 0).orderBy('id').execute();
    expect(receipts).toEqual([
      { provider: 'smsfactor', result: 'failure' },
      { provider: 'brevo', result: 'sent' },
    ]);
    expect(brevo.requests()).toHaveLength(1);
    const alerts = await database.db.selectFrom('notifications').select('details').where('event', '=', 'account').execute();
    const lowCredit = alerts.filter((alert) => (alert.details as { kind?: string }).kind === 'low-credit');
    expect(admin).toBeDefined();
    expect(lowCredit.length).toBeGreaterThan(0);
    // A second shortage the same day: no second alert.
    const again = await bookWithMobile();
    await runNotificationRound(deps, NOW);
    expect((await smsRows(again.appointmentId))[0]?.status).toBe('sent');
    const after = (await database.db.selectFrom('notifications').select('details').where('event', '=', 'account').execute()).filter((alert) => (alert.details as { kind?: string }).kind === 'low-credit');
    expect(after).toHaveLength(lowCredit.length);
  });

  it('does not retry a number the provider refuses, and retries a server error later', async () => {
    await configure({ fallback: false });
    smsFactor.setFailure('invalid_number');
    const refused = await bookWithMobile();
    await runNotificationRound(deps, NOW);
    expect((await smsRows(refused.appointmentId))[0]?.status).toBe('failed');

    smsFactor.setFailure('server_error');
    const flaky = await bookWithMobile();
    await runNotificationRound(deps, NOW);
    const [pending] = await smsRows(flaky.appointmentId);
    expect(pending?.status).toBe('pending');
    expect(new Date(pending?.not_before ?? 0).getTime()).toBeGreaterThan(NOW.getTime());
    smsFactor.setFailure('none');
    await runNotificationRound(deps, new Date(pending?.not_before ?? 0));
    expect((await smsRows(flaky.appointmentId))[0]?.status).toBe('sent');
    expect(smsFactor.received()).toHaveLength(1);
  });

  it('an SMS interrupted by a stopped worker is confirmed by its delivery report, not sent twice; without a report it is sent again', async () => {
    await configure({ fallback: false });
    const { appointmentId } = await bookWithMobile();
    const later = new Date(NOW.getTime() + 15 * 60_000); // past the default 10-minute wait for a report
    await runNotificationRound({ ...deps }, NOW);
    const [first] = await smsRows(appointmentId);
    // Pretend the worker died after the provider accepted it: back to `sending` with a lapsed lease.
    await database.db.updateTable('notifications').set({ status: 'sending', locked_until: NOW }).where('id', '=', first?.id ?? 0).execute();
    await recordDeliveryReports(database.db, { territoryId, provider: 'smsfactor', reports: [{ providerMessageId: 'ticket-9', reference: attemptReference(first?.id ?? 0, first?.attempts ?? 1), outcome: 'delivered', detail: null }], now: NOW });
    expect((await recoverExpiredLeases(database.db, { now: later, reportWaitSeconds: 60 })).confirmed).toBe(1);
    expect((await smsRows(appointmentId))[0]?.status).toBe('sent');

    // Interrupted before it left: no report comes, so after the wait it goes again (once).
    const second = await bookWithMobile();
    await planFromOutbox(database.db, { now: NOW });
    await database.db.updateTable('notifications').set({ status: 'sending', attempts: 1, locked_until: NOW }).where('appointment_id', '=', second.appointmentId).where('channel', '=', 'sms').where('event', '=', 'appointment_created').execute();
    const confirmation = async () => (await smsRows(second.appointmentId)).filter((row) => row.event === 'appointment_created').map((row) => row.status);
    const sentBefore = smsFactor.received().length;
    await recoverExpiredLeases(database.db, { now: new Date(NOW.getTime() + 30_000), reportWaitSeconds: 60 });
    expect(await confirmation()).toEqual(['sending']);
    await runNotificationRound(deps, later);
    expect(await confirmation()).toEqual(['sent']);
    expect(smsFactor.received().length - sentBefore).toBe(1);
  });
});
