// Display resolutions of a chart and the resampling of stored bars into them. A year of 1m
// bars is 525,600 candles, ~400 per pixel of a chart; charts draw coarser candles made from
// the stored ones, each bucket aligned to UTC (a 4h candle opens at 00, 04, 08 ... UTC).
import { allocBars, type ColumnarBars } from './bars';
import { TIMEFRAME_MS, type Timeframe } from './timeframes';

export const RESOLUTIONS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

const MIN = 60_000;
export const RESOLUTION_MS: Record<Resolution, number> = {
  '1m': MIN,
  '5m': 5 * MIN,
  '15m': 15 * MIN,
  '1h': 60 * MIN,
  '4h': 240 * MIN,
  '1d': 1440 * MIN,
};

/** Candles a chart draws at once when it picks the resolution itself: a week of minutes, a year of hours (~7 to a pixel). */
export const AUTO_MAX_CANDLES = 12_000;

/** Resolutions a series of this timeframe can be drawn at (never finer than it is stored). */
export function resolutionsFor(tf: Timeframe): Resolution[] {
  return RESOLUTIONS.filter((r) => RESOLUTION_MS[r] >= TIMEFRAME_MS[tf]);
}

/** The finest resolution that draws a span of `spanMs` in at most AUTO_MAX_CANDLES candles. */
export function autoResolution(tf: Timeframe, spanMs: number): Resolution {
  const options = resolutionsFor(tf);
  return options.find((r) => spanMs / RESOLUTION_MS[r] <= AUTO_MAX_CANDLES) ?? options.at(-1)!;
}

/**
 * Bars merged into buckets of `resolution`: open of the first bar, high/low over the bucket,
 * close of the last, volumes summed; each bucket stamped with its aligned open time. The
 * input is in time order; a bucket holds whatever stored bars fall in it (gaps stay gaps).
 */
export function resampleBars(b: ColumnarBars, resolution: Resolution): ColumnarBars {
  const step = RESOLUTION_MS[resolution];
  if (step === TIMEFRAME_MS[b.timeframe]) return b;
  let buckets = 0;
  let last = Number.NaN;
  for (let i = 0; i < b.length; i++) {
    const k = Math.floor(b.time[i]! / step);
    if (k !== last) {
      buckets++;
      last = k;
    }
  }
  const out = allocBars(b.symbol, b.timeframe, buckets);
  let j = -1;
  last = Number.NaN;
  for (let i = 0; i < b.length; i++) {
    const k = Math.floor(b.time[i]! / step);
    if (k !== last) {
      j++;
      last = k;
      out.time[j] = k * step;
      out.open[j] = b.open[i]!;
      out.high[j] = b.high[i]!;
      out.low[j] = b.low[i]!;
      out.volume[j] = 0;
    } else {
      if (b.high[i]! > out.high[j]!) out.high[j] = b.high[i]!;
      if (b.low[i]! < out.low[j]!) out.low[j] = b.low[i]!;
    }
    out.close[j] = b.close[i]!;
    out.volume[j]! += b.volume[i]!;
  }
  return out;
}
