import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger/logger.js';
import { describeReason, installProcessGuards } from './process-guards.js';

/** A real pino logger (with the app's options) writing its JSON lines into an array. */
function capturingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino(loggerOptions('info'), stream), lines };
}

describe('installProcessGuards', () => {
  it('logs an unhandled rejection without personal data and does not exit', () => {
    const target = new EventEmitter();
    const { logger, lines } = capturingLogger();
    const exits: number[] = [];
    const uninstall = installProcessGuards({ logger, target, exit: (code) => exits.push(code) });

    const error = Object.assign(new Error('duplicate key for camille.durand@example.fr, phone 06 12 34 56 78'), {
      code: '23505',
      detail: 'Key (email)=(camille.durand@example.fr) already exists.',
    });
    target.emit('unhandledRejection', error, Promise.resolve());

    expect(exits).toEqual([]);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.level).toBe(50);
    expect(line.msg).toMatch(/le processus continue/);
    expect(line.reason).toMatchObject({
      type: 'Error',
      code: '23505',
      message: 'duplicate key for [courriel masqué], phone [nombre masqué]',
    });
    const logged = JSON.stringify(line);
    expect(logged).not.toContain('camille');
    expect(logged).not.toContain('06 12');

    uninstall();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });

  it('logs an uncaught exception as fatal, then exits with code 1', () => {
    const target = new EventEmitter();
    const { logger, lines } = capturingLogger();
    const exits: number[] = [];
    installProcessGuards({ logger, target, exit: (code) => exits.push(code) });
    target.emit('uncaughtException', new TypeError('x is undefined'));
    expect(exits).toEqual([1]);
    expect(lines[0]).toMatchObject({ level: 60, reason: { type: 'TypeError', message: 'x is undefined' } });
  });

  it('describes a reason that is not an Error by its type only', () => {
    expect(describeReason('secret value')).toEqual({ type: 'string', message: '(raison qui n’est pas une Error)' });
    expect(describeReason(undefined).type).toBe('undefined');
  });

  it('keeps a real Node process serving after an unhandled rejection', () => {
    // In a child process: vitest has its own unhandled-rejection handler in this one.
    const guards = fileURLToPath(new URL('./process-guards.ts', import.meta.url));
    const logger = fileURLToPath(new URL('./logger/logger.ts', import.meta.url));
    const script = `
      const { installProcessGuards } = await import(${JSON.stringify(guards)});
      const { createLogger } = await import(${JSON.stringify(logger)});
      installProcessGuards({ logger: createLogger('info') });
      void Promise.reject(new Error('refus dans un rappel de session'));
      setTimeout(() => { process.stdout.write('toujours en service\\n'); }, 100);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('promesse rejetée sans gestionnaire');
    expect(child.stdout).toContain('refus dans un rappel de session');
    expect(child.stdout).toContain('toujours en service');
  });
});
