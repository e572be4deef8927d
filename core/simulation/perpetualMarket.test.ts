import { describe, expect, it } from 'vitest';
import { barsFromTuples, type OhlcvTuple } from '../market/bars';
import { BASIS_MODEL, FUNDING_RULES, PerpetualMarket, fundingRate, type PerpPrice } from './perpetualMarket';
import { ReplayMarket } from './replayMarket';
import { SyntheticMarket, demoAssets } from './syntheticMarket';

const NOW = Date.UTC(2026, 5, 15, 12, 30, 20);
const DAY = 86_400_000;
const H8 = FUNDING_RULES.intervalMs;
const perpetuals = (seed = 7) => new PerpetualMarket(new SyntheticMarket(demoAssets(NOW), seed), seed);
const market = perpetuals();
const listedAt = market.contract('BTC/USDT')!.listedAt;

function expectValidOhlc(bars: readonly OhlcvTuple[]): void {
  for (const [, o, h, l, c] of bars) {
    expect(l).toBeLessThanOrEqual(Math.min(o, c));
    expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
  }
}

describe('perpetual market', () => {
  it('is the same for the same seed whatever is read first, and differs for another seed', () => {
    const late = Date.UTC(2026, 5, 10, 9, 17);
    const early = listedAt + 40 * DAY + 123 * 60_000;
    const read = (m: PerpetualMarket, t: number) => ({
      basis: m.basisAt('ETH/USDT', t),
      bars: (['last', 'mark', 'index', 'premium'] as const).map((k) => m.minute(k, 'ETH/USDT', t)),
      funding: m.fundingHistory('ETH/USDT', t - 2 * DAY, t),
      book: m.orderBook('ETH/USDT', t + 1500, 20),
      daily: m.daily('mark', 'ETH/USDT', Math.floor(t / DAY) * DAY),
    });
    const a = perpetuals();
    const b = perpetuals();
    const aLate = read(a, late);
    const aEarly = read(a, early);
    const bEarly = read(b, early);
    const bLate = read(b, late);
    expect(bLate).toEqual(aLate);
    expect(bEarly).toEqual(aEarly);
    // A fresh model reading only the late minute agrees too (nothing depends on what was read before).
    expect(read(perpetuals(), late)).toEqual(aLate);
    expect(perpetuals(8).basisAt('ETH/USDT', late)).not.toBe(aLate.basis);
  });

  it('keeps the basis mean-reverting: bounded, near its mean over months, forgetting itself within days', () => {
    const xs: number[] = [];
    for (let t = listedAt; t < listedAt + 300 * DAY; t += 3_600_000) xs.push(market.basisAt('BTC/USDT', t)! * 1e4);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const corr = (lag: number) => {
      let num = 0;
      let den = 0;
      for (let i = 0; i < xs.length; i++) {
        den += (xs[i]! - mean) ** 2;
        if (i + lag < xs.length) num += (xs[i]! - mean) * (xs[i + lag]! - mean);
      }
      return num / den;
    };
    expect(Math.abs(mean - BASIS_MODEL.meanBp)).toBeLessThan(3);
    expect(Math.max(...xs.map(Math.abs))).toBeLessThan(80);
    expect(corr(1)).toBeGreaterThan(0.4);
    expect(Math.abs(corr(240))).toBeLessThan(0.25);
  });

  it('settles funding only at 00:00, 08:00 and 16:00 UTC, every settlement from listing', () => {
    const history = market.fundingHistory('BTC/USDT', listedAt, listedAt + 20 * DAY);
    expect(history).toHaveLength(60);
    expect(history[0]!.time).toBe(listedAt + H8);
    history.forEach((s, i) => {
      expect(new Date(s.time).getUTCHours() % 8).toBe(0);
      expect(s.time % 3_600_000).toBe(0);
      if (i > 0) expect(s.time - history[i - 1]!.time).toBe(H8);
    });
    for (const offset of [1, 60_000, 3_600_000, 4 * 3_600_000, H8 - 60_000])
      expect(market.fundingAt('BTC/USDT', listedAt + 10 * DAY + offset)).toBeNull();
    expect(market.fundingAt('BTC/USDT', listedAt)).toBeNull();
    expect(market.fundingHistory('BTC/USDT', listedAt + H8 + 1, listedAt + 3 * H8 - 1)).toHaveLength(1);
    expect(market.fundingHistory('BTC/USDT', listedAt, listedAt + 20 * DAY, 5)).toEqual(history.slice(0, 5));
  });

  it("follows the average premium with Binance's clamp and cap", () => {
    const { interestRate: I, premiumClamp, cap } = FUNDING_RULES;
    const history = market.fundingHistory('SOL/USDT', listedAt, listedAt + 200 * DAY);
    let above = 0;
    let below = 0;
    for (const s of history) {
      expect(s.rate).toBe(fundingRate(s.premium));
      expect(Math.abs(s.rate)).toBeLessThanOrEqual(cap);
      if (s.premium > I + premiumClamp) {
        above++;
        expect(s.rate).toBeGreaterThan(I);
        expect(s.rate).toBeCloseTo(s.premium - premiumClamp, 8);
      } else if (s.premium < I - premiumClamp) {
        below++;
        expect(s.rate).toBeLessThan(I);
        if (s.premium < -premiumClamp) expect(s.rate).toBeLessThan(0);
      } else {
        expect(s.rate).toBe(I);
      }
    }
    // Both sides occur, and the rate never falls as the premium rises.
    expect(above).toBeGreaterThan(10);
    expect(below).toBeGreaterThan(10);
    const byPremium = [...history].sort((a, b) => a.premium - b.premium);
    for (let i = 1; i < byPremium.length; i++)
      expect(byPremium[i]!.rate).toBeGreaterThanOrEqual(byPremium[i - 1]!.rate);
    expect(fundingRate(0.05)).toBe(cap);
    expect(fundingRate(-0.05)).toBe(-cap);
  });

  it('gives valid OHLC for last, mark, index and premium bars, minute and daily, the day from its minutes', () => {
    const day = Date.UTC(2026, 5, 11);
    for (const kind of ['last', 'mark', 'index', 'premium'] as PerpPrice[]) {
      const minutes = market.minutes(kind, 'BTC/USDT', day, day + DAY - 60_000, 1440);
      expect(minutes).toHaveLength(1440);
      expectValidOhlc(minutes);
      const daily = market.daily(kind, 'BTC/USDT', day)!;
      expectValidOhlc([daily]);
      expect(daily[1]).toBe(minutes[0]![1]);
      expect(daily[4]).toBe(minutes[1439]![4]);
      expect(daily[2]).toBe(Math.max(...minutes.map((m) => m[2])));
      expect(daily[3]).toBe(Math.min(...minutes.map((m) => m[3])));
      // Each bar opens where the one before closed, across midnight too.
      const before = market.minute(kind, 'BTC/USDT', day - 60_000)!;
      expect(minutes[0]![1]).toBe(before[4]);
    }
  });

  it('tracks the index: index = spot, mark and last within the basis of it, the mark smoother than the last', () => {
    const spot = new SyntheticMarket(demoAssets(NOW), 7);
    const from = Date.UTC(2026, 5, 12, 6);
    const index = market.minutes('index', 'ETH/USDT', from, from + 599 * 60_000, 600);
    const mark = market.minutes('mark', 'ETH/USDT', from, from + 599 * 60_000, 600);
    const last = market.minutes('last', 'ETH/USDT', from, from + 599 * 60_000, 600);
    const spotBars = spot.minutes('ETH/USDT', from, from + 599 * 60_000, 600);
    let markMoves = 0;
    let lastMoves = 0;
    index.forEach((bar, i) => {
      expect(bar[4]).toBeCloseTo(spotBars[i]![4], 6);
      expect(Math.abs(mark[i]![4] / bar[4] - 1)).toBeLessThan(0.01);
      expect(Math.abs(last[i]![4] / bar[4] - 1)).toBeLessThan(0.01);
      if (i > 0) {
        const basis = (b: OhlcvTuple[]) => b[i]![4] / bar[4] - b[i - 1]![4] / index[i - 1]![4];
        markMoves += Math.abs(basis(mark));
        lastMoves += Math.abs(basis(last));
      }
    });
    expect(markMoves).toBeLessThan(lastMoves / 2);
    expect(market.price('index', 'ETH/USDT', NOW)).toBeCloseTo(spot.price('ETH/USDT', NOW)!, 6);
  });

  it('shows the premium index: mark, index, the next settlement and the rate forming', () => {
    const settle = Date.UTC(2026, 5, 14, 16);
    const view = market.premiumIndex('BTC/USDT', settle - 1)!;
    expect(view.nextFundingTime).toBe(settle);
    expect(view.interestRate).toBe(FUNDING_RULES.interestRate);
    expect(view.markPrice).toBeCloseTo(market.price('mark', 'BTC/USDT', settle - 1)!, 6);
    // With all but its last minute in, the forming rate is the settlement's, near enough.
    expect(view.predictedRate).toBeCloseTo(market.fundingAt('BTC/USDT', settle)!.rate, 4);
    const fresh = market.premiumIndex('BTC/USDT', settle)!;
    expect(fresh.nextFundingTime).toBe(settle + H8);
    expect(fresh.predictedRate).toBe(FUNDING_RULES.interestRate);
  });

  it('serves an order book around the mark whose spread and imbalance move', () => {
    const c = market.contract('BTC/USDT')!;
    const spreads = new Set<number>();
    const imbalances: number[] = [];
    for (let s = 0; s < 120; s++) {
      const t = NOW + s * 1000;
      const book = market.orderBook('BTC/USDT', t, 20)!;
      const mark = market.price('mark', 'BTC/USDT', t)!; // t is on the second
      expect(book.bids).toHaveLength(20);
      expect(book.asks).toHaveLength(20);
      for (let i = 1; i < 20; i++) {
        expect(book.bids[i]![0]).toBeLessThan(book.bids[i - 1]![0]);
        expect(book.asks[i]![0]).toBeGreaterThan(book.asks[i - 1]![0]);
      }
      const [bid] = book.bids[0]!;
      const [ask] = book.asks[0]!;
      expect(bid).toBeLessThan(ask);
      expect(bid).toBeLessThanOrEqual(mark);
      expect(ask).toBeGreaterThanOrEqual(mark);
      expect((ask - bid) / mark).toBeLessThan(0.001);
      for (const [, q] of [...book.bids, ...book.asks]) expect(q).toBeGreaterThanOrEqual(c.stepSize);
      spreads.add(Math.round((ask - bid) / c.tickSize));
      const depth = (side: typeof book.bids) => side.slice(0, 10).reduce((n, [, q]) => n + q, 0);
      imbalances.push((depth(book.bids) - depth(book.asks)) / (depth(book.bids) + depth(book.asks)));
    }
    expect(spreads.size).toBeGreaterThan(1);
    expect(Math.max(...imbalances) - Math.min(...imbalances)).toBeGreaterThan(0.2);
    // The touch is the same whatever depth is asked for, and the same second gives the same book.
    expect(market.orderBook('BTC/USDT', NOW, 5)!.bids).toEqual(
      market.orderBook('BTC/USDT', NOW + 999, 50)!.bids.slice(0, 5),
    );
  });

  it('follows a replayed market too, with no bars where its minutes are missing', () => {
    const from = Date.UTC(2026, 0, 10, 13, 7);
    const spot = new SyntheticMarket(demoAssets(NOW), 3).minutes('ETH/USDT', from, from + 3 * DAY, 3 * 1440);
    const gap = [from + DAY, from + DAY + 90 * 60_000];
    const kept = spot.filter((b) => b[0] < gap[0]! || b[0] >= gap[1]!);
    const replay = new PerpetualMarket(
      new ReplayMarket(new Map([['ETH/USDT', barsFromTuples('X:ETHUSDT', '1m', kept)]])),
    );
    expect(replay.contract('ETH/USDT')!.listedAt).toBe(from);
    expect(replay.minute('mark', 'ETH/USDT', from - 60_000)).toBeNull();
    expect(replay.minute('mark', 'ETH/USDT', from)).not.toBeNull();
    expect(replay.minutes('last', 'ETH/USDT', gap[0]! - 60_000, gap[1]!, 1000).map((b) => b[0])).toEqual([
      gap[0]! - 60_000,
      gap[1],
    ]);
    const history = replay.fundingHistory('ETH/USDT', from, from + 3 * DAY);
    expect(history[0]!.time).toBe(Date.UTC(2026, 0, 10, 16));
    expect(history).toHaveLength(9);
    expectValidOhlc(replay.minutes('mark', 'ETH/USDT', from, from + 3 * DAY, 5000));
  });

  it('knows nothing before listing or of pairs it does not list', () => {
    expect(market.minute('mark', 'BTC/USDT', listedAt - 60_000)).toBeNull();
    expect(market.daily('last', 'BTC/USDT', listedAt - DAY)).toBeNull();
    expect(market.contract('XRP/USDT')).toBeUndefined();
    expect(market.fundingHistory('XRP/USDT', listedAt, NOW)).toEqual([]);
    expect(market.contracts().map((c) => c.pair)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT']);
    expect(market.contract('BTC/USDT')).toMatchObject({ tickSize: 0.1, stepSize: 0.001 });
  });
});
