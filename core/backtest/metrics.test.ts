import { describe, expect, it } from 'vitest';
import { computeMetrics } from './metrics';
import type { SimulationTotals, Trade } from './engine';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const totals = (over: Partial<SimulationTotals> = {}): SimulationTotals => ({
  finalEquity: 0,
  fees: 0,
  traded: 0,
  fillCount: 0,
  exposedBars: 0,
  stops: 0,
  ...over,
});
const days = (n: number) => Float64Array.from({ length: n }, (_, i) => T0 + i * DAY);
const trade = (pnl: number, returnPct: number): Trade => ({
  entryTime: 0,
  entryPrice: 1,
  exitTime: 0,
  exitPrice: 1,
  maxQty: 1,
  pnl,
  returnPct,
  fees: 0,
  bars: 1,
  exitReason: 'signal',
});

describe('metrics', () => {
  it('annualises a steady doubling over a year to 100 % with no drawdown and no volatility', () => {
    const n = 365;
    const g = 2 ** (1 / n);
    const equity = Float64Array.from({ length: n }, (_, i) => 100 * g ** (i + 1));
    const m = computeMetrics(equity, days(n), '1d', 100, totals({ exposedBars: n }), []);
    expect(m.totalReturnPct).toBeCloseTo(100, 8);
    expect(m.annualReturnPct).toBeCloseTo(100, 6);
    expect(m.annualVolatilityPct).toBeCloseTo(0, 6);
    expect(m.maxDrawdownPct).toBe(0);
    expect(m.exposurePct).toBe(100);
    expect(m.annualisedUnreliable).toBe(false);
  });

  it('measures the deepest drawdown and the longest time under water', () => {
    const equity = Float64Array.from([100, 120, 90, 110, 130, 117, 125, 140]);
    const m = computeMetrics(equity, days(8), '1d', 100, totals(), []);
    expect(m.maxDrawdownPct).toBeCloseTo(25, 10); // 120 -> 90
    expect(m.maxDrawdownDurationMs).toBe(3 * DAY); // peak on day 1, back above it on day 4: under water days 2..3 (+1 bar)
    expect(m.annualisedUnreliable).toBe(true);
  });

  it('trade statistics: win rate, profit factor, expectancy', () => {
    const m = computeMetrics(Float64Array.from([100, 101]), days(2), '1d', 100, totals({ fillCount: 6 }), [
      trade(30, 3),
      trade(-10, -1),
      trade(20, 2),
    ]);
    expect(m.trades).toBe(3);
    expect(m.winRatePct).toBeCloseTo(200 / 3, 10);
    expect(m.profitFactor).toBe(5);
    expect(m.expectancy).toBeCloseTo(40 / 3, 10);
    expect(m.averageTradePct).toBeCloseTo(4 / 3, 10);
    expect(m.switches).toBe(6);
    expect(
      computeMetrics(Float64Array.from([100, 101]), days(2), '1d', 100, totals(), [trade(5, 5)]).profitFactor,
    ).toBe(Number.POSITIVE_INFINITY);
  });

  it('Sharpe and Sortino from per-bar returns, annualised by the timeframe', () => {
    const equity = Float64Array.from([101, 100, 102, 101, 103]);
    const r = [0.01, 100 / 101 - 1, 1.02 - 1, 101 / 102 - 1, 103 / 101 - 1];
    const mean = r.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    const down = Math.sqrt(r.filter((x) => x < 0).reduce((a, b) => a + b * b, 0) / 5);
    const m1d = computeMetrics(equity, days(5), '1d', 100, totals(), []);
    expect(m1d.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 8);
    expect(m1d.sortino).toBeCloseTo((mean / down) * Math.sqrt(365), 8);
    const minutes = Float64Array.from({ length: 5 }, (_, i) => T0 + i * 60_000);
    expect(computeMetrics(equity, minutes, '1m', 100, totals(), []).sharpe).toBeCloseTo(
      (mean / sd) * Math.sqrt(365 * 1440),
      6,
    );
  });
});

describe('drawdown series', () => {
  it('is the distance below the running peak, written in the same pass', () => {
    const equity = Float64Array.from([100, 120, 90, 110, 130]);
    const dd = new Float64Array(5);
    computeMetrics(equity, days(5), '1d', 100, totals(), [], dd);
    expect(Array.from(dd)).toEqual([0, 0, -25, (110 / 120 - 1) * 100, 0]);
  });
});

describe('downsampled curves', () => {
  it('keeps the last point per bucket, or the deepest for drawdown', async () => {
    const { downsampleCurves } = await import('./downsample');
    const time = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const eq = Float64Array.from([10, 11, 12, 13, 14, 15]);
    const dd = Float64Array.from([0, -5, 0, 0, -1, 0]);
    const c = downsampleCurves(time, [eq, dd], 2, [false, true]);
    expect(c).toEqual({
      time: [3, 6],
      values: [
        [12, 15],
        [-5, -1],
      ],
    });
    expect(downsampleCurves(time, [eq], 100).time).toHaveLength(6);
  });
});
