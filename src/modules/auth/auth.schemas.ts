// Route schemas of the auth pages (structural layer, ADR 0012): one bounded string per field;
// a repeated field, an object or an over-long value is refused with 400 before any handler runs.
// What the fields must contain (an e-mail, a name, a password policy) is checked afterwards by
// domain/account-forms.ts and answered with 422 and French messages.
import { z } from 'zod';
import { linkTokenField, optionalTypedField, returnAddressField } from '../../platform/http/schemas.js';

/** `?retour=` of the sign-in, sign-up and link-request pages. */
export const returnQuery = z.object({ retour: returnAddressField });

export const signInBody = z.object({ email: optionalTypedField, motDePasse: optionalTypedField, retour: returnAddressField });

export const signUpBody = z.object({
  prenom: optionalTypedField,
  nom: optionalTypedField,
  email: optionalTypedField,
  motDePasse: optionalTypedField,
  retour: returnAddressField,
});

/** Forms that only ask for an e-mail: sign-in link, forgotten password. */
export const emailBody = z.object({ email: optionalTypedField, retour: returnAddressField });

/** An e-mailed link as opened (GET shows a button, never acts). */
export const linkQuery = z.object({ jeton: linkTokenField, retour: returnAddressField });

/** The button of an e-mailed link's page: the token comes back in a hidden field. */
export const linkBody = z.object({ jeton: linkTokenField, retour: returnAddressField });

/** The activation page's button, with the password chosen at sign-up. */
export const confirmationBody = z.object({ jeton: linkTokenField, retour: returnAddressField, motDePasse: optionalTypedField });

export const newPasswordBody = z.object({ jeton: linkTokenField, motDePasse: optionalTypedField });
