// Perpetual data through the whole back end, as the desk drives it: the demo exchange's
// perpetual imported by a real worker, its order book sampled, the chart's panes, and the
// basis-reversion template through a backtest, a sweep and a pipeline that exports signals.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PerpCoverage, PerpPanes, SeriesView, WorkerStatus } from '../../core/api/contract';
import type { PipelineView } from '../../core/api/signalsContract';
import type { ReplyMessage } from '../../core/api/messages';
import type { Backend } from '../app/backend';
import { bundleSweepThread, bundleWorker } from '../../test/workerBundle';
import { startTestBackend, testDataDir } from '../../test/testBackend';

const uri = inject('mongoUri');
let workerDir: string;
let dataDir: string;
let backend: Backend;
const SYMBOL = 'DEMO:ETHUSDT';
const DAY = 86_400_000;
const now = Date.now();
const from = new Date(Math.floor((now - 2 * DAY) / 60_000) * 60_000).toISOString();
const to = new Date(now).toISOString();

async function call<T>(method: string, params: unknown = {}): Promise<T> {
  const r: ReplyMessage = await backend.dispatch({ type: 'request', id: 1, method, params }, 'test');
  if (!r.ok) throw Object.assign(new Error(r.error.message), { reply: r.error });
  return r.value as T;
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const worker = (name: string) =>
  until(
    `${name} finished`,
    () => call<WorkerStatus[]>('workers.list'),
    (ws) => ws.some((w) => w.name === name && w.state === 'stopped'),
  ).then((ws) => ws.find((w) => w.name === name)!);

beforeAll(async () => {
  let script: string;
  ({ dir: workerDir, script } = await bundleWorker('qd-perp-worker-'));
  dataDir = testDataDir('qd-perp-', `perp_${crypto.randomUUID().slice(0, 8)}`);
  backend = await startTestBackend({
    dataDir,
    workerScript: script,
    mongoUri: uri,
    sweepScript: await bundleSweepThread(workerDir),
  });
  await call('market.import.start', { exchange: 'demo', pair: 'ETH/USDT', timeframe: '1m', from, auto: false });
  await until(
    'candles stored',
    () => call<SeriesView[]>('market.series'),
    (s) => (s.find((x) => x.symbol === SYMBOL)?.stored?.bars ?? 0) > 2800,
  );
}, 120_000);

afterAll(async () => {
  await backend?.stop();
  for (const d of [workerDir, dataDir]) fs.rmSync(d, { recursive: true, force: true });
});

const template = { kind: 'template', templateId: 'perp-basis-reversion', params: { period: 60, entryZ: 1 } };

describe('perpetual data on the desk', () => {
  it('a strategy with crypto factors before any perpetual data is refused with what to do', async () => {
    const err = await call('research.run', {
      jobId: 'perp-run-early',
      symbol: SYMBOL,
      timeframe: '1m',
      from,
      to,
      strategy: template,
    }).catch((e: { reply: { message: string; wording?: unknown } }) => e.reply);
    expect(err).toMatchObject({
      code: 'BAD_REQUEST',
      message: `This strategy needs the perpetual's bars for ${SYMBOL} 1m, and none are stored in that range: import perpetual data on the Market data page first`,
    });
  });

  it(
    'imports funding and the perpetual bars in a worker; a second import writes nothing',
    { timeout: 120_000 },
    async () => {
      await call('market.perp.import', { symbol: SYMBOL, timeframe: '1m' });
      const first = await worker(`perp:${SYMBOL}:1m`);
      expect(first.detail).toMatchObject({ cancelled: false });
      expect(Number(first.detail.funding)).toBeGreaterThanOrEqual(6);
      const cov = await call<PerpCoverage[]>('market.perp.coverage');
      const bars = (await call<SeriesView[]>('market.series')).find((s) => s.symbol === SYMBOL)!.stored!.bars;
      const row = (kind: string) => cov.find((c) => c.symbol === SYMBOL && c.kind === kind);
      expect(row('funding')!.rows).toBe(Number(first.detail.funding));
      for (const kind of ['last', 'mark', 'index']) expect(row(kind)!.rows).toBeGreaterThanOrEqual(bars);
      expect((await call<SeriesView[]>('market.series')).find((s) => s.symbol === SYMBOL)!.perp).toBe(true);

      await call('market.perp.import', { symbol: SYMBOL, timeframe: '1m' });
      const second = await until(
        'the second import',
        () => call<WorkerStatus[]>('workers.list'),
        (ws) =>
          ws.some((w) => w.name === `perp:${SYMBOL}:1m` && w.state === 'stopped' && w.startedAt !== first.startedAt),
      ).then((ws) => ws.find((w) => w.name === `perp:${SYMBOL}:1m`)!);
      expect(Number(second.detail.funding)).toBe(0);
    },
  );

  it(
    'samples the order book while depth is recorded, and draws funding, basis and depth panes',
    { timeout: 60_000 },
    async () => {
      const view = await call<SeriesView>('market.perp.depth', { symbol: SYMBOL, timeframe: '1m', on: true });
      expect(view.depth).toBe(true);
      await until(
        'a depth row',
        () => call<PerpCoverage[]>('market.perp.coverage'),
        (cov) => (cov.find((c) => c.symbol === SYMBOL && c.kind === 'depth')?.rows ?? 0) >= 1,
        40_000,
      );
      const panes = await call<PerpPanes>('market.perp.panes', {
        symbol: SYMBOL,
        timeframe: '1m',
        from,
        to: new Date().toISOString(),
      });
      expect(panes.funding.time.length).toBeGreaterThanOrEqual(6);
      expect(panes.funding.rateBp.every((r) => Math.abs(r) < 100)).toBe(true);
      const basis = panes.basis.perpPct.filter((x): x is number => x !== null);
      expect(basis.length).toBeGreaterThan(panes.basis.time.length * 0.9);
      // The demo perpetual trades within a few tens of bp of spot: annualised, well under 1,000 %.
      expect(Math.max(...basis.map(Math.abs))).toBeLessThan(1000);
      expect(panes.depth.time.length).toBeGreaterThanOrEqual(1);
      expect(panes.depth.imbalance[0]).toBeGreaterThanOrEqual(-1);
      expect(panes.depth.spreadBp[0]).toBeGreaterThan(0);
      await call('market.perp.depth', { symbol: SYMBOL, timeframe: '1m', on: false });
    },
  );

  it(
    'runs the basis-reversion template through a backtest, a sweep and a pipeline that exports signals',
    { timeout: 120_000 },
    async () => {
      const run = await call<{ bars: number; metrics: { trades: number } }>('research.run', {
        jobId: 'perp-run-late',
        symbol: SYMBOL,
        timeframe: '1m',
        from,
        to,
        strategy: template,
      });
      expect(run.bars).toBeGreaterThan(2800);
      expect(run.metrics.trades).toBeGreaterThan(0);

      const sweep = await call<{ sets: number; validSets: number }>('research.sweep', {
        jobId: 'perp-sweep-1',
        symbol: SYMBOL,
        timeframe: '1m',
        from,
        to,
        templateId: 'perp-basis-reversion',
        axes: [
          { key: 'period', from: 60, to: 120, step: 60 },
          { key: 'entryZ', from: 1, to: 2, step: 1 },
        ],
      });
      expect(sweep).toMatchObject({ sets: 4, validSets: 4 });

      const saved = await call<PipelineView>('pipelines.save', {
        name: 'perp basis',
        symbol: SYMBOL,
        timeframe: '1m',
        templateId: 'perp-basis-reversion',
        params: { period: 60, entryZ: 1 },
        strategyId: 'perp-basis.ethusdt',
        historyBars: 2000,
      });
      const ran = await call<PipelineView>('pipelines.run', { id: saved.id });
      expect(ran.lastRun).toMatchObject({ ok: true, error: null });
      expect(ran.lastRun!.steps.export!.inserted).toBeGreaterThan(0);
    },
  );

  it(
    'live, the pipeline exports at each bar close with the perpetual data of that bar fetched on the way',
    { timeout: 150_000 },
    async () => {
      const saved = (await call<PipelineView[]>('pipelines.list')).find((p) => p.name === 'perp basis')!;
      await call('pipelines.live', { id: saved.id, live: true });
      const live = await until(
        'a live run',
        async () => (await call<PipelineView[]>('pipelines.list')).find((p) => p.id === saved.id)!,
        (p) => p.lastRun?.trigger === 'live',
        140_000,
      );
      expect(live.lastRun).toMatchObject({ ok: true, error: null });
      expect(live.lastRun!.steps.export!.inserted + live.lastRun!.steps.export!.replaced).toBe(1);
      // The bar it exported for has its perpetual bar stored (fetched then, not left to the next import).
      const panes = await call<PerpPanes>('market.perp.panes', {
        symbol: SYMBOL,
        timeframe: '1m',
        from,
        to: new Date().toISOString(),
      });
      const i = panes.basis.time.indexOf(live.liveLastBar!);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(panes.basis.perpPct[i]).not.toBeNull();
      await call('pipelines.live', { id: saved.id, live: false });
    },
  );
});
