/**
 * Netsize (LINK Mobility's IPX platform): `POST /restapi/v1/sms/send`, form-urlencoded with
 * `charset=UTF-8` stated (accents break otherwise), HTTP Basic `account:password`. Fields as
 * RDV-Solidarités sent them in production 2020–2025: `destinationAddress` (E.164 with « + »),
 * `messageText`, `originatingAddress` (sender name), `originatorTON=1` (alphanumeric),
 * `maxConcatenatedMessages=10`, optional `campaignName`. The JSON answer has `responseCode`
 * (0 OK), `responseMessage`, `messageIds` (one per segment), `traceId`, `timestamp`.
 */
import { basicAuthorization, DEFAULT_TIMEOUT_MS, exchange, explanationOfKind, field, joinUrl, kindOfHttpStatus, providerError, toNumber, type HttpContext } from './http-support.js';
import type { SmsAccepted, SmsErrorKind, SmsMessage, SmsProvider } from './sms-provider.js';

export const NETSIZE_DEFAULT_ENDPOINT = 'https://europe.ipx.com';

export interface NetsizeCredentials {
  readonly account: string;
  readonly password: string;
  /** Netsize limits the number of distinct campaign names a day (RDV-S #2822): keep it constant. */
  readonly campaignName?: string | undefined;
  readonly endpoint?: string | undefined;
}

/** Response codes RDV-Solidarités met; any other non-zero code is retried (as RDV-S did). */
const RESPONSE_CODES: Readonly<Record<number, { kind: SmsErrorKind; explanation: string }>> = {
  15: { kind: 'configuration', explanation: 'message trop long (limite de concaténation)' },
  18: { kind: 'no_credit', explanation: 'solde insuffisant' },
  100: { kind: 'recipient', explanation: 'numéro de destination invalide' },
  103: { kind: 'configuration', explanation: 'nom de compte invalide' },
  117: { kind: 'configuration', explanation: 'nom de campagne invalide' },
};

export function createNetsizeProvider(credentials: NetsizeCredentials, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): SmsProvider {
  const context: HttpContext = { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, label: 'Netsize' };
  const base = credentials.endpoint ?? NETSIZE_DEFAULT_ENDPOINT;

  return {
    name: 'netsize',
    async send(message: SmsMessage): Promise<SmsAccepted> {
      const form = new URLSearchParams({
        destinationAddress: message.to,
        messageText: message.text,
        originatingAddress: message.sender,
        originatorTON: '1',
        maxConcatenatedMessages: '10',
      });
      if (credentials.campaignName !== undefined) form.set('campaignName', credentials.campaignName);
      const answer = await exchange(context, joinUrl(base, '/restapi/v1/sms/send'), {
        method: 'POST',
        headers: {
          Authorization: basicAuthorization(credentials.account, credentials.password),
          'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
          Accept: 'application/json',
        },
        body: form.toString(),
      });
      const responseCode = toNumber(field(answer.json, 'responseCode'));
      if (answer.status < 200 || answer.status > 299) {
        const kind = responseCode !== null ? (RESPONSE_CODES[responseCode]?.kind ?? kindOfHttpStatus(answer.status)) : kindOfHttpStatus(answer.status);
        throw providerError(context, kind, explanationOfKind(kind), `HTTP ${String(answer.status)}`);
      }
      if (responseCode === null) throw providerError(context, 'transient', 'réponse illisible', `HTTP ${String(answer.status)}`);
      if (responseCode !== 0) {
        const known = RESPONSE_CODES[responseCode] ?? { kind: 'transient' as const, explanation: 'erreur du fournisseur' };
        throw providerError(context, known.kind, known.explanation, `responseCode ${String(responseCode)}`);
      }
      const messageIds = field(answer.json, 'messageIds');
      const ids = Array.isArray(messageIds) ? messageIds.filter((id: unknown) => typeof id === 'string' || typeof id === 'number').map(String) : [];
      return { result: 'sent', providerMessageId: ids[0] ?? null, segments: ids.length > 0 ? ids.length : null, remainingCredits: null };
    },
    remainingCredits(): Promise<number | null> {
      return Promise.resolve(null);
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
