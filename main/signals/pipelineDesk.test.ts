// Pipelines on the real database server: a manual run keeps every step's output and exports
// idempotently; live mode exports the signal of each bar as it closes, measures its latency
// and raises an alert when the budget (timeframe / 2) is breached; failures become alerts.
import { english } from '../../core/wording/wording';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PipelineView } from '../../core/api/signalsContract';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { PipelineDraftSchema } from '../../core/api/signalsContract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { OhlcvTuple } from '../../core/market/bars';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { AuditTrail } from '../audit/auditTrail';
import { MarketStore } from '../market/marketStore';
import { PipelineDesk } from './pipelineDesk';
import { SignalStore } from './signalStore';
import { COLLECTIONS } from '../../core/db/collections';

const t = useTestDb('pipelines');
const MIN = 60_000;
const DAY = 86_400_000;
const T = Date.UTC(2026, 3, 10, 12, 0, 0); // a minute boundary
const market = new SyntheticMarket(demoAssets(T), 8);
let clock = T + 2_000;
const alerts: AlertInput[] = [];
const changes: PipelineView[] = [];
const exported: number[] = [];
let desk: PipelineDesk;

beforeAll(async () => {
  const store = new MarketStore(t.db());
  await store.writeBars('TEST:BTCUSDT', '1m', market.minutes('BTC/USDT', T - 400 * MIN, T - 2 * MIN, 1000)); // the bar opening at T - 1 min is not stored yet
  const days: OhlcvTuple[] = [];
  for (let d = 0; d < 300; d++) days.push(market.daily('ETH/USDT', demoAssets(T)[1]!.listedAt + d * DAY)!);
  await store.writeBars('TEST:ETHUSDT', '1d', days);
  desk = new PipelineDesk({
    db: t.db,
    bars: () => new MarketStore(t.db()),
    log: createMemoryLogger(),
    signals: new SignalStore(t.db),
    // The exchange: closed minutes up to the clock.
    fetchClosedBars: async (_symbol, _tf, since, now) =>
      market.minutes('BTC/USDT', since, Math.floor(now / MIN) * MIN - MIN, 1000),
    onChanged: (p) => changes.push(p),
    onExported: (e) => exported.push(e.latencyMs),
    onAlert: (a) => alerts.push(a),
    now: () => clock,
    tickMs: 0,
    audit: new AuditTrail(t.db, createMemoryLogger(), () => clock),
  });
});

describe('pipelines', () => {
  it('a manual run goes strategy -> signals -> backtest -> export and keeps each step; a re-run writes nothing new', async () => {
    const p = await desk.save(
      PipelineDraftSchema.parse({
        name: 'ETH trend',
        symbol: 'TEST:ETHUSDT',
        timeframe: '1d',
        templateId: 'trend-ema',
        params: { fast: 8, slow: 30 },
        strategyId: 'eth-trend',
        historyBars: 400,
        exportBars: 100,
      }),
    );
    clock = demoAssets(T)[1]!.listedAt + 300 * DAY + 5_000;
    const run = await desk.run(p.id);
    const r = run.lastRun!;
    expect(r.ok).toBe(true);
    expect(r.steps.factor).toMatchObject({ bars: 300, warmupBars: 29 });
    expect(r.steps.factor!.version).toMatch(/^[0-9a-f]{12}$/);
    expect(r.steps.signal!.rows).toBe(100);
    expect(r.steps.signal!.last).toHaveLength(10);
    expect(r.steps.backtest!.trades).toBeGreaterThan(0);
    expect(r.steps.export).toMatchObject({ inserted: 100, replaced: 0, unchanged: 0, latencyMs: null });
    const again = await desk.run(p.id);
    expect(again.lastRun!.steps.export).toMatchObject({ inserted: 0, replaced: 0, unchanged: 100 });
    const doc = await t
      .db()
      .collection('crypto_signals')
      .findOne({ strategy_id: 'eth-trend' }, { sort: { ts: -1 } });
    expect(doc).toMatchObject({
      timeframe: '1d',
      symbol: 'TEST:ETHUSDT',
      pair: 'ETH/USDT',
      source: 'quantdesk',
      audit: { exported_by: 'pipeline:ETH trend', strategy_version: r.steps.factor!.version, live: false },
    });
    expect((await desk.list()).map((x) => x.id)).toContain(p.id);
  });

  it('live: exports each closed bar once, measures latency from the bar close, alerts on a breach of timeframe / 2', async () => {
    clock = T - 30_000; // live is switched on while the bar opening at T - 1 min is forming
    const p = await desk.save(
      PipelineDraftSchema.parse({
        name: 'BTC live',
        symbol: 'TEST:BTCUSDT',
        timeframe: '1m',
        templateId: 'momentum-roc',
        params: { period: 10, threshold: 0.01, minHold: 0 },
        strategyId: 'btc-mom',
        historyBars: 300,
      }),
    );
    expect((await desk.setLive(p.id, true)).liveLastBar).toBe(T - 2 * MIN);
    await desk.tick();
    expect(exported).toEqual([]); // nothing has closed since
    clock = T + 2_000;
    await desk.tick();
    const first = (await desk.list()).find((x) => x.id === p.id)!;
    expect(first.liveLastBar).toBe(T - MIN);
    expect(first.lastRun).toMatchObject({
      trigger: 'live',
      ok: true,
      steps: { export: { inserted: 1, latencyMs: 2_000 } },
    });
    const sig = await t
      .db()
      .collection('crypto_signals')
      .findOne({ strategy_id: 'btc-mom', ts: new Date(T - MIN) });
    expect(sig).toMatchObject({ timeframe: '1m', pair: 'BTC/USDT', audit: { live: true } });
    // The same bar is never exported twice.
    clock += 10_000;
    await desk.tick();
    expect(exported).toEqual([2_000]);
    // The next bar is handled 40 s after its close: over the 30 s budget.
    clock = T + MIN + 40_000;
    await desk.tick();
    expect(exported).toEqual([2_000, 40_000]);
    expect(alerts.at(-1)).toMatchObject({
      kind: 'signal-latency',
      strategy_id: 'btc-mom',
      pair: 'BTC/USDT',
      timeframe: '1m',
    });
    expect(english(alerts.at(-1)!.text)).toMatch(/written 40 s after the bar closed; the budget is 30 s/);
    const stats = await desk.latency();
    expect(stats.find((s) => s.timeframe === '1m')).toMatchObject({
      count: 2,
      p50: 2_000,
      p99: 40_000,
      breaches: 1,
      budgetMs: 30_000,
    });
  });

  it('a switch to live or back made while a live run is under way is what the page is told last', async () => {
    let enter!: () => void;
    const entered = new Promise<void>((r) => (enter = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const told: PipelineView[] = [];
    // Once live, the exchange answers only when the test says so: the run is caught in the middle.
    let holding = false;
    const gated = new PipelineDesk({
      db: t.db,
      bars: () => new MarketStore(t.db()),
      log: createMemoryLogger(),
      signals: new SignalStore(t.db),
      fetchClosedBars: async (_s, _tf, since, now) => {
        if (holding) {
          enter();
          await gate;
        }
        return market.minutes('BTC/USDT', since, Math.floor(now / MIN) * MIN - MIN, 1000);
      },
      onChanged: (v) => told.push(v),
      onExported: () => undefined,
      onAlert: () => undefined,
      now: () => clock,
      tickMs: 0,
    });
    clock = T + 3 * MIN + 2_000;
    const p = await gated.save(
      PipelineDraftSchema.parse({
        name: 'Race live',
        symbol: 'TEST:BTCUSDT',
        timeframe: '1m',
        templateId: 'momentum-roc',
        params: { period: 10, threshold: 0.01, minHold: 0 },
        strategyId: 'race-mom',
        historyBars: 300,
      }),
    );
    await gated.setLive(p.id, true);
    holding = true;
    clock += MIN;
    const ticking = gated.tick();
    await entered;
    expect((await gated.setLive(p.id, false)).live).toBe(false);
    release();
    await ticking;
    const mine = told.filter((v) => v.id === p.id);
    expect(mine.at(-1)).toMatchObject({ live: false, lastRun: { trigger: 'live', ok: true } });
  });

  it('a pipeline that cannot run says why, raises an alert and keeps running the others', async () => {
    const p = await desk.save(
      PipelineDraftSchema.parse({
        name: 'No data',
        symbol: 'TEST:SOLUSDT',
        timeframe: '1d',
        templateId: 'trend-ema',
        strategyId: 'sol',
        historyBars: 100,
      }),
    );
    await expect(desk.run(p.id)).rejects.toThrow(/Only 0 1d bar\(s\) of TEST:SOLUSDT/);
    expect(alerts.at(-1)).toMatchObject({ kind: 'pipeline-failed', strategy_id: 'sol', severity: 'critical' });
    expect((await desk.list()).find((x) => x.id === p.id)!.lastRun).toMatchObject({ ok: false, trigger: 'manual' });
    await expect(
      desk.save(
        PipelineDraftSchema.parse({
          name: 'Bad',
          symbol: 'TEST:SOLUSDT',
          timeframe: '1d',
          templateId: 'trend-ema',
          params: { fast: 90, slow: 10 },
          strategyId: 'bad',
        }),
      ),
    ).rejects.toThrow(/slow \(10\) must be longer than fast \(90\)/);
  });
});

describe('missing signals', () => {
  it('raises an alert when a live pipeline has exported nothing for more than two bars', async () => {
    const p = (await desk.list()).find((x) => x.name === 'BTC live')!;
    const before = alerts.length;
    // The exchange stops publishing bars: nothing new can be computed.
    const silent = new PipelineDesk({
      db: t.db,
      bars: () => new MarketStore(t.db()),
      log: createMemoryLogger(),
      signals: new SignalStore(t.db),
      fetchClosedBars: async () => [],
      onChanged: () => undefined,
      onExported: () => undefined,
      onAlert: (a) => alerts.push(a),
      now: () => clock,
      tickMs: 0,
    });
    clock = p.liveLastBar! + 4 * MIN + 5_000;
    await silent.tick();
    expect(alerts.slice(before)).toEqual([
      expect.objectContaining({ kind: 'signal-missing', strategy_id: 'btc-mom', pair: 'BTC/USDT' }),
    ]);
    await silent.tick(); // raised once, not every tick
    expect(alerts.length).toBe(before + 1);
  });

  it("keeps the trader's pipeline changes in the audit trail: saved, switched live and back, deleted", async () => {
    const p = await desk.save(
      PipelineDraftSchema.parse({
        name: 'audited',
        symbol: 'TEST:BTCUSDT',
        timeframe: '1m',
        templateId: 'momentum-roc',
        params: { period: 10, threshold: 0.01, minHold: 0 },
        strategyId: 'audited-mom',
        historyBars: 300,
      }),
    );
    const later = () => (clock += 1000); // events a second apart, so the timeline's order is theirs
    later();
    await desk.setLive(p.id, true);
    await desk.setLive(p.id, true); // no change, no event
    later();
    await desk.setLive(p.id, false);
    later();
    expect(await desk.delete(p.id)).toEqual({ deleted: true });
    expect(await desk.delete(p.id)).toEqual({ deleted: false }); // nothing deleted, nothing recorded
    const events = await t
      .db()
      .collection(COLLECTIONS.audit)
      .find({ subject: 'audited-mom' })
      .sort({ at: 1 })
      .toArray();
    expect(events.map((e) => [e.actor, e.action, e.details.live ?? null])).toEqual([
      ['desk', 'pipelineSave', null],
      ['desk', 'pipelineLive', true],
      ['desk', 'pipelineLive', false],
      ['desk', 'pipelineDelete', null],
    ]);
    expect(events[0]!.details).toMatchObject({
      id: p.id,
      name: 'audited',
      symbol: 'TEST:BTCUSDT',
      timeframe: '1m',
      templateId: 'momentum-roc',
      created: true,
    });
  });
});
