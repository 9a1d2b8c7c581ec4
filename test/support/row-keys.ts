// Checks of the rows raw `sql<Row>` queries return. Their row types are written by hand: a column
// declared but never selected is `undefined` at run time and the compiler cannot tell.
import type { Kysely, KyselyPlugin, UnknownRow } from 'kysely';
import { expect } from 'vitest';

/**
 * Paths of the values left undefined in `value`, walked deeply (arrays, Maps, plain objects).
 * `null` is fine (a selected NULL); NaN and invalid dates are reported too, since `Number(undefined)`
 * and `new Date(undefined)` are how a missing column usually survives a mapping.
 */
export function findMissingFields(value: unknown, path = '$'): string[] {
  if (value === undefined) return [path];
  if (typeof value === 'number') return Number.isNaN(value) ? [`${path} (NaN)`] : [];
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? [`${path} (Invalid Date)`] : [];
  if (Array.isArray(value)) return value.flatMap((item: unknown, index) => findMissingFields(item, `${path}[${String(index)}]`));
  if (value instanceof Map) {
    return [...(value as Map<unknown, unknown>).entries()].flatMap(([key, item]) => [
      ...findMissingFields(key, `${path} key`),
      ...findMissingFields(item, `${path}.get(${String(key)})`),
    ]);
  }
  if (typeof value === 'object' && value !== null) {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return [];
    return Object.entries(value).flatMap(([key, item]) => findMissingFields(item, `${path}.${key}`));
  }
  return [];
}

/** Fails, naming every path, when a property anywhere in `value` is undefined (see findMissingFields). */
export function expectEveryFieldPresent(value: unknown, path = '$'): void {
  expect(findMissingFields(value, path), 'fields left undefined (a column declared in the row type but not selected?)').toEqual([]);
}

/** Fails unless `row` has exactly these keys (in any order). */
export function expectKeys(row: object, keys: readonly string[]): void {
  expect(Object.keys(row).sort()).toEqual([...keys].sort());
}

/** The raw rows of every query run through `db`, as the driver returned them (before any mapping). */
export interface RawRowRecorder<DB> {
  readonly db: Kysely<DB>;
  /** The rows of the one query run since the last `clear()`; fails when none or several ran. */
  onlyQueryRows: () => UnknownRow[];
  clear: () => void;
}

/** Wraps `db` with a plugin that keeps the raw result rows, to check the columns a repository selects. */
export function recordRawRows<DB>(db: Kysely<DB>): RawRowRecorder<DB> {
  const results: UnknownRow[][] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: (args) => {
      results.push(args.result.rows);
      return Promise.resolve(args.result);
    },
  };
  return {
    db: db.withPlugin(plugin),
    onlyQueryRows: () => {
      expect(results, 'number of queries run').toHaveLength(1);
      return results[0] ?? [];
    },
    clear: () => {
      results.length = 0;
    },
  };
}

/** Fails unless the query returned rows and each has exactly `keys`; returns the rows. */
export function expectRawRowKeys(rows: readonly UnknownRow[], keys: readonly string[]): readonly UnknownRow[] {
  expect(rows.length, 'rows returned (an empty result would prove nothing)').toBeGreaterThan(0);
  for (const row of rows) expectKeys(row, keys);
  return rows;
}
