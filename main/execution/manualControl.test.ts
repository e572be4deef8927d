// Manual control that holds, with a pipeline writing weight 1 on every bar (as a live one
// does): a manual exit sells and the strategy stays flat bar after bar without its signals
// being rewritten; letting it trade again follows them; the kill switch blocks a manual enter
// but not a manual exit; "close all" exits every strategy that holds a position, a disabled
// one too. Refusals come back at once with the reason. Time is a stepped clock.
import { word } from '../../core/wording/wording';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecConfigDraftSchema, type ExecConfigView } from '../../core/api/executionContract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { lastClosedBarOpen } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { paperDesk } from '../../test/paperDesk';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { ensureSchema } from '../database/schemaSetup';
import { SignalStore } from '../signals/signalStore';
import type { ExecutionDesk } from './executionDesk';

const t = useTestDb('manual');
const MIN = 60_000;
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 8) });
// 20 s into a minute, an hour back: every bar of the test is closed, none at a boundary.
let clock = lastClosedBarOpen(Date.now(), '1m') - 60 * MIN + 20_000;
let desk: ExecutionDesk;
let signals: SignalStore;

/** What the pipeline writes at every bar: weight 1 for the bar that just closed. */
async function pipelineBar(strategyId: string): Promise<void> {
  await signals.export(
    [
      {
        ts: new Date(lastClosedBarOpen(clock, '1m')),
        timeframe: '1m',
        symbol: 'SIM:ETHUSDT',
        pair: 'ETH/USDT',
        strategy_id: strategyId,
        weight: 1,
      },
    ],
    { exportedBy: 'pipeline:test', strategyVersion: 'v1', runId: null, live: true },
    { now: clock },
  );
}

async function strategy(strategyId: string, enabled = true): Promise<ExecConfigView> {
  return desk.save(
    ExecConfigDraftSchema.parse({
      strategyId,
      symbol: 'SIM:ETHUSDT',
      timeframe: '1m',
      stakeQuote: 100,
      maxOpenPositions: 10,
      enabled,
    }),
  );
}

const position = (id: string) => desk.store.position('paper', id, 'ETH/USDT');
const view = async (id: string) => (await desk.list()).find((c) => c.strategyId === id)!;
async function nextBar(...ids: string[]): Promise<void> {
  clock += MIN;
  for (const id of ids) await pipelineBar(id);
  await desk.tick();
}

beforeAll(async () => {
  await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
  const client = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: await sim.start() });
  desk = paperDesk(t.db, client, { tickMs: 0, now: () => clock });
  signals = new SignalStore(t.db);
});
afterAll(() => sim.stop());

describe('manual control', () => {
  it('a manual exit sells and stays flat while the pipeline keeps saying weight 1; letting it trade enters again', async () => {
    const a = await strategy('man-a');
    await nextBar('man-a');
    expect(await position('man-a')).toBeGreaterThan(0);

    await expect(desk.manual(a.id, 'enter')).rejects.toThrow(/already holds .* ETH: exit it first/);
    const asked = await desk.manual(a.id, 'exit');
    expect(asked).toMatchObject({ holdFlat: true, manual: { action: 'exit' } });
    await desk.tick();
    expect(await position('man-a')).toBeCloseTo(0, 12);
    const exit = await desk.store.orders.findOne({ strategyId: 'man-a', side: 'sell' });
    expect(exit).toMatchObject({ manual: true, leg: 'exit', status: 'filled' });
    expect(await view('man-a')).toMatchObject({ manual: null, holdFlat: true, lastOutcome: { kind: 'ordered' } });

    for (let i = 0; i < 3; i++) await nextBar('man-a');
    expect(await position('man-a')).toBeCloseTo(0, 12);
    expect((await view('man-a')).lastOutcome?.reason).toEqual(word('step.heldFlat'));
    expect(await desk.store.orders.countDocuments({ strategyId: 'man-a' })).toBe(2);
    // the pipeline's own rows are as it wrote them: one per bar, weight 1, nothing manual
    const rows = await signals.recent(100, 'man-a', clock);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.weight === 1 && r.action === undefined)).toBe(true);

    await expect(desk.manual(a.id, 'exit')).rejects.toThrow(/holds no ETH, nothing to sell/);
    await desk.release(a.id);
    await desk.tick();
    expect(await position('man-a')).toBeGreaterThan(0);
    expect(await view('man-a')).toMatchObject({ holdFlat: false, lastOutcome: { kind: 'ordered' } });
  });

  it('under the kill switch a manual enter is refused with the reason and a manual exit still goes out', async () => {
    const a = await view('man-a');
    await desk.setKillSwitch(true);
    try {
      await expect(desk.manual(a.id, 'enter')).rejects.toThrow(/kill switch is on: entries are blocked/);
      await desk.manual(a.id, 'exit');
      await nextBar('man-a');
      expect(await position('man-a')).toBeCloseTo(0, 12);
      await expect(desk.manual(a.id, 'enter')).rejects.toThrow(/kill switch is on/);
    } finally {
      await desk.setKillSwitch(false);
    }
    // a manual enter lets the strategy follow its signals again
    await desk.manual(a.id, 'enter');
    expect((await view('man-a')).holdFlat).toBe(false);
    await desk.tick();
    expect(await position('man-a')).toBeGreaterThan(0);
    expect(await desk.store.orders.countDocuments({ strategyId: 'man-a', manual: true })).toBe(3);
  });

  it('"close all" exits every strategy holding a position, a disabled one too, and leaves the flat ones alone', async () => {
    const b = await strategy('man-b');
    await strategy('man-flat');
    await nextBar('man-a', 'man-b');
    expect(await position('man-b')).toBeGreaterThan(0);
    await desk.enable(b.id, false);

    const r = await desk.closeAll();
    expect(r.strategies.sort()).toEqual(['man-a', 'man-b']);
    await desk.tick();
    for (const id of ['man-a', 'man-b', 'man-flat']) expect(await position(id)).toBeCloseTo(0, 12);
    expect(await desk.store.orders.countDocuments({ strategyId: 'man-flat' })).toBe(0);
    expect(await view('man-b')).toMatchObject({ enabled: false, holdFlat: true, manual: null });
    // a second tick sends nothing more
    const orders = await desk.store.orders.countDocuments({});
    await nextBar('man-a', 'man-b');
    expect(await desk.store.orders.countDocuments({})).toBe(orders);
  });

  it("lists a pair's fills in a time range with what each order was (the chart's markers)", async () => {
    const all = await desk.fills(1000, { pair: 'ETH/USDT' });
    expect(all.length).toBe(await desk.store.fills.countDocuments({ pair: 'ETH/USDT' }));
    expect(all.every((f) => f.pair === 'ETH/USDT' && (f.leg === 'enter' || f.leg === 'exit'))).toBe(true);
    expect(all.filter((f) => f.side === 'buy').every((f) => f.leg === 'enter')).toBe(true);
    const newest = all[0]!.time;
    expect(await desk.fills(1000, { pair: 'ETH/USDT', from: newest + 1 })).toEqual([]);
    const atNewest = await desk.fills(1000, { pair: 'ETH/USDT', from: newest, to: newest });
    expect(atNewest.map((f) => f.id).sort()).toEqual(
      all
        .filter((f) => f.time === newest)
        .map((f) => f.id)
        .sort(),
    );
    expect(await desk.fills(1000, { pair: 'BTC/USDT' })).toEqual([]);
  });
});
