// Research on the real database server: runs from stored bars (template, outside signals,
// buy-and-hold), kept and listed; sweeps on real threads with walk-forward; bad requests
// answered with their reasons and nothing stored.
import { english } from '../../core/wording/wording';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleSweepThread } from '../../test/workerBundle';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResearchProgress } from '../../core/api/researchContract';
import { RunRequestSchema, SweepRequestSchema } from '../../core/api/researchContract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { OhlcvTuple } from '../../core/market/bars';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { MarketStore } from '../market/marketStore';
import { ResearchDesk } from './researchDesk';
import { COLLECTIONS } from '../../core/db/collections';

const t = useTestDb('research');
const DAY = 86_400_000;
const market = new SyntheticMarket(demoAssets(Date.UTC(2026, 0, 1)), 21);
const first = market.asset('BTC/USDT')!.listedAt;
const progress: ResearchProgress[] = [];
let desk: ResearchDesk;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-research-'));
  const sweepScript = await bundleSweepThread(dir);
  const rows: OhlcvTuple[] = [];
  for (let i = 0; i < 400; i++) rows.push(market.daily('BTC/USDT', first + i * DAY)!);
  await new MarketStore(t.db()).writeBars('TEST:BTCUSDT', '1d', rows);
  desk = new ResearchDesk({
    db: t.db,
    bars: () => new MarketStore(t.db()),
    log: createMemoryLogger(),
    progress: (p) => progress.push(p),
    sweepScript,
    threads: 2,
  });
});

const iso = (ms: number) => new Date(ms).toISOString();
const runReq = (over: Record<string, unknown>) =>
  RunRequestSchema.parse({
    jobId: `job-${Math.random().toString(36).slice(2, 10)}`,
    symbol: 'TEST:BTCUSDT',
    timeframe: '1d',
    from: iso(first),
    to: iso(first + 399 * DAY),
    strategy: { kind: 'hold' },
    ...over,
  });

describe('research desk', () => {
  it('runs a template strategy on stored bars, keeps the run and lists it', async () => {
    const req = runReq({
      strategy: {
        kind: 'template',
        templateId: 'breakout-donchian',
        params: { period: 30 },
        strategyId: 'btc-breakout',
      },
      settings: { feePct: 0.1, slippageBps: 5, stopLossPct: 8 },
    });
    const run = await desk.run(req);
    expect(run.bars).toBe(400);
    expect(run.strategyId).toBe('btc-breakout');
    expect(run.version).toMatch(/^[0-9a-f]{12}$/);
    expect(run.metrics.trades).toBeGreaterThan(0);
    expect(run.tradesTotal).toBe(run.metrics.trades);
    expect(run.curve.time).toHaveLength(400);
    expect(Math.min(...run.curve.drawdown)).toBeCloseTo(-run.metrics.maxDrawdownPct, 6);
    expect(run.fills.length).toBe(run.metrics.switches);
    expect(run.benchmark.totalReturnPct).toBeCloseTo((run.curve.benchmark.at(-1)! / 10_000 - 1) * 100, 6);
    expect(progress.filter((p) => p.jobId === req.jobId).map((p) => p.stage)).toEqual([
      'loading',
      'loading',
      'computing',
      'saving',
      'done',
    ]);

    // Same definition, same version; another parameter, another version.
    const again = await desk.run(
      runReq({
        strategy: { kind: 'template', templateId: 'breakout-donchian', params: { period: 30 } },
        settings: { stopLossPct: 8 },
      }),
    );
    expect(again.version).toBe(run.version);
    const other = await desk.run(
      runReq({
        strategy: { kind: 'template', templateId: 'breakout-donchian', params: { period: 31 } },
        settings: { stopLossPct: 8 },
      }),
    );
    expect(other.version).not.toBe(run.version);

    const list = await desk.runs();
    expect(list.map((r) => r.id)).toContain(run.id);
    expect(list[0]).not.toHaveProperty('curve');
    const back = await desk.get(run.id);
    expect(back.metrics).toEqual(run.metrics);
    expect(back.trades).toEqual(run.trades);
    expect(await desk.delete(other.id)).toEqual({ deleted: true });
    await expect(desk.get(other.id)).rejects.toThrow(/No backtest run/);
  });

  it('backtests signals another program wrote to crypto_signals, and buy-and-hold when no strategy is given', async () => {
    await t
      .db()
      .collection('crypto_signals')
      .insertMany([
        {
          ts: new Date(first + 50 * DAY),
          timeframe: '1d',
          symbol: 'TEST:BTCUSDT',
          pair: 'BTC/USDT',
          action: 'enter_long',
          strategy_id: 'outside-py',
        },
        {
          ts: new Date(first + 120 * DAY),
          timeframe: '1d',
          symbol: 'TEST:BTCUSDT',
          pair: 'BTC/USDT',
          action: 'exit_long',
          strategy_id: 'outside-py',
        },
      ]);
    const run = await desk.run(
      runReq({ strategy: { kind: 'signals', strategyId: 'outside-py' }, settings: { feePct: 0, slippageBps: 0 } }),
    );
    expect(run.trades).toHaveLength(1);
    expect(run.trades[0]).toMatchObject({
      entryTime: first + 51 * DAY,
      exitTime: first + 121 * DAY,
      exitReason: 'signal',
    });
    const hold = await desk.run(runReq({}));
    expect(hold.strategyLabel).toBe('buy-and-hold');
    expect(hold.metrics.totalReturnPct).toBeCloseTo(hold.benchmark.totalReturnPct, 9);
    expect(hold.warnings.map(english).join(' ')).toMatch(/buy-and-hold/);
  });

  it('sweeps on threads with a heatmap, edge warnings and a walk-forward check', async () => {
    const req = SweepRequestSchema.parse({
      jobId: 'sweep-job-1',
      symbol: 'TEST:BTCUSDT',
      timeframe: '1d',
      from: iso(first),
      to: iso(first + 399 * DAY),
      templateId: 'trend-ema',
      axes: [
        { key: 'fast', from: 4, to: 20, step: 4 },
        { key: 'slow', from: 30, to: 90, step: 20 },
      ],
      metric: 'sharpe',
      inSamplePct: 70,
    });
    const sweep = await desk.sweep(req);
    expect(sweep.sets).toBe(20);
    expect(sweep.validSets).toBe(20);
    expect(sweep.heatmap!.cells).toHaveLength(4);
    expect(sweep.heatmap!.cells[0]).toHaveLength(5);
    const sharpes = sweep.top.map((p) => p.metrics.sharpe);
    expect([...sharpes].sort((a, b) => b - a)).toEqual(sharpes);
    expect(sweep.walkForward!.rows.length).toBeGreaterThan(0);
    expect(sweep.walkForward!.splitAt).toBe(first + 280 * DAY);
    expect(sweep.walkForward!.rows[0]!.inSample).toEqual(sweep.top[0]!.metrics);
    const sweepProgress = progress.filter((p) => p.jobId === 'sweep-job-1');
    expect(sweepProgress.some((p) => p.stage === 'sweeping' && p.done === 20 && p.total === 20)).toBe(true);
    const kept = (await desk.sweeps())[0]!;
    expect(kept.id).toBe(sweep.id);
    expect(kept.heatmap).toEqual(sweep.heatmap);
  });

  it('answers bad requests with the reason and stores nothing', async () => {
    const before = await t.db().collection(COLLECTIONS.backtests).countDocuments();
    await expect(desk.run(runReq({ symbol: 'TEST:ETHUSDT' }))).rejects.toThrow(/No 1d bars stored for TEST:ETHUSDT/);
    await expect(desk.run(runReq({ to: iso(first - DAY) }))).rejects.toThrow(/range is empty/);
    await expect(
      desk.run(runReq({ strategy: { kind: 'template', templateId: 'trend-ema', params: { fast: 60, slow: 20 } } })),
    ).rejects.toThrow(/slow \(20\) must be longer than fast \(60\)/);
    await expect(desk.run(runReq({ strategy: { kind: 'template', templateId: 'nope', params: {} } }))).rejects.toThrow(
      /Unknown strategy template "nope"/,
    );
    await expect(desk.run(runReq({ strategy: { kind: 'signals', strategyId: 'missing' } }))).rejects.toThrow(
      /No 1d signals of strategy "missing"/,
    );
    await t
      .db()
      .collection('crypto_signals')
      .insertOne({
        ts: new Date(first + 5 * DAY),
        timeframe: '1d',
        symbol: 'TEST:BTCUSDT',
        pair: 'BTC/USDT',
        weight: 3,
        strategy_id: 'bad-weights',
      });
    await expect(desk.run(runReq({ strategy: { kind: 'signals', strategyId: 'bad-weights' } }))).rejects.toThrow(
      /weight 3; a long\/flat backtest needs weights in \[0, 1\]/,
    );
    await expect(
      desk.sweep(
        SweepRequestSchema.parse({
          jobId: 'sweep-job-2',
          symbol: 'TEST:BTCUSDT',
          timeframe: '1d',
          from: iso(first),
          to: iso(first + 399 * DAY),
          templateId: 'trend-ema',
          axes: [{ key: 'fast', from: 1, to: 5, step: 1 }],
        }),
      ),
    ).rejects.toThrow(/within 2..200/);
    expect(await t.db().collection(COLLECTIONS.backtests).countDocuments()).toBe(before);
    expect(progress.some((p) => p.stage === 'failed')).toBe(true);
  });
});
