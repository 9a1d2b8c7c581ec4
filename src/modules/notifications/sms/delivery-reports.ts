/**
 * Delivery reports that providers push to our webhook, parsed into DeliveryReport values. The input
 * is whatever reached a public URL: every function here tolerates junk and returns [] rather than
 * throwing. Only final outcomes are returned (delivered or failed); interim states give [].
 *
 * - SMS Factor (DLR webhook): JSON `{date, status, destination, message_id, campaign_id,
 *   country_code}` POSTed (query parameters of the same names are accepted too). `message_id` is
 *   the `gsmsmsid` we sent, i.e. our reference; `campaign_id` is the `ticket` of the send.
 * - Brevo (transactional SMS webhook, or `webUrl`): JSON with `msg_status` (sent, delivered,
 *   soft_bounce, hard_bounce…) or `event`, `messageId`, and `tag` (our reference).
 */
import type { DeliveryReport, SmsProviderName } from './sms-provider.js';

export interface IncomingReport {
  readonly method: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** At most this many reports from one request (batched webhooks). */
const MAX_REPORTS = 1000;
const REFERENCE_PATTERN = /^[A-Za-z0-9]{1,32}$/;
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

function own(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function idOf(value: unknown, pattern: RegExp): string | null {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && pattern.test(text) ? text : null;
}

/** A body as sent: already-parsed JSON, a JSON string or Buffer, or form fields. */
function bodyItems(body: unknown): unknown[] {
  let value: unknown = body;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    if (value.length > 1_000_000) return [];
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return [];
    }
  }
  if (Array.isArray(value)) return value.slice(0, MAX_REPORTS);
  return typeof value === 'object' && value !== null ? [value] : [];
}

const SMSFACTOR_STATUSES: Readonly<Record<number, { outcome: 'delivered' | 'failure'; detail: string } | null>> = {
  0: null, // NOT_SENT: not yet sent
  1: null, // SENT: no report yet
  2: { outcome: 'failure', detail: 'NOT_DELIVERED' },
  3: { outcome: 'delivered', detail: 'DELIVERED' },
  4: { outcome: 'failure', detail: 'NOT_ALLOWED' },
  5: { outcome: 'failure', detail: 'INVALID_DESTINATION' },
  6: { outcome: 'failure', detail: 'INVALID_SENDER' },
  7: { outcome: 'failure', detail: 'ROUTE_NOT_AVAILABLE' },
  9: { outcome: 'failure', detail: 'REJECTED' },
  11: { outcome: 'failure', detail: 'NETWORK_ERROR' },
  12: { outcome: 'failure', detail: 'EXPIRED' },
};

function smsFactorReport(item: unknown): DeliveryReport | null {
  const rawStatus = own(item, 'status');
  const status = typeof rawStatus === 'number' ? rawStatus : typeof rawStatus === 'string' && /^\d{1,3}$/.test(rawStatus) ? Number(rawStatus) : null;
  if (status === null) return null;
  const meaning = SMSFACTOR_STATUSES[status];
  if (meaning === undefined || meaning === null) return null;
  const reference = idOf(own(item, 'message_id'), REFERENCE_PATTERN);
  const providerMessageId = idOf(own(item, 'campaign_id'), ID_PATTERN);
  if (reference === null && providerMessageId === null) return null;
  return { providerMessageId, reference, outcome: meaning.outcome, detail: meaning.detail };
}

function parseSmsFactor(request: IncomingReport): DeliveryReport[] {
  const items = request.method.toUpperCase() === 'GET' ? [request.query] : bodyItems(request.body);
  return items.map(smsFactorReport).filter((report): report is DeliveryReport => report !== null);
}

const BREVO_FAILURES = new Set(['softbounce', 'hardbounce', 'rejected', 'blocked', 'blacklisted', 'error', 'failed', 'skip', 'skipped', 'invalid']);

function brevoReport(item: unknown): DeliveryReport | null {
  const rawStatus = own(item, 'msg_status') ?? own(item, 'event');
  if (typeof rawStatus !== 'string' || rawStatus.length > 40) return null;
  const status = rawStatus.toLowerCase().replace(/[^a-z]/g, '');
  const outcome = status === 'delivered' ? 'delivered' : BREVO_FAILURES.has(status) ? 'failure' : null;
  if (outcome === null) return null;
  // `tag` is ours (a string, or an array of tags); Brevo's own `reference` field is not.
  const tag = own(item, 'tag') ?? own(item, 'tags');
  const tags: unknown[] = Array.isArray(tag) ? tag.slice(0, 10) : [tag];
  const reference = tags.map((candidate) => idOf(candidate, REFERENCE_PATTERN)).find((candidate) => candidate !== null) ?? null;
  const providerMessageId = idOf(own(item, 'messageId'), ID_PATTERN);
  if (reference === null && providerMessageId === null) return null;
  return { providerMessageId, reference, outcome, detail: status };
}

function parseBrevo(request: IncomingReport): DeliveryReport[] {
  return bodyItems(request.body)
    .map(brevoReport)
    .filter((report): report is DeliveryReport => report !== null);
}

/** Parses a delivery report sent by `provider` to our webhook; [] when the request holds none. */
export function parseProviderDeliveryReport(provider: SmsProviderName, request: IncomingReport): DeliveryReport[] {
  try {
    switch (provider) {
      case 'smsfactor':
        return parseSmsFactor(request);
      case 'brevo':
        return parseBrevo(request);
      case 'netsize':
      case 'clever':
      case 'orange_contact_everyone':
      case 'sfr_mail2sms':
      case 'log':
        return [];
    }
  } catch {
    return [];
  }
}
