// Bars already in the database, replayed: the simulator serves them as its market while a
// clock (usually started in the past and running faster than real time) decides which of
// them have happened. Minute bars drive everything; daily bars and prices derive from them,
// exactly as on the synthetic market, so orders fill the same way on either source.
import type { ColumnarBars, OhlcvTuple } from '../market/bars';
import { TIMEFRAME_MS, barOpen } from '../market/timeframes';
import { aggregateDay, formingBar, type PriceSource, type SimListing } from './priceSource';

interface ReplaySeries {
  listing: SimListing;
  bars: ColumnarBars;
}

/** Smallest power of ten at or below the typical price's 1e-5, so replayed prices keep their precision. */
function tickFor(price: number): number {
  return 10 ** Math.floor(Math.log10(Math.max(price, 1e-9) * 1e-5));
}

export class ReplayMarket implements PriceSource {
  private readonly series = new Map<string, ReplaySeries>();
  readonly assets: SimListing[] = [];

  /** `bars` maps a pair (BTC/USDT) to its 1m bars in time order. */
  constructor(bars: ReadonlyMap<string, ColumnarBars>) {
    for (const [pair, b] of bars) {
      if (b.timeframe !== '1m') throw new Error(`Replay needs 1m bars; ${pair} has ${b.timeframe}`);
      if (b.length === 0) throw new Error(`No bars to replay for ${pair}`);
      for (let i = 1; i < b.length; i++)
        if (!(b.time[i]! > b.time[i - 1]!)) throw new Error(`Bars of ${pair} are not in time order at index ${i}`);
      let volume = 0;
      for (let i = 0; i < b.length; i++) volume += b.volume[i]!;
      const tickSize = tickFor(b.close[b.length - 1]!);
      const listing: SimListing = {
        pair,
        listedAt: b.time[0]!,
        baseVolume: volume / b.length,
        tickSize,
        stepSize: tickFor(1 / Math.max(b.close[b.length - 1]!, 1e-9)) * 10,
      };
      this.series.set(pair, { listing, bars: b });
      this.assets.push(listing);
    }
  }

  /** The span replayable for every pair: [first bar open, last bar open]. */
  get span(): { from: number; to: number } {
    let from = -Infinity;
    let to = Infinity;
    for (const { bars } of this.series.values()) {
      from = Math.max(from, bars.time[0]!);
      to = Math.min(to, bars.time[bars.length - 1]!);
    }
    return { from, to };
  }

  asset(pair: string): SimListing | undefined {
    return this.series.get(pair)?.listing;
  }

  /** Index of the first bar opening at or after t. */
  private lowerBound(b: ColumnarBars, t: number): number {
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (b.time[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private tuple(b: ColumnarBars, i: number): OhlcvTuple {
    return [b.time[i]!, b.open[i]!, b.high[i]!, b.low[i]!, b.close[i]!, b.volume[i]!];
  }

  minutes(pair: string, from: number, to: number, limit: number): OhlcvTuple[] {
    const s = this.series.get(pair);
    if (!s) return [];
    const out: OhlcvTuple[] = [];
    for (let i = this.lowerBound(s.bars, from); i < s.bars.length && s.bars.time[i]! <= to && out.length < limit; i++)
      out.push(this.tuple(s.bars, i));
    return out;
  }

  daily(pair: string, day: number, until = Number.POSITIVE_INFINITY): OhlcvTuple | null {
    const s = this.series.get(pair);
    if (!s) return null;
    const end = Math.min(day + TIMEFRAME_MS['1d'] - TIMEFRAME_MS['1m'], until);
    return aggregateDay(
      day,
      this.minutes(pair, day, end, 1440).map((b) => formingBar(b, until)),
      s.listing.stepSize,
    );
  }

  /** Where the minute containing t has got to by then; through a gap, the last close is held. */
  price(pair: string, t: number): number | null {
    const s = this.series.get(pair);
    if (!s) return null;
    const i = this.lowerBound(s.bars, barOpen(t, '1m') + 1) - 1;
    if (i < 0) return null;
    const b = s.bars;
    return b.time[i] === barOpen(t, '1m')
      ? formingBar([b.time[i]!, b.open[i]!, b.high[i]!, b.low[i]!, b.close[i]!, b.volume[i]!], t)[4]
      : b.close[i]!;
  }
}
