import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { seedDemoTerritory } from '../../seed/index.js';
import { DAY_MS, NOW, findUserId } from '../../../test/support/appointments.js';
import { consumeAccessToken, InvalidAccessTokenRequestError, issueAccessToken, peekAccessToken, revokePendingAccessTokens, verifyAppointmentAccess } from './index.js';

describe('token links', () => {
  let database: TestDatabase;
  let participation: { id: number; appointmentId: number; userId: number };
  let nguyenParticipationId: number;

  async function participationOf(firstName: string): Promise<{ id: number; appointmentId: number; userId: number }> {
    const userId = await findUserId(database.db, firstName);
    const row = await database.db.selectFrom('participations').select(['id', 'appointment_id']).where('user_id', '=', userId).orderBy('id').executeTakeFirstOrThrow();
    return { id: row.id, appointmentId: row.appointment_id, userId };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDemoTerritory(database.db, NOW);
    participation = await participationOf('Camille');
    nguyenParticipationId = (await participationOf('Jeanne')).id;
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('issues a 32-byte base64url token and stores only its hash', async () => {
    const issued = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: participation.id, now: NOW });
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(issued.token, 'base64url')).toHaveLength(32);
    const row = await database.db.selectFrom('access_tokens').selectAll().where('id', '=', issued.tokenId).executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(issued.token);
    expect(row).toMatchObject({ purpose: 'appointment_access', participation_id: participation.id, appointment_id: participation.appointmentId, user_id: participation.userId });
    expect(issued.expiresAt.getTime() - NOW.getTime()).toBe(12 * 7 * DAY_MS);
  });

  it('issues a short 16-byte token for SMS links, stored as a hash and opened like a standard one', async () => {
    const issued = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: participation.id, length: 'short', now: NOW });
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(issued.token, 'base64url')).toHaveLength(16);
    const row = await database.db.selectFrom('access_tokens').selectAll().where('id', '=', issued.tokenId).executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(issued.token);
    expect(issued.expiresAt.getTime() - NOW.getTime()).toBe(12 * 7 * DAY_MS);
    expect(await verifyAppointmentAccess(database.db, { token: issued.token, lastNamePrefix: 'dur', now: NOW })).toMatchObject({ ok: true, participationId: participation.id });
    const tampered = `${issued.token.slice(0, -1)}${issued.token.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of [tampered, issued.token.slice(0, -1), `${issued.token}A`]) {
      expect(await verifyAppointmentAccess(database.db, { token: wrong, lastNamePrefix: 'dur', now: NOW })).toEqual({ ok: false, reason: 'INVALID_TOKEN' });
    }
    const signIn = await issueAccessToken(database.db, { purpose: 'passwordless_sign_in', userId: participation.userId, length: 'short', now: NOW });
    expect(await consumeAccessToken(database.db, { token: signIn.token, purpose: 'passwordless_sign_in', now: NOW })).toMatchObject({ ok: true, userId: participation.userId });
  });

  it('opens the appointment to whoever types the first three letters of the last name, whatever the case or accents', async () => {
    const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: participation.id, ttlMinutes: 60, now: NOW });
    for (const typed of ['Dur', 'dur', 'DÜR', ' durand ']) {
      expect(await verifyAppointmentAccess(database.db, { token, lastNamePrefix: typed, now: NOW })).toEqual({
        ok: true,
        appointmentId: participation.appointmentId,
        publicId: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
        participationId: participation.id,
        userId: participation.userId,
      });
    }
  });

  it('ignores apostrophes and hyphens in the name (N’Guyen)', async () => {
    const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: nguyenParticipationId, now: NOW });
    expect((await verifyAppointmentAccess(database.db, { token, lastNamePrefix: "n'gu", now: NOW })).ok).toBe(true);
    expect((await verifyAppointmentAccess(database.db, { token, lastNamePrefix: 'NGU', now: NOW })).ok).toBe(true);
  });

  it('refuses tampered, unknown, expired and wrong-purpose tokens', async () => {
    const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: participation.id, ttlMinutes: 60, now: NOW });
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(await verifyAppointmentAccess(database.db, { token: tampered, lastNamePrefix: 'dur', now: NOW })).toEqual({ ok: false, reason: 'INVALID_TOKEN' });
    expect(await verifyAppointmentAccess(database.db, { token: 'not a token', lastNamePrefix: 'dur', now: NOW })).toEqual({ ok: false, reason: 'INVALID_TOKEN' });
    const later = new Date(NOW.getTime() + 61 * 60_000);
    expect(await verifyAppointmentAccess(database.db, { token, lastNamePrefix: 'dur', now: later })).toEqual({ ok: false, reason: 'EXPIRED' });
    const signIn = await issueAccessToken(database.db, { purpose: 'passwordless_sign_in', userId: participation.userId, now: NOW });
    expect(await verifyAppointmentAccess(database.db, { token: signIn.token, lastNamePrefix: 'dur', now: NOW })).toEqual({ ok: false, reason: 'INVALID_TOKEN' });
  });

  it('locks the link after five wrong names, even for the right one afterwards', async () => {
    const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: participation.id, now: NOW });
    const answers = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) answers.push(await verifyAppointmentAccess(database.db, { token, lastNamePrefix: 'mar', now: NOW }));
    expect(answers.map((answer) => (answer.ok ? 'ok' : answer.reason))).toEqual(['NAME_MISMATCH', 'NAME_MISMATCH', 'NAME_MISMATCH', 'NAME_MISMATCH', 'LOCKED']);
    expect(await verifyAppointmentAccess(database.db, { token, lastNamePrefix: 'dur', now: NOW })).toEqual({ ok: false, reason: 'LOCKED' });
  });

  it('accepts too short an answer for nobody: two letters are not enough', async () => {
    const { token } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: participation.id, now: NOW });
    expect(await verifyAppointmentAccess(database.db, { token, lastNamePrefix: 'du', now: NOW })).toEqual({ ok: false, reason: 'NAME_MISMATCH' });
  });

  it('consumes single-use links once, and keeps invitation links reusable', async () => {
    const signIn = await issueAccessToken(database.db, { purpose: 'passwordless_sign_in', userId: participation.userId, now: NOW });
    expect(await consumeAccessToken(database.db, { token: signIn.token, purpose: 'passwordless_sign_in', now: NOW })).toMatchObject({ ok: true, userId: participation.userId, pendingPasswordHash: null });
    expect(await consumeAccessToken(database.db, { token: signIn.token, purpose: 'passwordless_sign_in', now: NOW })).toEqual({ ok: false, reason: 'ALREADY_USED' });
    expect(await consumeAccessToken(database.db, { token: signIn.token, purpose: 'email_confirmation', now: NOW })).toEqual({ ok: false, reason: 'INVALID_TOKEN' });
    const expired = new Date(NOW.getTime() + 16 * 60_000);
    const other = await issueAccessToken(database.db, { purpose: 'passwordless_sign_in', userId: participation.userId, now: NOW });
    expect(await consumeAccessToken(database.db, { token: other.token, purpose: 'passwordless_sign_in', now: expired })).toEqual({ ok: false, reason: 'EXPIRED' });
    const invitation = await issueAccessToken(database.db, { purpose: 'invitation', userId: participation.userId, now: NOW });
    expect((await consumeAccessToken(database.db, { token: invitation.token, purpose: 'invitation', now: NOW })).ok).toBe(true);
    expect((await consumeAccessToken(database.db, { token: invitation.token, purpose: 'invitation', now: NOW })).ok).toBe(true);
  });

  it('refuses to issue a token without its target', async () => {
    await expect(issueAccessToken(database.db, { purpose: 'appointment_access', userId: participation.userId, now: NOW })).rejects.toBeInstanceOf(InvalidAccessTokenRequestError);
    await expect(issueAccessToken(database.db, { purpose: 'email_confirmation', now: NOW })).rejects.toBeInstanceOf(InvalidAccessTokenRequestError);
    await expect(issueAccessToken(database.db, { purpose: 'appointment_access', participationId: 999_999, now: NOW })).rejects.toBeInstanceOf(InvalidAccessTokenRequestError);
  });

  it('gives a right answer its count back: only wrong answers move a link towards its lock', async () => {
    const { token, tokenId } = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: participation.id, now: NOW });
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await verifyAppointmentAccess(database.db, { token, lastNamePrefix: 'dur', now: NOW })).ok).toBe(true);
    expect((await verifyAppointmentAccess(database.db, { token, lastNamePrefix: 'mar', now: NOW })).ok).toBe(false);
    const row = await database.db.selectFrom('access_tokens').select('failed_attempts').where('id', '=', tokenId).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(1);
  });

  it('carries a sign-up password only on its confirmation link, hands it over once, then forgets it', async () => {
    const issued = await issueAccessToken(database.db, { purpose: 'email_confirmation', userId: participation.userId, pendingPasswordHash: '$argon2id$pending', now: NOW });
    expect(await peekAccessToken(database.db, { token: issued.token, purpose: 'email_confirmation', now: NOW })).toEqual({ ok: true, userId: participation.userId, pendingPasswordHash: '$argon2id$pending' });
    expect(await consumeAccessToken(database.db, { token: issued.token, purpose: 'email_confirmation', now: NOW })).toMatchObject({ ok: true, pendingPasswordHash: '$argon2id$pending' });
    const row = await database.db.selectFrom('access_tokens').select(['pending_password_hash', 'used_at']).where('id', '=', issued.tokenId).executeTakeFirstOrThrow();
    expect(row).toEqual({ pending_password_hash: null, used_at: NOW });
    expect(await peekAccessToken(database.db, { token: issued.token, purpose: 'email_confirmation', now: NOW })).toEqual({ ok: false, reason: 'ALREADY_USED' });
    await expect(issueAccessToken(database.db, { purpose: 'passwordless_sign_in', userId: participation.userId, pendingPasswordHash: '$argon2id$x', now: NOW })).rejects.toBeInstanceOf(InvalidAccessTokenRequestError);
  });

  it('revokes every unused mailbox link of a user, with their pending passwords, and leaves appointment links alone', async () => {
    const userId = participation.userId;
    const links = await Promise.all([
      issueAccessToken(database.db, { purpose: 'passwordless_sign_in', userId, now: NOW }),
      issueAccessToken(database.db, { purpose: 'email_confirmation', userId, pendingPasswordHash: '$argon2id$attacker', now: NOW }),
      issueAccessToken(database.db, { purpose: 'password_reset', userId, now: NOW }),
    ]);
    const appointmentLink = await issueAccessToken(database.db, { purpose: 'appointment_access', participationId: participation.id, now: NOW });
    expect(await revokePendingAccessTokens(database.db, { userId, now: NOW })).toBeGreaterThanOrEqual(3);
    for (const [index, purpose] of (['passwordless_sign_in', 'email_confirmation', 'password_reset'] as const).entries()) {
      expect(await consumeAccessToken(database.db, { token: links[index]!.token, purpose, now: NOW })).toEqual({ ok: false, reason: 'ALREADY_USED' });
    }
    const pending = await database.db.selectFrom('access_tokens').select('id').where('user_id', '=', userId).where('pending_password_hash', 'is not', null).execute();
    expect(pending).toEqual([]);
    expect((await verifyAppointmentAccess(database.db, { token: appointmentLink.token, lastNamePrefix: 'dur', now: NOW })).ok).toBe(true);
  });
});
