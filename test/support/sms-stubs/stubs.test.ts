// The stubs must refuse a request that drifts from the provider's documented shape, so that an
// adapter test fails when the adapter drifts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrevoStub, startCleverStub, startNetsizeStub, startOrangeContactEveryoneStub, startSmsFactorStub, type SmsFactorStub } from './index.js';

async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: init.method ?? 'POST', headers: init.headers ?? {}, body: init.body ?? null });
  return { status: response.status, text: await response.text() };
}

const SMSFACTOR_BODY = JSON.stringify({ sms: { message: { text: 'Bonjour', sender: 'CD77' }, recipients: { gsm: [{ gsmsmsid: 'r1', value: '33612345678' }] } } });

describe('SMS Factor stub', () => {
  let stub: SmsFactorStub;
  beforeAll(async () => {
    stub = await startSmsFactorStub();
  });
  afterAll(async () => {
    await stub.close();
  });
  const headers = (): Record<string, string> => ({ Authorization: `Bearer ${stub.token}`, Accept: 'application/json', 'Content-Type': 'application/json' });

  it('answers XML, as the real API does, without Accept: application/json', async () => {
    const answer = await call(`${stub.url}/send`, { headers: { ...headers(), Accept: '*/*' }, body: SMSFACTOR_BODY });
    expect(answer.text).toContain('<status>-2</status>');
  });

  it('answers status -1 with HTTP 401 without the Bearer token', async () => {
    const answer = await call(`${stub.url}/send`, { headers: { ...headers(), Authorization: 'Basic eDp5' }, body: SMSFACTOR_BODY });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text)).toMatchObject({ status: -1 });
  });

  it('answers -6 to a form body and filters a number given with « + » as invalid', async () => {
    expect(JSON.parse((await call(`${stub.url}/send`, { headers: { ...headers(), 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'text=a' })).text)).toMatchObject({ status: -6 });
    const plus = SMSFACTOR_BODY.replace('"33612345678"', '"+33612345678"');
    expect(JSON.parse((await call(`${stub.url}/send`, { headers: headers(), body: plus })).text)).toMatchObject({ status: 1, sent: 0, invalid: 1 });
  });

  it('counts references and duplicates, and serves its counters on /__stub/stats', async () => {
    stub.reset();
    await call(`${stub.url}/send`, { headers: headers(), body: SMSFACTOR_BODY });
    await call(`${stub.url}/send`, { headers: headers(), body: SMSFACTOR_BODY });
    expect(stub.countsByReference().get('r1')).toBe(2);
    expect(stub.stats()).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(JSON.parse((await call(`${stub.url}/__stub/stats`, { method: 'GET' })).text)).toMatchObject({ accepted: 2, duplicates: 1 });
  });

  it('keeps only counters and references when light, for benchmarks', async () => {
    const light = await startSmsFactorStub({ recordRequests: false });
    try {
      const bodies = Array.from({ length: 300 }, (_, index) => SMSFACTOR_BODY.replace('"r1"', `"ref${String(index)}"`));
      await Promise.all(bodies.map((body) => call(`${light.url}/send`, { headers: { Authorization: `Bearer ${light.token}`, Accept: 'application/json', 'Content-Type': 'application/json' }, body })));
      expect(light.requests()).toHaveLength(0);
      expect(light.received()).toHaveLength(300);
      expect(light.received()[0]?.text).toBeNull();
      expect(light.countsByReference().size).toBe(300);
    } finally {
      await light.close();
    }
  });
});

describe('Brevo stub', () => {
  it('answers 401 without api-key and 400 to a missing content or a recipient with letters', async () => {
    const stub = await startBrevoStub();
    try {
      const url = `${stub.url}/v3/transactionalSMS/send`;
      const headers = { 'api-key': stub.apiKey, 'Content-Type': 'application/json' };
      expect((await call(url, { headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
      expect((await call(url, { headers, body: JSON.stringify({ sender: 'CD77', recipient: '33612345678' }) })).status).toBe(400);
      expect((await call(url, { headers, body: JSON.stringify({ sender: 'CD77', recipient: 'tel:0612', content: 'x' }) })).status).toBe(400);
      expect((await call(url, { headers, body: JSON.stringify({ sender: 'CD77', recipient: '33612345678', content: 'x', type: 'transactional' }) })).status).toBe(201);
    } finally {
      await stub.close();
    }
  });
});

describe('Netsize stub', () => {
  it('refuses a form without the UTF-8 charset, a JSON body and a number without « + »', async () => {
    const stub = await startNetsizeStub();
    try {
      const url = `${stub.url}/restapi/v1/sms/send`;
      const authorization = `Basic ${Buffer.from(`${stub.account}:${stub.password}`).toString('base64')}`;
      const form = 'destinationAddress=%2B33612345678&messageText=Bonjour&originatingAddress=CD62&originatorTON=1';
      expect(JSON.parse((await call(url, { headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form })).text)).toMatchObject({ responseCode: 2 });
      expect((await call(url, { headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body: form })).status).toBe(401);
      const noPlus = form.replace('%2B', '');
      expect(JSON.parse((await call(url, { headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body: noPlus })).text)).toMatchObject({ responseCode: 100 });
      expect(JSON.parse((await call(url, { headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, body: form })).text)).toMatchObject({ responseCode: 0 });
    } finally {
      await stub.close();
    }
  });
});

describe('Clever and Orange stubs', () => {
  it('refuse a body of the wrong shape', async () => {
    const clever = await startCleverStub();
    const orange = await startOrangeContactEveryoneStub();
    try {
      const authorization = `Basic ${Buffer.from(`${clever.login}:${clever.password}`).toString('base64')}`;
      const cleverHeaders = { Authorization: authorization, 'Content-Type': 'application/json; charset=UTF-8' };
      expect((await call(`${clever.url}/api/pushs`, { headers: cleverHeaders, body: JSON.stringify({ text: 'x', number_list: '+33612345678' }) })).status).toBe(400);
      expect((await call(`${clever.url}/api/pushs`, { headers: cleverHeaders, body: JSON.stringify({ datas: { text: 'x', number_list: '+33612345678', encodage: 3 } }) })).status).toBe(201);
      expect((await call(`${orange.url}/api/light/diffusions/sms`, { headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(415);
      expect((await call(`${orange.url}/api/light/diffusions/sms`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${orange.token}&to=%2B33612345678` })).status).toBe(400);
    } finally {
      await clever.close();
      await orange.close();
    }
  });
});
