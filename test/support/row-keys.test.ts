import { describe, expect, it } from 'vitest';
import { expectEveryFieldPresent, expectKeys, findMissingFields } from './row-keys.js';

describe('findMissingFields', () => {
  it('names the path of every undefined value, deep in objects, arrays and maps', () => {
    const value = {
      id: 1,
      place: null,
      type: { isFollowUpOnly: undefined, name: 'Suivi' },
      agents: [{ id: 2 }, { id: undefined }],
      booked: new Map<number, number | undefined>([[3, 30], [4, undefined]]),
    };
    expect(findMissingFields(value)).toEqual(['$.type.isFollowUpOnly', '$.agents[1].id', '$.booked.get(4)']);
  });

  it('reports NaN and invalid dates, the traces of a missing column run through Number() or new Date()', () => {
    expect(findMissingFields({ startsAt: new Date(Number.NaN), minutes: Number.NaN, at: new Date(0) })).toEqual(['$.startsAt (Invalid Date)', '$.minutes (NaN)']);
  });

  it('accepts nulls (selected NULLs), empty arrays and primitives', () => {
    expect(findMissingFields({ a: null, b: [], c: '', d: 0, e: false })).toEqual([]);
    expect(() => { expectEveryFieldPresent([{ a: null }]); }).not.toThrow();
    expect(() => { expectEveryFieldPresent([{ a: undefined }]); }).toThrow(/\$\[0\]\.a/);
  });
});

describe('expectKeys', () => {
  it('requires exactly the keys, in any order', () => {
    expect(() => { expectKeys({ b: 1, a: 2 }, ['a', 'b']); }).not.toThrow();
    expect(() => { expectKeys({ a: 1 }, ['a', 'b']); }).toThrow();
    expect(() => { expectKeys({ a: 1, b: 2, c: 3 }, ['a', 'b']); }).toThrow();
  });
});
