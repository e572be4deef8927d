// Live pipelines that a trader can trust, on the real database server with a stepped clock:
// one run at a time without false alarms (overlapping ticks, "Run now" during a live step),
// no bar lost between a run and going live, and live latency figures that are the ones the
// signal feed shows for the same rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineDraftSchema } from '../../core/api/signalsContract';
import { COLLECTIONS } from '../../core/db/collections';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { MarketStore } from '../market/marketStore';
import { PipelineDesk, signalView } from './pipelineDesk';
import { SignalStore } from './signalStore';

const t = useTestDb('pipelive');
const MIN = 60_000;
const T = Date.UTC(2026, 3, 10, 12, 0, 0);
const market = new SyntheticMarket(demoAssets(T), 11);
let clock = T + 2_000;
const alerts: AlertInput[] = [];
let gate: Promise<void> | null = null;
let fetches = 0;

function desk(): PipelineDesk {
  return new PipelineDesk({
    db: t.db,
    bars: () => new MarketStore(t.db()),
    log: createMemoryLogger(),
    signals: new SignalStore(t.db),
    // The exchange: closed minutes up to the clock, answering only once the test opens the gate.
    fetchClosedBars: async (_s, _tf, since, now) => {
      fetches += 1;
      if (gate) await gate;
      return market.minutes('BTC/USDT', since, Math.floor(now / MIN) * MIN - MIN, 1000);
    },
    onChanged: () => undefined,
    onExported: () => undefined,
    onAlert: (a) => alerts.push(a),
    now: () => clock,
    tickMs: 0,
  });
}

const draft = (strategyId: string) =>
  PipelineDraftSchema.parse({
    name: strategyId,
    symbol: 'LIVE:BTCUSDT',
    timeframe: '1m',
    templateId: 'momentum-roc',
    params: { period: 10, threshold: 0, minHold: 0 },
    strategyId,
    historyBars: 300,
    exportBars: 50,
  });

beforeAll(async () => {
  await new MarketStore(t.db()).writeBars(
    'LIVE:BTCUSDT',
    '1m',
    market.minutes('BTC/USDT', T - 400 * MIN, T - 2 * MIN, 1000),
  );
});

describe('live pipelines', () => {
  it('overlapping ticks and a "Run now" during a live step run the pipeline once, with no alert', async () => {
    const d = desk();
    clock = T - 30_000;
    const p = await d.save(draft('live-once'));
    await d.setLive(p.id, true);
    clock = T + 2_000;
    let open!: () => void;
    gate = new Promise<void>((r) => (open = r));
    fetches = 0;
    const first = d.tick();
    await new Promise((r) => setTimeout(r, 50)); // the first tick is waiting for the exchange
    await d.tick(); // a second tick while the first is under way: it waits its turn
    await expect(d.run(p.id)).rejects.toThrow(/already running: wait for it to finish/);
    open();
    await first;
    gate = null;
    expect(fetches).toBe(1);
    expect(alerts).toEqual([]);
    const rows = await t
      .db()
      .collection(COLLECTIONS.signals)
      .countDocuments({ strategy_id: 'live-once', ts: new Date(T - MIN) });
    expect(rows).toBe(1);
  });

  it('going live after a run exports the bars that closed since (as history), then each new bar live', async () => {
    const d = desk();
    clock = T + 5 * MIN + 3_000;
    const p = await d.save(draft('live-catch'));
    // the run reads what is stored: bars up to the one opening at T - 2 min
    const run = await d.run(p.id);
    expect(run.lastRun).toMatchObject({ trigger: 'manual', ok: true });
    // three bars close before the trader goes live
    clock = T + 8 * MIN + 5_000;
    const live = await d.setLive(p.id, true);
    expect(live.lastRun).toMatchObject({ trigger: 'catch-up', ok: true, steps: { export: { latencyMs: null } } });
    const caught = await new SignalStore(t.db).recent(500, 'live-catch', clock);
    const times = new Set(caught.map((r) => r.ts.getTime()));
    for (let k = -1; k <= 7; k++) expect(times.has(T + k * MIN)).toBe(true); // every bar between the run's last and going live
    expect(caught.every((r) => r.audit?.live !== true)).toBe(true);
    // the next bar is exported live, with its latency
    clock = T + 9 * MIN + 1_500;
    await d.tick();
    const next = await t
      .db()
      .collection(COLLECTIONS.signals)
      .findOne({ strategy_id: 'live-catch', ts: new Date(T + 8 * MIN) });
    expect(next).toMatchObject({ audit: { live: true } });
  });

  it('the latency figures are the ones the signal feed shows for the same rows', async () => {
    const d = desk();
    const docs = await t.db().collection(COLLECTIONS.signalLatency).find({}).toArray();
    expect(docs.length).toBeGreaterThan(0);
    const feed = (await new SignalStore(t.db).recent(1000, undefined, clock)).map(signalView);
    for (const l of docs) {
      const row = feed.find((r) => r.strategy_id === l.strategy_id && r.ts === (l.ts as Date).getTime());
      expect(row?.latency_ms).toBe(l.latency_ms);
    }
    const stats = (await d.latency()).find((s) => s.timeframe === '1m')!;
    expect(stats.count).toBe(docs.length);
    expect(stats.max).toBe(Math.max(...docs.map((l) => l.latency_ms as number)));
  });
});
