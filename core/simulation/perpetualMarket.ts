// A USDⓈ-M perpetual for each pair of a spot market (the exchange simulator's futures side),
// deterministic from the seed and the pair, minute by minute:
// - index = the spot bar (index price = spot close);
// - basis (perpetual over index, bp) = a slow sentiment level (Ornstein-Uhlenbeck, half-life
//   2 days, around +2 bp, stepped hourly) + a fast part (OU, half-life 3 h, stepped every 5
//   minutes) + 5 % of the spot's 60-minute move, at most ±40 bp (rallies lift the premium,
//   crashes sink it) + a minute's noise; last-price bars = index × (1 + basis);
// - mark = index × (1 + the basis without its noise, averaged over 5 minutes), as Binance's mark
//   adds the 5-minute moving average of the basis to the index;
// - funding settles at 00:00, 08:00 and 16:00 UTC with Binance's formula on the time-weighted
//   average premium P of the 8 hours before: P + clamp(0.01 % − P, ±0.05 %), capped at ±0.75 %;
// - an order book per pair and second around the mark: spread, level gaps, sizes and the
//   bid/ask imbalance drawn from the seed, the pair and the moment.
// Only the two OU levels carry over midnight: they are chained day by day from listing (cheap:
// 312 draws a day, cached), and a day is built whole from them and the spot bars, so a minute
// reads the same whatever was read before. Time comes in as arguments.
import type { OhlcvTuple } from '../market/bars';
import { TIMEFRAME_MS, barOpen } from '../market/timeframes';
import { aggregateDay, formingBar, type PriceSource } from './priceSource';
import { rng } from './seededRandom';

const MIN = TIMEFRAME_MS['1m'];
const DAY = TIMEFRAME_MS['1d'];

/** Which price a perpetual's bars follow: its trades, the mark, the index, or the premium (basis). */
export type PerpPrice = 'last' | 'mark' | 'index' | 'premium';

export interface PerpetualContract {
  /** The spot pair it tracks, e.g. BTC/USDT (the contract settles in the quote). */
  pair: string;
  listedAt: number;
  tickSize: number;
  stepSize: number;
}

export const BASIS_MODEL = {
  meanBp: 2,
  slow: { halfLifeMin: 2 * 1440, stdBp: 5, stepMin: 60 },
  fast: { halfLifeMin: 180, stdBp: 4, stepMin: 5 },
  /** Independent noise of each minute's premium. */
  noiseBp: 0.6,
  /** Basis bp per bp of the spot's move over `trendMin` minutes, saturating at `trendCapBp`. */
  trendBeta: 0.05,
  trendMin: 60,
  trendCapBp: 40,
  /** The mark's moving average of the basis, in minutes. */
  markAverageMin: 5,
  /** Perpetual volume as a multiple of spot volume. */
  volumeMultiple: 4,
} as const;

/** Binance's funding rules for USDⓈ-M perpetuals (fractions per 8 hours). */
export const FUNDING_RULES = {
  intervalMs: 8 * 3_600_000,
  interestRate: 0.0001,
  premiumClamp: 0.0005,
  cap: 0.0075,
} as const;

export interface FundingSettlement {
  time: number;
  rate: number;
  /** The time-weighted average premium it was computed from. */
  premium: number;
  markPrice: number | null;
}

export interface PremiumIndexView {
  time: number;
  markPrice: number;
  indexPrice: number;
  lastPrice: number;
  /** What the next settlement would be if the window closed now (Binance's `lastFundingRate`). */
  predictedRate: number;
  interestRate: number;
  nextFundingTime: number;
}

export type BookLevel = [price: number, quantity: number];

export interface OrderBookSnapshot {
  time: number;
  bids: BookLevel[];
  asks: BookLevel[];
}

/** Binance's funding rate from the average premium: the interest rate within ±clamp of P, capped. */
export function fundingRate(averagePremium: number, rules = FUNDING_RULES): number {
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
  const rate = averagePremium + clamp(rules.interestRate - averagePremium, -rules.premiumClamp, rules.premiumClamp);
  return toRate(clamp(rate, -rules.cap, rules.cap));
}

/** Binance's time weighting: the i-th minute of the window weighs i, so recent premiums count more. */
function weightedPremium(premiums: ArrayLike<number>): number {
  let sum = 0;
  let weights = 0;
  for (let i = 0; i < premiums.length; i++) {
    sum += (i + 1) * premiums[i]!;
    weights += i + 1;
  }
  return weights > 0 ? sum / weights : 0;
}

function hash(text: string, ...nums: number[]): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  for (const n of nums) {
    h = Math.imul(h ^ (n | 0), 16777619);
    h = Math.imul(h ^ Math.floor(n / 4294967296), 16777619);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
}

type Rounding = 'round' | 'floor' | 'ceil';

/**
 * Rounding to a grid of `step`, giving the double its decimal text reads, so a price survives a
 * round trip as text: an integer over a power of ten divides to the double nearest the decimal.
 */
function grid(step: number): (x: number, mode?: Rounding) => number {
  const scale = 10 ** Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return (x, mode = 'round') => {
    const units =
      mode === 'floor'
        ? Math.floor(x / step + 1e-9)
        : mode === 'ceil'
          ? Math.ceil(x / step - 1e-9)
          : Math.round(x / step);
    return Math.round(units * step * scale) / scale;
  };
}

const toRate = grid(1e-8);

/**
 * An OU level stepped every `stepMin` minutes: the share of the gap to the mean closed each
 * step, and the noise that keeps its spread at `stdBp`.
 */
function ou(p: { halfLifeMin: number; stdBp: number; stepMin: number }): { k: number; sigma: number } {
  const k = 1 - 0.5 ** (p.stepMin / p.halfLifeMin);
  return { k, sigma: p.stdBp * Math.sqrt(2 * k - k * k) };
}

/** A day's OU levels at their knots (slow hourly, fast every 5 minutes), from the day's start to its end. */
interface DayPath {
  slow: Float64Array;
  fast: Float64Array;
}

interface PerpDay {
  dayIndex: number;
  /** The day's spot bars by minute (holes where the spot market has none). */
  spot: (OhlcvTuple | undefined)[];
  /** Premium at each minute's close (fraction), and the mark's smoothed basis; [0] is yesterday's last minute. */
  basis: Float64Array;
  markBasis: Float64Array;
  /** Bars by kind, built when first read: funding needs only the premiums. */
  bars: Partial<Record<PerpPrice, (OhlcvTuple | null)[]>>;
}

/** A knotted level at `x` minutes into the day, linear between knots. */
function along(knots: Float64Array, stepMin: number, x: number): number {
  const i = Math.min(knots.length - 2, Math.floor(x / stepMin));
  const f = (x - i * stepMin) / stepMin;
  return knots[i]! + (knots[i + 1]! - knots[i]!) * f;
}

export class PerpetualMarket {
  private readonly specs = new Map<string, PerpetualContract>();
  private readonly starts = new Map<string, { slow: number; fast: number }[]>();
  private readonly cache = new Map<string, PerpDay>();

  constructor(
    readonly spot: PriceSource,
    private readonly seed = 1,
  ) {}

  /** The perpetuals listed: one per spot pair, from the pair's listing. */
  contracts(): PerpetualContract[] {
    return this.spot.assets.map((a) => this.contract(a.pair)!);
  }

  /** Ticks and lots sized like Binance's (BTC 0.1 / 0.001, ETH 0.01 / 0.01), from the first price. */
  contract(pair: string): PerpetualContract | undefined {
    let c = this.specs.get(pair);
    if (c) return c;
    const a = this.spot.asset(pair);
    if (!a) return undefined;
    const first = this.spot.minutes(pair, a.listedAt, a.listedAt + DAY, 1)[0]?.[4] ?? 1;
    c = {
      pair,
      listedAt: a.listedAt,
      tickSize: Math.max(a.tickSize, 10 ** Math.round(Math.log10(first * 2e-6))),
      stepSize: Math.max(a.stepSize, 10 ** Math.floor(Math.log10(100 / first))),
    };
    this.specs.set(pair, c);
    return c;
  }

  private firstDay(c: PerpetualContract): number {
    return barOpen(c.listedAt, '1d');
  }

  /** The OU levels through a day from its start; before the first day they rest at their start. */
  private path(c: PerpetualContract, dayIndex: number): DayPath {
    const slow = ou(BASIS_MODEL.slow);
    const fast = ou(BASIS_MODEL.fast);
    const out = {
      slow: new Float64Array(1440 / BASIS_MODEL.slow.stepMin + 1),
      fast: new Float64Array(1440 / BASIS_MODEL.fast.stepMin + 1),
    };
    const start = this.dayStart(c, Math.max(0, dayIndex));
    out.slow.fill(start.slow);
    out.fast.fill(start.fast);
    if (dayIndex < 0) return out;
    const rand = rng(hash(`path|${c.pair}`, this.seed, dayIndex));
    for (let i = 1; i < out.slow.length; i++)
      out.slow[i] = out.slow[i - 1]! + slow.k * (BASIS_MODEL.meanBp - out.slow[i - 1]!) + slow.sigma * normal(rand);
    for (let i = 1; i < out.fast.length; i++) out.fast[i] = out.fast[i - 1]! * (1 - fast.k) + fast.sigma * normal(rand);
    return out;
  }

  private dayStart(c: PerpetualContract, dayIndex: number): { slow: number; fast: number } {
    let states = this.starts.get(c.pair);
    if (!states) {
      states = [{ slow: BASIS_MODEL.meanBp, fast: 0 }];
      this.starts.set(c.pair, states);
    }
    while (states.length <= dayIndex) {
      const p = this.path(c, states.length - 1);
      states.push({ slow: p.slow[p.slow.length - 1]!, fast: p.fast[p.fast.length - 1]! });
    }
    return states[dayIndex]!;
  }

  /** Each minute's noise of a day, in bp (drawn whole so any minute of it reads the same). */
  private noise(c: PerpetualContract, dayIndex: number): Float64Array {
    const out = new Float64Array(1440);
    if (dayIndex < 0) return out;
    const rand = rng(hash(`noise|${c.pair}`, this.seed, dayIndex));
    for (let m = 0; m < 1440; m++) out[m] = BASIS_MODEL.noiseBp * normal(rand);
    return out;
  }

  private simulateDay(c: PerpetualContract, dayIndex: number): PerpDay {
    const { trendMin, trendBeta, trendCapBp, markAverageMin } = BASIS_MODEL;
    const dayStart = this.firstDay(c) + dayIndex * DAY;
    // Minutes m from -(trend + average) on: the end of yesterday feeds today's first averages.
    const lead = trendMin + markAverageMin;
    const spot: (OhlcvTuple | undefined)[] = new Array(1440 + lead);
    for (const b of this.spot.minutes(c.pair, dayStart - lead * MIN, dayStart + DAY - MIN, 1440 + lead))
      spot[(b[0] - dayStart) / MIN + lead] = b;
    const spotAt = (m: number) => spot[m + lead];
    const today = this.path(c, dayIndex);
    const yesterday = this.path(c, dayIndex - 1);
    const noise = this.noise(c, dayIndex);
    const lastNoise = this.noise(c, dayIndex - 1)[1439]!;
    const level = (m: number) => {
      // At the minute's close: m + 1 minutes into the day.
      const x = m + 1;
      const p = x >= 0 ? today : yesterday;
      const at = x >= 0 ? x : 1440 + x;
      return along(p.slow, BASIS_MODEL.slow.stepMin, at) + along(p.fast, BASIS_MODEL.fast.stepMin, at);
    };
    const trend = (m: number) => {
      const now = spotAt(m);
      const then = spotAt(m - trendMin);
      const move = now && then && then[4] > 0 ? 1e4 * Math.log(now[4] / then[4]) : 0;
      return trendCapBp * Math.tanh((trendBeta * move) / trendCapBp);
    };
    // The basis without its noise, from m = -markAverageMin on.
    const smooth = new Float64Array(1440 + markAverageMin);
    for (let m = -markAverageMin; m < 1440; m++) smooth[m + markAverageMin] = level(m) + trend(m);
    const markBasis = (m: number) => {
      let sum = 0;
      for (let k = 0; k < markAverageMin; k++) sum += smooth[m - k + markAverageMin]!;
      return sum / markAverageMin / 1e4;
    };
    const basisOf = (m: number) => (smooth[m + markAverageMin]! + (m >= 0 ? noise[m]! : lastNoise)) / 1e4;

    const basis = new Float64Array(1441);
    const mark = new Float64Array(1441);
    for (let m = -1; m < 1440; m++) {
      basis[m + 1] = basisOf(m);
      mark[m + 1] = markBasis(m);
    }
    return { dayIndex, spot: spot.slice(lead), basis, markBasis: mark, bars: {} };
  }

  /** A day's bars of one kind: each follows its spot bar at a basis moving over the minute. */
  private barsOf(c: PerpetualContract, d: PerpDay, kind: PerpPrice): (OhlcvTuple | null)[] {
    const built = d.bars[kind];
    if (built) return built;
    const onTick = grid(c.tickSize);
    const onMark = grid(c.tickSize / 100);
    const onSpot = grid(this.spot.asset(c.pair)!.tickSize);
    const onStep = grid(c.stepSize);
    const volumeRand = rng(hash(`volume|${c.pair}`, this.seed, d.dayIndex));
    const around = (bar: OhlcvTuple, from: number, to: number, round: (x: number) => number): OhlcvTuple => {
      const open = round(bar[1] * (1 + from));
      const close = round(bar[4] * (1 + to));
      const high = Math.max(open, close, round(bar[2] * (1 + Math.max(from, to))));
      const low = Math.min(open, close, round(bar[3] * (1 + Math.min(from, to))));
      return [bar[0], open, high, low, close, 0];
    };
    const out: (OhlcvTuple | null)[] = new Array(1440);
    for (let m = 0; m < 1440; m++) {
      const u = volumeRand();
      const bar = d.spot[m];
      if (!bar) {
        out[m] = null;
        continue;
      }
      const [from, to] = [d.basis[m]!, d.basis[m + 1]!];
      if (kind === 'last') {
        const b = around(bar, from, to, onTick);
        b[5] = onStep(bar[5] * BASIS_MODEL.volumeMultiple * (0.6 + 0.8 * u));
        out[m] = b;
      } else if (kind === 'mark') {
        out[m] = around(bar, d.markBasis[m]!, d.markBasis[m + 1]!, onMark);
      } else if (kind === 'index') {
        out[m] = [bar[0], onSpot(bar[1]), onSpot(bar[2]), onSpot(bar[3]), onSpot(bar[4]), 0];
      } else {
        const [p0, p1] = [toRate(from), toRate(to)];
        out[m] = [bar[0], p0, Math.max(p0, p1), Math.min(p0, p1), p1, 0];
      }
    }
    d.bars[kind] = out;
    return out;
  }

  private day(c: PerpetualContract, dayIndex: number): PerpDay {
    const key = `${c.pair}|${dayIndex}`;
    let d = this.cache.get(key);
    if (!d) {
      d = this.simulateDay(c, dayIndex);
      if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, d);
    }
    return d;
  }

  /** The day and minute of `t` (aligned down), or null before listing. */
  private locate(pair: string, t: number): { c: PerpetualContract; d: PerpDay; m: number } | null {
    const c = this.contract(pair);
    if (!c || t < c.listedAt) return null;
    const first = this.firstDay(c);
    const dayIndex = Math.floor((t - first) / DAY);
    return { c, d: this.day(c, dayIndex), m: Math.floor((t - first - dayIndex * DAY) / MIN) };
  }

  /** The premium (perpetual close over index close − 1) of the minute opening at or before `t`. */
  basisAt(pair: string, t: number): number | null {
    const at = this.locate(pair, t);
    return at ? at.d.basis[at.m + 1]! : null;
  }

  /** The bar of `kind` opening at `t` (aligned), or null where the spot market has none. */
  minute(kind: PerpPrice, pair: string, t: number): OhlcvTuple | null {
    const at = this.locate(pair, barOpen(t, '1m'));
    return at ? (this.barsOf(at.c, at.d, kind)[at.m] ?? null) : null;
  }

  /** Bars of `kind` with open time in [from, to], at most `limit`. */
  minutes(kind: PerpPrice, pair: string, from: number, to: number, limit: number): OhlcvTuple[] {
    const c = this.contract(pair);
    if (!c) return [];
    const out: OhlcvTuple[] = [];
    for (
      let t = Math.max(barOpen(from + MIN - 1, '1m'), barOpen(c.listedAt + MIN - 1, '1m'));
      t <= to && out.length < limit;
      t += MIN
    ) {
      const bar = this.minute(kind, pair, t);
      if (bar) out.push(bar);
    }
    return out;
  }

  /** The daily bar of `kind` of the UTC day starting at `day`, as it stands at `until`. */
  daily(kind: PerpPrice, pair: string, day: number, until = Number.POSITIVE_INFINITY): OhlcvTuple | null {
    const c = this.contract(pair);
    if (!c || barOpen(day, '1d') !== day || day + DAY <= c.listedAt) return null;
    const bars = this.barsOf(c, this.day(c, (day - this.firstDay(c)) / DAY), kind).filter(
      (b): b is OhlcvTuple => b !== null && b[0] <= until,
    );
    const bar = aggregateDay(
      day,
      bars.map((b) => formingBar(b, until)),
      1,
    );
    if (bar) bar[5] = grid(c.stepSize)(bar[5]);
    return bar;
  }

  /** The price of `kind` at `t`: where its minute has got to by then. */
  price(kind: PerpPrice, pair: string, t: number): number | null {
    const bar = this.minute(kind, pair, t);
    return bar ? formingBar(bar, t)[4] : null;
  }

  /** The premiums of the closed minutes in [from, to), from listing on. */
  private premiums(c: PerpetualContract, from: number, to: number): Float64Array {
    const start = Math.max(from, barOpen(c.listedAt + MIN - 1, '1m'));
    if (start >= to) return new Float64Array(0);
    const at = this.locate(c.pair, start)!;
    // A funding window never crosses midnight: 8 h divides the day.
    return at.d.basis.subarray(at.m + 1, at.m + 1 + Math.floor((to - start) / MIN));
  }

  /** The settlement at `time`, or null if no funding is settled then (not 00:00/08:00/16:00 UTC, before listing). */
  fundingAt(pair: string, time: number): FundingSettlement | null {
    const c = this.contract(pair);
    if (!c || time % FUNDING_RULES.intervalMs !== 0) return null;
    const premiums = this.premiums(c, time - FUNDING_RULES.intervalMs, time);
    if (premiums.length === 0) return null;
    const premium = weightedPremium(premiums);
    return {
      time,
      rate: fundingRate(premium),
      premium,
      markPrice: this.minute('mark', pair, time - MIN)?.[4] ?? null,
    };
  }

  /** Settlements in [from, to] (a bounded range), oldest first, at most `limit`. */
  fundingHistory(pair: string, from: number, to: number, limit = Number.POSITIVE_INFINITY): FundingSettlement[] {
    const c = this.contract(pair);
    if (!c) return [];
    const step = FUNDING_RULES.intervalMs;
    const out: FundingSettlement[] = [];
    for (let t = Math.ceil(Math.max(from, c.listedAt + 1) / step) * step; t <= to && out.length < limit; t += step) {
      const s = this.fundingAt(pair, t);
      if (s) out.push(s);
    }
    return out;
  }

  /** Mark, index and the funding forming at `now` (Binance's premium index). */
  premiumIndex(pair: string, now: number): PremiumIndexView | null {
    const c = this.contract(pair);
    const markPrice = this.price('mark', pair, now);
    const indexPrice = this.price('index', pair, now);
    const lastPrice = this.price('last', pair, now);
    if (!c || markPrice === null || indexPrice === null || lastPrice === null) return null;
    const step = FUNDING_RULES.intervalMs;
    const windowStart = Math.floor(now / step) * step;
    const premiums = this.premiums(c, windowStart, barOpen(now, '1m'));
    return {
      time: now,
      markPrice,
      indexPrice,
      lastPrice,
      predictedRate: premiums.length > 0 ? fundingRate(weightedPremium(premiums)) : FUNDING_RULES.interestRate,
      interestRate: FUNDING_RULES.interestRate,
      nextFundingTime: windowStart + step,
    };
  }

  /**
   * The book at `t` (one per second), `levels` a side around the mark at the second's start. The spread is
   * mostly one tick and sometimes a few; levels are mostly a tick apart with the odd gap; sizes
   * grow away from the touch with the odd wall; the imbalance holds for a minute and jitters
   * each second. The first levels are the same whatever the depth asked for.
   */
  orderBook(pair: string, t: number, levels: number): OrderBookSnapshot | null {
    const second = Math.floor(t / 1000);
    const c = this.contract(pair);
    const a = this.spot.asset(pair);
    const mark = this.price('mark', pair, second * 1000);
    if (!c || !a || mark === null) return null;
    const onTick = grid(c.tickSize);
    const onStep = grid(c.stepSize);
    const rand = rng(hash(`book|${pair}`, this.seed, second));
    const tilt = rng(hash(`tilt|${pair}`, this.seed, Math.floor(t / MIN)))();
    const imbalance = Math.max(-0.7, Math.min(0.7, 0.5 * (2 * tilt - 1) + 0.2 * (2 * rand() - 1)));
    const wide = () => (rand() < 0.75 ? 0 : 1 + Math.floor(rand() * 3));
    let bid = onTick(mark, 'floor') - wide() * c.tickSize;
    let ask = Math.max(onTick(mark, 'ceil'), bid + c.tickSize) + wide() * c.tickSize;
    const unit = (a.baseVolume * BASIS_MODEL.volumeMultiple) / 40;
    const size = (i: number, lean: number) => {
      const wall = rand() < 0.02 ? 8 : 1;
      const q = unit * (0.4 + 0.08 * i) * Math.exp(0.5 * normal(rand)) * wall * (1 + lean);
      return Math.max(c.stepSize, onStep(q));
    };
    const gap = () => (rand() < 0.8 ? 1 : 2 + Math.floor(rand() * 4)) * c.tickSize;
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    for (let i = 0; i < levels; i++) {
      if (i > 0) {
        bid -= gap();
        ask += gap();
      }
      if (bid > 0) bids.push([onTick(bid), size(i, imbalance)]);
      asks.push([onTick(ask), size(i, -imbalance)]);
    }
    return { time: second * 1000, bids, asks };
  }
}
