// Golden backtests: fixed data (the seeded synthetic market) and fixed strategies give the
// committed statistics in test/golden/backtests.json. A change in any figure is a change in
// the engine's behaviour and must be looked at, then re-recorded with UPDATE_GOLDEN=1.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKTEST_CONFIG } from '../core/backtest/engine';
import { runBacktest } from '../core/backtest/backtest';
import { cryptoNeeds, evaluateStrategy } from '../core/research/strategy';
import { TEMPLATES, buildFromTemplate } from '../core/research/templates';
import { SyntheticMarket, demoAssets, syntheticColumns } from '../core/simulation/syntheticMarket';
import { PerpetualMarket } from '../core/simulation/perpetualMarket';
import { perpetualColumns } from '../core/simulation/perpetualColumns';

const FILE = path.join(__dirname, 'golden', 'backtests.json');
const market = new SyntheticMarket(demoAssets(Date.UTC(2026, 0, 1)), 42);
const perps = new PerpetualMarket(market, 42);
const cases = [
  ...TEMPLATES.map((t) => ({
    name: `${t.id} BTC/USDT 1d x500`,
    pair: 'BTC/USDT',
    tf: '1d' as const,
    bars: 500,
    template: t.id,
    stopLossPct: null as number | null,
  })),
  {
    name: 'trend-ema stop 6% ETH/USDT 1d x500',
    pair: 'ETH/USDT',
    tf: '1d' as const,
    bars: 500,
    template: 'trend-ema',
    stopLossPct: 6,
  },
  {
    name: 'perp-basis-reversion BTC/USDT 1m x20000',
    pair: 'BTC/USDT',
    tf: '1m' as const,
    bars: 20_000,
    template: 'perp-basis-reversion',
    stopLossPct: null,
  },
  {
    name: 'breakout-donchian SOL/USDT 1m x20000',
    pair: 'SOL/USDT',
    tf: '1m' as const,
    bars: 20_000,
    template: 'breakout-donchian',
    stopLossPct: 1,
  },
];

/** Six significant digits: stable across platforms, tight enough to catch any real change. */
const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : String(x));

function statistics(c: (typeof cases)[number]): Record<string, number | string | boolean> {
  const bars = syntheticColumns(market, c.pair, c.tf, c.bars);
  const def = buildFromTemplate(c.template, {}, { stopLossPct: c.stopLossPct });
  bars.crypto = perpetualColumns(perps, c.pair, bars, cryptoNeeds(def));
  const out = evaluateStrategy(def, bars);
  const r = runBacktest(
    bars,
    out.target,
    { ...DEFAULT_BACKTEST_CONFIG, stopLossPct: def.stopLossPct },
    { warmupBars: out.warmupBars },
  );
  const stats: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(r.metrics)) stats[k] = typeof v === 'number' ? round(v) : v;
  stats.benchmarkTotalReturnPct = round(r.benchmark.totalReturnPct);
  stats.firstFill = r.fills[0] ? new Date(r.fills[0].time).toISOString() : 'none';
  return stats;
}

describe('golden backtests', () => {
  const actual = Object.fromEntries(cases.map((c) => [c.name, statistics(c)]));
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(FILE, `${JSON.stringify(actual, null, 2)}\n`);
  const expected = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Record<string, unknown>;

  it('covers exactly the recorded cases', () => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  });
  for (const c of cases) {
    it(c.name, () => {
      expect(actual[c.name]).toEqual(expected[c.name]);
      expect(actual[c.name]!.trades).toBeGreaterThan(0);
    });
  }
});
