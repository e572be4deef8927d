// Reconciliation of a live account on the exchange simulator (real ccxt, real database):
// clean after the executor's own trades; a trade and an order made by hand show up as
// differences; the trader adopts the trade, cancels the order, ignores what is left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RISK } from '../../core/execution/risk';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { DEFAULT_CONSUMER_RULES } from '../../core/signals/consumption';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { SignalStore } from '../signals/signalStore';
import { CcxtBroker } from '../exchange/ccxtBroker';
import { ExecutionStore } from './executionStore';
import { Executor } from './executor';
import { ReconciliationDesk, type ReconReport } from './reconciliationDesk';

const t = useTestDb('recon');
const MIN = 60_000;
const sim = new BinanceSimulator({
  market: new SyntheticMarket(demoAssets(Date.now()), 9),
  apiKeys: { rk: 'rs' },
  balances: { USDT: 10_000 },
});
let broker: CcxtBroker;
let desk: ReconciliationDesk;
const flagged: ReconReport[] = [];

beforeAll(async () => {
  broker = new CcxtBroker(
    createExchangeClient({ exchangeId: 'binance', apiBaseUrl: await sim.start(), apiKey: 'rk', secret: 'rs' }),
  );
  const store = new ExecutionStore(t.db);
  desk = new ReconciliationDesk(
    t.db,
    store,
    async () => [{ mode: 'live', account: 'sim', pairs: ['ETH/USDT'], broker, strategyOf: { 'ETH/USDT': 'recon-s' } }],
    createMemoryLogger(),
    (r) => flagged.push(r),
  );
  // The executor's own trade.
  await new SignalStore(t.db).export(
    [
      {
        ts: new Date(Math.floor(Date.now() / MIN) * MIN - MIN),
        timeframe: '1m',
        symbol: 'DEMO:ETHUSDT',
        pair: 'ETH/USDT',
        strategy_id: 'recon-s',
        action: 'enter_long',
      },
    ],
    { exportedBy: 'test', strategyVersion: null, runId: null },
  );
  const ex = new Executor({ store, signals: new SignalStore(t.db), broker: () => broker, log: createMemoryLogger() });
  expect(
    (
      await ex.step({
        strategyId: 'recon-s',
        symbol: 'DEMO:ETHUSDT',
        pair: 'ETH/USDT',
        timeframe: '1m',
        mode: 'live',
        risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 300 } },
        rules: DEFAULT_CONSUMER_RULES,
        feeRate: 0.001,
      })
    ).kind,
  ).toBe('ordered');
});
afterAll(() => sim.stop());

describe('reconciliation desk', () => {
  it('finds nothing after the executor traded alone', async () => {
    const [r] = await desk.runAll();
    expect(r!.error).toBeNull();
    expect(r!.differences).toEqual([]);
    expect(r!.exchange.trades).toBeGreaterThan(0);
    expect(flagged).toEqual([]);
  });

  it("shows what was done by hand, and settles each difference by the trader's decision", async () => {
    await broker.placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 0.05, clientOrderId: 'by-hand-1' });
    const price = await broker.price('ETH/USDT');
    const client = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: sim.url, apiKey: 'rk', secret: 'rs' });
    const resting = await client.createOrder('ETH/USDT', 'limit', 'buy', 0.05, Number((price * 0.5).toFixed(2)));
    const [r] = await desk.runAll();
    expect(r!.differences.map((d) => d.kind).sort()).toEqual(['position-mismatch', 'unknown-fill', 'unknown-order']);
    expect(flagged.length).toBe(1);
    // Adopt the hand-made trade: it becomes a fill of the strategy, so the position agrees too.
    const fill = r!.differences.find((d) => d.kind === 'unknown-fill')!;
    const afterAdopt = await desk.decide('live', 'sim', fill.key, 'adopt');
    expect(afterAdopt.differences.map((d) => d.kind)).toEqual(['unknown-order']);
    expect(await new ExecutionStore(t.db).fills.countDocuments({ clientOrderId: { $regex: '^adopted:' } })).toBe(1);
    // Close the stray order: it is cancelled on the exchange.
    const order = afterAdopt.differences[0]!;
    const afterClose = await desk.decide('live', 'sim', order.key, 'close');
    expect(afterClose.differences).toEqual([]);
    expect(await broker.openOrders('ETH/USDT')).toEqual([]);
    expect(String(resting.id)).toBe((order as { exchange: { id: string } }).exchange.id);
  });

  it('an ignored difference stays ignored; an unknown key is refused with the reason', async () => {
    await broker.placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 0.05, clientOrderId: 'by-hand-2' });
    const [r] = await desk.runAll();
    for (const d of r!.differences) await desk.decide('live', 'sim', d.key, 'ignore');
    expect((await desk.runAll())[0]!.differences).toEqual([]);
    await expect(desk.decide('live', 'sim', 'nope', 'ignore')).rejects.toThrow(/No open difference nope/);
  });
});
