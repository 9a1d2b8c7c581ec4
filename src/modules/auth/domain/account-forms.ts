// Rules of what a person types in the account forms, with French messages (422, input kept).
// The route schemas (auth.schemas.ts) only check the structure; these check the content.
import { z } from 'zod';
import { MAX_PERSON_NAME_LENGTH, cleanPersonName } from '../../../shared/text/free-text.js';
import { PASSWORD_MAX_LENGTH } from './password-policy.js';

export type FieldErrors = Record<string, string>;
export type FormCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldErrors };

const EMAIL_MESSAGE = 'Saisissez une adresse e-mail valide, par exemple nom@domaine.fr.';
const email = z.string().trim().toLowerCase().min(1, 'Saisissez votre adresse e-mail.').max(254, EMAIL_MESSAGE).pipe(z.email({ error: EMAIL_MESSAGE }));
// One rule for names everywhere (shared/text/free-text.ts): letters, spaces, apostrophes and
// hyphens of French names, at most 100 characters, no control character, no link.
const name = (label: string) =>
  z.string().transform((value, context) => {
    const cleaned = cleanPersonName(value);
    if (cleaned.ok) return cleaned.value;
    context.addIssue({
      code: 'custom',
      message:
        cleaned.problem === 'EMPTY'
          ? `Saisissez votre ${label}.`
          : cleaned.problem === 'TOO_LONG'
            ? `Votre ${label} est trop long (${String(MAX_PERSON_NAME_LENGTH)} caractères au plus).`
            : `Votre ${label} ne peut contenir que des lettres, des espaces, des apostrophes et des tirets.`,
    });
    return z.NEVER;
  });
const password = z
  .string()
  .min(1, 'Saisissez un mot de passe.')
  .max(PASSWORD_MAX_LENGTH, `Le mot de passe est trop long (${String(PASSWORD_MAX_LENGTH)} caractères au plus).`);

function check<T>(schema: z.ZodType<T>, input: unknown): FormCheck<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? '')] ??= issue.message;
  return { ok: false, errors };
}

/** Sign-up: first name, last name, e-mail, password (its policy is checked by the use case). */
export function checkSignUpForm(input: { prenom?: string; nom?: string; email?: string; motDePasse?: string }): FormCheck<{ firstName: string; lastName: string; email: string; password: string }> {
  const result = check(z.object({ prenom: name('prénom'), nom: name('nom'), email, motDePasse: password }), {
    prenom: input.prenom ?? '',
    nom: input.nom ?? '',
    email: input.email ?? '',
    motDePasse: input.motDePasse ?? '',
  });
  return result.ok ? { ok: true, value: { firstName: result.value.prenom, lastName: result.value.nom, email: result.value.email, password: result.value.motDePasse } } : result;
}

/** Sign-in: an e-mail and a password, both required. */
export function checkSignInForm(input: { email?: string; motDePasse?: string }): FormCheck<{ email: string; password: string }> {
  const result = check(
    z.object({ email: z.string().trim().toLowerCase().min(1, 'Saisissez votre adresse e-mail.').max(254, EMAIL_MESSAGE), motDePasse: z.string().min(1, 'Saisissez votre mot de passe.') }),
    { email: input.email ?? '', motDePasse: input.motDePasse ?? '' },
  );
  return result.ok ? { ok: true, value: { email: result.value.email, password: result.value.motDePasse } } : result;
}

/** A form that only asks for an e-mail (sign-in link, forgotten password). */
export function checkEmailForm(input: { email?: string }): FormCheck<{ email: string }> {
  return check(z.object({ email }), { email: input.email ?? '' });
}

/** A new password (its policy is checked by the use case, which knows the account). */
export function checkNewPasswordForm(input: { motDePasse?: string }): FormCheck<{ password: string }> {
  const result = check(z.object({ motDePasse: password }), { motDePasse: input.motDePasse ?? '' });
  return result.ok ? { ok: true, value: { password: result.value.motDePasse } } : result;
}
