// What the exchange simulator needs from a market: its listings and, for any moment, the
// minute bars, the daily bar and the last price. The seeded synthetic market and the replay
// of stored bars both provide it, so the simulator serves either without knowing which.
import type { OhlcvTuple } from '../market/bars';

export interface SimListing {
  /** Pair as the simulator lists it, e.g. BTC/USDT. */
  pair: string;
  /** First moment with bars (ms). */
  listedAt: number;
  /** Typical volume per minute, in base units (sizes the order book). */
  baseVolume: number;
  /** Price tick (PRICE_FILTER) and lot step (LOT_SIZE). */
  tickSize: number;
  stepSize: number;
}

export interface PriceSource {
  readonly assets: readonly SimListing[];
  asset(pair: string): SimListing | undefined;
  /** Minute bars with open time in [from, to], at most `limit`. */
  minutes(pair: string, from: number, to: number, limit: number): OhlcvTuple[];
  /** The daily bar of the UTC day starting at `day`, from its minutes opened up to `until`. */
  daily(pair: string, day: number, until?: number): OhlcvTuple | null;
  /** Last traded price at `t`, or null before the first bar. */
  price(pair: string, t: number): number | null;
}

const MINUTE_MS = 60_000;

/**
 * A minute bar as it stands at time `t`: before its end the price has moved from the open
 * toward the close in proportion to the time gone (high and low so far, volume so far), so
 * nothing the minute has not reached yet is shown. A finished bar is returned as it is.
 */
export function formingBar(bar: OhlcvTuple, t: number): OhlcvTuple {
  const share = (t - bar[0]) / MINUTE_MS;
  if (share >= 1) return bar;
  const f = Math.max(0, share);
  const [time, open, , , close, volume] = bar;
  const price = open + (close - open) * f;
  return [time, open, Math.max(open, price), Math.min(open, price), price, volume * f];
}

/** Aggregates minute bars (one UTC day's, in order) into that day's bar. */
export function aggregateDay(day: number, minutes: readonly OhlcvTuple[], stepSize: number): OhlcvTuple | null {
  if (minutes.length === 0) return null;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  for (const b of minutes) {
    if (b[2] > high) high = b[2];
    if (b[3] < low) low = b[3];
    volume += b[5];
  }
  return [day, minutes[0]![1], high, low, minutes[minutes.length - 1]![4], Math.round(volume / stepSize) * stepSize];
}
