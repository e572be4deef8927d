// The engine's accounting, checked three ways: a hand-worked example, a naive independent
// long/flat implementation, and properties over random markets and position series.
import { english } from '../wording/wording';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocBars, type ColumnarBars } from '../market/bars';
import {
  BacktestInputError,
  DEFAULT_BACKTEST_CONFIG,
  checkTarget,
  newRecord,
  simulate,
  type BacktestConfig,
} from './engine';
import { runBacktest } from './backtest';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

function bars1d(rows: [number, number, number, number][]): ColumnarBars {
  const b = allocBars('TEST:BTCUSDT', '1d', rows.length);
  rows.forEach(([o, h, l, c], i) => {
    b.time[i] = T0 + i * DAY;
    b.open[i] = o;
    b.high[i] = h;
    b.low[i] = l;
    b.close[i] = c;
    b.volume[i] = 1;
  });
  return b;
}

function randomBars(n: number, seed: number): ColumnarBars {
  let s = seed || 1;
  const rand = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const rows: [number, number, number, number][] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    const o = p * (1 + (rand() - 0.5) * 0.02);
    const c = o * (1 + (rand() - 0.5) * 0.06);
    rows.push([o, Math.max(o, c) * (1 + rand() * 0.02), Math.min(o, c) * (1 - rand() * 0.02), c]);
    p = c;
  }
  return bars1d(rows);
}

const cfg = (over: Partial<BacktestConfig> = {}): BacktestConfig => ({ ...DEFAULT_BACKTEST_CONFIG, ...over });

describe('backtest engine', () => {
  it('works a hand-checked example: buy at the next open, sell at the next open, fees and slippage both ways', () => {
    const b = bars1d([
      [100, 101, 99, 100],
      [100, 111, 99, 110],
      [110, 121, 109, 120],
      [125, 126, 119, 121],
    ]);
    const rec = newRecord(4);
    const totals = simulate(
      b,
      Float64Array.from([1, 1, 0, 0]),
      cfg({ initialCash: 1000, feeRate: 0.001, slippageBps: 10 }),
      rec,
    );
    const buyPrice = 100 * 1.001;
    const qty = 1000 / (buyPrice * 1.001);
    const sellPrice = 125 * 0.999;
    const cash = qty * sellPrice * (1 - 0.001);
    expect(rec.fills.map((f) => [f.time, f.reason])).toEqual([
      [T0 + DAY, 'signal'],
      [T0 + 3 * DAY, 'signal'],
    ]);
    expect(rec.fills[0]!.qty).toBeCloseTo(qty, 10);
    expect(rec.equity[0]).toBe(1000);
    expect(rec.equity[1]).toBeCloseTo(qty * 110, 8);
    expect(rec.equity[3]).toBeCloseTo(cash, 8);
    expect(totals.finalEquity).toBeCloseTo(cash, 8);
    expect(totals.fees).toBeCloseTo(1000 - qty * buyPrice + qty * sellPrice * 0.001, 8);
    expect(rec.trades).toHaveLength(1);
    expect(rec.trades[0]).toMatchObject({ entryTime: T0 + DAY, exitTime: T0 + 3 * DAY, bars: 3, exitReason: 'signal' });
    expect(rec.trades[0]!.pnl).toBeCloseTo(cash - 1000, 8);
    expect(totals.exposedBars).toBe(2);
  });

  it('fills at the same close when asked (and says it is optimistic)', () => {
    const b = bars1d([
      [100, 101, 99, 100],
      [100, 111, 99, 110],
      [110, 121, 109, 120],
    ]);
    const r = runBacktest(
      b,
      Float64Array.from([1, 0, 0]),
      cfg({ initialCash: 1000, feeRate: 0, slippageBps: 0, fillAt: 'close' }),
    );
    expect(r.fills.map((f) => f.price)).toEqual([100, 110]);
    expect(r.metrics.finalEquity).toBeCloseTo(1100, 8);
    expect(r.warnings.map(english).join(' ')).toMatch(/optimistic/);
  });

  it('stops out at the stop price, or at the open when the market gaps through it, then waits for the strategy to go flat', () => {
    const b = bars1d([
      [100, 100, 100, 100],
      [100, 101, 99, 100], // enter at 100
      [100, 101, 94, 96], // stop at 95
      [96, 100, 95, 99], // target still 1: no re-entry
      [99, 100, 98, 99], // target 0 seen: lock released
      [99, 100, 98, 99], // re-enter at 99
      [90, 91, 85, 88], // gap below 94.05: filled at the open, 90
      [88, 89, 87, 88],
    ]);
    const rec = newRecord(b.length);
    const totals = simulate(
      b,
      Float64Array.from([1, 1, 1, 0, 1, 1, 1, 1]),
      cfg({ initialCash: 1000, feeRate: 0, slippageBps: 0, stopLossPct: 5 }),
      rec,
    );
    expect(rec.fills.map((f) => [f.price, f.reason])).toEqual([
      [100, 'signal'],
      [95, 'stop'],
      [99, 'signal'],
      [90, 'stop'],
    ]);
    expect(totals.stops).toBe(2);
    expect(rec.trades.map((t) => t.exitReason)).toEqual(['stop', 'stop']);
    expect(totals.finalEquity).toBeCloseTo(1000 * 0.95 * (90 / 99), 8);
  });

  it('agrees with a naive long/flat implementation on random markets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.double({ min: 0, max: 0.005, noNaN: true }),
        (seed, flags, fee) => {
          const b = randomBars(60, seed);
          const target = Float64Array.from(flags, (f) => (f ? 1 : 0));
          const ours = simulate(b, target, cfg({ initialCash: 1000, feeRate: fee, slippageBps: 0, rebalanceBand: 0 }));
          // Naive: all-in / all-out at the next open.
          let cash = 1000;
          let qty = 0;
          for (let i = 1; i < 60; i++) {
            const want = flags[i - 1]!;
            if (want && qty === 0) {
              qty = cash / (b.open[i]! * (1 + fee));
              cash = 0;
            } else if (!want && qty > 0) {
              cash = qty * b.open[i]! * (1 - fee);
              qty = 0;
            }
          }
          const naive = cash + qty * b.close[59]!;
          expect(ours.finalEquity).toBeCloseTo(naive, 6);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps its books: equity = cash + units x close at every bar, rebuilt from the fills alone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 80,
          maxLength: 80,
        }),
        fc.constantFrom<'next_open' | 'close'>('next_open', 'close'),
        fc.option(fc.double({ min: 1, max: 20, noNaN: true }), { nil: null }),
        (seed, targets, fillAt, stopLossPct) => {
          const b = randomBars(80, seed);
          const rec = newRecord(80);
          const totals = simulate(b, Float64Array.from(targets), cfg({ initialCash: 5000, fillAt, stopLossPct }), rec);
          let cash = 5000;
          let units = 0;
          let f = 0;
          for (let i = 0; i < 80; i++) {
            while (f < rec.fills.length && rec.fills[f]!.time === b.time[i]) {
              const fill = rec.fills[f++]!;
              expect(fill.fee).toBeGreaterThanOrEqual(0);
              cash -= fill.qty * fill.price + fill.fee;
              units += fill.qty;
            }
            expect(units).toBeGreaterThanOrEqual(-1e-12);
            expect(cash).toBeGreaterThanOrEqual(-1e-6);
            expect(rec.units![i]).toBeCloseTo(units, 9);
            // No position without a fill: units only move on bars that have fills.
            if (i > 0 && !rec.fills.some((x) => x.time === b.time[i])) expect(rec.units![i]).toBe(rec.units![i - 1]);
            expect(rec.equity[i]).toBeCloseTo(cash + units * b.close[i]!, 6);
          }
          expect(totals.fees).toBeGreaterThanOrEqual(0);
          expect(totals.fees).toBeCloseTo(
            rec.fills.reduce((s, x) => s + x.fee, 0),
            9,
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('bad input', () => {
  const b = randomBars(10, 3);
  it('names the first bad position value or a wrong length', () => {
    expect(() => checkTarget(new Float64Array(9), 10)).toThrow(/9 values for 10 bars/);
    expect(() => checkTarget(Float64Array.from([0, 1, 1.5, 0, 0, 0, 0, 0, 0, 0]), 10)).toThrow(/bar 2 is 1.5/);
    expect(() => checkTarget(Float64Array.from([0, Number.NaN, 0, 0, 0, 0, 0, 0, 0, 0]), 10)).toThrow(/bar 1 is NaN/);
    expect(() => checkTarget(Float64Array.from([-0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 10)).toThrow(BacktestInputError);
  });
  it('refuses empty or one-bar ranges and impossible settings', () => {
    expect(() => runBacktest(allocBars('TEST:X', '1d', 0), null, cfg())).toThrow(/No 1d bars for TEST:X/);
    expect(() => runBacktest(randomBars(1, 1), null, cfg())).toThrow(/at least two/);
    expect(() => runBacktest(b, null, cfg({ feeRate: -0.01 }))).toThrow(/Fee rate/);
    expect(() => runBacktest(b, null, cfg({ stopLossPct: 150 }))).toThrow(/Stop-loss/);
    expect(() => runBacktest(b, null, cfg({ initialCash: 0 }))).toThrow(/Initial cash/);
  });
  it('reports gaps instead of filling them, and says when it ran buy-and-hold', () => {
    const g = randomBars(10, 5);
    for (let i = 5; i < 10; i++) g.time[i] = g.time[i]! + 3 * DAY;
    const r = runBacktest(g, null, cfg());
    expect(r.warnings.map(english).join('\n')).toMatch(/1 gap\(s\) in the data, 3 missing 1d bar\(s\)/);
    expect(r.warnings.map(english).join('\n')).toMatch(/buy-and-hold/);
    const stopped = runBacktest(g, null, cfg({ stopLossPct: 1 }));
    expect(stopped.metrics.stops).toBe(0);
    expect(stopped.warnings.map(english).join('\n')).toMatch(/ignores the stop-loss/);
    expect(r.metrics.finalEquity).toBeCloseTo(r.benchmark.finalEquity, 9);
  });
});
