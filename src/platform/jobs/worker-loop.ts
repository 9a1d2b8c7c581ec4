// The loop of a background worker (the notification pump, the export worker): run one round
// after another while there is work, wait `pollMs` when a round found none (or failed), and stop
// cleanly: `stop()` lets the round in hand finish (a long round reads `isStopping` to give its
// work back early), wakes an idle wait at once, and resolves once the loop has ended. Several
// workers share the work through their own claims (`FOR UPDATE SKIP LOCKED`, leases): the loop
// knows nothing of them.

export interface WorkerLoop {
  /** Stops after the current round; resolves when the loop has ended. */
  stop(): Promise<void>;
}

export interface WorkerLoopOptions {
  /** Wait between rounds when there is nothing to do. */
  readonly pollMs: number;
  /** One round; true when it found work (the next one starts at once). */
  readonly round: (isStopping: () => boolean) => Promise<boolean>;
  /** A round threw: what to log (`errorDetails` gives loggable details). The loop goes on after the idle wait. */
  readonly onError: (error: unknown) => void;
}

/** What may be logged of an error: its name and SQLSTATE only (a database error's text can quote a value). */
export function errorDetails(error: unknown): { readonly error: string; readonly code: string | null } {
  return {
    error: error instanceof Error ? error.name : 'unknown',
    code: typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : null,
  };
}

/** Starts the loop at once (the first round runs without waiting). */
export function startWorkerLoop(options: WorkerLoopOptions): WorkerLoop {
  const state: { stopping: boolean; wake: (() => void) | null } = { stopping: false, wake: null };
  const isStopping = (): boolean => state.stopping;
  const loop = (async () => {
    while (!isStopping()) {
      let busy = false;
      try {
        busy = await options.round(isStopping);
      } catch (error) {
        options.onError(error);
      }
      if (!busy && !isStopping()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
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
