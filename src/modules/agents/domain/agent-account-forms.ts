// What an admin or an invitee types in the agent account forms, with French messages (422, input
// kept). The route schemas (agents.schemas.ts) only check the structure; these check the content.
// The password policy itself (length, common passwords, the person's name) is applied by the use
// case, which knows whose password it is.
import { cleanPersonName, MAX_PERSON_NAME_LENGTH } from '../../../shared/text/free-text.js';

export type FieldErrors = Record<string, string>;
export type FormCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldErrors };

/** The access levels an admin may give by invitation (intervenants are created without an account). */
export type InvitedAccessLevel = 'basic' | 'admin';

export interface InvitationForm {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly accessLevel: InvitedAccessLevel;
  readonly serviceId: number;
}

/** Longest address accepted (RFC 5321 path limit). */
const MAX_EMAIL_LENGTH = 254;
// One "@", something on each side, a dot in the domain, no spaces or controls: the mailbox is
// proven by the link, this only catches typing mistakes.
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

function personName(value: string | undefined, label: string): { ok: true; value: string } | { ok: false; message: string } {
  const cleaned = cleanPersonName(value ?? '');
  if (cleaned.ok) return cleaned;
  switch (cleaned.problem) {
    case 'EMPTY':
      return { ok: false, message: `Saisissez le ${label} de l’agent.` };
    case 'TOO_LONG':
      return { ok: false, message: `Le ${label} est trop long (${String(MAX_PERSON_NAME_LENGTH)} caractères au plus).` };
    case 'INVALID':
      return { ok: false, message: `Le ${label} ne peut contenir que des lettres, des espaces, des apostrophes et des tirets.` };
  }
}

/** An agent's e-mail address as typed: trimmed, lower case; or a French message. */
export function cleanAgentEmail(value: string | undefined): { ok: true; value: string } | { ok: false; message: string } {
  const email = (value ?? '').trim().toLowerCase();
  if (email === '') return { ok: false, message: 'Saisissez l’adresse e-mail professionnelle de l’agent.' };
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) return { ok: false, message: 'Saisissez une adresse e-mail valide, par exemple prenom.nom@departement.fr.' };
  return { ok: true, value: email };
}

/**
 * The invitation form: first and last names (the one rule for names), a professional e-mail, an
 * access level, and a service among `serviceIds` (the services of the organisation's territory).
 */
export function checkInvitationForm(
  input: { prenom?: string; nom?: string; email?: string; niveau?: string; service?: number },
  serviceIds: readonly number[],
): FormCheck<InvitationForm> {
  const errors: FieldErrors = {};
  const firstName = personName(input.prenom, 'prénom');
  if (!firstName.ok) errors.prenom = firstName.message;
  const lastName = personName(input.nom, 'nom');
  if (!lastName.ok) errors.nom = lastName.message;
  const email = cleanAgentEmail(input.email);
  if (!email.ok) errors.email = email.message;
  const accessLevel = input.niveau === 'basic' || input.niveau === 'admin' ? input.niveau : undefined;
  if (accessLevel === undefined) errors.niveau = 'Choisissez le niveau d’accès de l’agent.';
  const serviceId = input.service !== undefined && serviceIds.includes(input.service) ? input.service : undefined;
  if (serviceId === undefined) errors.service = 'Choisissez le service de l’agent dans la liste.';
  if (!firstName.ok || !lastName.ok || !email.ok || accessLevel === undefined || serviceId === undefined) return { ok: false, errors };
  return { ok: true, value: { firstName: firstName.value, lastName: lastName.value, email: email.value, accessLevel, serviceId } };
}

/** Longest password accepted before hashing (the policy's bound; bounds the work of one attempt). */
const MAX_PASSWORD_LENGTH = 128;

/** A new password typed twice (invitation, reset): present, bounded, and the same both times. */
export function checkChosenPasswordForm(input: { motDePasse?: string; confirmation?: string }): FormCheck<{ password: string }> {
  const password = input.motDePasse ?? '';
  if (password === '') return { ok: false, errors: { motDePasse: 'Saisissez un mot de passe.' } };
  if (password.length > MAX_PASSWORD_LENGTH) return { ok: false, errors: { motDePasse: `Le mot de passe est trop long (${String(MAX_PASSWORD_LENGTH)} caractères au plus).` } };
  if ((input.confirmation ?? '') !== password) return { ok: false, errors: { confirmation: 'Les deux mots de passe ne sont pas identiques. Saisissez le même mot de passe dans les deux champs.' } };
  return { ok: true, value: { password } };
}
