/**
 * The notification pump of a worker process (and of the web process when WORKER=inline): it
 * plans pending outbox events, delivers due notifications and recovers the leases of stopped
 * workers, on the platform's worker loop (platform/jobs/worker-loop.ts): rounds while there is
 * work, a poll every second otherwise. Several
 * pumps (several workers) share the work safely: every claim is `FOR UPDATE SKIP LOCKED`.
 * Recurring work (reminder sweep, waitlist offers, low-credit checks) is scheduled by pg-boss
 * (notifications.jobs.ts).
 */
import type { AppContext } from '../../platform/context.js';
import { errorDetails, startWorkerLoop, type WorkerLoop } from '../../platform/jobs/worker-loop.js';
import { deliverDue, type DeliveryDependencies, type DeliveryLog } from './delivery.js';
import { deliveryDependencies } from './notifications.context.js';
import { planFromOutbox } from './planning.js';
import { recoverExpiredLeases } from './recovery.js';
import { alertOnCredit } from './credit-alerts.js';

export interface PumpOptions {
  /** Wait between polls when there is nothing to do; default 1 000 ms. */
  readonly pollMs?: number;
  readonly batchSize?: number;
  readonly concurrency?: number;
  readonly leaseSeconds?: number;
  /** How long to wait for a provider's delivery report before sending a doubtful SMS again. */
  readonly reportWaitSeconds?: number;
  /** Injected for tests and the benchmark (loopback stubs). */
  readonly fetch?: typeof fetch;
}

/** Stops after the current round; resolves when it has. */
export type NotificationPump = WorkerLoop;

export interface RoundReport {
  readonly planned: number;
  readonly delivered: number;
  readonly recovered: number;
}

/** One round: recover, plan, deliver one batch. Exposed for tests and the benchmark. */
export async function runNotificationRound(deps: DeliveryDependencies, now: Date, options: PumpOptions = {}): Promise<RoundReport> {
  const recovery = await recoverExpiredLeases(deps.db, { now, reportWaitSeconds: options.reportWaitSeconds ?? 600 });
  const planning = await planFromOutbox(deps.db, { now });
  const delivery = await deliverDue(deps, {
    now,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
  });
  if (delivery.credits.length > 0 || delivery.outOfCredit.length > 0) await alertOnCredit(deps, { now, credits: delivery.credits, outOfCredit: delivery.outOfCredit });
  return { planned: planning.events, delivered: delivery.claimed, recovered: recovery.resent + recovery.confirmed + recovery.inDoubt };
}

export function startNotificationPump(context: AppContext, log: DeliveryLog, options: PumpOptions = {}): NotificationPump {
  const deps = deliveryDependencies(context, log, options.fetch === undefined ? {} : { fetch: options.fetch });
  return startWorkerLoop({
    pollMs: options.pollMs ?? 1000,
    round: async () => {
      const round = await runNotificationRound(deps, context.now(), options);
      return round.planned > 0 || round.delivered > 0;
    },
    onError: (error) => {
      log.error(errorDetails(error), 'tour de notifications en échec');
    },
  });
}
