// The stored-bar ranges against the plain answer: a set of open times, walked bar by bar.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addTimes, gapsIn, holdsExactly, lastStored, runsOf, storedIn, summarizeRanges } from './barRanges';
import { findGaps } from './bars';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);

describe('bar ranges', () => {
  it('joins touching and overlapping runs, in any order of writing', () => {
    let r = addTimes([], [T0 + 5 * MIN, T0, T0 + MIN, T0 + MIN], '1m');
    expect(r).toEqual([
      [T0, T0 + MIN],
      [T0 + 5 * MIN, T0 + 5 * MIN],
    ]);
    r = addTimes(r, [T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN], '1m');
    expect(r).toEqual([[T0, T0 + 5 * MIN]]);
    expect(lastStored(r)).toBe(T0 + 5 * MIN);
    expect(lastStored([])).toBeNull();
  });

  it('agrees with a set of open times on what is stored and what is missing (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 60 }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        (batches, a, b) => {
          let ranges = addTimes([], [], '1m');
          const stored = new Set<number>();
          for (const batch of batches) {
            const times = batch.map((k) => T0 + k * MIN);
            ranges = addTimes(ranges, times, '1m');
            for (const t of times) stored.add(t);
          }
          // Runs sorted, apart by more than one bar.
          for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThan(ranges[i - 1]![1] + MIN);
          const sorted = [...stored].sort((x, y) => x - y);
          const from = T0 + Math.min(a, b) * MIN;
          const to = T0 + Math.max(a, b) * MIN;
          expect(storedIn(ranges, '1m', from, to)).toBe(sorted.filter((t) => t >= from && t <= to).length);
          // Gaps by walking every bar of the window.
          const gaps: { from: number; to: number; bars: number }[] = [];
          for (let x = from; x <= to; x += MIN) {
            if (stored.has(x)) continue;
            const g = gaps[gaps.length - 1];
            if (g && g.to === x - MIN) {
              g.to = x;
              g.bars++;
            } else gaps.push({ from: x, to: x, bars: 1 });
          }
          expect(gapsIn(ranges, '1m', from, to)).toEqual(gaps);
          expect(lastStored(ranges)).toBe(sorted.length ? sorted[sorted.length - 1]! : null);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a copy holds exactly the stored bars of a range only when it lists each of them once (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 80 }),
        fc.array(fc.integer({ min: -5, max: 205 }), { maxLength: 80 }),
        fc.integer({ min: -10, max: 210 }),
        fc.integer({ min: -10, max: 210 }),
        fc.integer({ min: 0, max: MIN - 1 }),
        (storedK, copyK, a, b, offset) => {
          const ranges = addTimes(
            [],
            storedK.map((k) => T0 + k * MIN),
            '1m',
          );
          const from = T0 + Math.min(a, b) * MIN - offset;
          const to = T0 + Math.max(a, b) * MIN + offset;
          const copy = copyK.map((k) => T0 + k * MIN);
          // brute force: the copy is the stored set's part in [from, to], ascending, without repeats
          const want = [...storedK]
            .sort((x, y) => x - y)
            .map((k) => T0 + k * MIN)
            .filter((t) => t >= from && t <= to);
          const same = copy.length === want.length && copy.every((t, i) => t === want[i]);
          expect(holdsExactly(copy, ranges, '1m', from, to)).toBe(same);
          expect(holdsExactly(want, ranges, '1m', from, to)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
    // a bar between two minutes is never a stored bar
    expect(holdsExactly([T0, T0 + 30_000], addTimes([], [T0, T0 + MIN], '1m'), '1m', T0, T0 + MIN)).toBe(false);
  });
});

describe('summary of stored runs', () => {
  it('counts bars, holes and missing bars as a gap scan of the same times does', () => {
    const tf = '1m';
    const times = [0, 1, 2, 5, 6, 10].map((i) => 1_700_000_040_000 + i * 60_000);
    const s = summarizeRanges(runsOf(times, tf), tf);
    const gaps = findGaps(Float64Array.from(times), tf, times[0]!, times.at(-1)!);
    expect(s).toEqual({
      bars: times.length,
      first: times[0],
      last: times.at(-1),
      gaps: gaps.length,
      missingBars: gaps.reduce((n, g) => n + g.bars, 0),
    });
    expect(summarizeRanges([], tf)).toEqual({ bars: 0, first: null, last: null, gaps: 0, missingBars: 0 });
  });
});
