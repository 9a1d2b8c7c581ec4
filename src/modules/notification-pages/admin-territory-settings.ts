/**
 * The SMS and e-mail settings of a territory, as its territorial admins set them (issue 9 §4):
 * provider, sender name, credentials (stored encrypted, never shown back: a blank field keeps the
 * stored value), an optional fallback provider, the low-credit threshold, the sender and reply-to
 * addresses of the territory's e-mails; and a test SMS sent through the configured provider.
 *
 * Credentials are encrypted as the delivery pipeline reads them (delivery.ts):
 * `encryptSecret(JSON.stringify(credentials), keyring, smsCredentialsAssociatedData(territory, which))`.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, SmsProviderName } from '../../platform/db/schema.js';
import { countHit, decryptSecret, encryptSecret, throttleKey, type SecretKeyring } from '../../platform/security/index.js';
import { parseFrenchPhone } from '../../shared/text/phone.js';
import { canManageTerritory, roleIn, type AgentPrincipal } from '../agents/index.js';
import { insertAuditEntry } from '../../platform/audit/audit-log.js';
import { PROVIDERS_WITH_REPORTS, SMS_CREDENTIAL_SCHEMAS, SMS_PROVIDER_NAMES, SmsProviderError, checkSmsCredentials, createSmsProvider, hashReportToken, reportTokenOf, reportUrlOf, smsCredentialsAssociatedData, type SmsErrorKind } from '../notifications/index.js';

/** French names of the providers, in the order of the select. */
export const SMS_PROVIDER_LABELS: Readonly<Record<SmsProviderName, string>> = {
  smsfactor: 'SMS Factor',
  brevo: 'Brevo',
  netsize: 'Netsize',
  clever: 'Clever Technologies',
  orange_contact_everyone: 'Orange Contact Everyone',
  sfr_mail2sms: 'SFR mail2SMS',
  log: 'Journal seulement (développement)',
};

export interface CredentialField {
  readonly key: string;
  readonly label: string;
  readonly hint?: string;
  readonly secret: boolean;
  readonly optional: boolean;
}

const FIELD_TEXTS: Readonly<Record<string, { label: string; hint?: string; secret: boolean }>> = {
  apiToken: { label: 'Jeton d’API', secret: true },
  apiKey: { label: 'Clé d’API', secret: true },
  token: { label: 'Jeton d’API', secret: true },
  password: { label: 'Mot de passe', secret: true },
  account: { label: 'Nom du compte', secret: false },
  login: { label: 'Identifiant', secret: false },
  campaignName: { label: 'Nom de campagne', secret: false },
  endpoint: { label: 'Adresse de l’API', hint: 'Laisser vide pour l’adresse du fournisseur.', secret: false },
  smtpUrl: { label: 'Serveur SMTP', hint: 'smtp://utilisateur:motdepasse@hôte:587 ou smtps://…:465', secret: true },
  to: { label: 'Adresse mail2SMS du compte SFR', secret: false },
  from: { label: 'Adresse d’expédition autorisée par SFR', secret: false },
};

/** The credential fields of a provider, one input each, in the schema's order. */
export function credentialFieldsOf(provider: SmsProviderName): readonly CredentialField[] {
  const shape = SMS_CREDENTIAL_SCHEMAS[provider].shape as Readonly<Record<string, z.ZodType>>;
  return Object.entries(shape).map(([key, schema]) => {
    const text = FIELD_TEXTS[key] ?? { label: key, secret: true };
    return { key, label: text.label, ...(text.hint === undefined ? {} : { hint: text.hint }), secret: text.secret, optional: schema.safeParse(undefined).success };
  });
}

/** The form field of a credential: `primaire_smsfactor_apiToken`, `secours_brevo_apiKey`. */
export function credentialFieldName(which: 'primary' | 'fallback', provider: SmsProviderName, key: string): string {
  return `${which === 'primary' ? 'primaire' : 'secours'}_${provider}_${key}`;
}

/** Every credential field name of the form (the route schema lists them). */
export function allCredentialFieldNames(): string[] {
  return (['primary', 'fallback'] as const).flatMap((which) => SMS_PROVIDER_NAMES.flatMap((provider) => credentialFieldsOf(provider).map((field) => credentialFieldName(which, provider, field.key))));
}

/** The territory whose settings this principal may edit from this organisation; undefined: 404. */
export function settingsTerritoryOf(principal: AgentPrincipal, organisationId: number): number | undefined {
  const role = roleIn(principal, organisationId);
  return role !== undefined && canManageTerritory(principal, role.territoryId) ? role.territoryId : undefined;
}

export interface TerritorySettingsView {
  readonly territoryId: number;
  readonly territoryName: string;
  readonly provider: SmsProviderName | null;
  readonly sender: string;
  readonly hasCredentials: boolean;
  readonly fallbackProvider: SmsProviderName | null;
  readonly hasFallbackCredentials: boolean;
  readonly lowCreditThreshold: number | null;
  readonly mailFrom: string;
  readonly mailReplyTo: string;
  /** The delivery-report URL to paste in the provider's console, when one of its providers reports. */
  readonly reportUrl: string | null;
}

export interface SettingsDeps {
  readonly db: Kysely<Database>;
  readonly keyring: SecretKeyring;
  readonly baseUrl: string;
  readonly secretsEncryptionKey: string;
  readonly production: boolean;
}

function reportUrlFor(deps: SettingsDeps, territoryId: number, providers: readonly (SmsProviderName | null)[]): string | null {
  return providers.some((provider) => provider !== null && PROVIDERS_WITH_REPORTS.has(provider)) ? reportUrlOf(deps.baseUrl, deps.secretsEncryptionKey, territoryId) : null;
}

/** What the settings page shows (never a credential). */
export async function loadTerritorySettings(deps: SettingsDeps, territoryId: number): Promise<TerritorySettingsView | undefined> {
  const territory = await deps.db.selectFrom('territories').select(['id', 'name', 'mail_from', 'mail_reply_to']).where('id', '=', territoryId).executeTakeFirst();
  if (territory === undefined) return undefined;
  const sms = await deps.db.selectFrom('territory_sms_settings').selectAll().where('territory_id', '=', territoryId).executeTakeFirst();
  return {
    territoryId,
    territoryName: territory.name,
    provider: sms?.provider ?? null,
    sender: sms?.sender ?? '',
    hasCredentials: sms?.credentials_encrypted !== null && sms?.credentials_encrypted !== undefined,
    fallbackProvider: sms?.fallback_provider ?? null,
    hasFallbackCredentials: sms?.fallback_credentials_encrypted !== null && sms?.fallback_credentials_encrypted !== undefined,
    lowCreditThreshold: sms?.low_credit_threshold ?? null,
    mailFrom: territory.mail_from ?? '',
    mailReplyTo: territory.mail_reply_to ?? '',
    reportUrl: sms === undefined || sms.report_token_hash === null ? null : reportUrlFor(deps, territoryId, [sms.provider, sms.fallback_provider]),
  };
}

// ---------------------------------------------------------------------------------------------
// Saving
// ---------------------------------------------------------------------------------------------

/** The form as the route schema lets it through: each field one bounded string (or absent). */
export type SettingsForm = Readonly<Record<string, string | undefined>>;

const SENDER_MESSAGE = 'Le nom d’expéditeur compte de 1 à 11 lettres sans accent ou chiffres, sans espace, dont au moins une lettre';
const senderSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,11}$/, { error: SENDER_MESSAGE })
  .refine((value) => /[A-Za-z]/.test(value), { error: SENDER_MESSAGE });

const ADDRESS_MESSAGE = 'Saisissez une seule adresse électronique, par exemple rdv@departement.fr';
const optionalAddress = z
  .string()
  .trim()
  .max(254, { error: ADDRESS_MESSAGE })
  .refine((value) => value === '' || (z.email().safeParse(value).success && !/[\s,;<>"]/.test(value)), { error: ADDRESS_MESSAGE });

const THRESHOLD_MESSAGE = 'Saisissez un nombre entier de crédits entre 0 et 1 000 000, ou laissez vide';
const optionalThreshold = z
  .string()
  .trim()
  .regex(/^\d{0,7}$/, { error: THRESHOLD_MESSAGE })
  .transform((value) => (value === '' ? null : Number(value)))
  .refine((value) => value === null || value <= 1_000_000, { error: THRESHOLD_MESSAGE });

function providerOf(value: string | undefined): SmsProviderName | undefined {
  return SMS_PROVIDER_NAMES.find((name) => name === value);
}

export type SaveSettingsResult = { readonly ok: true } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

interface StoredCredentials {
  readonly provider: SmsProviderName | null;
  readonly encrypted: string | null;
}

/**
 * The credentials to store for one provider slot: the typed values over the stored ones (a blank
 * field keeps its stored value when the provider is unchanged), checked; the ciphertext, or the
 * French messages keyed by form field.
 */
function credentialsToStore(
  deps: SettingsDeps,
  input: { territoryId: number; which: 'primary' | 'fallback'; provider: SmsProviderName; form: SettingsForm; stored: StoredCredentials },
): { ok: true; encrypted: string | null; changedFields: string[] } | { ok: false; errors: Record<string, string> } {
  const associatedData = smsCredentialsAssociatedData(input.territoryId, input.which);
  const fields = credentialFieldsOf(input.provider);
  let previous: Record<string, string> = {};
  if (input.stored.provider === input.provider && input.stored.encrypted !== null) {
    try {
      previous = JSON.parse(decryptSecret(input.stored.encrypted, deps.keyring, associatedData)) as Record<string, string>;
    } catch {
      // Unreadable (the key changed): the admin types them again.
      previous = {};
    }
  }
  const merged: Record<string, string> = {};
  const changedFields: string[] = [];
  for (const field of fields) {
    const typed = input.form[credentialFieldName(input.which, input.provider, field.key)] ?? '';
    if (typed.trim() !== '') {
      merged[field.key] = typed;
      changedFields.push(field.key);
    } else if (previous[field.key] !== undefined) {
      merged[field.key] = previous[field.key] ?? '';
    }
  }
  const check = checkSmsCredentials(input.provider, merged);
  if (!check.ok) {
    const errors: Record<string, string> = {};
    for (const [key, message] of Object.entries(check.errors)) errors[credentialFieldName(input.which, input.provider, key)] = message;
    return { ok: false, errors };
  }
  if (fields.length === 0) return { ok: true, encrypted: null, changedFields };
  return { ok: true, encrypted: encryptSecret(JSON.stringify(check.credentials), deps.keyring, associatedData), changedFields };
}

/** Validates and stores the settings in one transaction, with its audit entry (field names only). */
export async function saveTerritorySettings(deps: SettingsDeps, input: { readonly territoryId: number; readonly agentId: number; readonly form: SettingsForm; readonly now: Date }): Promise<SaveSettingsResult> {
  const { form, territoryId } = input;
  const errors: Record<string, string> = {};
  const provider = providerOf(form.fournisseur);
  if (provider === undefined) errors.fournisseur = 'Choisissez un fournisseur SMS dans la liste';
  else if (provider === 'log' && deps.production) errors.fournisseur = 'Le fournisseur « Journal seulement » n’envoie rien : il est refusé en production';
  const fallbackText = form.secours ?? '';
  const fallback = fallbackText === '' ? null : providerOf(fallbackText);
  if (fallback === undefined) errors.secours = 'Choisissez un fournisseur de secours dans la liste, ou aucun';
  else if (fallback !== null && fallback === provider) errors.secours = 'Le fournisseur de secours doit être différent du fournisseur principal';
  else if (fallback === 'log' && deps.production) errors.secours = 'Le fournisseur « Journal seulement » n’envoie rien : il est refusé en production';
  const sender = senderSchema.safeParse(form.expediteur ?? '');
  if (!sender.success) errors.expediteur = SENDER_MESSAGE;
  const threshold = optionalThreshold.safeParse(form.seuilCredits ?? '');
  if (!threshold.success) errors.seuilCredits = THRESHOLD_MESSAGE;
  const mailFrom = optionalAddress.safeParse(form.mailExpediteur ?? '');
  if (!mailFrom.success) errors.mailExpediteur = ADDRESS_MESSAGE;
  const mailReplyTo = optionalAddress.safeParse(form.mailReponse ?? '');
  if (!mailReplyTo.success) errors.mailReponse = ADDRESS_MESSAGE;

  const stored = await deps.db.selectFrom('territory_sms_settings').selectAll().where('territory_id', '=', territoryId).executeTakeFirst();
  const primary =
    provider === undefined
      ? undefined
      : credentialsToStore(deps, { territoryId, which: 'primary', provider, form, stored: { provider: stored?.provider ?? null, encrypted: stored?.credentials_encrypted ?? null } });
  if (primary !== undefined && !primary.ok) Object.assign(errors, primary.errors);
  const secondary =
    fallback === undefined || fallback === null
      ? undefined
      : credentialsToStore(deps, { territoryId, which: 'fallback', provider: fallback, form, stored: { provider: stored?.fallback_provider ?? null, encrypted: stored?.fallback_credentials_encrypted ?? null } });
  if (secondary !== undefined && !secondary.ok) Object.assign(errors, secondary.errors);

  if (Object.keys(errors).length > 0 || provider === undefined || fallback === undefined || primary === undefined || !primary.ok || !sender.success || !threshold.success || !mailFrom.success || !mailReplyTo.success) {
    return { ok: false, errors };
  }
  if (secondary !== undefined && !secondary.ok) return { ok: false, errors };
  const values = {
    provider,
    sender: sender.data,
    credentials_encrypted: primary.encrypted,
    fallback_provider: fallback,
    fallback_credentials_encrypted: secondary?.encrypted ?? null,
    report_token_hash: hashReportToken(reportTokenOf(deps.secretsEncryptionKey, territoryId)),
    low_credit_threshold: threshold.data,
    updated_at: input.now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('territory_sms_settings')
      .values({ territory_id: territoryId, ...values })
      .onConflict((conflict) => conflict.column('territory_id').doUpdateSet(values))
      .execute();
    await trx
      .updateTable('territories')
      .set({ mail_from: mailFrom.data === '' ? null : mailFrom.data, mail_reply_to: mailReplyTo.data === '' ? null : mailReplyTo.data })
      .where('id', '=', territoryId)
      .execute();
    await insertAuditEntry(trx, {
      actor: { type: 'agent', agentId: input.agentId },
      action: stored === undefined ? 'create' : 'update',
      subjectType: 'territory_notification_settings',
      subjectId: territoryId,
      territoryId,
      details: {
        provider,
        fallbackProvider: fallback,
        credentialsTyped: primary.changedFields.join(','),
        fallbackCredentialsTyped: secondary?.ok === true ? secondary.changedFields.join(',') : '',
      },
    });
  });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Test SMS
// ---------------------------------------------------------------------------------------------

/** The text of the test SMS (GSM-7, one segment). */
export const TEST_SMS_TEXT = 'Test Créneau : la configuration SMS fonctionne.';

/** Test SMS per territory and per hour. */
export const TEST_SMS_PER_HOUR = 5;

export type TestSmsResult =
  | { readonly ok: true; readonly provider: SmsProviderName; readonly result: 'sent' | 'processed'; readonly segments: number | null; readonly providerMessageId: string | null }
  | { readonly ok: false; readonly kind: 'invalid'; readonly errors: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly kind: 'not_configured' | 'rate_limited' | 'unreadable' }
  | { readonly ok: false; readonly kind: 'provider'; readonly provider: SmsProviderName; readonly errorKind: SmsErrorKind; readonly message: string; readonly providerCode: string | null };

/**
 * Sends the test SMS through the territory's primary provider, synchronously, at most
 * TEST_SMS_PER_HOUR an hour per territory (one atomic counter). The number is never logged nor
 * audited.
 */
export async function sendTestSms(
  deps: SettingsDeps & { readonly sessionSecret: string; readonly fetch?: typeof fetch; readonly logger?: { info(details: Record<string, unknown>, message: string): void } },
  input: { readonly territoryId: number; readonly agentId: number; readonly number: string; readonly now: Date },
): Promise<TestSmsResult> {
  const phone = parseFrenchPhone(input.number);
  if (phone === null) return { ok: false, kind: 'invalid', errors: { numero: 'Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78' } };
  if (!phone.isMobile) return { ok: false, kind: 'invalid', errors: { numero: 'Saisissez un numéro de mobile (06, 07, ou un mobile d’outre-mer)' } };
  const settings = await deps.db.selectFrom('territory_sms_settings').selectAll().where('territory_id', '=', input.territoryId).executeTakeFirst();
  if (settings === undefined) return { ok: false, kind: 'not_configured' };
  const hits = await countHit(deps.db, { keyHash: throttleKey(deps.sessionSecret, 'sms-test', String(input.territoryId)), windowMs: 3_600_000, now: input.now });
  if (hits > TEST_SMS_PER_HOUR) return { ok: false, kind: 'rate_limited' };
  let credentials: Record<string, string> = {};
  try {
    if (settings.credentials_encrypted !== null) {
      credentials = JSON.parse(decryptSecret(settings.credentials_encrypted, deps.keyring, smsCredentialsAssociatedData(input.territoryId, 'primary'))) as Record<string, string>;
    }
  } catch {
    return { ok: false, kind: 'unreadable' };
  }
  const audit = async (outcome: string) =>
    insertAuditEntry(deps.db, {
      actor: { type: 'agent', agentId: input.agentId },
      action: 'create',
      subjectType: 'territory_sms_test',
      subjectId: input.territoryId,
      territoryId: input.territoryId,
      details: { provider: settings.provider, outcome },
    });
  let provider;
  try {
    provider = createSmsProvider(settings.provider, credentials, {
      timeoutMs: 10_000,
      ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
      ...(deps.logger === undefined ? {} : { logger: deps.logger }),
      ...(settings.report_token_hash === null ? {} : { deliveryReportUrl: reportUrlOf(deps.baseUrl, deps.secretsEncryptionKey, input.territoryId) }),
    });
  } catch (error) {
    if (error instanceof SmsProviderError) {
      await audit(error.kind);
      return { ok: false, kind: 'provider', provider: settings.provider, errorKind: error.kind, message: error.message, providerCode: error.providerCode };
    }
    throw error;
  }
  try {
    const accepted = await provider.send({ to: phone.e164, text: TEST_SMS_TEXT, sender: settings.sender, reference: `test${String(input.territoryId)}t${String(input.now.getTime())}` });
    await audit(accepted.result);
    return { ok: true, provider: settings.provider, result: accepted.result, segments: accepted.segments, providerMessageId: accepted.providerMessageId };
  } catch (error) {
    if (error instanceof SmsProviderError) {
      await audit(error.kind);
      return { ok: false, kind: 'provider', provider: settings.provider, errorKind: error.kind, message: error.message, providerCode: error.providerCode };
    }
    await audit('transient');
    return { ok: false, kind: 'provider', provider: settings.provider, errorKind: 'transient', message: 'Erreur inattendue lors de l’envoi', providerCode: null };
  } finally {
    await provider.close();
  }
}
