// The seeded perpetual's data over a run of spot bars, in the columns the crypto factors read:
// what an import from the demo exchange would store, without a database. Golden backtests and
// property tests use it; the demo exchange serves the same numbers over its API.
import type { ColumnarBars } from '../market/bars';
import {
  DEPTH_SAMPLE_MS,
  FUNDING_LOOKBACK_MS,
  bookDepth,
  depthBar,
  type CryptoPart,
  type CryptoSeries,
  type DepthBar,
  type DepthColumns,
  type DepthSample,
  type PerpPriceKind,
} from '../market/derivatives';
import { TIMEFRAME_MS } from '../market/timeframes';
import type { PerpetualMarket } from './perpetualMarket';

/** Levels a side asked of the book: enough to reach 1 % from the mid on the demo's tick sizes. */
const BOOK_LEVELS = 1000;

export function perpetualColumns(
  perps: PerpetualMarket,
  pair: string,
  bars: ColumnarBars,
  parts: readonly CryptoPart[],
): CryptoSeries {
  const out: CryptoSeries = {};
  const n = bars.length;
  if (n === 0) return out;
  const tf = TIMEFRAME_MS[bars.timeframe];
  const end = bars.time[n - 1]! + tf;
  for (const part of parts) {
    if (part === 'funding') {
      const rows = perps.fundingHistory(pair, bars.time[0]! - FUNDING_LOOKBACK_MS, end);
      out.funding = { time: Float64Array.from(rows, (r) => r.time), value: Float64Array.from(rows, (r) => r.rate) };
    } else if (part === 'depth') {
      out.depth = depthColumns(perps, pair, bars.time[0]!, end);
    } else {
      out[part] = priceColumn(perps, part, pair, bars);
    }
  }
  return out;
}

function priceColumn(perps: PerpetualMarket, kind: PerpPriceKind, pair: string, bars: ColumnarBars) {
  const time: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < bars.length; i++) {
    const t = bars.time[i]!;
    const bar = bars.timeframe === '1d' ? perps.daily(kind, pair, t) : perps.minute(kind, pair, t);
    if (!bar) continue;
    time.push(t);
    value.push(bar[4]);
  }
  return { time: Float64Array.from(time), value: Float64Array.from(value) };
}

/** One 1m depth bar per minute of [from, to), from snapshots every DEPTH_SAMPLE_MS. */
function depthColumns(perps: PerpetualMarket, pair: string, from: number, to: number): DepthColumns {
  const rows: DepthBar[] = [];
  for (let m = from - (from % 60_000); m < to; m += 60_000) {
    const samples: DepthSample[] = [];
    for (let t = m; t < m + 60_000; t += DEPTH_SAMPLE_MS) {
      const book = perps.orderBook(pair, t, BOOK_LEVELS);
      const s = book && bookDepth(book.bids, book.asks);
      if (s) samples.push(s);
    }
    const bar = depthBar(m, samples);
    if (bar) rows.push(bar);
  }
  return {
    time: Float64Array.from(rows, (r) => r.time),
    spreadBp: Float64Array.from(rows, (r) => r.spreadBp),
    bid: [0, 1, 2].map((k) => Float64Array.from(rows, (r) => r.bid[k]!)) as DepthColumns['bid'],
    ask: [0, 1, 2].map((k) => Float64Array.from(rows, (r) => r.ask[k]!)) as DepthColumns['ask'],
  };
}
