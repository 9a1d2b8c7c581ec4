/**
 * The notification pump of a worker process (and of the web process when WORKER=inline): it
 * plans pending outbox events, delivers due notifications and recovers the leases of stopped
 * workers, in a loop that runs while there is work and polls every second otherwise. Several
 * pumps (several workers) share the work safely: every claim is `FOR UPDATE SKIP LOCKED`.
 * Recurring work (reminder sweep, waitlist offers, low-credit checks) is scheduled by pg-boss
 * (notifications.jobs.ts).
 */
import type { AppContext } from '../../platform/context.js';
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

export interface NotificationPump {
  /** Stops after the current round; resolves when it has. */
  stop(): Promise<void>;
}

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
  const pollMs = options.pollMs ?? 1000;
  const state: { stopping: boolean; wake: (() => void) | null } = { stopping: false, wake: null };
  const stopping = (): boolean => state.stopping;
  const loop = (async () => {
    while (!stopping()) {
      let busy = false;
      try {
        const round = await runNotificationRound(deps, context.now(), options);
        busy = round.planned > 0 || round.delivered > 0;
      } catch (error) {
        // The name and SQLSTATE only: a database error's text can quote a value.
        log.error({ error: error instanceof Error ? error.name : 'unknown', code: typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : null }, 'tour de notifications en échec');
      }
      if (!busy && !stopping()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          state.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        state.wake = null;
      }
    }
  })();
  return {
    async stop() {
      state.stopping = true;
      state.wake?.();
      await loop;
    },
  };
}
