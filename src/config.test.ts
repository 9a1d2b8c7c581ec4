import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives safe development defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.dataDir.endsWith('data')).toBe(true);
  });

  it('refuses a non-numeric PORT and names the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('refuses an unknown LOG_LEVEL', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('requires SESSION_SECRET, SMTP_URL, SECRETS_ENCRYPTION_KEY and BASE_URL in production', () => {
    const production = {
      NODE_ENV: 'production',
      BASE_URL: 'https://rdv.example.fr',
      SESSION_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtps://user:pass@smtp.example.fr:465',
      SECRETS_ENCRYPTION_KEY: 'k'.repeat(40),
    };
    expect(loadConfig(production).smtpUrl).toBe(production.SMTP_URL);
    for (const variable of ['SESSION_SECRET', 'SMTP_URL', 'SECRETS_ENCRYPTION_KEY', 'BASE_URL'] as const) {
      expect(() => loadConfig({ ...production, [variable]: undefined })).toThrow(new RegExp(variable));
    }
  });

  it('refuses a short SESSION_SECRET', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });
});
