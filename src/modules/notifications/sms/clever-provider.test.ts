import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, startCleverStub, type CleverStub } from '../../../../test/support/sms-stubs/index.js';
import { createSmsProvider } from './create-sms-provider.js';
import { SmsProviderError, type SmsMessage, type SmsProvider } from './sms-provider.js';

const MESSAGE: SmsMessage = { to: '+33712345678', text: 'RDV PMI modifie: ven. 11/12 a 10h, 3 av. Thiers Melun. Infos: https://rdv.example/r/Mm2', sender: 'CD77', reference: 'att5' };

async function failureOf(promise: Promise<unknown>): Promise<SmsProviderError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe('Clever Technologies adapter against its loopback stub', () => {
  let stub: CleverStub;
  let provider: SmsProvider;

  beforeAll(async () => {
    stub = await startCleverStub({ delayMs: 2000 });
    provider = createSmsProvider('clever', { login: stub.login, password: stub.password, endpoint: stub.url }, { timeoutMs: 500 });
  });
  afterEach(() => {
    stub.reset();
    stub.expireAccount(false);
  });
  afterAll(async () => {
    await provider.close();
    await stub.close();
  });

  it('pushes {datas: {text, number_list, encodage: 3}} with Basic auth and reads nb_sms', async () => {
    const accepted = await provider.send(MESSAGE);

    expect(accepted).toEqual({ result: 'sent', providerMessageId: '680560', segments: 1, remainingCredits: null });
    const [request] = stub.requests();
    expect(request).toMatchObject({ method: 'POST', path: '/api/pushs' });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${stub.login}:${stub.password}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(JSON.parse(request?.body ?? '')).toEqual({ datas: { text: MESSAGE.text, number_list: '+33712345678', encodage: 3 } });
  });

  it('maps 401 to configuration, 402 to no_credit and 430 (account expired) to configuration', async () => {
    stub.setFailure('bad_credentials');
    expect((await failureOf(provider.send(MESSAGE))).providerCode).toBe('HTTP 401');
    stub.setFailure('no_credit');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('no_credit');
    stub.setFailure('none');
    stub.expireAccount(true);
    const expired = await failureOf(provider.send(MESSAGE));
    expect([expired.kind, expired.providerCode]).toEqual(['configuration', 'HTTP 430']);
  });

  it('retries a 500 and a timeout as transient', async () => {
    stub.setFailure('server_error');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('transient');
    stub.setFailure('slow');
    expect((await failureOf(provider.send(MESSAGE))).providerCode).toBe('timeout');
  });
});
