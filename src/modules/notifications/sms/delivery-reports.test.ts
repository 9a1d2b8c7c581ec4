import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startSmsFactorStub } from '../../../../test/support/sms-stubs/index.js';
import { createSmsProvider, parseDeliveryReport, type IncomingReport } from './create-sms-provider.js';
import { SMS_PROVIDER_NAMES } from './sms-provider.js';

const OUTCOMES = new Set<string>(['delivered', 'failure']);

function post(body: unknown): IncomingReport {
  return { method: 'POST', query: {}, body, headers: { 'content-type': 'application/json' } };
}

describe('SMS Factor delivery reports', () => {
  it('reads a DELIVERED report: our reference from message_id, the ticket from campaign_id', () => {
    const reports = parseDeliveryReport('smsfactor', post({ date: '2018-01-16T11:55:12+01:00', status: 3, destination: '33612345678', message_id: 'att42x', campaign_id: '15948909', country_code: 'FR' }));
    expect(reports).toEqual([{ providerMessageId: '15948909', reference: 'att42x', outcome: 'delivered', detail: 'DELIVERED' }]);
  });

  it('reads failures, ignores interim states (NOT_SENT, SENT) and unknown codes', () => {
    const outcome = (status: unknown) => parseDeliveryReport('smsfactor', post({ status, message_id: 'r1', campaign_id: '9' })).map((report) => `${report.outcome} ${report.detail ?? ''}`);
    expect(outcome(5)).toEqual(['failure INVALID_DESTINATION']);
    expect(outcome('12')).toEqual(['failure EXPIRED']);
    expect(outcome(0)).toEqual([]);
    expect(outcome(1)).toEqual([]);
    expect(outcome(8)).toEqual([]);
  });

  it('reads the same fields from a GET query, a raw JSON string and a batch array', () => {
    expect(parseDeliveryReport('smsfactor', { method: 'GET', query: { status: '3', message_id: 'r2', campaign_id: '7' }, body: undefined, headers: {} })).toHaveLength(1);
    expect(parseDeliveryReport('smsfactor', post('{"status":2,"message_id":"r3","campaign_id":"8"}'))).toHaveLength(1);
    expect(parseDeliveryReport('smsfactor', post([{ status: 3, message_id: 'a' }, { status: 9, message_id: 'b' }, 'junk']))).toHaveLength(2);
  });

  it('drops references that are not ours (wrong shape) rather than passing them on', () => {
    expect(parseDeliveryReport('smsfactor', post({ status: 3, message_id: "r'; DROP TABLE", campaign_id: '<script>' }))).toEqual([]);
    expect(parseDeliveryReport('smsfactor', post({ status: 3, message_id: 'x'.repeat(33) }))).toEqual([]);
  });

  it('parses what the SMS Factor stub posts back after a send', async () => {
    const captured: string[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        captured.push(Buffer.concat(chunks).toString('utf8'));
        response.end('OK');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const stub = await startSmsFactorStub();
    try {
      const provider = createSmsProvider('smsfactor', { apiToken: stub.token, endpoint: stub.url });
      const accepted = await provider.send({ to: '+33612345678', text: 'Rappel', sender: 'CD77', reference: 'ref0001' });
      const { port } = receiver.address() as AddressInfo;

      await expect(stub.postDeliveryReport(`http://127.0.0.1:${String(port)}/dlr`, { reference: 'ref0001' })).resolves.toBe(200);

      expect(parseDeliveryReport('smsfactor', post(captured[0]))).toEqual([{ providerMessageId: accepted.providerMessageId, reference: 'ref0001', outcome: 'delivered', detail: 'DELIVERED' }]);
    } finally {
      await stub.close();
      await new Promise<void>((resolve) => receiver.close(() => { resolve(); }));
    }
  });
});

describe('Brevo delivery reports', () => {
  it('reads msg_status delivered with our tag as reference (not Brevo’s own reference field)', () => {
    const reports = parseDeliveryReport('brevo', post({ id: 26570, to: '33612345678', sms_count: 1, credits_used: 1.5, messageId: 1511882900176220, remaining_credit: 11488.8, msg_status: 'delivered', date: '2026-12-01 10:00:00', type: 'transactional', reference: 'ab1cde2fgh3i4jklmno', tag: 'att77b' }));
    expect(reports).toEqual([{ providerMessageId: '1511882900176220', reference: 'att77b', outcome: 'delivered', detail: 'delivered' }]);
  });

  it('keeps a message id that is a safe integer or a string', () => {
    expect(parseDeliveryReport('brevo', post({ msg_status: 'hard_bounce', messageId: 123, tag: ['att1'] }))).toEqual([{ providerMessageId: '123', reference: 'att1', outcome: 'failure', detail: 'hardbounce' }]);
    expect(parseDeliveryReport('brevo', post({ event: 'softBounce', messageId: '1511882900176220' }))[0]?.outcome).toBe('failure');
  });

  it('ignores interim and unrelated events', () => {
    for (const status of ['sent', 'accepted', 'replied', 'unsubscribe', 'SPAM?']) {
      expect(parseDeliveryReport('brevo', post({ msg_status: status, messageId: 1, tag: 'a' }))).toEqual([]);
    }
  });
});

describe('providers without delivery reports', () => {
  it('answer [] whatever comes', () => {
    for (const provider of ['netsize', 'clever', 'orange_contact_everyone', 'sfr_mail2sms', 'log'] as const) {
      expect(parseDeliveryReport(provider, post({ status: 3, message_id: 'a', msg_status: 'delivered', tag: 'a' }))).toEqual([]);
    }
  });
});

describe('hostile input', () => {
  const hostile: unknown[] = [
    null,
    undefined,
    42,
    '',
    '{"status":',
    Buffer.from('\u0000\u0001garbage'),
    [],
    Array.from({ length: 5000 }, () => ({ status: 3, message_id: 'a' })),
    JSON.parse('{"__proto__":{"status":3,"message_id":"polluted"}}') as unknown,
    { status: { valueOf: 3 }, message_id: { toString: 'x' } },
    { status: 3, message_id: ['a'], campaign_id: Number.MAX_VALUE },
    { msg_status: 'x'.repeat(100_000), tag: 'a' },
    'x'.repeat(2_000_000),
  ];

  it('never throws and returns an array for every provider', () => {
    for (const provider of SMS_PROVIDER_NAMES) {
      for (const body of hostile) {
        const reports = parseDeliveryReport(provider, post(body));
        expect(Array.isArray(reports)).toBe(true);
        expect(reports.length).toBeLessThanOrEqual(1000);
      }
      expect(parseDeliveryReport(provider, { method: 'GET', query: { status: ['3', '3'], message_id: { a: 1 } }, body: null, headers: {} })).toEqual([]);
    }
  });

  it('does not read inherited (prototype) fields', () => {
    expect(parseDeliveryReport('smsfactor', post(hostile[8]))).toEqual([]);
  });

  it('never throws on arbitrary values (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SMS_PROVIDER_NAMES), fc.string(), fc.anything(), fc.anything(), (provider, method, query, body) => {
        const reports = parseDeliveryReport(provider, { method, query: query as Record<string, unknown>, body, headers: {} });
        return Array.isArray(reports) && reports.every((report) => OUTCOMES.has(report.outcome) && (report.reference === null || /^[A-Za-z0-9]{1,32}$/.test(report.reference)));
      }),
      { numRuns: 500 },
    );
  });
});
