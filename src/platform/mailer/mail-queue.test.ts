import { describe, expect, it } from 'vitest';
import { createMailQueue, type MailQueueLog } from './mail-queue.js';
import { MailDeliveryError, type Mailer, type MailMessage } from './mailer.js';

const MESSAGE: MailMessage = { to: 'jeanne.leroy@example.fr', subject: 'Votre lien de connexion', text: 'https://creneau.example/connexion/lien/verifier?jeton=secret' };

function recordingLog(): MailQueueLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (details, message) => lines.push(JSON.stringify({ level: 'warn', message, ...details })),
    error: (details, message) => lines.push(JSON.stringify({ level: 'error', message, ...details })),
  };
}

function mailer(outcomes: ('ok' | 'retryable' | 'final')[]): Mailer & { calls: number } {
  const state = {
    calls: 0,
    send: () => {
      const outcome = outcomes[state.calls] ?? 'ok';
      state.calls += 1;
      if (outcome === 'ok') return Promise.resolve({ messageId: '<x@test>' });
      return Promise.reject(new MailDeliveryError(`SMTP ${outcome === 'retryable' ? '421' : '550'} at RCPT`, { isRetryable: outcome === 'retryable', smtpResponseCode: outcome === 'retryable' ? 421 : 550 }));
    },
    close: () => Promise.resolve(),
  };
  return state;
}

describe('mail queue', () => {
  it('returns at once and sends in the background, retrying temporary failures', async () => {
    const relay = mailer(['retryable', 'retryable', 'ok']);
    const log = recordingLog();
    const queue = createMailQueue(relay, { log, retryDelaysMs: [1, 1, 1] });
    queue.enqueue(MESSAGE, 'sign-in-link');
    expect(relay.calls).toBe(1);
    await queue.drain();
    expect(relay.calls).toBe(3);
    expect(log.lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });

  it('gives up on a permanent failure and logs it without the recipient, the subject or the body', async () => {
    const relay = mailer(['final']);
    const log = recordingLog();
    const queue = createMailQueue(relay, { log, retryDelaysMs: [1] });
    queue.enqueue(MESSAGE, 'sign-in-link');
    await queue.drain();
    expect(relay.calls).toBe(1);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain('sign-in-link');
    expect(log.lines[0]).toContain('550');
    for (const secret of ['jeanne', 'example.fr', 'Votre lien', 'jeton']) expect(log.lines[0]).not.toContain(secret);
  });

  it('drops messages beyond its bound instead of growing without limit', async () => {
    const relay = mailer([]);
    const log = recordingLog();
    const queue = createMailQueue(relay, { log, maxPending: 2 });
    for (let index = 0; index < 4; index += 1) queue.enqueue(MESSAGE, 'confirmation');
    await queue.drain();
    expect(relay.calls).toBe(2);
    expect(log.lines.filter((line) => line.includes('queue full'))).toHaveLength(2);
  });
});
