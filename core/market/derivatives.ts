// Perpetual-futures data beside a spot series: funding settlements, the perpetual's own,
// mark and index price bars, and order-book depth summarised per 1m bar. The shapes every
// writer stores, every reader returns and the crypto factors align to a strategy's bars.

/** Which price of the perpetual a stored bar follows. */
export const PERP_PRICES = ['last', 'mark', 'index'] as const;
export type PerpPriceKind = (typeof PERP_PRICES)[number];

/** The market a row of perpetual data belongs to (stored as `market_type` beside the symbol). */
export const PERP_MARKET = 'perp';

/** Bands around the mid, in basis points, that depth is summed within. */
export const DEPTH_BANDS_BP = [10, 50, 100] as const;
export type DepthBand = (typeof DEPTH_BANDS_BP)[number];

/** How often a recorded series' order book is sampled, and how a bar's samples are summarised. */
export const DEPTH_SAMPLE_MS = 10_000;

/** Funding is read from this long before a strategy's first bar, for the warm-up of its rolling statistics. */
export const FUNDING_LOOKBACK_MS = 30 * 86_400_000;

/** Three funding settlements a day: a premium held for a year pays 3 x 365 of them. */
export const FUNDING_PER_YEAR = 3 * 365;

/** Why a funding settlement cannot be stored, or null: a time and a rate under 10 % per interval. */
export function badFundingReason(time: number, rate: number): string | null {
  if (!Number.isFinite(time)) return 'settlement time is not a number';
  if (!Number.isFinite(rate)) return 'funding rate is not a number';
  if (Math.abs(rate) >= 0.1) return `funding rate ${rate} is beyond 10 % per interval`;
  return null;
}

/** One order-book snapshot, in quote currency within each band around the mid. */
export interface DepthSample {
  mid: number;
  spreadBp: number;
  bid: [number, number, number];
  ask: [number, number, number];
}

/** Depth of one 1m bar: the mean of its snapshots. */
export interface DepthBar extends DepthSample {
  time: number;
  samples: number;
}

type Level = readonly [price: number, amount: number] | readonly (number | undefined)[];

/**
 * Summarises a book: mid, spread in bp of the mid, and the quote value resting within 0.1 %,
 * 0.5 % and 1 % of the mid on each side. Null for a crossed or one-sided book (nothing to say).
 */
export function bookDepth(bids: readonly Level[], asks: readonly Level[]): DepthSample | null {
  const bestBid = Number(bids[0]?.[0]);
  const bestAsk = Number(asks[0]?.[0]);
  if (!(bestBid > 0) || !(bestAsk > bestBid)) return null;
  const mid = (bestBid + bestAsk) / 2;
  const within = (levels: readonly Level[], sign: 1 | -1): [number, number, number] => {
    const sums: [number, number, number] = [0, 0, 0];
    for (const level of levels) {
      const price = Number(level[0]);
      const amount = Number(level[1]);
      if (!(price > 0) || !(amount >= 0)) continue;
      const awayBp = ((sign * (price - mid)) / mid) * 10_000;
      DEPTH_BANDS_BP.forEach((band, k) => {
        if (awayBp <= band) sums[k] = sums[k]! + price * amount;
      });
    }
    return sums;
  };
  return { mid, spreadBp: ((bestAsk - bestBid) / mid) * 10_000, bid: within(bids, -1), ask: within(asks, 1) };
}

/** A bar's depth from its snapshots (their mean); null when it has none. */
export function depthBar(time: number, samples: readonly DepthSample[]): DepthBar | null {
  if (samples.length === 0) return null;
  const n = samples.length;
  const mean = (f: (s: DepthSample) => number) => samples.reduce((a, s) => a + f(s), 0) / n;
  const side = (k: 'bid' | 'ask'): [number, number, number] => [
    mean((s) => s[k][0]),
    mean((s) => s[k][1]),
    mean((s) => s[k][2]),
  ];
  return {
    time,
    samples: n,
    mid: mean((s) => s.mid),
    spreadBp: mean((s) => s.spreadBp),
    bid: side('bid'),
    ask: side('ask'),
  };
}

/** Times in ms (UTC) with one value each, in time order. */
export interface TimedColumn {
  time: Float64Array;
  value: Float64Array;
}

/** Depth bars in columns: bar open times and, per band, bid and ask depth. */
export interface DepthColumns {
  time: Float64Array;
  spreadBp: Float64Array;
  bid: [Float64Array, Float64Array, Float64Array];
  ask: [Float64Array, Float64Array, Float64Array];
}

/**
 * The perpetual data a strategy's factors read, over its range (funding from earlier, for the
 * warm-up of its rolling statistics). Each part is present when the strategy needs it.
 */
export interface CryptoSeries {
  /** Funding settlements: settlement time, rate as a fraction per interval. */
  funding?: TimedColumn;
  /** Closes of the perpetual's bars of the strategy's timeframe, by bar open time. */
  last?: TimedColumn;
  mark?: TimedColumn;
  index?: TimedColumn;
  /** Order-book depth per 1m bar. */
  depth?: DepthColumns;
}
export type CryptoPart = keyof CryptoSeries;

/** The perpetual pair ccxt names for a spot pair (BTC/USDT -> BTC/USDT:USDT, a linear perpetual). */
export function perpPairOf(pair: string): string {
  const [, quote] = pair.split('/');
  return `${pair}:${quote}`;
}
