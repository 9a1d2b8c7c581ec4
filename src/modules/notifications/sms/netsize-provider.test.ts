import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, startNetsizeStub, type NetsizeStub } from '../../../../test/support/sms-stubs/index.js';
import { createSmsProvider } from './create-sms-provider.js';
import { SmsProviderError, type SmsMessage, type SmsProvider } from './sms-provider.js';

const MESSAGE: SmsMessage = { to: '+596696123456', text: 'Rappel RDV Service social jeu. 10/12 a 8h45, Maison des solidarites. Infos: https://rdv.example/r/Qq1', sender: 'CD972', reference: 'att9' };

async function failureOf(promise: Promise<unknown>): Promise<SmsProviderError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe('Netsize adapter against its loopback stub', () => {
  let stub: NetsizeStub;
  let provider: SmsProvider;

  beforeAll(async () => {
    stub = await startNetsizeStub({ delayMs: 2000 });
    provider = createSmsProvider('netsize', { account: stub.account, password: stub.password, campaignName: 'creneau rappels', endpoint: stub.url }, { timeoutMs: 500 });
  });
  afterEach(() => {
    stub.reset();
  });
  afterAll(async () => {
    await provider.close();
    await stub.close();
  });

  it('posts the form with Basic auth and the UTF-8 charset stated, and counts segments from messageIds', async () => {
    const accepted = await provider.send(MESSAGE);

    expect(accepted).toEqual({ result: 'sent', providerMessageId: 'ns-1000', segments: 1, remainingCredits: null });
    const [request] = stub.requests();
    expect(request).toMatchObject({ method: 'POST', path: '/restapi/v1/sms/send' });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${stub.account}:${stub.password}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    expect(Object.fromEntries(new URLSearchParams(request?.body ?? ''))).toEqual({
      destinationAddress: '+596696123456',
      messageText: MESSAGE.text,
      originatingAddress: 'CD972',
      originatorTON: '1',
      maxConcatenatedMessages: '10',
      campaignName: 'creneau rappels',
    });
  });

  it('keeps accents intact through the form encoding', async () => {
    await provider.send({ ...MESSAGE, text: 'Séance à 9h, présentez-vous à l’accueil' });
    expect(new URLSearchParams(stub.requests()[0]?.body ?? '').get('messageText')).toBe('Séance à 9h, présentez-vous à l’accueil');
  });

  it('maps responseCode 100 to recipient, 18 to no_credit and 103 to configuration', async () => {
    stub.setFailure('invalid_number');
    const recipient = await failureOf(provider.send(MESSAGE));
    expect([recipient.kind, recipient.providerCode]).toEqual(['recipient', 'responseCode 100']);
    expect(recipient.message).not.toContain('696123456');
    stub.setFailure('no_credit');
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('no_credit');
    stub.setFailure('bad_credentials');
    const account = await failureOf(provider.send(MESSAGE));
    expect([account.kind, account.providerCode]).toEqual(['configuration', 'responseCode 103']);
  });

  it('maps responseCode 15 (too many segments) to a permanent error', async () => {
    const long = createSmsProvider('netsize', { account: stub.account, password: stub.password, endpoint: stub.url });
    const error = await failureOf(long.send({ ...MESSAGE, text: 'x'.repeat(153 * 11) }));
    expect([error.kind, error.providerCode]).toEqual(['configuration', 'responseCode 15']);
  });

  it('treats a missing Basic header answer (401) as configuration', async () => {
    const wrong = createSmsProvider('netsize', { account: 'autre', password: 'mauvais', endpoint: stub.url });
    expect((await failureOf(wrong.send(MESSAGE))).kind).toBe('configuration');
  });

  it('retries a 503 and a timeout as transient', async () => {
    stub.setFailure('server_error');
    expect((await failureOf(provider.send(MESSAGE))).providerCode).toBe('HTTP 503');
    stub.setFailure('slow');
    expect((await failureOf(provider.send(MESSAGE))).providerCode).toBe('timeout');
  });

  it('has no credits endpoint', async () => {
    await expect(provider.remainingCredits()).resolves.toBeNull();
  });
});
