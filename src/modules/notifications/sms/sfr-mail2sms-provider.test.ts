import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, startMail2SmsStub, type Mail2SmsStub } from '../../../../test/support/sms-stubs/index.js';
import { createSmsProvider } from './create-sms-provider.js';
import { SmsProviderError, type SmsMessage, type SmsProvider } from './sms-provider.js';

const MESSAGE: SmsMessage = { to: '+33612345678', text: 'Rappel RDV PMI mar. 8/12 a 9h30, Arras. Infos: https://rdv.example/r/Pp6', sender: 'CD62', reference: 'att62' };
const FROM = 'ne-pas-repondre@pasdecalais.example';

async function failureOf(promise: Promise<unknown>): Promise<SmsProviderError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe('SFR mail2SMS adapter against a real SMTP server on loopback', () => {
  let stub: Mail2SmsStub;
  let provider: SmsProvider;

  beforeAll(async () => {
    stub = await startMail2SmsStub();
    provider = createSmsProvider('sfr_mail2sms', { smtpUrl: stub.smtpUrl, to: stub.accountAddress, from: FROM }, { timeoutMs: 2000 });
  });
  afterEach(() => {
    stub.refuseWith(null);
  });
  afterAll(async () => {
    await provider.close();
    await stub.close();
  });

  it('sends one plain-text e-mail to the account address: the number as Subject, the SMS as body', async () => {
    const accepted = await provider.send(MESSAGE);

    expect(accepted).toEqual({ result: 'processed', providerMessageId: null, segments: null, remainingCredits: null });
    const mail = stub.received().at(-1);
    expect(mail).toMatchObject({ mailFrom: FROM, recipients: [stub.accountAddress], subject: '+33612345678', hasHtml: false });
    expect(mail?.text.trim()).toBe(MESSAGE.text);
  });

  it('tells a 5xx SMTP reply as configuration without quoting the address', async () => {
    stub.refuseWith(550);
    const error = await failureOf(provider.send(MESSAGE));
    expect([error.kind, error.providerCode]).toEqual(['configuration', 'SMTP 550']);
    expect(error.message).not.toContain(stub.accountAddress);
  });

  it('tells a 4xx SMTP reply as transient', async () => {
    stub.refuseWith(451);
    expect((await failureOf(provider.send(MESSAGE))).kind).toBe('transient');
  });

  it('tells an unreachable SMTP server as transient', async () => {
    const gone = await startMail2SmsStub();
    await gone.close();
    const unreachable = createSmsProvider('sfr_mail2sms', { smtpUrl: gone.smtpUrl, to: gone.accountAddress, from: FROM }, { timeoutMs: 1000 });
    const error = await failureOf(unreachable.send(MESSAGE));
    expect(error.kind).toBe('transient');
    await unreachable.close();
  });
});
