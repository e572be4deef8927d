// Which bars of a series are stored, as runs of consecutive open times: [first, last] pairs,
// sorted, neither overlapping nor touching. A year of minutes with a few holes is a handful of
// pairs, so "what is stored" is one small document to read instead of a scan of the bars
// (a scan the bundled database engine cannot narrow by symbol or time).
import { TIMEFRAME_MS, barCount, type Timeframe } from './timeframes';
import type { Gap } from './bars';

export type BarRanges = [number, number][];

/** The runs of ascending open times (duplicates allowed), in one pass. */
export function runsOf(sorted: ArrayLike<number>, tf: Timeframe): BarRanges {
  const step = TIMEFRAME_MS[tf];
  const out: BarRanges = [];
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i]!;
    const last = out[out.length - 1];
    if (last && t <= last[1] + step) last[1] = Math.max(last[1], t);
    else out.push([t, t]);
  }
  return out;
}

/** The ranges with these open times added (any order, duplicates allowed). */
export function addTimes(
  ranges: readonly (readonly [number, number])[],
  times: ArrayLike<number>,
  tf: Timeframe,
): BarRanges {
  const step = TIMEFRAME_MS[tf];
  const added = runsOf(Float64Array.from(times).sort(), tf);
  // Merge two sorted run lists, joining runs that overlap or touch.
  const all = [...ranges.map(([a, b]) => [a, b] as [number, number]), ...added].sort((x, y) => x[0] - y[0]);
  const out: BarRanges = [];
  for (const [a, b] of all) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + step) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Open time of the newest stored bar, or null. */
export function lastStored(ranges: readonly (readonly [number, number])[]): number | null {
  return ranges.length ? ranges[ranges.length - 1]![1] : null;
}

/** Open time of the first stored bar at or after `t` (an aligned open time), or null. */
export function firstStoredFrom(ranges: readonly (readonly [number, number])[], t: number): number | null {
  for (const [a, b] of ranges) if (b >= t) return Math.max(a, t);
  return null;
}

/** Stored bars with open time in [fromMs, toMs] (aligned, inclusive). */
export function storedIn(
  ranges: readonly (readonly [number, number])[],
  tf: Timeframe,
  fromMs: number,
  toMs: number,
): number {
  let n = 0;
  for (const [a, b] of ranges) n += barCount(Math.max(a, fromMs), Math.min(b, toMs), tf);
  return n;
}

/** Missing bars in [fromMs, toMs] (aligned, inclusive): what findGaps gives for the stored times. */
export function gapsIn(
  ranges: readonly (readonly [number, number])[],
  tf: Timeframe,
  fromMs: number,
  toMs: number,
): Gap[] {
  const step = TIMEFRAME_MS[tf];
  const gaps: Gap[] = [];
  let expected = fromMs;
  for (const [a, b] of ranges) {
    if (b < expected) continue;
    if (a > toMs) break;
    if (a > expected) gaps.push({ from: expected, to: a - step, bars: (a - expected) / step });
    expected = b + step;
  }
  if (expected <= toMs) gaps.push({ from: expected, to: toMs, bars: barCount(expected, toMs, tf) });
  return gaps;
}

/**
 * Whether `times` are exactly the stored open times in [fromMs, toMs], ascending: how a copy of
 * the bars (the columnar files) is checked against the index before it is trusted.
 */
export function holdsExactly(
  times: ArrayLike<number>,
  ranges: readonly (readonly [number, number])[],
  tf: Timeframe,
  fromMs: number,
  toMs: number,
): boolean {
  const step = TIMEFRAME_MS[tf];
  const from = Math.ceil(fromMs / step) * step;
  const to = Math.floor(toMs / step) * step;
  if (times.length !== storedIn(ranges, tf, from, to)) return false;
  let r = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t < from || t > to || (t - from) % step !== 0 || (i > 0 && !(t > times[i - 1]!))) return false;
    while (r < ranges.length && ranges[r]![1] < t) r++;
    if (r === ranges.length || ranges[r]![0] > t) return false;
  }
  return true;
}

export interface StoredSummary {
  bars: number;
  first: number | null;
  last: number | null;
  /** Holes between the first and the last stored bar, and the bars they miss. */
  gaps: number;
  missingBars: number;
}

/** What a series holds, from its runs alone (no bar read). */
export function summarizeRanges(ranges: readonly (readonly [number, number])[], tf: Timeframe): StoredSummary {
  if (ranges.length === 0) return { bars: 0, first: null, last: null, gaps: 0, missingBars: 0 };
  const first = ranges[0]![0];
  const last = ranges[ranges.length - 1]![1];
  const bars = storedIn(ranges, tf, first, last);
  return { bars, first, last, gaps: ranges.length - 1, missingBars: barCount(first, last, tf) - bars };
}
