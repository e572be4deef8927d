// Research benchmarks (B1-B3 in docs/ARCHITECTURE.md) on a synthetic year of 1m bars, each against a
// baseline measured in the same run.
import { performance } from 'node:perf_hooks';
import { DEFAULT_BACKTEST_CONFIG, simulate } from '../core/backtest/engine';
import { runBacktest } from '../core/backtest/backtest';
import { expandGrid } from '../core/research/sweep';
import { evaluateStrategy } from '../core/research/strategy';
import { buildFromTemplate } from '../core/research/templates';
import { SyntheticMarket, demoAssets, syntheticColumns } from '../core/simulation/syntheticMarket';
import { runSweep } from '../main/research/sweepPool';
import type { BenchLine } from './marketBench';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeIt(fn: () => unknown, runs: number): number {
  for (let i = 0; i < 3; i++) fn(); // warm
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

export async function researchBench(only: Set<string>, barCount: number, sweepScript: string): Promise<BenchLine[]> {
  const want = (id: string) => only.size === 0 || only.has(id);
  if (!['B1', 'B2', 'B3'].some(want)) return [];
  const bars = syntheticColumns(new SyntheticMarket(demoAssets(Date.UTC(2026, 0, 1)), 42), 'BTC/USDT', '1m', barCount);
  const def = buildFromTemplate('trend-ema', { fast: 60, slow: 240 });
  const { target } = evaluateStrategy(def, bars);
  const lines: BenchLine[] = [];

  // The baseline: one bare pass over the same columns the engine reads.
  let sink = 0;
  const scanMs = timeIt(() => {
    let s = 0;
    const { open, close } = bars;
    for (let i = 0; i < bars.length; i++) s += close[i]! - open[i]!;
    sink += s;
  }, 30);
  const b1 = timeIt(() => (sink += simulate(bars, target, DEFAULT_BACKTEST_CONFIG).finalEquity), 30);
  if (want('B1'))
    lines.push({
      id: 'B1',
      values: { ms: b1.toFixed(2), scan_ms: scanMs.toFixed(2), ratio: (scanMs / b1).toFixed(2), bars: bars.length },
    });
  if (want('B2')) {
    const b2 = timeIt(() => (sink += runBacktest(bars, target, DEFAULT_BACKTEST_CONFIG).metrics.finalEquity), 10);
    lines.push({ id: 'B2', values: { ms: b2.toFixed(2), b1_ms: b1.toFixed(2), bars: bars.length } });
  }
  if (want('B3')) {
    const sets = expandGrid('trend-ema', [
      { key: 'fast', from: 2, to: 41, step: 1 },
      { key: 'slow', from: 50, to: 290, step: 10 },
    ]);
    const t0 = performance.now();
    const points = await runSweep({
      bars,
      templateId: 'trend-ema',
      sets,
      config: DEFAULT_BACKTEST_CONFIG,
      script: sweepScript,
    });
    const s = (performance.now() - t0) / 1000;
    const sweepBarsPerS = (sets.length * bars.length) / s;
    const b1BarsPerS = bars.length / (b1 / 1000);
    lines.push({
      id: 'B3',
      values: {
        s: s.toFixed(2),
        sets: sets.length,
        bars: bars.length,
        ok_sets: points.filter(Boolean).length,
        bars_per_s: Math.round(sweepBarsPerS),
        b1_bars_per_s: Math.round(b1BarsPerS),
        ratio: (sweepBarsPerS / b1BarsPerS).toFixed(2),
      },
    });
  }
  if (sink === 42) console.log(''); // keep the work observable
  return lines;
}
