/**
 * SFR mail2SMS: one plain-text e-mail per SMS, sent over SMTP to the address of the territory's SFR
 * account; the phone number (E.164) is the Subject, the text is the body. The From must be an
 * address SFR authorised for the account. SFR reports nothing back: the result is `processed`.
 * Only SMTP failures are visible: 5xx replies are permanent (`configuration`: the relay or SFR
 * refuses the account's addresses), 4xx replies and network errors are `transient`.
 */
import nodemailer from 'nodemailer';
import { DEFAULT_TIMEOUT_MS } from './http-support.js';
import { SmsProviderError, type SmsAccepted, type SmsMessage, type SmsProvider } from './sms-provider.js';

export interface SfrMail2SmsCredentials {
  /** `smtp://user:password@host:587` or `smtps://user:password@host:465`. */
  readonly smtpUrl: string;
  /** The SFR account's mail2SMS address. */
  readonly to: string;
  /** The sender address SFR authorised. */
  readonly from: string;
}

/** Rebuilds a nodemailer error without its text: an SMTP reply may quote addresses. */
function toProviderError(error: unknown): SmsProviderError {
  const failure: { code?: unknown; responseCode?: unknown } = typeof error === 'object' && error !== null ? error : {};
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : null;
  const code = typeof failure.code === 'string' && /^[A-Z_]{1,20}$/.test(failure.code) ? failure.code : 'EUNKNOWN';
  // RFC 5321 §4.2.1: 5yz replies are permanent; 4yz and network errors are transient.
  if (responseCode !== null && responseCode >= 500) {
    return new SmsProviderError(`SFR mail2SMS : message refusé par le serveur SMTP (${String(responseCode)})`, { kind: 'configuration', providerCode: `SMTP ${String(responseCode)}` });
  }
  const providerCode = responseCode === null ? code : `SMTP ${String(responseCode)}`;
  return new SmsProviderError(`SFR mail2SMS : serveur SMTP indisponible (${providerCode})`, { kind: 'transient', providerCode });
}

export function createSfrMail2SmsProvider(credentials: SfrMail2SmsCredentials, options: { timeoutMs?: number } = {}): SmsProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    url: credentials.smtpUrl,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 3,
    // Nodemailer's logger would print envelopes (the SFR address) and, in debug, bodies (the SMS).
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    name: 'sfr_mail2sms',
    async send(message: SmsMessage): Promise<SmsAccepted> {
      try {
        await transport.sendMail({ from: credentials.from, to: credentials.to, subject: message.to, text: message.text });
      } catch (error) {
        throw toProviderError(error);
      }
      return { result: 'processed', providerMessageId: null, segments: null, remainingCredits: null };
    },
    remainingCredits(): Promise<number | null> {
      return Promise.resolve(null);
    },
    close(): Promise<void> {
      transport.close();
      return Promise.resolve();
    },
  };
}
