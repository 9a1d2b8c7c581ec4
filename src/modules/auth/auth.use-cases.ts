// Usager accounts (ADR 0013): sign-in with a password, sign-up confirmed by e-mail, passwordless
// link, password reset. Rules:
// - a sign-up never changes an existing record; the owner of the address is told by e-mail;
// - a password becomes the account's only through a link that proves the mailbox (confirmation,
//   reset), and proving the mailbox revokes every other pending link and unverified password;
// - known and unknown addresses get the same answer after the same work: a password is hashed or
//   verified either way, and e-mails go through the in-process queue, never awaited.
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { MailQueue } from '../../platform/mailer/index.js';
import {
  claimSignInAttempt,
  clearSignInThrottle,
  countHit,
  hashPassword,
  passwordHashNeedsRehash,
  throttleKey,
  verifyPassword,
} from '../../platform/security/index.js';
import { consumeAccessToken, issueAccessToken, peekAccessToken, revokePendingAccessTokens } from '../access-tokens/index.js';
import { findAccountByEmail, findAccountById, insertUnconfirmedAccount, markMailboxProven, updatePasswordHash } from './auth.repository.js';
import {
  checkPassword,
  confirmationMail,
  passwordResetMail,
  signInLinkMail,
  signUpAttemptMail,
  type AccountMail,
  type FieldErrors,
} from './domain/index.js';

/** E-mails (sign-in links, confirmations, resets, sign-up notices) sent to one address per hour. */
export const MAILS_PER_ADDRESS_PER_HOUR = 5;

/** What the account use cases need besides the request. */
export interface AccountServices {
  readonly db: Kysely<Database>;
  readonly mail: MailQueue;
  /** SESSION_SECRET: keys the HMACs under which addresses are counted. */
  readonly sessionSecret: string;
  /** BASE_URL, for the links in e-mails. */
  readonly baseUrl: string;
}

function withReturn(path: string, returnTo: string | undefined): string {
  return returnTo === undefined ? path : `${path}?retour=${encodeURIComponent(returnTo)}`;
}

function linkWithToken(services: AccountServices, path: string, returnTo: string | undefined, token: string): string {
  const base = withReturn(path, returnTo);
  return `${services.baseUrl}${base}${base.includes('?') ? '&' : '?'}jeton=${token}`;
}

function signInThrottleKey(services: AccountServices, email: string): string {
  return throttleKey(services.sessionSecret, 'sign-in', email.toLowerCase());
}

/** Counts one e-mail to this address (known or not: same work) and says whether the hourly cap allows it. */
async function mayMail(services: AccountServices, email: string, now: Date): Promise<boolean> {
  const hits = await countHit(services.db, { keyHash: throttleKey(services.sessionSecret, 'mails-to', email.toLowerCase()), windowMs: 3_600_000, now });
  return hits <= MAILS_PER_ADDRESS_PER_HOUR;
}

function send(services: AccountServices, to: string, mail: AccountMail, kind: string): void {
  services.mail.enqueue({ to, subject: mail.subject, text: mail.text }, kind);
}

export type SignInResult =
  | { readonly ok: true; readonly userId: number }
  | { readonly ok: false; readonly reason: 'INVALID_CREDENTIALS' }
  | { readonly ok: false; readonly reason: 'THROTTLED'; readonly retryAfterMs: number; readonly locked: boolean };

/**
 * Signs in with e-mail and password. Each attempt is counted for the address before the password
 * is checked (a delay after 5 failures, a 15-minute lock after 10, the same for addresses without
 * an account); a success clears the count. Only a confirmed account's password is accepted.
 */
export async function signInWithPassword(services: AccountServices, request: { email: string; password: string; now: Date }): Promise<SignInResult> {
  const key = signInThrottleKey(services, request.email);
  const decision = await claimSignInAttempt(services.db, { keyHash: key, now: request.now });
  if (!decision.allowed) return { ok: false, reason: 'THROTTLED', retryAfterMs: decision.retryAfterMs, locked: decision.locked };
  const account = await findAccountByEmail(services.db, request.email);
  // verifyPassword(null) does the same work as a real check: no timing difference.
  const passwordHash = account?.confirmedAt === null ? null : (account?.passwordHash ?? null);
  if (account === undefined || passwordHash === null || !(await verifyPassword(passwordHash, request.password))) {
    return { ok: false, reason: 'INVALID_CREDENTIALS' };
  }
  await clearSignInThrottle(services.db, key);
  if (passwordHashNeedsRehash(passwordHash)) await updatePasswordHash(services.db, account.id, await hashPassword(request.password));
  return { ok: true, userId: account.id };
}

export interface SignUpRequest {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly password: string;
  readonly returnTo: string | undefined;
  readonly now: Date;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/**
 * Sign-up. A new address gets an unconfirmed account without a password and a confirmation link
 * that carries the chosen password (pending until the link is used). An address that already has
 * a record (an account, a usager created by an agent or a prescripteur, an earlier sign-up) is
 * left untouched; its owner gets an e-mail. The answer is the same, after the same hashing work.
 */
export async function signUp(services: AccountServices, request: SignUpRequest): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const check = checkPassword(request.password, { email: request.email, firstName: request.firstName, lastName: request.lastName });
  if (!check.ok) return { ok: false, errors: { motDePasse: check.violations.map((violation) => violation.message).join(' ') } };
  const pendingPasswordHash = await hashPassword(request.password);
  const mayMailOwner = await mayMail(services, request.email, request.now);
  const notifyOwner = (): void => {
    if (!mayMailOwner) return;
    const links = { signIn: `${services.baseUrl}/connexion`, resetPassword: `${services.baseUrl}/mot-de-passe-oublie` };
    send(services, request.email, signUpAttemptMail(links), 'sign-up-attempt');
  };
  const existing = await findAccountByEmail(services.db, request.email);
  if (existing !== undefined) {
    notifyOwner();
    return { ok: true };
  }
  let token: string;
  try {
    token = await services.db.transaction().execute(async (trx) => {
      const userId = await insertUnconfirmedAccount(trx, { firstName: request.firstName, lastName: request.lastName, email: request.email });
      const issued = await issueAccessToken(trx, { purpose: 'email_confirmation', userId, pendingPasswordHash, now: request.now });
      return issued.token;
    });
  } catch (error) {
    // Two sign-ups for one new address at once: the second finds the first's record.
    if (!isUniqueViolation(error)) throw error;
    notifyOwner();
    return { ok: true };
  }
  if (mayMailOwner) send(services, request.email, confirmationMail(request.firstName, linkWithToken(services, '/inscription/confirmer', request.returnTo, token)), 'confirmation');
  return { ok: true };
}

type LinkOutcome = { readonly ok: true; readonly userId: number } | { readonly ok: false; readonly reason?: undefined };

/**
 * The mailbox of `userId` was proven by a link: confirm the account, set the password when the
 * link carried one (or drop an unverified one), revoke every other pending link, clear the
 * sign-in throttle. Runs in the caller's transaction.
 */
async function mailboxProven(services: AccountServices, db: Kysely<Database>, request: { userId: number; password: string | null; now: Date }): Promise<void> {
  await markMailboxProven(db, request);
  await revokePendingAccessTokens(db, { userId: request.userId, now: request.now });
  const account = await findAccountById(db, request.userId);
  if (account !== undefined) await clearSignInThrottle(db, signInThrottleKey(services, account.email));
}

/** What an activation page must ask: the password chosen at sign-up when the link carries one. */
export async function confirmationLinkState(services: AccountServices, request: { token: string; now: Date }): Promise<'UNUSABLE' | 'ASK_PASSWORD' | 'READY'> {
  const peeked = await peekAccessToken(services.db, { token: request.token, purpose: 'email_confirmation', now: request.now });
  if (!peeked.ok) return 'UNUSABLE';
  return peeked.pendingPasswordHash === null ? 'READY' : 'ASK_PASSWORD';
}

/**
 * Uses a confirmation link: the account is confirmed with the password chosen at sign-up. The
 * person must type that password again, so that clicking a link received after someone else
 * signed up with one's address does not give that someone the account (pre-hijacking); nothing
 * is spent when it does not match.
 */
export async function confirmEmail(
  services: AccountServices,
  request: { token: string; password: string; now: Date },
): Promise<LinkOutcome | { readonly ok: false; readonly reason: 'WRONG_PASSWORD' }> {
  const peeked = await peekAccessToken(services.db, { token: request.token, purpose: 'email_confirmation', now: request.now });
  if (peeked.ok && peeked.pendingPasswordHash !== null && !(await verifyPassword(peeked.pendingPasswordHash, request.password))) {
    return { ok: false, reason: 'WRONG_PASSWORD' };
  }
  return services.db.transaction().execute(async (trx) => {
    const consumed = await consumeAccessToken(trx, { token: request.token, purpose: 'email_confirmation', now: request.now });
    if (!consumed.ok) return { ok: false };
    await mailboxProven(services, trx, { userId: consumed.userId, password: consumed.pendingPasswordHash, now: request.now });
    return { ok: true, userId: consumed.userId };
  });
}

/** Uses a passwordless sign-in link; a first sign-in this way also confirms the e-mail. */
export async function signInWithLink(services: AccountServices, request: { token: string; now: Date }): Promise<LinkOutcome> {
  return services.db.transaction().execute(async (trx) => {
    const consumed = await consumeAccessToken(trx, { token: request.token, purpose: 'passwordless_sign_in', now: request.now });
    if (!consumed.ok) return { ok: false };
    await mailboxProven(services, trx, { userId: consumed.userId, password: null, now: request.now });
    return { ok: true, userId: consumed.userId };
  });
}

/** Whether an e-mailed link can still be used (to show its page; nothing is spent). */
export async function isUsableLink(
  services: AccountServices,
  request: { token: string; purpose: 'email_confirmation' | 'passwordless_sign_in' | 'password_reset'; now: Date },
): Promise<boolean> {
  return (await peekAccessToken(services.db, request)).ok;
}

/** Queues a link e-mail to the address if it has an account and the hourly cap allows; silent otherwise. */
async function mailLink(
  services: AccountServices,
  request: { email: string; now: Date; returnTo: string | undefined },
  link: { purpose: 'passwordless_sign_in' | 'password_reset'; path: string; mail: (url: string) => AccountMail; kind: string },
): Promise<void> {
  const allowed = await mayMail(services, request.email, request.now);
  const account = await findAccountByEmail(services.db, request.email);
  if (account === undefined || !allowed) return;
  const issued = await issueAccessToken(services.db, { purpose: link.purpose, userId: account.id, now: request.now });
  send(services, account.email, link.mail(linkWithToken(services, link.path, request.returnTo, issued.token)), link.kind);
}

/** E-mails a single-use sign-in link valid 15 minutes, if the address has an account. */
export async function sendSignInLink(services: AccountServices, request: { email: string; now: Date; returnTo: string | undefined }): Promise<void> {
  await mailLink(services, request, { purpose: 'passwordless_sign_in', path: '/connexion/lien/verifier', mail: signInLinkMail, kind: 'sign-in-link' });
}

/** E-mails a single-use password-reset link valid 1 hour, if the address has an account. */
export async function requestPasswordReset(services: AccountServices, request: { email: string; now: Date }): Promise<void> {
  await mailLink(services, { ...request, returnTo: undefined }, { purpose: 'password_reset', path: '/mot-de-passe/nouveau', mail: passwordResetMail, kind: 'password-reset' });
}

/**
 * Sets a new password through a reset link: the policy is checked against the account, then the
 * link is spent, the password set, the account confirmed and every other link revoked, at once.
 */
export async function resetPassword(
  services: AccountServices,
  request: { token: string; password: string; now: Date },
): Promise<{ ok: true; userId: number } | { ok: false; reason: 'INVALID_LINK' } | { ok: false; reason: 'WEAK_PASSWORD'; errors: FieldErrors }> {
  const peeked = await peekAccessToken(services.db, { token: request.token, purpose: 'password_reset', now: request.now });
  const account = peeked.ok ? await findAccountById(services.db, peeked.userId) : undefined;
  if (account === undefined) return { ok: false, reason: 'INVALID_LINK' };
  const check = checkPassword(request.password, { email: account.email, firstName: account.firstName, lastName: account.lastName });
  if (!check.ok) return { ok: false, reason: 'WEAK_PASSWORD', errors: { motDePasse: check.violations.map((violation) => violation.message).join(' ') } };
  const passwordHash = await hashPassword(request.password);
  return services.db.transaction().execute(async (trx) => {
    const consumed = await consumeAccessToken(trx, { token: request.token, purpose: 'password_reset', now: request.now });
    if (!consumed.ok || consumed.userId !== account.id) return { ok: false, reason: 'INVALID_LINK' } as const;
    await mailboxProven(services, trx, { userId: account.id, password: passwordHash, now: request.now });
    return { ok: true, userId: account.id } as const;
  });
}
