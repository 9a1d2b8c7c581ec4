import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, startBrevoStub, type BrevoStub } from '../../../../test/support/sms-stubs/index.js';
import { createSmsProvider } from './create-sms-provider.js';
import { SmsProviderError, type SmsMessage, type SmsProvider } from './sms-provider.js';

const MESSAGE: SmsMessage = { to: '+262639012345', text: 'RDV PMI annule le 9/12 a 14h. Pour reprendre RDV: https://rdv.example/r/Zz9', sender: 'Creneau976', reference: 'att77b' };

async function failureOf(promise: Promise<unknown>): Promise<SmsProviderError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe('Brevo adapter against its loopback stub', () => {
  let stub: BrevoStub;
  let provider: SmsProvider;

  beforeAll(async () => {
    stub = await startBrevoStub({ delayMs: 2000 });
    provider = createSmsProvider('brevo', { apiKey: stub.apiKey, endpoint: stub.url }, { timeoutMs: 500, deliveryReportUrl: 'https://creneau.example/webhooks/sms/brevo/k3y' });
  });
  afterEach(() => {
    stub.reset();
  });
  afterAll(async () => {
    await provider.close();
    await stub.close();
  });

  it('posts a transactional SMS with the api-key header, the reference as tag and our webhook as webUrl', async () => {
    const accepted = await provider.send(MESSAGE);

    expect(accepted).toEqual({ result: 'sent', providerMessageId: '1511882900176220', segments: null, remainingCredits: null });
    const [request] = stub.requests();
    expect(request).toMatchObject({ method: 'POST', path: '/v3/transactionalSMS/send' });
    expect(request?.headers['api-key']).toBe(stub.apiKey);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      sender: 'Creneau976',
      recipient: '262639012345',
      content: MESSAGE.text,
      type: 'transactional',
      tag: 'att77b',
      unicodeEnabled: false,
      webUrl: 'https://creneau.example/webhooks/sms/brevo/k3y',
    });
  });

  it('reads the SMS credits from the sms plan of GET /v3/account', async () => {
    await expect(provider.remainingCredits()).resolves.toBe(1234.5);
  });

  it('tells a 400 about the recipient as recipient, without quoting the number', async () => {
    stub.setFailure('invalid_number');
    const error = await failureOf(provider.send(MESSAGE));
    expect(error.kind).toBe('recipient');
    expect(error.providerCode).toBe('HTTP 400 invalid_parameter');
    expect(error.message).not.toContain('639012345');
  });

  it('tells a sender Brevo refuses as configuration', async () => {
    const badSender = await failureOf(provider.send({ ...MESSAGE, sender: 'Créneau-77!' }));
    expect(badSender.kind).toBe('configuration');
  });

  it('tells 402 as no_credit and 401 as configuration', async () => {
    stub.setFailure('no_credit');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('no_credit');
    stub.setFailure('bad_credentials');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('configuration');
  });

  it('retries a 500 and a timeout as transient', async () => {
    stub.setFailure('server_error');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('transient');
    stub.setFailure('slow');
    expect((await failureOf(provider.send(MESSAGE))).providerCode).toBe('timeout');
  });
});
