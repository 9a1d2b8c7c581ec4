import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, startOrangeContactEveryoneStub, type OrangeContactEveryoneStub } from '../../../../test/support/sms-stubs/index.js';
import { createSmsProvider } from './create-sms-provider.js';
import { SmsProviderError, type SmsMessage, type SmsProvider } from './sms-provider.js';

const MESSAGE: SmsMessage = { to: '+33612345678', text: 'Rappel RDV RSA lun. 14/12 a 11h, Amiens. Infos: https://rdv.example/r/Oo3', sender: 'Somme', reference: 'att80' };

async function failureOf(promise: Promise<unknown>): Promise<SmsProviderError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe('Orange Contact Everyone adapter against its loopback stub', () => {
  let stub: OrangeContactEveryoneStub;
  let provider: SmsProvider;

  beforeAll(async () => {
    stub = await startOrangeContactEveryoneStub({ delayMs: 2000 });
    provider = createSmsProvider('orange_contact_everyone', { token: stub.token, endpoint: stub.url }, { timeoutMs: 500 });
  });
  afterEach(() => {
    stub.reset();
  });
  afterAll(async () => {
    await provider.close();
    await stub.close();
  });

  it('posts token, to and msg form-urlencoded in UTF-8', async () => {
    const accepted = await provider.send(MESSAGE);

    expect(accepted).toEqual({ result: 'sent', providerMessageId: 'diffusion-1', segments: null, remainingCredits: null });
    const [request] = stub.requests();
    expect(request).toMatchObject({ method: 'POST', path: '/api/light/diffusions/sms' });
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    expect(Object.fromEntries(new URLSearchParams(request?.body ?? ''))).toEqual({ token: stub.token, to: '+33612345678', msg: MESSAGE.text });
  });

  it('maps a refused number to recipient, a refused token to configuration and 402 to no_credit', async () => {
    stub.setFailure('invalid_number');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('recipient');
    stub.setFailure('bad_credentials');
    const token = await failureOf(provider.send(MESSAGE));
    expect(token.kind).toBe('configuration');
    expect(token.message).not.toContain(stub.token);
    stub.setFailure('no_credit');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('no_credit');
  });

  it('retries a 502 and a timeout as transient', async () => {
    stub.setFailure('server_error');
    expect((await failureOf(provider.send(MESSAGE))).providerCode).toBe('HTTP 502');
    stub.setFailure('slow');
    expect((await failureOf(provider.send(MESSAGE))).providerCode).toBe('timeout');
  });
});
