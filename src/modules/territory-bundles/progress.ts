/**
 * Progress of a long import on stderr: a bar redrawn in place on a terminal, one plain line per
 * phase otherwise (CI logs have no terminal, and a bar would fill them with carriage returns).
 */
export interface Progress {
  /** A new phase of `total` steps begins. */
  phase(label: string, total: number): void;
  advance(steps: number): void;
  done(): void;
}

export const noProgress: Progress = { phase: () => undefined, advance: () => undefined, done: () => undefined };

const BAR_WIDTH = 30;

/** A bar when `stream` is a terminal, plain lines otherwise. */
export function createProgress(stream: { isTTY?: boolean; write(text: string): boolean }): Progress {
  let label = '';
  let total = 0;
  let doneSteps = 0;
  let lastDrawn = -1;
  const tty = stream.isTTY === true;
  const draw = (): void => {
    const ratio = total === 0 ? 1 : Math.min(1, doneSteps / total);
    const percent = Math.floor(ratio * 100);
    if (percent === lastDrawn) return;
    lastDrawn = percent;
    const filled = Math.round(ratio * BAR_WIDTH);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)} % ${label}\u001b[K`);
  };
  return {
    phase(nextLabel, nextTotal) {
      if (tty && label !== '') stream.write('\n');
      label = nextLabel;
      total = nextTotal;
      doneSteps = 0;
      lastDrawn = -1;
      if (tty) draw();
      else stream.write(`… ${label} (${nextTotal})\n`);
    },
    advance(steps) {
      doneSteps += steps;
      if (tty) draw();
    },
    done() {
      if (tty && label !== '') {
        doneSteps = total;
        draw();
        stream.write('\n');
      }
      label = '';
    },
  };
}
