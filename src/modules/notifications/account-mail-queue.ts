/**
 * Account e-mails (sign-in links, confirmations, resets, invitations, alerts) through the
 * notifications pipeline: `enqueue` stores the message encrypted as a notification and sends it
 * at once from the request's process, in the background — so neither the SMTP round trip nor a
 * failure shows in the request's timing or answer (no oracle on which addresses have accounts).
 * If that process stops or the relay fails, the worker retries it from the table; the content is
 * erased once sent or given up.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import type { MailMessage, MailQueue, MailQueueLog } from '../../platform/mailer/index.js';
import { encryptSecret } from '../../platform/security/index.js';
import { accountMailAssociatedData, deliverDue, type DeliveryDependencies } from './delivery.js';
import { deliveryDependencies } from './notifications.context.js';

/** Stores and sends account e-mails for one process. */
export function createAccountMailQueue(deps: DeliveryDependencies, now: () => Date, log: MailQueueLog): MailQueue {
  const pending = new Set<Promise<void>>();

  async function storeAndSend(message: MailMessage, kind: string): Promise<void> {
    const idempotencyKey = `account:${randomUUID()}`;
    const at = now();
    const contentEncrypted = encryptSecret(JSON.stringify(message), deps.keyring, accountMailAssociatedData(idempotencyKey));
    const [row] = await deps.db
      .insertInto('notifications')
      .values({
        idempotency_key: idempotencyKey,
        event: 'account',
        channel: 'mail',
        details: JSON.stringify({ kind }),
        content_encrypted: contentEncrypted,
        not_before: at,
      })
      .returning('id')
      .execute();
    if (row === undefined) return;
    await deliverDue(deps, { now: at, ids: [row.id], batchSize: 1 });
  }

  return {
    enqueue(message, kind) {
      const work = storeAndSend(message, kind)
        .catch((error: unknown) => {
          log.error({ kind, error: error instanceof Error ? error.name : 'unknown' }, 'e-mail de compte non enregistré');
        })
        .finally(() => pending.delete(work));
      pending.add(work);
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

const queues = new WeakMap<AppContext, MailQueue>();

/** The account e-mail queue of a context, shared by every module that sends through it. */
export function accountMailQueueOf(context: AppContext, log: MailQueueLog & { info(details: Record<string, unknown>, message: string): void }): MailQueue {
  let queue = queues.get(context);
  if (queue === undefined) {
    queue = createAccountMailQueue(deliveryDependencies(context, log), context.now, log);
    queues.set(context, queue);
  }
  return queue;
}

