import { describe, expect, it } from 'vitest';
import { errorDetails, startWorkerLoop } from './worker-loop.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the worker loop shared by the notification pump and the export worker', () => {
  it('runs busy rounds back to back, then waits the poll interval between idle ones', async () => {
    const startedAt: number[] = [];
    let work = 3;
    const loop = startWorkerLoop({
      pollMs: 200,
      round: () => {
        startedAt.push(Date.now());
        work -= 1;
        return Promise.resolve(work >= 0);
      },
      onError: () => undefined,
    });
    await sleep(320);
    await loop.stop();
    // Three busy rounds at once, the first idle one, then one more after ~200 ms.
    expect(startedAt.length).toBeGreaterThanOrEqual(5);
    const gaps = startedAt.slice(1).map((at, index) => at - (startedAt[index] ?? at));
    expect(gaps.slice(0, 3).every((gap) => gap < 100)).toBe(true);
    expect(gaps[3]).toBeGreaterThanOrEqual(190);
  });

  it('stop() wakes an idle wait at once and no round runs afterwards', async () => {
    let rounds = 0;
    const loop = startWorkerLoop({
      pollMs: 60_000,
      round: () => {
        rounds += 1;
        return Promise.resolve(false);
      },
      onError: () => undefined,
    });
    await sleep(20);
    const before = Date.now();
    await loop.stop();
    expect(Date.now() - before).toBeLessThan(1000);
    expect(rounds).toBe(1);
    await sleep(20);
    expect(rounds).toBe(1);
  });

  it('stop() lets the round in hand finish, and the round sees the stop through isStopping', async () => {
    const seen: boolean[] = [];
    let finished = false;
    let entered: () => void = () => undefined;
    const inRound = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const loop = startWorkerLoop({
      pollMs: 10,
      round: async (isStopping) => {
        entered();
        seen.push(isStopping());
        await sleep(100);
        seen.push(isStopping());
        finished = true;
        return true;
      },
      onError: () => undefined,
    });
    await inRound;
    await loop.stop();
    expect(finished).toBe(true);
    expect(seen).toEqual([false, true]);
  });

  it('a round that throws is reported, then the loop waits and goes on', async () => {
    const errors: unknown[] = [];
    let rounds = 0;
    const loop = startWorkerLoop({
      pollMs: 30,
      round: () => {
        rounds += 1;
        if (rounds === 1) return Promise.reject(Object.assign(new Error('relation "x" : valeur secrète'), { code: '42P01' }));
        return Promise.resolve(false);
      },
      onError: (error) => errors.push(error),
    });
    await sleep(150);
    await loop.stop();
    expect(errors).toHaveLength(1);
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(errorDetails(errors[0])).toEqual({ error: 'Error', code: '42P01' });
  });

  it('logs of an error keep its name and SQLSTATE only', () => {
    expect(errorDetails(new TypeError('le texte peut citer une valeur'))).toEqual({ error: 'TypeError', code: null });
    expect(errorDetails({ code: 23505, message: 'Key (email)=(a@b.fr)' })).toEqual({ error: 'unknown', code: '23505' });
    expect(errorDetails('une chaîne')).toEqual({ error: 'unknown', code: null });
  });
});
