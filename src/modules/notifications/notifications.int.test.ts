// The notifications pipeline on the demo territory, on PGlite and PostgreSQL: outbox → planning →
// delivery (development outbox for e-mail) → receipts; reminders, moves, cancellations, levels,
// idempotency and recovery after a stopped worker.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/app.js';
import { DAY_MS, NOW, bookFirstPublicSlot, findTypeId } from '../../../test/support/appointments.js';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import type { AppContext } from '../../platform/context.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { cancelParticipation, changeAppointmentStatus, rescheduleAppointment } from '../appointments/index.js';
import { firstPublicSlot, newKey, startOf } from '../../../test/support/appointments.js';
import { createAccountMailQueue } from './account-mail-queue.js';
import { deliverDue, type DeliveryDependencies } from './delivery.js';
import { deliveryDependencies } from './notifications.context.js';
import { runNotificationRound } from './pump.js';
import { recoverExpiredLeases } from './recovery.js';
import { planFromOutbox, sweepReminders } from './planning.js';

const PUERICULTURE = 'Consultation de puériculture';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('notifications pipeline', () => {
  let database: TestDatabase;
  let context: AppContext;
  let deps: DeliveryDependencies;
  let typeId: number;

  async function createContactUser(lastName: string, options: { email?: string | null; phone?: string | null } = {}): Promise<number> {
    const row = await database.db
      .insertInto('users')
      .values({
        first_name: 'Test',
        last_name: lastName,
        email: options.email === undefined ? `${lastName.toLowerCase()}@example.org` : options.email,
        phone_number: options.phone ?? null,
        phone_number_e164: options.phone ?? null,
        created_through: 'seed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function drain(now: Date): Promise<void> {
    for (let round = 0; round < 20; round += 1) {
      const done = await runNotificationRound(deps, now);
      if (done.planned === 0 && done.delivered === 0) return;
    }
    throw new Error('the pipeline did not settle');
  }

  async function mailsTo(address: string) {
    return database.db.selectFrom('dev_outbox_emails').selectAll().where('recipient', '=', address).orderBy('id').execute();
  }

  async function notificationsOf(appointmentId: number) {
    return database.db.selectFrom('notifications').selectAll().where('appointment_id', '=', appointmentId).orderBy('id').execute();
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    context = createTestContext(database);
    deps = deliveryDependencies(context, silent);
    typeId = await findTypeId(database.db, 'mds-melun', PUERICULTURE);
    // The demo data's own events are not this test's business.
    await database.db.updateTable('outbox_events').set({ processed_at: NOW }).execute();
  });

  afterAll(async () => {
    await database.destroy();
  });

  beforeEach(async () => {
    await database.db.updateTable('agents').set({ notification_level: 'others' }).execute();
  });

  it('tells the usager (e-mail with a REQUEST calendar, no motif in the subject) and the agents of a booking, once', async () => {
    const userId = await createContactUser('Lefebvre');
    const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
    await drain(NOW);

    const [mail, ...others] = await mailsTo('lefebvre@example.org');
    expect(others).toHaveLength(0);
    expect(mail?.subject).not.toContain(PUERICULTURE);
    expect(mail?.text_body).toContain('/r/');
    const attachments = mail?.attachments as { filename: string; contentType: string; contentBase64: string }[];
    const ics = Buffer.from(attachments.find((attachment) => attachment.filename.endsWith('.ics'))?.contentBase64 ?? '', 'base64').toString('utf8');
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${booked.publicId}@`);

    const agents = await database.db.selectFrom('agents').select(['email']).where('id', 'in', booked.agentIds).execute();
    for (const agent of agents) {
      if (agent.email === null) continue;
      const [agentMail] = await mailsTo(agent.email);
      expect(agentMail?.text_body).toContain(PUERICULTURE);
    }

    const rows = await notificationsOf(booked.id);
    const created = rows.filter((row) => row.event === 'appointment_created');
    expect(created.every((row) => row.status === 'sent')).toBe(true);
    const receipts = await database.db.selectFrom('notification_receipts').selectAll().where('appointment_id', '=', booked.id).execute();
    expect(receipts.filter((receipt) => receipt.result === 'sent')).toHaveLength(created.length);

    // Planning the same outbox event again changes nothing: the keys are taken.
    await database.db.updateTable('outbox_events').set({ processed_at: null }).where('aggregate_id', '=', booked.id).execute();
    await drain(NOW);
    expect(await notificationsOf(booked.id)).toHaveLength(rows.length);
    expect(await mailsTo('lefebvre@example.org')).toHaveLength(1);
  });

  it('plans the motif’s reminder 48 h before, in the daytime, and sends it then, not earlier', async () => {
    const userId = await createContactUser('Rappel');
    const booked = await bookFirstPublicSlot(database.db, typeId, 4, userId);
    await drain(NOW);
    const [reminder] = (await notificationsOf(booked.id)).filter((row) => row.event === 'reminder');
    expect(reminder?.status).toBe('pending');
    const sendAt = new Date(reminder?.not_before ?? 0);
    expect(sendAt.getTime()).toBeLessThanOrEqual(booked.startsAt.getTime() - 2 * DAY_MS);
    const parisHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(sendAt));
    expect(parisHour).toBeGreaterThanOrEqual(9);
    expect(parisHour).toBeLessThan(20);

    await drain(new Date(sendAt.getTime() - 60_000));
    expect(await mailsTo('rappel@example.org')).toHaveLength(1);
    await drain(sendAt);
    const mails = await mailsTo('rappel@example.org');
    expect(mails).toHaveLength(2);
    expect(mails[1]?.subject).toMatch(/rappel/i);
  });

  it('re-plans reminders when the usager moves the appointment, and tells them the new time', async () => {
    const userId = await createContactUser('Deplace');
    const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
    await drain(NOW);
    const later = await firstPublicSlot(database.db, typeId, 6);
    const moved = await rescheduleAppointment(database.db, {
      appointmentId: booked.id,
      participationId: booked.participationId,
      userId,
      newStartsAt: startOf(later),
      agentId: null,
      idempotencyKey: newKey(),
      now: NOW,
    } as Parameters<typeof rescheduleAppointment>[1]);
    expect(moved.ok).toBe(true);
    await drain(NOW);
    const rows = await notificationsOf(booked.id);
    const reminders = rows.filter((row) => row.event === 'reminder');
    expect(reminders.filter((row) => row.status === 'pending')).toHaveLength(1);
    expect(reminders.filter((row) => row.status === 'cancelled')).toHaveLength(1);
    expect((reminders.find((row) => row.status === 'pending')?.details as { startsAt: string }).startsAt).toBe(startOf(later).toISOString());
    const mails = await mailsTo('deplace@example.org');
    expect(mails.map((mail) => mail.subject).join(' | ')).toMatch(/modifi|déplac/i);
  });

  it('a usager who cancels gets the e-mail but no SMS, and the reminders are cancelled', async () => {
    const userId = await createContactUser('Annule', { phone: '+33612345678' });
    await database.db.updateTable('users').set({ notify_by_sms: false }).where('id', '=', userId).execute();
    const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
    await drain(NOW);
    await database.db.updateTable('users').set({ notify_by_sms: true }).where('id', '=', userId).execute();
    const cancelled = await cancelParticipation(database.db, { appointmentId: booked.id, participationId: booked.participationId, userId, now: NOW } as Parameters<typeof cancelParticipation>[1]);
    expect(cancelled.ok).toBe(true);
    await planFromOutbox(database.db, { now: NOW });
    const rows = await notificationsOf(booked.id);
    const cancellations = rows.filter((row) => row.event === 'appointment_cancelled' && row.user_id === userId);
    expect(cancellations.map((row) => row.channel)).toEqual(['mail']);
    expect(rows.filter((row) => row.event === 'reminder').every((row) => row.status === 'cancelled')).toBe(true);
  });

  it('notifies nobody about an invisible motif, and nothing about an appointment that has started', async () => {
    const userId = await createContactUser('Invisible');
    await database.db.updateTable('appointment_types').set({ visibility: 'invisible' }).where('id', '=', typeId).execute();
    const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
    await drain(NOW);
    await database.db.updateTable('appointment_types').set({ visibility: 'visible_and_notified' }).where('id', '=', typeId).execute();
    expect(await notificationsOf(booked.id)).toEqual([]);

    const other = await createContactUser('Passe');
    const soon = await bookFirstPublicSlot(database.db, typeId, 3, other);
    await drain(new Date(soon.startsAt.getTime() + 60_000));
    expect(await mailsTo('passe@example.org')).toEqual([]);
  });

  it('follows the agents’ levels: none hears nothing, others not their own changes, all everything, soon only today or tomorrow', async () => {
    const userId = await createContactUser('Niveaux');
    const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
    const agentId = booked.agentIds[0] ?? 0;
    await database.db.updateTable('agents').set({ notification_level: 'none' }).where('id', '=', agentId).execute();
    await drain(NOW);
    expect((await notificationsOf(booked.id)).filter((row) => row.agent_id === agentId)).toEqual([]);

    // The agent's own status change: `others` stays quiet, `all` hears it.
    await database.db.updateTable('agents').set({ notification_level: 'others' }).where('id', '=', agentId).execute();
    expect((await changeAppointmentStatus(database.db, { appointmentId: booked.id, status: 'revoked', actor: { type: 'agent', agentId }, now: NOW })).ok).toBe(true);
    await planFromOutbox(database.db, { now: NOW });
    expect((await notificationsOf(booked.id)).filter((row) => row.agent_id === agentId)).toEqual([]);
    await database.db.updateTable('agents').set({ notification_level: 'all' }).where('id', '=', agentId).execute();
    expect((await changeAppointmentStatus(database.db, { appointmentId: booked.id, status: 'unknown', actor: { type: 'agent', agentId }, now: NOW })).ok).toBe(true);
    await planFromOutbox(database.db, { now: NOW });
    expect((await notificationsOf(booked.id)).filter((row) => row.agent_id === agentId).map((row) => row.event)).toEqual(['appointment_created']);

    // `soon`: a usager's cancellation three days ahead is not soon; the same the day before is.
    await database.db.updateTable('agents').set({ notification_level: 'soon' }).where('id', '=', agentId).execute();
    await cancelParticipation(database.db, { appointmentId: booked.id, participationId: booked.participationId, userId, now: NOW } as Parameters<typeof cancelParticipation>[1]);
    await planFromOutbox(database.db, { now: NOW });
    expect((await notificationsOf(booked.id)).filter((row) => row.agent_id === agentId && row.event === 'appointment_cancelled')).toEqual([]);
  });

  it('a worker that stopped mid-send: e-mails are sent again with the same Message-ID once the lease runs out', async () => {
    const userId = await createContactUser('Crash');
    const booked = await bookFirstPublicSlot(database.db, typeId, 3, userId);
    await planFromOutbox(database.db, { now: NOW });
    // Claimed by a worker that then died (status `sending`, lease of 60 s).
    await sql`UPDATE notifications SET status = 'sending', attempts = 1, locked_until = ${new Date(NOW.getTime() + 60_000)} WHERE appointment_id = ${booked.id} AND event = 'appointment_created'`.execute(database.db);
    expect(await recoverExpiredLeases(database.db, { now: NOW, reportWaitSeconds: 0 })).toEqual({ resent: 0, confirmed: 0, inDoubt: 0 });
    const later = new Date(NOW.getTime() + 61_000);
    const recovered = await recoverExpiredLeases(database.db, { now: later, reportWaitSeconds: 0 });
    expect(recovered.resent).toBeGreaterThan(0);
    await drain(later);
    const mails = await mailsTo('crash@example.org');
    expect(mails).toHaveLength(1);
    const created = (await notificationsOf(booked.id)).find((row) => row.event === 'appointment_created' && row.user_id === userId);
    expect(mails[0]?.message_id).toBe(`<notification-${String(created?.id)}@localhost>`);
  });

  it('retries a transient SMTP failure later and keeps an account e-mail encrypted until it is sent', async () => {
    let failures = 1;
    const flaky: DeliveryDependencies = {
      ...deps,
      mailer: {
        async send(message) {
          if (failures > 0) {
            failures -= 1;
            const { MailDeliveryError } = await import('../../platform/mailer/index.js');
            throw new MailDeliveryError('SMTP 421 (RCPT)', { isRetryable: true, smtpResponseCode: 421 });
          }
          return deps.mailer.send(message);
        },
        close: () => Promise.resolve(),
      },
    };
    const queue = createAccountMailQueue(flaky, () => NOW, silent);
    queue.enqueue({ to: 'compte@example.org', subject: 'Votre lien de connexion', text: 'Lien secret https://x/jeton=abc' }, 'sign-in-link');
    await queue.drain();
    const [row] = await database.db.selectFrom('notifications').selectAll().where('event', '=', 'account').orderBy('id', 'desc').limit(1).execute();
    expect(row?.status).toBe('pending');
    expect(row?.content_encrypted).not.toContain('Lien secret');
    expect(row?.content_encrypted).not.toBeNull();
    const retryAt = new Date(row?.not_before ?? 0);
    expect(retryAt.getTime()).toBeGreaterThan(NOW.getTime());
    await deliverDue(flaky, { now: retryAt });
    const [sent] = await database.db.selectFrom('notifications').selectAll().where('id', '=', row?.id ?? 0).execute();
    expect(sent?.status).toBe('sent');
    expect(sent?.content_encrypted).toBeNull();
    expect(await mailsTo('compte@example.org')).toHaveLength(1);
    const receipts = await database.db.selectFrom('notification_receipts').select(['result', 'attempt']).where('notification_id', '=', row?.id ?? 0).orderBy('id').execute();
    expect(receipts).toEqual([
      { result: 'failure', attempt: 1 },
      { result: 'sent', attempt: 2 },
    ]);
  });

  it('the reminder sweep plans what the planning missed, once', async () => {
    const userId = await createContactUser('Sweep');
    const booked = await bookFirstPublicSlot(database.db, typeId, 2, userId);
    // The outbox event is lost (processed without planning): only the sweep can catch it.
    await database.db.updateTable('outbox_events').set({ processed_at: NOW }).where('aggregate_id', '=', booked.id).execute();
    const first = await sweepReminders(database.db, { now: NOW });
    expect(first).toBeGreaterThan(0);
    expect(await sweepReminders(database.db, { now: NOW })).toBe(0);
    const planned = (await notificationsOf(booked.id)).filter((row) => row.event === 'reminder');
    // One e-mail reminder for this usager (the demo's other appointments got theirs in the same sweep).
    expect(planned.map((row) => [row.channel, row.status])).toEqual([['mail', 'pending']]);
  });
});
