// The shared budget with real parts: an import through ccxt against the simulator spends
// request weight through the budgets, never more than its share per window, while a trading
// request arriving mid-import is served at once from the reserve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { TIMEFRAME_MS, barOpen } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { importOhlcv } from '../market/ohlcvImporter';
import { MarketStore } from '../market/marketStore';
import { ensureSchema } from '../database/schemaSetup';
import { RequestBudgets } from './requestBudgets';
import { createExchangeClient } from './ccxtFactory';
import { BinanceSimulator } from './simulator/binanceSimulator';

const MIN = TIMEFRAME_MS['1m'];
const t = useTestDb('budget');
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 4) });

beforeAll(async () => {
  await sim.start();
  await ensureSchema(t.db(), createMemoryLogger());
});
afterAll(() => sim.stop());

describe('RequestBudgets', () => {
  it('grants by priority and frees room as the window rolls; an aborted wait leaves the queue', async () => {
    const budgets = new RequestBudgets(() => ({ limit: 10, windowMs: 300, reserve: 0 }));
    await budgets.acquire('x', 10, 'importer');
    const order: string[] = [];
    const a = budgets.acquire('x', 5, 'importer').then(() => order.push('importer'));
    const b = budgets.acquire('x', 5, 'executor').then(() => order.push('executor'));
    const gone = new AbortController();
    const c = budgets.acquire('x', 5, 'ui', gone.signal).catch((e: Error) => order.push(`ui: ${e.message}`));
    gone.abort();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['ui: request budget wait aborted', 'executor', 'importer']);
    expect(budgets.usage('x')).toMatchObject({ limit: 10, waiting: 0 });
  });

  it('keeps an import within its share per window and serves trading at once', async () => {
    const windowMs = 1000;
    const budgets = new RequestBudgets(() => ({ limit: 40, windowMs, reserve: 0.3 }));
    const grants: { at: number; weight: number }[] = [];
    const to = barOpen(Date.now(), '1m') - MIN;
    const run = importOhlcv(
      { symbol: 'DEMO:ETHUSDT', pair: 'ETH/USDT', timeframe: '1m', from: to - 11_999 * MIN, to },
      {
        exchange: createExchangeClient({ exchangeId: 'binance', apiBaseUrl: sim.url }),
        store: new MarketStore(t.db()),
        log: createMemoryLogger(),
        acquire: async (weight) => {
          await budgets.acquire('demo', weight, 'importer');
          grants.push({ at: Date.now(), weight });
        },
      },
    );
    await new Promise((r) => setTimeout(r, 1200));
    const t0 = Date.now();
    await budgets.acquire('demo', 6, 'executor');
    const executorWaitMs = Date.now() - t0;
    const result = await run;
    expect(result.stored).toBe(12_000);
    expect(executorWaitMs).toBeLessThan(50);
    // The importer's cap is 70 % of 40 = 28 per window: markets (20) and klines (2 each).
    for (const g of grants) {
      const inWindow = grants.filter((x) => x.at > g.at - windowMs && x.at <= g.at).reduce((n, x) => n + x.weight, 0);
      expect(inWindow).toBeLessThanOrEqual(28);
    }
    expect(grants.map((g) => g.weight)).toEqual([20, ...Array(12).fill(2)]);
  }, 30_000);
});
