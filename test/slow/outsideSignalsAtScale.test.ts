// A research program outside the app (as pymongo would: plain inserts into crypto_signals)
// has written 100,000 signals for 14 strategies. With all 14 paper-trading, every fresh good
// signal, entries and then exits, actions and weights, is acted on inside the executor's
// window (the ±1 bar rule and the staleness limit), and none of the history is traded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecConfigDraftSchema } from '../../core/api/executionContract';
import { COLLECTIONS } from '../../core/db/collections';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { DEFAULT_CONSUMER_RULES } from '../../core/signals/consumption';
import { lastClosedBarOpen } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { createExchangeClient } from '../../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../../main/exchange/simulator/binanceSimulator';
import { ensureSchema } from '../../main/database/schemaSetup';
import { useTestDb } from '../testDb';
import { until } from '../waitFor';
import type { ExecutionDesk } from '../../main/execution/executionDesk';
import { paperDesk } from '../paperDesk';

const MIN = 60_000;
const STRATEGIES = 14;
const HISTORY = 100_000;
// Act by then or not at all: a signal for bar T is inside the window while the bar being
// decided is within toleranceBars of T, and until maxStalenessBars after T closes.
const windowEnd = (ts: number) =>
  ts + MIN * (1 + Math.min(DEFAULT_CONSUMER_RULES.toleranceBars + 1, DEFAULT_CONSUMER_RULES.maxStalenessBars));

const t = useTestDb('outside14');
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 14), weightLimit: 1_000_000 });
const strategies = Array.from({ length: STRATEGIES }, (_, k) => ({
  id: `outside-${k}`,
  pair: k % 2 ? 'ETH/USDT' : 'BTC/USDT',
  byWeight: k % 3 === 0,
}));
const symbolOf = (pair: string) => `SIM:${pair.replace('/', '')}`;
let desk: ExecutionDesk;

/** A document as an outside program writes it: the contract's fields, nothing of ours. */
const outsideDoc = (s: (typeof strategies)[number], ts: number, enter: boolean) => ({
  ts: new Date(ts),
  timeframe: '1m',
  symbol: symbolOf(s.pair),
  pair: s.pair,
  strategy_id: s.id,
  ...(s.byWeight ? { weight: enter ? 1 : 0 } : { action: enter ? 'enter_long' : 'exit_long' }),
});

beforeAll(async () => {
  await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
  const exchange = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: await sim.start() });
  // The history ends ten bars back: stale for the executor, as old signals are.
  const end = lastClosedBarOpen(Date.now(), '1m') - 10 * MIN;
  const signals = t.db().collection(COLLECTIONS.signals);
  for (let start = 0; start < HISTORY; start += 10_000) {
    const batch = Array.from({ length: 10_000 }, (_, j) => {
      const i = start + j;
      return outsideDoc(
        strategies[i % STRATEGIES]!,
        end - Math.floor(i / STRATEGIES) * MIN,
        Math.floor(i / STRATEGIES) % 2 === 0,
      );
    });
    await signals.insertMany(batch, { ordered: false });
  }
  desk = paperDesk(t.db, exchange, { tickMs: 1000 });
  for (const s of strategies)
    await desk.save(
      ExecConfigDraftSchema.parse({
        strategyId: s.id,
        symbol: symbolOf(s.pair),
        timeframe: '1m',
        stakeQuote: 20,
        maxOpenPositions: 100,
        enabled: true,
      }),
    );
  desk.start();
}, 300_000);

afterAll(async () => {
  desk?.stop();
  await sim.stop();
});

let lastTs = 0;

async function writeAndAwait(enter: boolean): Promise<void> {
  // each round on a bar of its own (the key is strategy, pair, timeframe and bar)
  await until('a new bar', () => lastClosedBarOpen(Date.now(), '1m') > lastTs, 2 * MIN, 250);
  const ts = lastClosedBarOpen(Date.now(), '1m');
  lastTs = ts;
  await t
    .db()
    .collection(COLLECTIONS.signals)
    .insertMany(strategies.map((s) => outsideDoc(s, ts, enter)));
  const side = enter ? 'buy' : 'sell';
  const ordersFor = () => desk.store.orders.find({ mode: 'paper', side, signalTs: new Date(ts) }).toArray();
  await until(`${STRATEGIES} ${side} orders`, async () => (await ordersFor()).length >= STRATEGIES, 4 * MIN);
  const orders = await ordersFor();
  expect(orders.map((o) => o.strategyId).sort()).toEqual(strategies.map((s) => s.id).sort());
  for (const o of orders) expect(o.createdAt.getTime()).toBeLessThan(windowEnd(ts));
}

describe('100,000 outside signals for 14 strategies', () => {
  it(
    'acts on every fresh entry and then every exit inside the window, and trades none of the history',
    async () => {
      expect(await t.db().collection(COLLECTIONS.signals).countDocuments()).toBe(HISTORY);
      await writeAndAwait(true);
      await writeAndAwait(false);
      // Only the fresh signals were traded: one entry and one exit per strategy.
      const orders = await desk.store.orders.find({ mode: 'paper' }).toArray();
      expect(orders).toHaveLength(2 * STRATEGIES);
    },
    10 * MIN,
  );
});
