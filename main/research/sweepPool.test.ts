// The sweep on real worker threads (the bundled thread script) gives exactly what the same
// chunk gives in-process, reports progress to the total, and cancels.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleSweepThread } from '../../test/workerBundle';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BACKTEST_CONFIG } from '../../core/backtest/engine';
import { expandGrid, runSweepChunk } from '../../core/research/sweep';
import { SyntheticMarket, demoAssets, syntheticColumns } from '../../core/simulation/syntheticMarket';
import { runSweep } from './sweepPool';

let script: string;
beforeAll(async () => {
  script = await bundleSweepThread(fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-sweep-')));
});

const bars = syntheticColumns(new SyntheticMarket(demoAssets(Date.UTC(2026, 0, 1)), 5), 'BTC/USDT', '1d', 450);
const sets = expandGrid('trend-ema', [
  { key: 'fast', from: 5, to: 30, step: 5 },
  { key: 'slow', from: 20, to: 60, step: 10 },
]);

describe('sweep pool', () => {
  it('matches the in-process result set for set, across two threads, with progress to the total', async () => {
    const progress: number[] = [];
    const pooled = await runSweep({
      bars,
      templateId: 'trend-ema',
      sets,
      config: DEFAULT_BACKTEST_CONFIG,
      threads: 2,
      script,
      onProgress: (d, total) => progress.push(d / total),
    });
    const local = runSweepChunk(bars, 'trend-ema', sets, DEFAULT_BACKTEST_CONFIG);
    expect(pooled).toHaveLength(30);
    expect(pooled).toEqual(local);
    // fast 30 with slow 20 (slow <= fast) is not a valid strategy: null, not a failed sweep.
    expect(pooled[sets.findIndex((s) => s.fast === 30 && s.slow === 20)]).toBeNull();
    expect(pooled.filter((p) => p !== null).length).toBeGreaterThan(20);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('stops its threads on cancel', async () => {
    const ac = new AbortController();
    const big = syntheticColumns(new SyntheticMarket(demoAssets(Date.UTC(2026, 0, 1)), 5), 'ETH/USDT', '1m', 200_000);
    const p = runSweep({
      bars: big,
      templateId: 'trend-ema',
      sets,
      config: DEFAULT_BACKTEST_CONFIG,
      threads: 2,
      script,
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    await expect(p).rejects.toThrow(/cancelled/);
  });
});
