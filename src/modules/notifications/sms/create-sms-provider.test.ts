import { describe, expect, it } from 'vitest';
import { checkSmsCredentials, createSmsProvider } from './create-sms-provider.js';
import { SMS_PROVIDER_NAMES, SmsProviderError } from './sms-provider.js';

describe('checkSmsCredentials', () => {
  it('asks for the API token of SMS Factor in French', () => {
    expect(checkSmsCredentials('smsfactor', {})).toEqual({ ok: false, errors: { apiToken: 'Renseignez le jeton d’API' } });
    expect(checkSmsCredentials('smsfactor', { apiToken: '   ' })).toEqual({ ok: false, errors: { apiToken: 'Renseignez le jeton d’API' } });
  });

  it('keeps the checked fields only, trimmed, and drops an empty endpoint', () => {
    expect(checkSmsCredentials('smsfactor', { apiToken: ' abc.def ', endpoint: '', extra: 'x' })).toEqual({ ok: true, credentials: { apiToken: 'abc.def' } });
    expect(checkSmsCredentials('netsize', { account: 'cd62', password: 'p w', campaignName: 'rappels' })).toEqual({ ok: true, credentials: { account: 'cd62', password: 'p w', campaignName: 'rappels' } });
  });

  it('accepts an https endpoint, or http only to the loopback', () => {
    expect(checkSmsCredentials('brevo', { apiKey: 'k', endpoint: 'https://passerelle.cd77.example/brevo' }).ok).toBe(true);
    expect(checkSmsCredentials('brevo', { apiKey: 'k', endpoint: 'http://127.0.0.1:4010' }).ok).toBe(true);
    expect(checkSmsCredentials('brevo', { apiKey: 'k', endpoint: 'http://localhost:4010' }).ok).toBe(true);
    for (const endpoint of ['http://api.brevo.com', 'http://10.0.0.1', 'ftp://x.example', 'https://user:pw@x.example', 'https://x.example/?token=1', 'pas une adresse']) {
      const check = checkSmsCredentials('brevo', { apiKey: 'k', endpoint });
      expect(check.ok, endpoint).toBe(false);
      if (!check.ok) expect(check.errors.endpoint).toMatch(/https:\/\//);
    }
  });

  it('refuses tokens that would break a header and non-string values', () => {
    expect(checkSmsCredentials('smsfactor', { apiToken: 'abc\r\nX-Injected: 1' }).ok).toBe(false);
    expect(checkSmsCredentials('orange_contact_everyone', { token: ['a'] }).ok).toBe(false);
    expect(checkSmsCredentials('clever', { login: 'a:b', password: 'x' })).toMatchObject({ ok: false, errors: { login: 'L’identifiant ne peut pas contenir « : »' } });
    expect(checkSmsCredentials('brevo', { apiKey: 'x'.repeat(600) }).ok).toBe(false);
  });

  it('checks the SMTP URL and both addresses of SFR mail2SMS', () => {
    expect(checkSmsCredentials('sfr_mail2sms', { smtpUrl: 'smtps://u:p@smtp.cd62.example:465', to: 'compte@mailtosms.example', from: 'ne-pas-repondre@cd62.example' }).ok).toBe(true);
    expect(checkSmsCredentials('sfr_mail2sms', { smtpUrl: 'https://x', to: 'pas-une-adresse', from: '' })).toMatchObject({
      ok: false,
      errors: { smtpUrl: expect.stringMatching(/SMTP/) as unknown, to: 'Renseignez l’adresse mail2SMS du compte SFR', from: 'Renseignez l’adresse d’expédition autorisée par SFR' },
    });
  });

  it('needs nothing for the log provider', () => {
    expect(checkSmsCredentials('log', { anything: 'x' })).toEqual({ ok: true, credentials: {} });
  });
});

describe('createSmsProvider', () => {
  it('builds every provider from checked credentials', async () => {
    const credentials: Record<string, Record<string, string>> = {
      smsfactor: { apiToken: 't' },
      brevo: { apiKey: 'k' },
      netsize: { account: 'a', password: 'p' },
      clever: { login: 'l', password: 'p' },
      orange_contact_everyone: { token: 't' },
      sfr_mail2sms: { smtpUrl: 'smtp://127.0.0.1:2525', to: 'a@b.example', from: 'c@d.example' },
      log: {},
    };
    for (const name of SMS_PROVIDER_NAMES) {
      const provider = createSmsProvider(name, credentials[name] ?? {});
      expect(provider.name).toBe(name);
      await provider.close();
    }
  });

  it('refuses unchecked credentials with a configuration error that quotes no value', () => {
    let thrown: unknown = null;
    try {
      createSmsProvider('smsfactor', { endpoint: 'http://evil.example', apiToken: 'tok\nen' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SmsProviderError);
    expect((thrown as SmsProviderError).kind).toBe('configuration');
    expect((thrown as SmsProviderError).message).not.toMatch(/evil|tok/);
  });
});
