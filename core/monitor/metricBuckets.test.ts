import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketMsFor, bucketize, sharePct } from './metricBuckets';

describe('metric buckets', () => {
  it('folds samples into their buckets with median, worst, mean and sum; empty buckets are null', () => {
    const s = bucketize(
      [
        { t: 0, v: 3 },
        { t: 10, v: 1 },
        { t: 59_999, v: 2 },
        { t: 120_000, v: 10 },
        { t: 120_001, v: 20 },
      ],
      0,
      180_000,
      60_000,
    );
    expect(s.time).toEqual([0, 60_000, 120_000]);
    expect(s.count).toEqual([3, 0, 2]);
    expect(s.p50).toEqual([2, null, 15]);
    expect(s.max).toEqual([3, null, 20]);
    expect(s.mean).toEqual([2, null, 15]);
    expect(s.sum).toEqual([6, 0, 30]);
  });

  it('drops samples outside the window and values that are not numbers', () => {
    const s = bucketize(
      [
        { t: -1, v: 5 },
        { t: 60_000, v: 5 },
        { t: 30_000, v: Number.NaN },
      ],
      0,
      60_000,
      60_000,
    );
    expect(s.count).toEqual([0]);
  });

  it('keeps every sample of the window exactly once (against a direct count)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ t: fc.integer({ min: 0, max: 999_999 }), v: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }),
        ),
        fc.integer({ min: 1000, max: 200_000 }),
        (samples, width) => {
          const s = bucketize(samples, 0, 1_000_000, width);
          expect(s.count.reduce((a, b) => a + b, 0)).toBe(samples.length);
          for (let i = 0; i < s.time.length; i++) {
            const mine = samples.filter((x) => x.t >= s.time[i]! && x.t < s.time[i]! + width).map((x) => x.v);
            expect(s.count[i]).toBe(mine.length);
            expect(s.max[i]).toBe(mine.length ? Math.max(...mine) : null);
          }
        },
      ),
    );
  });

  it('gives shares only where something happened, and round bucket widths', () => {
    expect(sharePct([1, 0, 0], [4, 0, 2])).toEqual([25, null, 0]);
    expect(bucketMsFor(3_600_000)).toBe(60_000);
    expect(bucketMsFor(24 * 3_600_000)).toBe(15 * 60_000);
    expect(bucketMsFor(7 * 24 * 3_600_000)).toBe(4 * 3_600_000);
  });
});
