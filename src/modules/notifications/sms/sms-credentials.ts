/**
 * The credentials a territory admin types for each provider, validated with French messages per
 * field. What passes is what the adapters read (after decryption) — nothing else is kept.
 */
import { z } from 'zod';
import type { SmsProviderName } from './sms-provider.js';

/** Printable ASCII without spaces: what ends in an HTTP header or a form field as a secret. */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function requiredToken(message: string) {
  return z
    .string({ error: message })
    .trim()
    .min(1, { error: message })
    .max(512, { error: 'Valeur trop longue (512 caractères au plus)' })
    .regex(TOKEN_PATTERN, { error: 'Sans espace ni caractère spécial invisible' });
}

function requiredText(message: string, max: number) {
  return z
    .string({ error: message })
    .trim()
    .min(1, { error: message })
    .max(max, { error: `Valeur trop longue (${max} caractères au plus)` })
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .regex(/^[^\u0000-\u001f\u007f]+$/, { error: 'Caractère de contrôle non accepté' });
}

/** Whether `value` is an acceptable base URL: https, or http on the loopback (tests, local gateways). */
export function isAcceptableEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const ENDPOINT_MESSAGE = 'Adresse https:// attendue (http:// seulement vers 127.0.0.1 ou localhost), sans identifiants ni paramètres';

/** An optional base URL override; an empty field means « the provider's own address ». */
const optionalEndpoint = z
  .string({ error: ENDPOINT_MESSAGE })
  .trim()
  .max(300, { error: 'Adresse trop longue (300 caractères au plus)' })
  .refine((value) => value === '' || isAcceptableEndpoint(value), { error: ENDPOINT_MESSAGE })
  .optional();

const emailAddress = (message: string) => z.string({ error: message }).trim().min(1, { error: message }).max(254, { error: message }).pipe(z.email({ error: message }));

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const SMTP_URL_MESSAGE = 'Renseignez l’adresse du serveur SMTP (smtp://utilisateur:motdepasse@hôte:587 ou smtps://…:465)';

export const SMS_CREDENTIAL_SCHEMAS = {
  smsfactor: z.object({
    apiToken: requiredToken('Renseignez le jeton d’API'),
    endpoint: optionalEndpoint,
  }),
  brevo: z.object({
    apiKey: requiredToken('Renseignez la clé d’API'),
    endpoint: optionalEndpoint,
  }),
  netsize: z.object({
    account: requiredText('Renseignez le nom du compte', 200).refine((value) => !value.includes(':'), { error: 'Le nom du compte ne peut pas contenir « : »' }),
    password: requiredText('Renseignez le mot de passe', 512),
    campaignName: z
      .string()
      .trim()
      .max(49, { error: 'Nom de campagne trop long (49 caractères au plus)' })
      .regex(/^[A-Za-z0-9 _.-]*$/, { error: 'Lettres sans accent, chiffres, espaces, « _ », « . » et « - » seulement' })
      .optional(),
    endpoint: optionalEndpoint,
  }),
  clever: z.object({
    login: requiredText('Renseignez l’identifiant', 200).refine((value) => !value.includes(':'), { error: 'L’identifiant ne peut pas contenir « : »' }),
    password: requiredText('Renseignez le mot de passe', 512),
    endpoint: optionalEndpoint,
  }),
  orange_contact_everyone: z.object({
    token: requiredToken('Renseignez le jeton d’API'),
    endpoint: optionalEndpoint,
  }),
  sfr_mail2sms: z.object({
    smtpUrl: z.string({ error: SMTP_URL_MESSAGE }).trim().max(500, { error: SMTP_URL_MESSAGE }).refine(isSmtpUrl, { error: SMTP_URL_MESSAGE }),
    to: emailAddress('Renseignez l’adresse mail2SMS du compte SFR'),
    from: emailAddress('Renseignez l’adresse d’expédition autorisée par SFR'),
  }),
  log: z.object({}),
} as const satisfies Record<SmsProviderName, z.ZodType>;

export type SmsCredentialsCheck = { readonly ok: true; readonly credentials: Record<string, string> } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

/** Validates `raw` for `provider`: the checked strings (empty optional fields dropped), or one French message per field. */
export function validateSmsCredentials(provider: SmsProviderName, raw: Readonly<Record<string, unknown>>): SmsCredentialsCheck {
  const result = SMS_CREDENTIAL_SCHEMAS[provider].safeParse(raw);
  if (!result.success) {
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.length > 0 ? String(issue.path[0]) : '_';
      errors[key] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const credentials: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.data as Record<string, unknown>)) {
    if (typeof value === 'string' && value !== '') credentials[key] = value;
  }
  return { ok: true, credentials };
}
