// Chooses and configures an SMS adapter (owned by the "sms adapters" helper).
import type { DeliveryReport, SmsProvider, SmsProviderName } from './sms-provider.js';

export interface SmsProviderOptions {
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Per-request timeout; default 10 s. */
  readonly timeoutMs?: number;
}

export type CredentialsCheck = { readonly ok: true; readonly credentials: Record<string, string> } | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

/** Validates the credentials typed by a territory admin for `provider` (French messages per field). */
export function checkSmsCredentials(provider: SmsProviderName, raw: Readonly<Record<string, unknown>>): CredentialsCheck {
  throw new Error(`checkSmsCredentials is not written yet (${provider}, ${String(Object.keys(raw).length)})`);
}

/** The adapter of `provider` with decrypted, checked credentials. */
export function createSmsProvider(provider: SmsProviderName, credentials: Readonly<Record<string, string>>, options: SmsProviderOptions = {}): SmsProvider {
  throw new Error(`createSmsProvider is not written yet (${provider}, ${String(Object.keys(credentials).length)}, ${String(options.timeoutMs)})`);
}

export interface IncomingReport {
  readonly method: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Parses a delivery report sent by `provider` to our webhook; [] when the request holds none. */
export function parseDeliveryReport(provider: SmsProviderName, request: IncomingReport): DeliveryReport[] {
  throw new Error(`parseDeliveryReport is not written yet (${provider}, ${request.method})`);
}
