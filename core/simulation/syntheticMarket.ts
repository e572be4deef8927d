// A seeded synthetic market for the exchange simulator: minute bars with volatility
// clustering (GARCH(1,1) returns with fat tails) and an intraday volume cycle. Any minute
// of any listed day can be produced on demand and is always the same for the same seed,
// so a test, the demo exchange and paper practice all see one consistent history.
import { TIMEFRAME_MS, barOpen, type Timeframe } from '../market/timeframes';
import { barsFromTuples, type ColumnarBars, type OhlcvTuple } from '../market/bars';
import { aggregateDay, formingBar, type PriceSource, type SimListing } from './priceSource';
import { rng } from './seededRandom';

const MIN = TIMEFRAME_MS['1m'];
const DAY = TIMEFRAME_MS['1d'];

export interface SyntheticAsset extends SimListing {
  /** First day with bars (UTC midnight, ms). */
  listedAt: number;
  startPrice: number;
  /** Typical annualised volatility, e.g. 0.6 for 60 %. */
  annualVol: number;
}

function hash(text: string, n: number): number {
  let h = 2166136261 ^ n;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Student-t-like fat-tailed draw with unit variance, from a normal scaled by a chi-square mix. */
function fatTail(rand: () => number): number {
  const u1 = Math.max(rand(), 1e-12);
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
  const mix = rand() < 0.03 ? 2.5 : 0.95;
  return normal * mix;
}

interface DayState {
  open: number;
  variance: number;
}

export class SyntheticMarket implements PriceSource {
  private readonly days = new Map<string, DayState[]>();
  private readonly cache = new Map<string, OhlcvTuple[]>();

  constructor(
    readonly assets: readonly SyntheticAsset[],
    private readonly seed = 1,
  ) {}

  asset(pair: string): SyntheticAsset | undefined {
    return this.assets.find((a) => a.pair === pair);
  }

  private minuteVariance(a: SyntheticAsset): number {
    return (a.annualVol * a.annualVol) / (365 * 1440);
  }

  /** Simulates one UTC day of minute bars from its starting state. */
  private simulateDay(a: SyntheticAsset, dayIndex: number, start: DayState): { bars: OhlcvTuple[]; end: DayState } {
    const rand = rng(hash(a.pair, this.seed * 100_003 + dayIndex));
    const longRun = this.minuteVariance(a);
    // GARCH(1,1): persistent volatility regimes; alpha + beta < 1 keeps it stationary.
    const alpha = 0.06;
    const beta = 0.93;
    const omega = longRun * (1 - alpha - beta);
    const dayStart = a.listedAt + dayIndex * DAY;
    const bars: OhlcvTuple[] = new Array(1440);
    let price = start.open;
    let variance = start.variance;
    const round = (p: number) => Math.max(a.tickSize, Math.round(p / a.tickSize) * a.tickSize);
    for (let m = 0; m < 1440; m++) {
      const sigma = Math.sqrt(variance);
      const r = sigma * fatTail(rand);
      const open = price;
      const close = open * Math.exp(r);
      const wick = sigma * open;
      const high = Math.max(open, close) + Math.abs(fatTail(rand)) * wick * 0.6;
      const low = Math.max(a.tickSize, Math.min(open, close) - Math.abs(fatTail(rand)) * wick * 0.6);
      // Volume peaks around the 14:00 UTC overlap of Europe and America, and with big moves.
      const cycle = 1 + 0.55 * Math.cos((2 * Math.PI * (m - 14 * 60)) / 1440);
      const surprise = 1 + 1.5 * Math.min(4, Math.abs(r) / Math.sqrt(longRun));
      const volume = Math.round((a.baseVolume * cycle * surprise * (0.5 + rand())) / a.stepSize) * a.stepSize;
      bars[m] = [dayStart + m * MIN, round(open), round(high), round(low), round(close), volume];
      variance = omega + alpha * r * r + beta * variance;
      price = close;
    }
    return { bars, end: { open: price, variance } };
  }

  private dayState(a: SyntheticAsset, dayIndex: number): DayState {
    let states = this.days.get(a.pair);
    if (!states) {
      states = [{ open: a.startPrice, variance: this.minuteVariance(a) }];
      this.days.set(a.pair, states);
    }
    while (states.length <= dayIndex) {
      const i = states.length - 1;
      states.push(this.simulateDay(a, i, states[i]!).end);
    }
    return states[dayIndex]!;
  }

  /** All 1440 minute bars of a day (dayIndex 0 = listing day). */
  private dayBars(a: SyntheticAsset, dayIndex: number): OhlcvTuple[] {
    const key = `${a.pair}|${dayIndex}`;
    let bars = this.cache.get(key);
    if (!bars) {
      bars = this.simulateDay(a, dayIndex, this.dayState(a, dayIndex)).bars;
      if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, bars);
    }
    return bars;
  }

  /** The minute bar opening at `t` (aligned), or null before listing. */
  minute(pair: string, t: number): OhlcvTuple | null {
    const a = this.asset(pair);
    if (!a || t < a.listedAt) return null;
    const dayIndex = Math.floor((t - a.listedAt) / DAY);
    return this.dayBars(a, dayIndex)[Math.floor((t - a.listedAt - dayIndex * DAY) / MIN)] ?? null;
  }

  /** Minute bars with open time in [from, to], at most `limit`. */
  minutes(pair: string, from: number, to: number, limit: number): OhlcvTuple[] {
    const a = this.asset(pair);
    if (!a) return [];
    const out: OhlcvTuple[] = [];
    for (let t = Math.max(barOpen(from + MIN - 1, '1m'), a.listedAt); t <= to && out.length < limit; t += MIN)
      out.push(this.minute(pair, t)!);
    return out;
  }

  /** The daily bar of the UTC day starting at `day`, as it stands at `until` (for a forming day). */
  daily(pair: string, day: number, until = Number.POSITIVE_INFINITY): OhlcvTuple | null {
    const a = this.asset(pair);
    if (!a || day < a.listedAt) return null;
    const dayIndex = Math.floor((day - a.listedAt) / DAY);
    return aggregateDay(
      day,
      this.dayBars(a, dayIndex)
        .filter((b) => b[0] <= until)
        .map((b) => formingBar(b, until)),
      a.stepSize,
    );
  }

  /** Last traded price at `t`: where the minute containing it has got to by then. */
  price(pair: string, t: number): number | null {
    const bar = this.minute(pair, barOpen(t, '1m'));
    return bar ? formingBar(bar, t)[4] : null;
  }
}

/** The demo exchange's listings: a year and a half of history ending today. */
export function demoAssets(nowMs: number): SyntheticAsset[] {
  const listedAt = barOpen(nowMs, '1d') - 550 * DAY;
  return [
    {
      pair: 'BTC/USDT',
      listedAt,
      startPrice: 62_000,
      annualVol: 0.55,
      baseVolume: 12,
      tickSize: 0.01,
      stepSize: 0.00001,
    },
    {
      pair: 'ETH/USDT',
      listedAt,
      startPrice: 3_100,
      annualVol: 0.7,
      baseVolume: 180,
      tickSize: 0.01,
      stepSize: 0.0001,
    },
    { pair: 'SOL/USDT', listedAt, startPrice: 140, annualVol: 0.9, baseVolume: 2_500, tickSize: 0.01, stepSize: 0.001 },
    { pair: 'BNB/USDT', listedAt, startPrice: 560, annualVol: 0.5, baseVolume: 400, tickSize: 0.01, stepSize: 0.001 },
  ];
}

/** `count` bars of a pair from its listing, in columns (fixtures for tests, golden backtests and benchmarks). */
export function syntheticColumns(market: SyntheticMarket, pair: string, tf: Timeframe, count: number): ColumnarBars {
  const a = market.asset(pair);
  if (!a) throw new Error(`Unknown synthetic pair ${pair}`);
  const step = TIMEFRAME_MS[tf];
  const rows: OhlcvTuple[] = [];
  for (let i = 0; i < count; i++) {
    const t = a.listedAt + i * step;
    const bar = tf === '1d' ? market.daily(pair, t) : market.minute(pair, t);
    if (!bar) throw new Error(`No synthetic ${tf} bar for ${pair} at ${new Date(t).toISOString()}`);
    rows.push(bar);
  }
  return barsFromTuples(`SIM:${pair.replace('/', '')}`, tf, rows);
}
