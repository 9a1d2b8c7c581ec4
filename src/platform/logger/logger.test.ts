import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggablePath, loggerOptions } from './logger.js';

function capture(): { logger: pino.Logger; lines: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { logger: pino(loggerOptions('info'), stream), lines: () => chunks.join('') };
}

describe('logger', () => {
  it('masks phone numbers, e-mails and motifs at any depth', () => {
    const { logger, lines } = capture();
    logger.info(
      { email: 'jeanne@example.fr', user: { phoneNumber: '+33612345678' }, appointment: { motif: 'IVG' } },
      'booked',
    );
    const out = lines();
    expect(out).not.toContain('jeanne@example.fr');
    expect(out).not.toContain('+33612345678');
    expect(out).not.toContain('IVG');
    expect(out).toContain('[masqué]');
  });

  it('logs request paths without their query string', () => {
    const { logger, lines } = capture();
    logger.info({ req: { method: 'GET', url: '/rdv?token=secret123' } }, 'request');
    expect(lines()).toContain('"path":"/rdv"');
    expect(lines()).not.toContain('secret123');
  });

  it('masks every token-like path segment and keeps page names readable', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd';
    expect(loggablePath(`/rdv/lien/${token}/rendez-vous/annuler?jeton=${token}`)).toBe('/rdv/lien/[jeton]/rendez-vous/annuler');
    expect(loggablePath(`/invitation/${token}`)).toBe('/invitation/[jeton]');
    expect(loggablePath('/inscription/verifiez-vos-e-mails')).toBe('/inscription/verifiez-vos-e-mails');
    expect(loggablePath('/mes-rdv/0123456789abcdef0123456789abcdef')).toBe('/mes-rdv/[jeton]');
    expect(loggablePath(`/x#${token}`)).toBe('/x');
  });
});
