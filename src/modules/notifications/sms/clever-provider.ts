/**
 * Clever Technologies (« Specifications API_WS_ReST Multimedias », as RDV-Solidarités coded it for
 * Seine-et-Marne): `POST /api/pushs`, JSON `{datas: {text, number_list, encodage: 3}}` with
 * `Content-Type: application/json; charset=UTF-8`, HTTP Basic `login:password`. 201 with
 * `push.nb_sms`; 401 unauthorised, 402 no credit, 430 account expired. No routing errors ever come
 * back: a wrong number is « sent ».
 */
import { basicAuthorization, DEFAULT_TIMEOUT_MS, exchange, explanationOfKind, field, joinUrl, kindOfHttpStatus, providerError, toNumber, type HttpContext } from './http-support.js';
import type { SmsAccepted, SmsMessage, SmsProvider } from './sms-provider.js';

export const CLEVER_DEFAULT_ENDPOINT = 'https://webservicesmultimedias.clever-is.fr';

export interface CleverCredentials {
  readonly login: string;
  readonly password: string;
  readonly endpoint?: string | undefined;
}

export function createCleverProvider(credentials: CleverCredentials, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): SmsProvider {
  const context: HttpContext = { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, label: 'Clever Technologies' };
  const base = credentials.endpoint ?? CLEVER_DEFAULT_ENDPOINT;

  return {
    name: 'clever',
    async send(message: SmsMessage): Promise<SmsAccepted> {
      const answer = await exchange(context, joinUrl(base, '/api/pushs'), {
        method: 'POST',
        headers: {
          Authorization: basicAuthorization(credentials.login, credentials.password),
          'Content-Type': 'application/json; charset=UTF-8',
          Accept: 'application/json',
        },
        // encodage 3: GSM-7 text, as RDV-S sent it (the pipeline already normalised the text).
        body: JSON.stringify({ datas: { text: message.text, number_list: message.to, encodage: 3 } }),
      });
      if (answer.status === 430) throw providerError(context, 'configuration', 'compte expiré', 'HTTP 430');
      if (answer.status < 200 || answer.status > 299) {
        const kind = kindOfHttpStatus(answer.status);
        throw providerError(context, kind, explanationOfKind(kind), `HTTP ${String(answer.status)}`);
      }
      const push = field(answer.json, 'push');
      const id = field(push, 'id');
      return {
        result: 'sent',
        providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
        segments: toNumber(field(push, 'nb_sms')),
        remainingCredits: null,
      };
    },
    remainingCredits(): Promise<number | null> {
      return Promise.resolve(null);
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
