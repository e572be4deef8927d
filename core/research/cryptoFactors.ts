// Crypto factors: funding, basis and order-book depth aligned to a strategy's bars. Each
// source row has a time from which it is known, and a bar's value uses only rows known by the
// bar's close (its decision time), so nothing looks ahead:
// - a funding rate is known from its settlement time on;
// - a perpetual (last, mark or index) bar is known once it has closed, and counts only for the
//   bar of the same open time (a missing perpetual bar is a gap, never an older price);
// - a depth bar (1m) is known once its minute has closed, and counts for up to five minutes, or
//   for the whole bar when the strategy's bars are longer.
// A row too old for a bar leaves it NaN, which the strategy treats as a gap (it holds).
import {
  FUNDING_PER_YEAR,
  type CryptoSeries,
  type DepthBand,
  DEPTH_BANDS_BP,
  type TimedColumn,
} from '../market/derivatives';
import type { ColumnarBars } from '../market/bars';
import { TIMEFRAME_MS } from '../market/timeframes';
import { sma, zscore, type Series } from './factors';

/** A funding settlement counts for a day at most (three settlements on the usual 8-hour cycle). */
export const FUNDING_MAX_AGE_MS = 86_400_000;
/** A depth bar counts for five minutes at most (longer when the strategy's bar is longer). */
export const DEPTH_MAX_AGE_MS = 5 * 60_000;

export class MissingCryptoData extends Error {
  constructor(readonly part: keyof CryptoSeries) {
    super(`this factor needs ${PART_NAMES[part]}, and none were loaded for these bars`);
    this.name = 'MissingCryptoData';
  }
}

export const PART_NAMES: Record<keyof CryptoSeries, string> = {
  funding: 'funding rates',
  last: "the perpetual's bars",
  mark: "the perpetual's mark price bars",
  index: "the perpetual's index price bars",
  depth: 'order-book depth',
};

/**
 * As-of alignment: for each bar, the value of the latest row known by the bar's close (known
 * time <= bar open + timeframe) and known for less than `maxAgeMs` at that close; NaN otherwise.
 * `known` is increasing. One pass over both.
 */
export function alignAsOf(
  barTime: ArrayLike<number>,
  tfMs: number,
  known: ArrayLike<number>,
  value: ArrayLike<number>,
  maxAgeMs: number,
): Series {
  const n = barTime.length;
  const y = new Float64Array(n).fill(Number.NaN);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const close = barTime[i]! + tfMs;
    while (j < known.length && known[j]! <= close) j++;
    if (j > 0 && close - known[j - 1]! < maxAgeMs) y[i] = value[j - 1]!;
  }
  return y;
}

function part<K extends keyof CryptoSeries>(bars: ColumnarBars, key: K): NonNullable<CryptoSeries[K]> {
  const p = bars.crypto?.[key];
  if (!p) throw new MissingCryptoData(key);
  return p as NonNullable<CryptoSeries[K]>;
}

/** A perpetual bar's close for each bar of the same open time (its close is known at the bar's close). */
function perpCloses(bars: ColumnarBars, col: TimedColumn): Series {
  const tf = TIMEFRAME_MS[bars.timeframe];
  const known = new Float64Array(col.time.length);
  for (let j = 0; j < known.length; j++) known[j] = col.time[j]! + tf;
  return alignAsOf(bars.time, tf, known, col.value, tf);
}

function fundingAligned(bars: ColumnarBars, values: ArrayLike<number>): Series {
  const f = part(bars, 'funding');
  return alignAsOf(bars.time, TIMEFRAME_MS[bars.timeframe], f.time, values, FUNDING_MAX_AGE_MS);
}

const BP = 10_000;

/** The latest settled funding rate, in bp per funding interval. */
export function fundingRateBp(bars: ColumnarBars): Series {
  const f = part(bars, 'funding');
  const bp = f.value.map((r) => r * BP);
  return fundingAligned(bars, bp);
}

/** The mean of the last `count` settled funding rates, in bp. */
export function fundingMeanBp(bars: ColumnarBars, count: number): Series {
  const f = part(bars, 'funding');
  return fundingAligned(
    bars,
    sma(
      f.value.map((r) => r * BP),
      count,
    ),
  );
}

/** The latest settled funding rate's z-score among the last `count` settlements (0 when they are all equal). */
export function fundingZ(bars: ColumnarBars, count: number): Series {
  return fundingAligned(bars, zscore(part(bars, 'funding').value, count));
}

/** A premium annualised as the funding it would pay at three settlements a day, in %. */
function annualised(a: Series, b: ArrayLike<number>): Series {
  const y = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) y[i] = (a[i]! / b[i]! - 1) * 100 * FUNDING_PER_YEAR;
  return y;
}

/** The perpetual's close over the spot close, annualised, in %. */
export function basisAnnualised(bars: ColumnarBars): Series {
  return annualised(perpCloses(bars, part(bars, 'last')), bars.close);
}

/** The mark price over the index price (the exchange's own basis), annualised, in %. */
export function markBasisAnnualised(bars: ColumnarBars): Series {
  return annualised(perpCloses(bars, part(bars, 'mark')), perpCloses(bars, part(bars, 'index')));
}

/**
 * The annualised basis' z-score over the last `period` bars. A bar without a perpetual bar
 * (a gap inside the data) carries the last basis into the window, so one missing bar does not
 * blank the next `period`; before the first perpetual bar it is NaN.
 */
export function basisZ(bars: ColumnarBars, period: number): Series {
  const b = basisAnnualised(bars);
  let first = 0;
  while (first < b.length && Number.isNaN(b[first]!)) first++;
  const y = new Float64Array(b.length).fill(Number.NaN);
  if (first === b.length) return y;
  const filled = b.slice(first);
  for (let i = 1; i < filled.length; i++) if (Number.isNaN(filled[i]!)) filled[i] = filled[i - 1]!;
  y.set(zscore(filled, period), first);
  return y;
}

function depthAligned(bars: ColumnarBars, values: ArrayLike<number>): Series {
  const d = part(bars, 'depth');
  const tf = TIMEFRAME_MS[bars.timeframe];
  const known = d.time.map((t) => t + TIMEFRAME_MS['1m']);
  return alignAsOf(bars.time, tf, known, values, Math.max(DEPTH_MAX_AGE_MS, tf));
}

function bandIndex(band: number): number {
  const k = DEPTH_BANDS_BP.indexOf(band as DepthBand);
  if (k < 0) throw new RangeError(`depth band must be one of ${DEPTH_BANDS_BP.join(', ')} bp, got ${band}`);
  return k;
}

/** (bid depth - ask depth) / (bid + ask) within `band` bp of the mid: +1 all bids, -1 all asks. */
export function depthImbalance(bars: ColumnarBars, band: number): Series {
  const d = part(bars, 'depth');
  const k = bandIndex(band);
  const bid = d.bid[k]!;
  const ask = d.ask[k]!;
  const v = new Float64Array(d.time.length);
  for (let j = 0; j < v.length; j++) {
    const sum = bid[j]! + ask[j]!;
    v[j] = sum > 0 ? (bid[j]! - ask[j]!) / sum : 0;
  }
  return depthAligned(bars, v);
}

/** The bid-ask spread, in bp of the mid (the mean of the bar's snapshots). */
export function spreadBp(bars: ColumnarBars): Series {
  return depthAligned(bars, part(bars, 'depth').spreadBp);
}
