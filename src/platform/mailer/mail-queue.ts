/**
 * A small in-process queue in front of the mailer, for e-mails a request must not wait for
 * (sign-in links, confirmations, password resets): the request hands the message over and
 * answers at once, so neither the SMTP round trip nor a failure shows in its timing or its
 * answer. Messages are sent in the background with retries; failures are logged with the kind of
 * message and the error's name and SMTP code, never the recipient, subject or body.
 *
 * It lives in process memory: a message queued when the process stops is lost (the person asks
 * again). Messages that must not be lost (notifications) go through the outbox and the worker.
 */
import { InvalidMailMessageError, MailDeliveryError, type Mailer, type MailMessage } from './mailer.js';

export interface MailQueueLog {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface MailQueueOptions {
  log: MailQueueLog;
  /** Waits before each retry; its length is the number of retries. Default 2 s, 10 s, 60 s. */
  retryDelaysMs?: readonly number[];
  /** Messages waiting or being sent beyond which new ones are dropped (and logged). Default 1 000. */
  maxPending?: number;
}

export interface MailQueue {
  /** Hands a message over for sending in the background; never throws, never waits. */
  enqueue(message: MailMessage, kind: string): void;
  /** Resolves once every queued message was sent or given up (tests, graceful shutdown). */
  drain(): Promise<void>;
}

/** What may be logged of a failure: no recipient, no server text (it may quote the address). */
function describeFailure(error: unknown): Record<string, unknown> {
  if (error instanceof MailDeliveryError) return { error: error.name, smtpResponseCode: error.smtpResponseCode, detail: error.message };
  if (error instanceof Error) return { error: error.name };
  return { error: 'unknown' };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof MailDeliveryError) return error.isRetryable;
  return !(error instanceof InvalidMailMessageError);
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}

/** Creates a queue that sends through `mailer` in the background. */
export function createMailQueue(mailer: Mailer, options: MailQueueOptions): MailQueue {
  const retryDelaysMs = options.retryDelaysMs ?? [2_000, 10_000, 60_000];
  const maxPending = options.maxPending ?? 1_000;
  let pending = 0;
  let waiters: (() => void)[] = [];

  async function deliver(message: MailMessage, kind: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await mailer.send(message);
        return;
      } catch (error) {
        const delay = retryDelaysMs[attempt - 1];
        if (!isRetryable(error) || delay === undefined) {
          options.log.error({ kind, attempts: attempt, ...describeFailure(error) }, 'e-mail not delivered');
          return;
        }
        options.log.warn({ kind, attempt, ...describeFailure(error) }, 'e-mail delivery failed, will retry');
        await wait(delay);
      }
    }
  }

  function settled(): void {
    pending -= 1;
    if (pending === 0) {
      const resolved = waiters;
      waiters = [];
      for (const resolve of resolved) resolve();
    }
  }

  return {
    enqueue(message, kind) {
      if (pending >= maxPending) {
        options.log.error({ kind, pending }, 'e-mail queue full, message dropped');
        return;
      }
      pending += 1;
      // deliver() catches every failure of the mailer; the outer catch only guards the logger.
      void deliver(message, kind)
        .catch(() => undefined)
        .finally(settled);
    },
    drain() {
      if (pending === 0) return Promise.resolve();
      return new Promise((resolve) => {
        waiters.push(resolve);
      });
    },
  };
}

const queues = new WeakMap<Mailer, MailQueue>();

/** The one queue of a mailer, shared by every module that sends through it. */
export function mailQueueOf(mailer: Mailer, options: MailQueueOptions): MailQueue {
  let queue = queues.get(mailer);
  if (queue === undefined) {
    queue = createMailQueue(mailer, options);
    queues.set(mailer, queue);
  }
  return queue;
}
