/**
 * The SMS provider port: what the delivery pipeline knows about sending one text message. One
 * adapter per provider (this folder), each speaking that provider's public HTTP API (or SMTP for
 * SFR mail2SMS); `createSmsProvider` picks one from a territory's settings.
 *
 * Adapters never log, and never put a phone number, a text or a credential in an error message:
 * errors carry the provider's code and a short French explanation only.
 */
import type { SmsProviderName } from '../../../platform/db/schema.js';

export type { SmsProviderName };

export const SMS_PROVIDER_NAMES: readonly SmsProviderName[] = ['smsfactor', 'brevo', 'netsize', 'clever', 'orange_contact_everyone', 'sfr_mail2sms', 'log'];

export interface SmsMessage {
  /** E.164, e.g. `+33612345678`, `+262692123456` (a mobile: the pipeline checked it). */
  readonly to: string;
  /** Already normalised to GSM-7 by the pipeline; adapters send it as is. */
  readonly text: string;
  /** Alphanumeric sender name, 1–11 characters with at least one letter. */
  readonly sender: string;
  /**
   * Our reference for this attempt (letters and digits, ≤ 32 characters). Adapters pass it where
   * the provider's API has a field for a client reference, so that delivery reports can quote it.
   */
  readonly reference: string;
}

export interface SmsAccepted {
  /** `sent`: the provider accepted it and may report delivery later; `processed`: accepted, no feedback will ever come (mail2SMS, log). */
  readonly result: 'sent' | 'processed';
  /** The provider's id of the message (or of its first segment), when it gives one. */
  readonly providerMessageId: string | null;
  /** Segments billed, when the provider says. */
  readonly segments: number | null;
  /** Credits left, when the provider says (for the low-credit alert). */
  readonly remainingCredits: number | null;
}

/**
 * - `recipient`: this number cannot receive it (invalid, not a mobile, barred) — do not retry;
 * - `configuration`: bad credentials, unknown sender, expired account — do not retry, tell the admins;
 * - `no_credit`: the account has no credit left — try the fallback provider, tell the admins;
 * - `transient`: network error, timeout, 5xx, rate limit — retry later.
 */
export type SmsErrorKind = 'recipient' | 'configuration' | 'no_credit' | 'transient';

export class SmsProviderError extends Error {
  override name = 'SmsProviderError';
  readonly kind: SmsErrorKind;
  /** The provider's own status or error code (`402`, `responseCode 103`…), for the receipt. */
  readonly providerCode: string | null;
  constructor(message: string, options: { kind: SmsErrorKind; providerCode?: string | null }) {
    super(message);
    this.kind = options.kind;
    this.providerCode = options.providerCode ?? null;
  }
}

export interface SmsProvider {
  readonly name: SmsProviderName;
  /** Sends one message; rejects with an SmsProviderError. */
  send(message: SmsMessage): Promise<SmsAccepted>;
  /** Credits left, where the provider has an endpoint for it; null otherwise. */
  remainingCredits(): Promise<number | null>;
  /** Releases connections (SMTP pool of mail2SMS). */
  close(): Promise<void>;
}

/** A delivery report received over HTTP, once parsed. */
export interface DeliveryReport {
  /** The provider's message id, or our reference when that is what the provider quotes. */
  readonly providerMessageId: string | null;
  readonly reference: string | null;
  readonly outcome: 'delivered' | 'failure';
  /** Provider status code or text, short, without personal data. */
  readonly detail: string | null;
}
