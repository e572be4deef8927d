// E1: signal written -> order submitted, with the executor polling every second, over
// strategies paper-trading the simulator's live prices through the real database.
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { ExecConfigDraftSchema } from '../core/api/executionContract';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../main/exchange/simulator/binanceSimulator';
import { SignalStore } from '../main/signals/signalStore';
import { ensureSchema } from '../main/database/schemaSetup';
import type { BenchLine } from './marketBench';
import { paperDesk } from '../test/paperDesk';

const MIN = 60_000;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export async function executionBench(uri: string, only: Set<string>): Promise<BenchLine[]> {
  if (only.size > 0 && !only.has('E1')) return [];
  const twenty = await signalToOrder(uri, 20);
  const hundred = await signalToOrder(uri, 100);
  return [
    {
      id: 'E1',
      values: {
        p50: percentile(twenty, 50),
        p99: percentile(twenty, 99),
        samples: twenty.length,
        p50_100: percentile(hundred, 50),
        p99_100: percentile(hundred, 99),
        samples_100: hundred.length,
        poll_ms: 1000,
      },
    },
  ];
}

/** Milliseconds from each strategy's signal written to its order written, with `strategies` paper-trading at once. */
async function signalToOrder(uri: string, strategies: number): Promise<number[]> {
  const client = new MongoClient(uri);
  await client.connect();
  const db = client.db(`bench_e1_${strategies}_${Date.now()}`);
  await ensureSchema(db, createMemoryLogger(), undefined, { quiet: true });
  const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 21), weightLimit: 1_000_000 });
  const exchange = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: await sim.start() });
  const signals = new SignalStore(() => db);
  const desk = paperDesk(() => db, exchange, { tickMs: 1000 });
  try {
    for (let k = 0; k < strategies; k++)
      await desk.save(
        ExecConfigDraftSchema.parse({
          strategyId: `e1-${k}`,
          symbol: 'SIM:ETHUSDT',
          timeframe: '1m',
          stakeQuote: 20,
          maxOpenPositions: 100,
          enabled: true,
        }),
      );
    desk.start();
    // 20 signals at any point of the poll cycle, whatever the number of strategies trading
    const samples = Math.min(strategies, 20);
    const written: number[] = [];
    for (let k = 0; k < samples; k++) {
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      await signals.export(
        [
          {
            ts: new Date(Math.floor(Date.now() / MIN) * MIN - MIN),
            timeframe: '1m',
            symbol: 'SIM:ETHUSDT',
            pair: 'ETH/USDT',
            strategy_id: `e1-${k}`,
            action: 'enter_long',
          },
        ],
        { exportedBy: 'bench', strategyVersion: null, runId: null },
      );
      written[k] = Date.now();
    }
    const t0 = performance.now();
    let orders = await desk.store.orders.find({ strategyId: { $regex: '^e1-' } }).toArray();
    while (orders.length < samples && performance.now() - t0 < 30_000) {
      await new Promise((r) => setTimeout(r, 200));
      orders = await desk.store.orders.find({ strategyId: { $regex: '^e1-' } }).toArray();
    }
    return orders.map((o) => o.createdAt.getTime() - written[Number(o.strategyId.slice(3))]!);
  } finally {
    desk.stop();
    await sim.stop();
    await db.dropDatabase();
    await client.close();
  }
}
