/**
 * Orange Contact Everyone « API light »: `POST /api/light/diffusions/sms`, form-urlencoded
 * (`charset=UTF-8`) with `token`, `to` and `msg`, as RDV-Solidarités coded it for the Somme. 200 means
 * accepted; any other status carries a JSON `message`. No delivery report and no routing error.
 */
import { DEFAULT_TIMEOUT_MS, exchange, explanationOfKind, field, joinUrl, kindOfHttpStatus, providerError, type HttpContext } from './http-support.js';
import type { SmsAccepted, SmsErrorKind, SmsMessage, SmsProvider } from './sms-provider.js';

export const ORANGE_CONTACT_EVERYONE_DEFAULT_ENDPOINT = 'https://contact-everyone.orange-business.com';

export interface OrangeContactEveryoneCredentials {
  readonly token: string;
  readonly endpoint?: string | undefined;
}

/** 400 and 422 answer a field the API refused; the only field that varies between messages is `to`. */
function kindOf(status: number): SmsErrorKind {
  if (status === 400 || status === 422) return 'recipient';
  return kindOfHttpStatus(status);
}

export function createOrangeContactEveryoneProvider(credentials: OrangeContactEveryoneCredentials, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): SmsProvider {
  const context: HttpContext = { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, label: 'Orange Contact Everyone' };
  const base = credentials.endpoint ?? ORANGE_CONTACT_EVERYONE_DEFAULT_ENDPOINT;

  return {
    name: 'orange_contact_everyone',
    async send(message: SmsMessage): Promise<SmsAccepted> {
      const form = new URLSearchParams({ token: credentials.token, to: message.to, msg: message.text });
      const answer = await exchange(context, joinUrl(base, '/api/light/diffusions/sms'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', Accept: 'application/json' },
        body: form.toString(),
      });
      if (answer.status < 200 || answer.status > 299) {
        const kind = kindOf(answer.status);
        throw providerError(context, kind, explanationOfKind(kind), `HTTP ${String(answer.status)}`);
      }
      const id = field(answer.json, 'id');
      return { result: 'sent', providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id) : null, segments: null, remainingCredits: null };
    },
    remainingCredits(): Promise<number | null> {
      return Promise.resolve(null);
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
