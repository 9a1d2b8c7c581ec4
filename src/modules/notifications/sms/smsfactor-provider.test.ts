import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, startSmsFactorStub, type SmsFactorStub } from '../../../../test/support/sms-stubs/index.js';
import { createSmsProvider } from './create-sms-provider.js';
import { SmsProviderError, type SmsMessage, type SmsProvider } from './sms-provider.js';

const MESSAGE: SmsMessage = { to: '+33612345678', text: 'Rappel RDV PMI mar. 8/12 a 9h30, 12 rue de la Paix Meaux. Infos: https://rdv.example/r/AbC123', sender: 'Creneau77', reference: 'att42x' };

async function failureOf(promise: Promise<unknown>): Promise<SmsProviderError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe('SMS Factor adapter against its loopback stub', () => {
  let stub: SmsFactorStub;
  let provider: SmsProvider;

  beforeAll(async () => {
    stub = await startSmsFactorStub({ delayMs: 2000, credits: 500 });
    provider = createSmsProvider('smsfactor', { apiToken: stub.token, endpoint: stub.url }, { timeoutMs: 500 });
  });
  afterEach(() => {
    stub.reset();
  });
  afterAll(async () => {
    await provider.close();
    await stub.close();
  });

  it('sends one JSON campaign with the Bearer token, our reference as gsmsmsid and the number in international digits', async () => {
    const accepted = await provider.send(MESSAGE);

    expect(accepted).toEqual({ result: 'sent', providerMessageId: stub.received()[0]?.ticket, segments: 1, remainingCredits: 499 });
    const [request] = stub.requests();
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/send');
    expect(request?.headers.authorization).toBe(`Bearer ${stub.token}`);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      sms: {
        message: { text: MESSAGE.text, pushtype: 'alert', sender: 'Creneau77' },
        recipients: { gsm: [{ gsmsmsid: 'att42x', value: '33612345678' }] },
      },
    });
    expect(stub.countsByReference().get('att42x')).toBe(1);
  });

  it('reads the remaining credits from GET /credits (a numeric string)', async () => {
    await expect(provider.remainingCredits()).resolves.toBe(500);
    expect(stub.requests()[0]).toMatchObject({ method: 'GET', path: '/credits' });
  });

  it('tells an exhausted account (status -3) as no_credit', async () => {
    stub.setFailure('no_credit');
    const error = await failureOf(provider.send(MESSAGE));
    expect(error.kind).toBe('no_credit');
    expect(error.providerCode).toBe('status -3');
  });

  it('tells a refused token as configuration, without quoting the token', async () => {
    const wrong = createSmsProvider('smsfactor', { apiToken: 'not-the-token', endpoint: stub.url });
    const error = await failureOf(wrong.send(MESSAGE));
    expect(error.kind).toBe('configuration');
    expect(error.message).not.toContain('not-the-token');
  });

  it('tells a number the API filtered out (sent 0, invalid 1) as recipient, without quoting it', async () => {
    stub.setFailure('invalid_number');
    const error = await failureOf(provider.send(MESSAGE));
    expect(error.kind).toBe('recipient');
    expect(error.message).not.toContain('612345678');
    expect(error.message).not.toContain('Rappel');
  });

  it('retries a 500 and a timeout as transient', async () => {
    stub.setFailure('server_error');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('transient');
    stub.setFailure('slow');
    const timeout = await failureOf(provider.send(MESSAGE));
    expect(timeout.kind).toBe('transient');
    expect(timeout.providerCode).toBe('timeout');
  });

  it('tells an unreachable endpoint as transient', async () => {
    const closed = await startSmsFactorStub();
    await closed.close();
    const unreachable = createSmsProvider('smsfactor', { apiToken: 't', endpoint: closed.url });
    expect((await failureOf(unreachable.send(MESSAGE))).providerCode).toBe('network');
  });
});
