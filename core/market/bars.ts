// Bars in columns: one Float64Array per field, the shape research kernels and charts want
// (no per-bar objects on hot paths). Plus the checks every writer applies to a bar, and the
// gap arithmetic used by the importer, the readers and the data-quality report.
import { barCount, isAligned, type Timeframe } from './timeframes';
import { gapsIn, runsOf } from './barRanges';
import type { CryptoSeries } from './derivatives';

export interface ColumnarBars {
  symbol: string;
  timeframe: Timeframe;
  length: number;
  /** Bar open times, ms since epoch (UTC), strictly increasing. */
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Perpetual-futures data over the same range, for crypto factors (loaded only when a strategy needs it). */
  crypto?: CryptoSeries;
}

export function allocBars(symbol: string, timeframe: Timeframe, length: number): ColumnarBars {
  return {
    symbol,
    timeframe,
    length,
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

/** A bar as exchanges and ccxt deliver it: [time, open, high, low, close, volume]. */
export type OhlcvTuple = [number, number, number, number, number, number];

/** Columns from bars in tuple form (as ccxt and the synthetic market hand them over), in the given order. */
export function barsFromTuples(symbol: string, timeframe: Timeframe, rows: readonly OhlcvTuple[]): ColumnarBars {
  const b = allocBars(symbol, timeframe, rows.length);
  rows.forEach(([t, o, h, l, c, v], i) => {
    b.time[i] = t;
    b.open[i] = o;
    b.high[i] = h;
    b.low[i] = l;
    b.close[i] = c;
    b.volume[i] = v;
  });
  return b;
}

/** Why a bar is unacceptable, or null. NaN, non-positive prices, high below low, OHLC outside the range, negative volume. */
export function badBarReason(
  t: number,
  tf: Timeframe,
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
): string | null {
  if (!Number.isFinite(t)) return 'time is not a number';
  if (!isAligned(t, tf)) return `time ${new Date(t).toISOString()} is not on a ${tf} bar boundary`;
  for (const [name, x] of [
    ['open', o],
    ['high', h],
    ['low', l],
    ['close', c],
  ] as const) {
    if (!Number.isFinite(x)) return `${name} is not a number`;
    if (x <= 0) return `${name} must be positive (got ${x})`;
  }
  if (!Number.isFinite(v)) return 'volume is not a number';
  if (v < 0) return `volume must not be negative (got ${v})`;
  if (h < l) return `high ${h} is below low ${l}`;
  if (o > h || o < l || c > h || c < l) return 'open/close outside the high-low range';
  return null;
}

export interface Gap {
  /** Open time of the first missing bar. */
  from: number;
  /** Open time of the last missing bar. */
  to: number;
  bars: number;
}

/**
 * Missing bars in [fromMs, toMs] (aligned open times, inclusive), given the open times that
 * are present in increasing order. Times outside the range are ignored.
 */
export function findGaps(times: ArrayLike<number>, tf: Timeframe, fromMs: number, toMs: number): Gap[] {
  return gapsIn(runsOf(times, tf), tf, fromMs, toMs);
}

export interface Coverage {
  first: number | null;
  last: number | null;
  bars: number;
  /** Bars a complete series from first to last would hold. */
  expected: number;
  gaps: Gap[];
}

/** Coverage of a series from its own first to last bar. */
export function coverageOf(times: ArrayLike<number>, tf: Timeframe): Coverage {
  if (times.length === 0) return { first: null, last: null, bars: 0, expected: 0, gaps: [] };
  const first = times[0]!;
  const last = times[times.length - 1]!;
  return {
    first,
    last,
    bars: times.length,
    expected: barCount(first, last, tf),
    gaps: findGaps(times, tf, first, last),
  };
}
