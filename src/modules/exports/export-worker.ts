// The export worker of a worker process (and of the web process when WORKER=inline), on the
// platform's worker loop like the notification pump: claim an export (FOR UPDATE SKIP LOCKED,
// with a lease), produce it, and poll every second when there is nothing to do. Several workers and
// crashes are safe: a lease that expires is taken again from scratch; after MAX_ATTEMPTS the
// export is marked failed with a French message.
import type { AppContext } from '../../platform/context.js';
import { errorDetails, startWorkerLoop, type WorkerLoop } from '../../platform/jobs/worker-loop.js';
import { chunkKeysFor } from './export-cipher.js';
import { DEFAULT_PRODUCTION_OPTIONS, produceExport, ProductionStoppedError, type ProductionOptions, type ProductionOutcome } from './export-production.js';
import { claimNextExport, releaseExport } from './exports.repository.js';

/** Attempts (claims) before an export is given up; a worker stopped mid-way (a deployment) uses one too. */
export const MAX_ATTEMPTS = 5;

export interface ExportWorkerOptions extends Partial<ProductionOptions> {
  /** Wait between polls when there is nothing to do; default 1 000 ms. */
  readonly pollMs?: number;
  readonly maxAttempts?: number;
}

/** What the worker logs: ids, counts and error names only. */
export interface ExportLog {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** Stops after the current batch (an export in hand is given back); resolves when it has. */
export type ExportWorker = WorkerLoop;

export type RoundOutcome = ProductionOutcome | 'idle' | 'released';

/** One round: claim one export and produce it. Exposed for tests and the benchmark. */
export async function runExportRound(context: AppContext, log: ExportLog, options: ExportWorkerOptions = {}): Promise<RoundOutcome> {
  const production: ProductionOptions = { ...DEFAULT_PRODUCTION_OPTIONS, ...options };
  const claimed = await claimNextExport(context.db, context.now(), production.leaseSeconds, options.maxAttempts ?? MAX_ATTEMPTS);
  if (claimed === undefined) return 'idle';
  try {
    const outcome = await produceExport(context, claimed, chunkKeysFor(context.config.secretsEncryptionKey), production);
    log.info({ exportId: claimed.id, attempt: claimed.attempt, outcome }, 'export traité');
    return outcome;
  } catch (error) {
    if (error instanceof ProductionStoppedError) {
      await releaseExport(context.db, { exportId: claimed.id, attempt: claimed.attempt }, context.now());
      return 'released';
    }
    // The name and SQLSTATE only: a database error's text can quote a value. The export is given
    // back; the next round starts it again (or marks it failed after MAX_ATTEMPTS).
    log.error({ exportId: claimed.id, ...errorDetails(error) }, 'export en échec, rendu pour une nouvelle tentative');
    await releaseExport(context.db, { exportId: claimed.id, attempt: claimed.attempt }, context.now());
    return 'released';
  }
}

/** Starts the loop (the platform's worker loop); `stop()` ends it after the current round. */
export function startExportWorker(context: AppContext, log: ExportLog, options: ExportWorkerOptions = {}): ExportWorker {
  return startWorkerLoop({
    pollMs: options.pollMs ?? 1000,
    round: async (isStopping) => (await runExportRound(context, log, { ...options, shouldStop: isStopping })) !== 'idle',
    onError: (error) => {
      log.error(errorDetails(error), 'tour d’exports en échec');
    },
  });
}
