import { describe, expect, it } from 'vitest';
import { bucketMean } from './perpPanes';

const MIN = 60_000;

describe('bucketMean', () => {
  it('keeps points already on the buckets as they are', () => {
    expect(bucketMean([0, MIN, 2 * MIN], [1, -2, 3], MIN)).toEqual([
      { time: 0, value: 1 },
      { time: MIN, value: -2 },
      { time: 2 * MIN, value: 3 },
    ]);
  });

  it('averages the values of one bucket at its open, skipping missing ones', () => {
    const t = [0, MIN, 2 * MIN, 15 * MIN, 16 * MIN, 31 * MIN];
    expect(bucketMean(t, [1, null, 3, NaN, 4, null], 15 * MIN)).toEqual([
      { time: 0, value: 2 },
      { time: 15 * MIN, value: 4 },
    ]);
  });

  it('draws nothing for no values', () => {
    expect(bucketMean([0, MIN], [null, null], MIN)).toEqual([]);
    expect(bucketMean([], [], MIN)).toEqual([]);
  });
});
