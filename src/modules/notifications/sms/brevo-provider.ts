/**
 * Brevo transactional SMS (https://developers.brevo.com): `POST /v3/transactionalSMS/send` (the older
 * `/v3/transactionalSMS/sms` is deprecated), header `api-key`, JSON `sender`, `recipient`
 * (international digits), `content`, `type: transactional`, `tag` (our reference, quoted back by
 * the webhook), `webUrl` (where Brevo posts the events of this message), `unicodeEnabled: false`.
 * 201 `{messageId}`; errors `{code, message}` with 400 (invalid parameter), 401 (key), 402 (credit),
 * 403 (permission), 429 (rate limit).
 */
import { DEFAULT_TIMEOUT_MS, exchange, explanationOfKind, field, internationalDigits, joinUrl, kindOfHttpStatus, providerError, toNumber, type HttpAnswer, type HttpContext } from './http-support.js';
import type { SmsAccepted, SmsMessage, SmsProvider } from './sms-provider.js';

export const BREVO_DEFAULT_ENDPOINT = 'https://api.brevo.com';

export interface BrevoCredentials {
  readonly apiKey: string;
  readonly endpoint?: string | undefined;
}

function failureOf(context: HttpContext, answer: HttpAnswer): Error | null {
  if (answer.status >= 200 && answer.status <= 299) return null;
  const code = field(answer.json, 'code');
  const providerCode = `HTTP ${String(answer.status)}${typeof code === 'string' && /^[a-z_]{1,40}$/.test(code) ? ` ${code}` : ''}`;
  if (answer.status === 400) {
    // A 400 names the faulty parameter in its message; only the recipient's is the number's fault.
    const text = field(answer.json, 'message');
    const aboutSender = typeof text === 'string' && /sender|exp[ée]diteur/i.test(text);
    const aboutRecipient = typeof text === 'string' && /recipient|phone|mobile|number|num[ée]ro/i.test(text);
    if (aboutRecipient && !aboutSender) return providerError(context, 'recipient', 'numéro refusé', providerCode);
    return providerError(context, 'configuration', 'requête refusée (expéditeur ou paramètre)', providerCode);
  }
  const kind = kindOfHttpStatus(answer.status);
  return providerError(context, kind, explanationOfKind(kind), providerCode);
}

export function createBrevoProvider(credentials: BrevoCredentials, options: { fetch?: typeof fetch; timeoutMs?: number; deliveryReportUrl?: string | undefined } = {}): SmsProvider {
  const context: HttpContext = { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, label: 'Brevo' };
  const base = credentials.endpoint ?? BREVO_DEFAULT_ENDPOINT;
  const headers = { 'api-key': credentials.apiKey, Accept: 'application/json' };

  return {
    name: 'brevo',
    async send(message: SmsMessage): Promise<SmsAccepted> {
      const body = {
        sender: message.sender,
        recipient: internationalDigits(message.to),
        content: message.text,
        type: 'transactional',
        tag: message.reference,
        unicodeEnabled: false,
        ...(options.deliveryReportUrl === undefined ? {} : { webUrl: options.deliveryReportUrl }),
      };
      const answer = await exchange(context, joinUrl(base, '/v3/transactionalSMS/send'), {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const failure = failureOf(context, answer);
      if (failure !== null) throw failure;
      const messageId = field(answer.json, 'messageId');
      return {
        result: 'sent',
        providerMessageId: typeof messageId === 'number' || typeof messageId === 'string' ? String(messageId) : null,
        // Only the deprecated endpoint returned these; kept in case a gateway still does.
        segments: toNumber(field(answer.json, 'smsCount')),
        remainingCredits: toNumber(field(answer.json, 'remainingCredits')),
      };
    },
    /** `GET /v3/account`: the plan of type `sms` holds the SMS credits. */
    async remainingCredits(): Promise<number | null> {
      const answer = await exchange(context, joinUrl(base, '/v3/account'), { method: 'GET', headers });
      const failure = failureOf(context, answer);
      if (failure !== null) throw failure;
      const plans = field(answer.json, 'plan');
      if (!Array.isArray(plans)) return null;
      const smsPlan: unknown = plans.find((plan: unknown) => field(plan, 'type') === 'sms');
      return toNumber(field(smsPlan, 'credits'));
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
