// The execution desk's tick reads what every step needs once: an order left unsettled by a
// crash is settled before its strategy decides (with the state read afresh), a strategy with a
// fresh signal beside it orders once, and a second tick changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecConfigDraftSchema } from '../../core/api/executionContract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { lastClosedBarOpen } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { SignalStore } from '../signals/signalStore';
import { ensureSchema } from '../database/schemaSetup';
import { ExecutionStore, clientOrderIdOf } from './executionStore';
import type { ExecutionDesk } from './executionDesk';
import { paperDesk } from '../../test/paperDesk';

const t = useTestDb('tick');
const MIN = 60_000;
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 8) });
// A fixed moment, 20 s into a minute: every bar of the test is settled, none at a boundary.
const NOW = lastClosedBarOpen(Date.now(), '1m') - 10 * MIN + 20_000;
let desk: ExecutionDesk;

beforeAll(async () => {
  await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
  const client = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: await sim.start() });
  desk = paperDesk(t.db, client, { tickMs: 0, now: () => NOW });
});
afterAll(() => sim.stop());

describe('the execution tick', () => {
  it('settles a crashed order before deciding, orders a fresh signal once, and a second tick adds nothing', async () => {
    for (const id of ['tick-a', 'tick-b'])
      await desk.save(
        ExecConfigDraftSchema.parse({
          strategyId: id,
          symbol: 'SIM:ETHUSDT',
          timeframe: '1m',
          stakeQuote: 100,
          maxOpenPositions: 10,
          enabled: true,
        }),
      );
    const bar = lastClosedBarOpen(NOW, '1m');
    // tick-a: an entry written before a crash, never sent; its decision was saved with it
    const key = ExecutionStore.stateKey('paper', 'tick-a', 'ETH/USDT', '1m');
    const id = clientOrderIdOf('paper', 'tick-a', 'ETH/USDT', '1m', bar, 'enter');
    await desk.store.writeIntent({
      _id: id,
      strategyId: 'tick-a',
      pair: 'ETH/USDT',
      symbol: 'SIM:ETHUSDT',
      timeframe: '1m',
      mode: 'paper',
      leg: 'enter',
      side: 'buy',
      amount: 0.01,
      status: 'intent',
      signalTs: new Date(bar),
      signalVersion: null,
      refPrice: 3000,
      exchangeOrderId: null,
      filled: 0,
      avgPrice: null,
      reason: null,
      checks: 0,
      createdAt: new Date(NOW),
      updatedAt: new Date(NOW),
    });
    await desk.store.saveState(key, { inPosition: true, enteredAt: bar, exitedAt: null, consumed: [] }, 0);
    // tick-b: a fresh entry signal
    await new SignalStore(t.db).export(
      [
        {
          ts: new Date(bar),
          timeframe: '1m',
          symbol: 'SIM:ETHUSDT',
          pair: 'ETH/USDT',
          strategy_id: 'tick-b',
          action: 'enter_long',
        },
      ],
      { exportedBy: 'test', strategyVersion: null, runId: null },
    );

    await desk.tick();
    const orders = await desk.store.orders.find({}).sort({ strategyId: 1 }).toArray();
    expect(orders.map((o) => [o.strategyId, o.side, o.status])).toEqual([
      ['tick-a', 'buy', 'filled'],
      ['tick-b', 'buy', 'filled'],
    ]);
    expect(await desk.store.fills.countDocuments({})).toBe(2);
    expect((await desk.store.state(key)).state.inPosition).toBe(true);
    expect(await desk.store.position('paper', 'tick-a', 'ETH/USDT')).toBeCloseTo(0.01, 12);

    await desk.tick();
    expect(await desk.store.orders.countDocuments({})).toBe(2);
    expect(await desk.store.fills.countDocuments({})).toBe(2);
  });
});
