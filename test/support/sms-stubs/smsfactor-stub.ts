/**
 * SMS Factor stand-in (https://dev.smsfactor.com). Checks what the API documents for `POST /send`
 * (JSON campaign) and `GET /credits`: `Authorization: Bearer <token>`, `Accept: application/json`
 * (the real API answers XML otherwise, so a drifting adapter fails to parse), `Content-Type:
 * application/json`, `sms.message.text`, `sms.recipients.gsm[].value` as international digits.
 * Answers with the API's `status` codes. Light enough for benchmarks: with `recordRequests: false`
 * it keeps only counters and the `gsmsmsid` references it accepted.
 *
 * `GET /__stub/stats` (not part of SMS Factor) answers the counters, for a test that runs the
 * stub in another process than the one it checks.
 */
import { get, gsmSegments, header, json, parseJsonBody, startStubServer, type RecordedRequest, type StubReply, type StubServer, type StubServerOptions, type StubState } from './stub-server.js';

export interface SmsFactorStubOptions extends StubServerOptions {
  readonly token?: string;
  /** Credits at start; each accepted segment takes one. */
  readonly credits?: number;
  /** Keep texts in `received()` (default: same as recordRequests). */
  readonly keepTexts?: boolean;
}

export interface SmsFactorReceived {
  readonly reference: string | null;
  readonly to: string;
  readonly sender: string | null;
  /** null when the stub runs light. */
  readonly text: string | null;
  readonly ticket: string;
}

export interface SmsFactorReportToPost {
  readonly reference: string;
  /** SMS Factor DLR status: 3 DELIVERED, 2 NOT_DELIVERED, 5 INVALID_DESTINATION, 12 EXPIRED… */
  readonly status?: number;
  readonly destination?: string;
  readonly campaignId?: string;
}

export interface SmsFactorStub extends StubServer {
  readonly token: string;
  /** Every accepted message, in order. */
  received(): readonly SmsFactorReceived[];
  /** How many times each `gsmsmsid` was accepted (a duplicate shows as 2). */
  countsByReference(): ReadonlyMap<string, number>;
  stats(): { requests: number; accepted: number; refused: number; duplicates: number };
  credits(): number;
  /** POSTs a DLR to `url` as SMS Factor's webhook does; resolves to the HTTP status we answered. */
  postDeliveryReport(url: string, report: SmsFactorReportToPost): Promise<number>;
}

const FILTER_COUNTERS = { blacklisted: 0, duplicated: 0, invalid: 0, npai: 0, not_allowed: 0, flood: 0, country_limit: 0 };

export async function startSmsFactorStub(options: SmsFactorStubOptions = {}): Promise<SmsFactorStub> {
  const token = options.token ?? 'smsfactor-test-token';
  const keepTexts = options.keepTexts ?? options.recordRequests ?? true;
  const received: SmsFactorReceived[] = [];
  const counts = new Map<string, number>();
  const counters = { requests: 0, accepted: 0, refused: 0, duplicates: 0 };
  let credits = options.credits ?? 1_000_000;
  let ticket = 14672468;

  const refuse = (reply: StubReply): StubReply => {
    counters.refused += 1;
    return reply;
  };

  function send(request: RecordedRequest, state: StubState): StubReply {
    if (!header(request, 'content-type').toLowerCase().startsWith('application/json')) return refuse(json(200, { status: -6, message: 'JSON error' }));
    const body = parseJsonBody(request);
    const message = get(get(body, 'sms'), 'message');
    const gsm = get(get(get(body, 'sms'), 'recipients'), 'gsm');
    const text = get(message, 'text');
    const sender = get(message, 'sender');
    const pushtype = get(message, 'pushtype');
    if (body === undefined) return refuse(json(200, { status: -6, message: 'JSON error' }));
    if (typeof text !== 'string' || text === '' || !Array.isArray(gsm) || gsm.length !== 1) return refuse(json(200, { status: -7, message: 'Data error' }));
    if (sender !== undefined && (typeof sender !== 'string' || !/^(?=.*[A-Za-z])[A-Za-z0-9 .-]{1,11}$/.test(sender))) return refuse(json(200, { status: -7, message: 'Data error' }));
    if (pushtype !== undefined && pushtype !== 'alert' && pushtype !== 'marketing') return refuse(json(200, { status: -7, message: 'Data error' }));
    const recipient: unknown = gsm[0];
    const value = get(recipient, 'value');
    const gsmsmsid = get(recipient, 'gsmsmsid');
    if (typeof value !== 'string' || !/^[1-9]\d{7,14}$/.test(value)) return refuse(json(200, { status: 1, message: 'OK', ticket: String(ticket++), cost: 0, credits, total: 1, sent: 0, ...FILTER_COUNTERS, invalid: 1 }));
    if (gsmsmsid !== undefined && typeof gsmsmsid !== 'string') return refuse(json(200, { status: -7, message: 'Data error' }));
    if (state.mode === 'invalid_number') return refuse(json(200, { status: 1, message: 'OK', ticket: String(ticket++), cost: 0, credits, total: 1, sent: 0, ...FILTER_COUNTERS, invalid: 1 }));
    const cost = gsmSegments(text);
    if (state.mode === 'no_credit' || credits < cost) return refuse(json(200, { status: -3, message: 'Not enough credits' }));
    credits -= cost;
    const reference = typeof gsmsmsid === 'string' ? gsmsmsid : null;
    const campaign = String(ticket++);
    received.push({ reference, to: value, sender: typeof sender === 'string' ? sender : null, text: keepTexts ? text : null, ticket: campaign });
    counters.accepted += 1;
    if (reference !== null) {
      const seen = counts.get(reference) ?? 0;
      if (seen > 0) counters.duplicates += 1;
      counts.set(reference, seen + 1);
    }
    return json(200, { status: 1, message: 'OK', ticket: campaign, cost, credits, total: 1, sent: 1, ...FILTER_COUNTERS });
  }

  const server = await startStubServer((request, state) => {
    counters.requests += 1;
    if (request.method === 'GET' && request.path === '/__stub/stats') return json(200, { ...counters, credits });
    if (state.mode === 'server_error') return refuse({ status: 500, body: '<html><body>Internal Server Error</body></html>', contentType: 'text/html' });
    if (state.mode === 'bad_credentials' || header(request, 'authorization') !== `Bearer ${token}`) return refuse(json(401, { status: -1, message: 'Authentication error' }));
    if (header(request, 'accept') !== 'application/json') {
      return refuse({ status: 200, body: '<?xml version="1.0" encoding="UTF-8"?><response><status>-2</status><message>XML error</message></response>', contentType: 'application/xml' });
    }
    if (request.method === 'POST' && request.path === '/send') return send(request, state);
    if (request.method === 'GET' && request.path === '/credits') {
      return json(200, { status: 1, message: 'OK', credits: String(state.mode === 'no_credit' ? 0 : credits), postpaid: '0', postpaid_limit: false, unlimited: false });
    }
    return refuse(json(404, { status: -5, message: 'Resource not found' }));
  }, options);

  return {
    ...server,
    token,
    received: () => received,
    countsByReference: () => counts,
    stats: () => ({ ...counters }),
    credits: () => credits,
    async postDeliveryReport(url: string, report: SmsFactorReportToPost): Promise<number> {
      const sent = received.find((item) => item.reference === report.reference);
      const body = {
        date: '2026-12-01T10:00:00+01:00',
        status: report.status ?? 3,
        destination: report.destination ?? sent?.to ?? '33600000000',
        message_id: report.reference,
        campaign_id: report.campaignId ?? sent?.ticket ?? '0',
        country_code: 'FR',
      };
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      await response.arrayBuffer();
      return response.status;
    },
    reset() {
      server.reset();
      received.length = 0;
      counts.clear();
      counters.requests = 0;
      counters.accepted = 0;
      counters.refused = 0;
      counters.duplicates = 0;
      credits = options.credits ?? 1_000_000;
    },
  };
}
