// Usager accounts: sign-in with a password, sign-up confirmed by e-mail, passwordless link.
// The e-mails carry single-use, expiring tokens (booking module's access tokens).
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Mailer } from '../../platform/mailer/index.js';
import { hashPassword, verifyPassword } from '../../platform/security/index.js';
import { consumeAccessToken, issueAccessToken } from '../access-tokens/index.js';
import { confirmAccount, findAccountByEmail, insertAccount, updateUnconfirmedAccount } from './auth.repository.js';
import { checkPassword } from './domain/index.js';

export type FieldErrors = Record<string, string>;

// Verifying against a fixed hash when the account does not exist keeps the answer time the same,
// so timing does not reveal which e-mails have an account.
let decoyHash: string | undefined;
async function verifyAgainstDecoy(password: string): Promise<void> {
  decoyHash ??= await hashPassword('mot de passe leurre pour égaliser les temps');
  await verifyPassword(decoyHash, password);
}

/** Signs in with e-mail and password; unconfirmed accounts must confirm their e-mail first. */
export async function signInWithPassword(
  db: Kysely<Database>,
  request: { email: string; password: string },
): Promise<{ ok: true; userId: number } | { ok: false; reason: 'INVALID_CREDENTIALS' | 'UNCONFIRMED' }> {
  const account = await findAccountByEmail(db, request.email);
  if (account?.passwordHash === undefined || account.passwordHash === null) {
    await verifyAgainstDecoy(request.password);
    return { ok: false, reason: 'INVALID_CREDENTIALS' };
  }
  if (!(await verifyPassword(account.passwordHash, request.password))) return { ok: false, reason: 'INVALID_CREDENTIALS' };
  if (account.confirmedAt === null) return { ok: false, reason: 'UNCONFIRMED' };
  return { ok: true, userId: account.id };
}

export interface SignUpRequest {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  now: Date;
  /** Absolute URL of the confirmation page (may carry `retour`); the token is appended. */
  confirmationUrl: string;
}

/**
 * Creates an account and e-mails a confirmation link. An e-mail that already has a confirmed
 * account gets a "you already have an account" e-mail instead: the page shown is the same, so
 * the form does not reveal who has an account.
 */
export async function signUp(
  db: Kysely<Database>,
  mailer: Mailer,
  request: SignUpRequest,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const check = checkPassword(request.password, { email: request.email, firstName: request.firstName, lastName: request.lastName });
  if (!check.ok) return { ok: false, errors: { motDePasse: check.violations.map((violation) => violation.message).join(' ') } };
  const existing = await findAccountByEmail(db, request.email);
  if (existing !== undefined && existing.confirmedAt !== null) {
    await mailer.send({
      to: existing.email,
      subject: 'Vous avez déjà un compte',
      text: `Bonjour,\n\nUne inscription a été demandée avec cette adresse, qui a déjà un compte. Connectez-vous, ou demandez un lien de connexion par e-mail si vous avez oublié votre mot de passe.\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.`,
    });
    return { ok: true };
  }
  const passwordHash = await hashPassword(request.password);
  let userId: number;
  if (existing === undefined) {
    userId = await insertAccount(db, { firstName: request.firstName, lastName: request.lastName, email: request.email, passwordHash });
  } else {
    userId = existing.id;
    await updateUnconfirmedAccount(db, userId, { firstName: request.firstName, lastName: request.lastName, passwordHash });
  }
  const issued = await issueAccessToken(db, { purpose: 'email_confirmation', userId, now: request.now });
  await mailer.send({
    to: request.email,
    subject: 'Confirmez votre adresse e-mail',
    text: `Bonjour ${request.firstName},\n\nPour activer votre compte, ouvrez ce lien (valable 3 jours) :\n${request.confirmationUrl}${request.confirmationUrl.includes('?') ? '&' : '?'}jeton=${issued.token}\n\nSi vous n’êtes pas à l’origine de cette inscription, ignorez ce message.`,
  });
  return { ok: true };
}

/** Confirms the e-mail of the link's account and signs it in. */
export async function confirmEmail(db: Kysely<Database>, request: { token: string; now: Date }): Promise<{ ok: true; userId: number } | { ok: false }> {
  const consumed = await consumeAccessToken(db, { token: request.token, purpose: 'email_confirmation', now: request.now });
  if (!consumed.ok) return { ok: false };
  await confirmAccount(db, consumed.userId, request.now);
  return { ok: true, userId: consumed.userId };
}

/** E-mails a single-use sign-in link valid 15 minutes, if the address has an account; silent otherwise. */
export async function sendSignInLink(
  db: Kysely<Database>,
  mailer: Mailer,
  request: { email: string; now: Date; signInUrl: string },
): Promise<void> {
  const account = await findAccountByEmail(db, request.email);
  if (account === undefined) return;
  const issued = await issueAccessToken(db, { purpose: 'passwordless_sign_in', userId: account.id, now: request.now });
  await mailer.send({
    to: account.email,
    subject: 'Votre lien de connexion',
    text: `Bonjour,\n\nPour vous connecter, ouvrez ce lien (valable 15 minutes, une seule fois) :\n${request.signInUrl}?jeton=${issued.token}\n\nSi vous n’avez rien demandé, ignorez ce message.`,
  });
}

/** Signs in through an e-mailed link; a first sign-in this way also confirms the e-mail. */
export async function signInWithLink(db: Kysely<Database>, request: { token: string; now: Date }): Promise<{ ok: true; userId: number } | { ok: false }> {
  const consumed = await consumeAccessToken(db, { token: request.token, purpose: 'passwordless_sign_in', now: request.now });
  if (!consumed.ok) return { ok: false };
  await confirmAccount(db, consumed.userId, request.now);
  return { ok: true, userId: consumed.userId };
}
