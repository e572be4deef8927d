import { describe, expect, it } from 'vitest';
import { english } from '../wording/wording';
import { runBacktest } from '../backtest/backtest';
import { DEFAULT_BACKTEST_CONFIG } from '../backtest/engine';
import { SyntheticMarket, demoAssets, syntheticColumns } from '../simulation/syntheticMarket';
import { evaluateStrategy } from './strategy';
import { buildFromTemplate } from './templates';
import {
  axisValues,
  edgeWarnings,
  expandGrid,
  heatmap,
  rankPoints,
  windowWarnings,
  runSweepChunk,
  walkForwardSplit,
  type SweepPoint,
} from './sweep';

const point = (fast: number, slow: number, sharpe: number, trades = 3): SweepPoint => ({
  params: { fast, slow },
  metrics: {
    sharpe,
    totalReturnPct: sharpe * 10,
    sortino: 0,
    calmar: 0,
    maxDrawdownPct: 5,
    trades,
    profitFactor: 1,
    exposurePct: 50,
  },
});

describe('sweep grid, ranking and heatmap', () => {
  it('expands axes without float drift and fills the other parameters with defaults', () => {
    expect(axisValues({ key: 'band', from: 0.1, to: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    const sets = expandGrid('trend-ema', [
      { key: 'fast', from: 5, to: 10, step: 5 },
      { key: 'slow', from: 20, to: 40, step: 10 },
    ]);
    expect(sets).toHaveLength(6);
    expect(sets[0]).toEqual({ fast: 5, slow: 20 });
    expect(sets[5]).toEqual({ fast: 10, slow: 40 });
  });

  it('refuses grids it cannot run, saying why', () => {
    expect(() => expandGrid('trend-ema', [])).toThrow(/at least one/);
    expect(() => expandGrid('trend-ema', [{ key: 'nope', from: 1, to: 2, step: 1 }])).toThrow(/no parameter "nope"/);
    expect(() => expandGrid('trend-ema', [{ key: 'fast', from: 1, to: 10, step: 1 }])).toThrow(/within 2..200/);
    expect(() => expandGrid('trend-ema', [{ key: 'fast', from: 10, to: 5, step: 1 }])).toThrow(/below "from"/);
    expect(() =>
      expandGrid('trend-ema', [
        { key: 'fast', from: 2, to: 200, step: 1 },
        { key: 'slow', from: 5, to: 1000, step: 1 },
      ]),
    ).toThrow(/limit is 20000/);
    expect(() => walkForwardSplit(100, 95)).toThrow(/between 10 and 90/);
    expect(walkForwardSplit(100, 70)).toBe(70);
  });

  it('ranks by the chosen metric, skips sets without trades, warns when the best is on the edge', () => {
    const pts = [point(5, 20, 0.5), point(10, 20, 1.5), point(15, 20, 0.2), point(5, 30, 2, 0), null, point(15, 30, 1)];
    const ranked = rankPoints(pts, 'sharpe');
    expect(ranked.map((p) => p.metrics.sharpe)).toEqual([1.5, 1, 0.5, 0.2]);
    const axes = [
      { key: 'fast', from: 5, to: 15, step: 5 },
      { key: 'slow', from: 20, to: 30, step: 10 },
    ];
    expect(edgeWarnings(ranked[0], axes)).toEqual([]); // fast 10 is inside; slow has only 2 values
    expect(english(edgeWarnings(point(15, 20, 1), axes)[0]!)).toMatch(/best Fast EMA \(15\) is at the edge/);
    // a minimum of trades leaves out the sets that traded too little to judge
    expect(rankPoints([...pts, point(10, 30, 9, 1)], 'sharpe', 3).map((p) => p.metrics.sharpe)).toEqual([
      1.5, 1, 0.5, 0.2,
    ]);
    expect(rankPoints([...pts, point(10, 30, 9, 1)], 'sharpe').map((p) => p.metrics.sharpe)[0]).toBe(9);
    // the backtest's 90-day rule for annualised metrics
    expect(english(windowWarnings('sharpe', 30)[0]!)).toMatch(
      /^Ranked by Sharpe over 30 days: annualised figures need at least 90 days/,
    );
    expect(windowWarnings('totalReturnPct', 30)).toEqual([]);
    expect(windowWarnings('sharpe', 120)).toEqual([]);
    const h = heatmap(pts, axes, 'sharpe')!;
    expect(h.x.values).toEqual([5, 10, 15]);
    expect(h.cells).toEqual([
      [0.5, 1.5, 0.2],
      [null, null, 1],
    ]);
  });
});

describe('series cache', () => {
  it('evicts the least recently used series beyond its byte budget', async () => {
    const { SeriesCache } = await import('./seriesCache');
    const c = new SeriesCache(3 * 80);
    const s = () => new Float64Array(10);
    c.set('a', s());
    c.set('b', s());
    c.set('c', s());
    c.get('a'); // a is now the most recent
    c.set('d', s());
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
    expect(c.size).toBe(3);
  });
});

describe('sweep against the full backtest', () => {
  it('gives each parameter set exactly the metrics a full backtest of it gives (statistics fed bar by bar, no equity array)', () => {
    const bars = syntheticColumns(new SyntheticMarket(demoAssets(Date.UTC(2026, 0, 1)), 7), 'ETH/USDT', '1m', 20_000);
    const sets: Record<string, number>[] = [
      { fast: 5, slow: 40 },
      { fast: 12, slow: 48, band: 0 },
      { fast: 30, slow: 20 },
    ];
    for (const cfg of [
      DEFAULT_BACKTEST_CONFIG,
      { ...DEFAULT_BACKTEST_CONFIG, stopLossPct: 0.5, fillAt: 'close' as const },
    ]) {
      const points = runSweepChunk(bars, 'trend-ema', sets, cfg);
      expect(points[2]).toBeNull(); // fast >= slow cannot be built
      for (const [i, params] of sets.slice(0, 2).entries()) {
        const def = buildFromTemplate('trend-ema', params, { stopLossPct: cfg.stopLossPct });
        const full = runBacktest(bars, evaluateStrategy(def, bars).target, cfg).metrics;
        expect(full.trades).toBeGreaterThan(0);
        const { totalReturnPct, sharpe, sortino, calmar, maxDrawdownPct, trades, profitFactor, exposurePct } = full;
        expect(points[i]).toEqual({
          params,
          metrics: { totalReturnPct, sharpe, sortino, calmar, maxDrawdownPct, trades, profitFactor, exposurePct },
        });
      }
    }
  });
});
