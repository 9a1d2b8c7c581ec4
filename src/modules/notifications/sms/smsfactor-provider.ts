/**
 * SMS Factor (https://dev.smsfactor.com): `POST /send` with a JSON campaign of one recipient,
 * `Authorization: Bearer <token>`, `Accept: application/json` (the API answers XML otherwise).
 * Our reference goes in the recipient's `gsmsmsid`, which delivery reports quote as `message_id`.
 * Every answer carries a `status`: 1 OK, -1 authentication, -2 XML, -3 not enough credits,
 * -4 bad delay, -5 not found, -6 JSON, -7 data, -8 under moderation (sent all the same), -99 unknown.
 */
import { DEFAULT_TIMEOUT_MS, exchange, explanationOfKind, field, internationalDigits, joinUrl, kindOfHttpStatus, providerError, toNumber, type HttpAnswer, type HttpContext } from './http-support.js';
import type { SmsAccepted, SmsErrorKind, SmsMessage, SmsProvider } from './sms-provider.js';

export const SMSFACTOR_DEFAULT_ENDPOINT = 'https://api.smsfactor.com';

export interface SmsFactorCredentials {
  readonly apiToken: string;
  readonly endpoint?: string | undefined;
}

const STATUS_KINDS: Readonly<Record<string, { kind: SmsErrorKind; explanation: string }>> = {
  '-1': { kind: 'configuration', explanation: 'jeton d’API refusé' },
  '-2': { kind: 'configuration', explanation: 'requête refusée (format)' },
  '-3': { kind: 'no_credit', explanation: 'crédit SMS épuisé' },
  '-4': { kind: 'configuration', explanation: 'date d’envoi refusée' },
  '-5': { kind: 'configuration', explanation: 'ressource introuvable' },
  '-6': { kind: 'configuration', explanation: 'requête refusée (JSON)' },
  '-7': { kind: 'configuration', explanation: 'données refusées (expéditeur ou texte)' },
  '-99': { kind: 'transient', explanation: 'erreur inconnue du fournisseur' },
};

function headers(credentials: SmsFactorCredentials): Record<string, string> {
  return { Authorization: `Bearer ${credentials.apiToken}`, Accept: 'application/json' };
}

/** The error an answer stands for, or null when it is an acceptance. */
function failureOf(context: HttpContext, answer: HttpAnswer): Error | null {
  const status = toNumber(field(answer.json, 'status'));
  if (status !== null && status !== 1 && status !== -8) {
    const known = STATUS_KINDS[String(status)] ?? { kind: 'transient' as const, explanation: 'erreur du fournisseur' };
    return providerError(context, known.kind, known.explanation, `status ${String(status)}`);
  }
  if (answer.status < 200 || answer.status > 299) {
    const kind = kindOfHttpStatus(answer.status);
    return providerError(context, kind, explanationOfKind(kind), `HTTP ${String(answer.status)}`);
  }
  if (status === null) return providerError(context, 'transient', 'réponse illisible', `HTTP ${String(answer.status)}`);
  return null;
}

/** Status 1 with `sent: 0`: the number was filtered out; the counters say why. */
function filteredRecipient(context: HttpContext, json: unknown): Error | null {
  const sent = toNumber(field(json, 'sent'));
  if (sent === null || sent >= 1) return null;
  const count = (key: string): number => toNumber(field(json, key)) ?? 0;
  if (count('flood') > 0) return providerError(context, 'transient', 'envoi retenu par l’anti-flood', 'flood');
  if (count('country_limit') > 0) return providerError(context, 'configuration', 'limite mensuelle du pays atteinte', 'country_limit');
  if (count('not_allowed') > 0) return providerError(context, 'recipient', 'pays du numéro non autorisé', 'not_allowed');
  if (count('blacklisted') > 0) return providerError(context, 'recipient', 'numéro en liste noire (STOP)', 'blacklisted');
  if (count('npai') > 0) return providerError(context, 'recipient', 'numéro signalé comme n’habitant plus à l’adresse (NPAI)', 'npai');
  return providerError(context, 'recipient', 'numéro invalide', 'invalid');
}

export function createSmsFactorProvider(credentials: SmsFactorCredentials, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): SmsProvider {
  const context: HttpContext = { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, label: 'SMS Factor' };
  const base = credentials.endpoint ?? SMSFACTOR_DEFAULT_ENDPOINT;

  return {
    name: 'smsfactor',
    async send(message: SmsMessage): Promise<SmsAccepted> {
      const body = {
        sms: {
          message: { text: message.text, pushtype: 'alert', sender: message.sender },
          recipients: { gsm: [{ gsmsmsid: message.reference, value: internationalDigits(message.to) }] },
        },
      };
      const answer = await exchange(context, joinUrl(base, '/send'), {
        method: 'POST',
        headers: { ...headers(credentials), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const failure = failureOf(context, answer) ?? filteredRecipient(context, answer.json);
      if (failure !== null) throw failure;
      const ticket = field(answer.json, 'ticket');
      return {
        result: 'sent',
        providerMessageId: typeof ticket === 'string' || typeof ticket === 'number' ? String(ticket) : null,
        segments: toNumber(field(answer.json, 'cost')),
        remainingCredits: toNumber(field(answer.json, 'credits')),
      };
    },
    async remainingCredits(): Promise<number | null> {
      const answer = await exchange(context, joinUrl(base, '/credits'), { method: 'GET', headers: headers(credentials) });
      const failure = failureOf(context, answer);
      if (failure !== null) throw failure;
      return toNumber(field(answer.json, 'credits'));
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
