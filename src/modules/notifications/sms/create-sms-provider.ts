/**
 * Chooses and configures an SMS adapter from a territory's settings, validates the credentials an
 * admin types, and parses the delivery reports providers push to us. See README.md in this folder
 * for each provider's API, credentials and error mapping.
 */
import { createBrevoProvider } from './brevo-provider.js';
import { createCleverProvider } from './clever-provider.js';
import { parseProviderDeliveryReport, type IncomingReport } from './delivery-reports.js';
import { createLogProvider, type SmsLogSink } from './log-provider.js';
import { createNetsizeProvider } from './netsize-provider.js';
import { createOrangeContactEveryoneProvider } from './orange-contact-everyone-provider.js';
import { createSfrMail2SmsProvider } from './sfr-mail2sms-provider.js';
import { validateSmsCredentials, type SmsCredentialsCheck } from './sms-credentials.js';
import { SmsProviderError, type DeliveryReport, type SmsProvider, type SmsProviderName } from './sms-provider.js';
import { createSmsFactorProvider } from './smsfactor-provider.js';

export type { IncomingReport };

export interface SmsProviderOptions {
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Per-request timeout (SMTP connection and greeting timeouts for mail2SMS); default 10 s. */
  readonly timeoutMs?: number;
  /**
   * Our public delivery-report URL for this territory, for providers that take one per message
   * (Brevo's `webUrl`). SMS Factor's DLR webhook is set once in its console instead.
   */
  readonly deliveryReportUrl?: string;
  /** Where the `log` provider writes its one line per message (no personal data). */
  readonly logger?: SmsLogSink;
}

export type CredentialsCheck = SmsCredentialsCheck;

/** Validates the credentials typed by a territory admin for `provider` (French messages per field). */
export function checkSmsCredentials(provider: SmsProviderName, raw: Readonly<Record<string, unknown>>): CredentialsCheck {
  return validateSmsCredentials(provider, raw);
}

/**
 * The adapter of `provider` with decrypted, checked credentials. Credentials that do not pass
 * `checkSmsCredentials` throw an SmsProviderError of kind `configuration` (never their values).
 */
export function createSmsProvider(provider: SmsProviderName, credentials: Readonly<Record<string, string>>, options: SmsProviderOptions = {}): SmsProvider {
  const check = validateSmsCredentials(provider, credentials);
  if (!check.ok) {
    throw new SmsProviderError(`Identifiants du fournisseur SMS incomplets ou invalides (${Object.keys(check.errors).join(', ')})`, { kind: 'configuration', providerCode: 'credentials' });
  }
  const valid = check.credentials;
  const read = (key: string): string => valid[key] ?? '';
  const http = { ...(options.fetch === undefined ? {} : { fetch: options.fetch }), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) };
  switch (provider) {
    case 'smsfactor':
      return createSmsFactorProvider({ apiToken: read('apiToken'), endpoint: valid.endpoint }, http);
    case 'brevo':
      return createBrevoProvider({ apiKey: read('apiKey'), endpoint: valid.endpoint }, { ...http, deliveryReportUrl: options.deliveryReportUrl });
    case 'netsize':
      return createNetsizeProvider({ account: read('account'), password: read('password'), campaignName: valid.campaignName, endpoint: valid.endpoint }, http);
    case 'clever':
      return createCleverProvider({ login: read('login'), password: read('password'), endpoint: valid.endpoint }, http);
    case 'orange_contact_everyone':
      return createOrangeContactEveryoneProvider({ token: read('token'), endpoint: valid.endpoint }, http);
    case 'sfr_mail2sms':
      return createSfrMail2SmsProvider({ smtpUrl: read('smtpUrl'), to: read('to'), from: read('from') }, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    case 'log':
      return createLogProvider({ logger: options.logger });
  }
}

/** Parses a delivery report sent by `provider` to our webhook; [] when the request holds none (never throws). */
export function parseDeliveryReport(provider: SmsProviderName, request: IncomingReport): DeliveryReport[] {
  return parseProviderDeliveryReport(provider, request);
}
