// Market-data benchmarks (M1, M2, M3, I1 in docs/ARCHITECTURE.md). Each prints one line with the measured
// value, a baseline measured in the same run on the same server, and their ratio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import type { OhlcvTuple } from '../core/market/bars';
import { TIMEFRAME_MS, barOpen } from '../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../main/exchange/simulator/binanceSimulator';
import { importOhlcv } from '../main/market/ohlcvImporter';
import { MarketStore } from '../main/market/marketStore';
import { BarColumns } from '../main/market/barColumns';
import { ensureSchema } from '../main/database/schemaSetup';
import { COLLECTIONS } from '../core/db/collections';
import { BINANCE } from '../core/exchange/venues';
import { RequestBudgets } from '../main/exchange/requestBudgets';

const MIN = TIMEFRAME_MS['1m'];

export interface BenchLine {
  id: string;
  values: Record<string, number | string>;
}

export async function marketBench(uri: string, only: Set<string>, bars: number): Promise<BenchLine[]> {
  const want = (id: string) => only.size === 0 || only.has(id);
  const client = new MongoClient(uri);
  await client.connect();
  const out: BenchLine[] = [];
  const now = Date.now();
  const market = new SyntheticMarket(demoAssets(now), 5);
  const to = barOpen(now, '1d') - MIN;
  const from = to - (bars - 1) * MIN;
  const tuples: OhlcvTuple[] = market.minutes('BTC/USDT', from, to, bars);
  const docs = tuples.map(([t, open, high, low, close, volume]) => ({
    datetime: new Date(t),
    symbol: 'BENCH:BTCUSDT',
    open,
    high,
    low,
    close,
    volume,
  }));
  try {
    if (want('M1') || want('M2') || want('M3')) {
      // Baseline: bare unordered insertMany of the same documents into the same server, same index.
      const base = client.db(`bench_base_${now}`);
      await ensureSchema(base, createMemoryLogger());
      let t0 = performance.now();
      // Fresh copies per batch: insertMany adds _id to the documents it is given.
      for (let i = 0; i < bars; i += 1000)
        await base.collection(COLLECTIONS.market1m).insertMany(
          docs.slice(i, i + 1000).map((d) => ({ ...d })),
          { ordered: false },
        );
      const baseRate = bars / ((performance.now() - t0) / 1000);

      const db = client.db(`bench_store_${now}`);
      await ensureSchema(db, createMemoryLogger());
      const store = new MarketStore(db);
      t0 = performance.now();
      for (let i = 0; i < bars; i += 1000) await store.writeBars('BENCH:BTCUSDT', '1m', tuples.slice(i, i + 1000));
      const rate = bars / ((performance.now() - t0) / 1000);
      if (want('M1'))
        out.push({
          id: 'M1',
          values: {
            importer_docs_per_s: Math.round(rate),
            baseline_docs_per_s: Math.round(baseRate),
            ratio: +(rate / baseRate).toFixed(2),
            bars,
          },
        });

      if (want('M2')) {
        t0 = performance.now();
        let inserted = 0;
        for (let i = 0; i < bars; i += 1000)
          inserted += (await store.writeBars('BENCH:BTCUSDT', '1m', tuples.slice(i, i + 1000))).inserted;
        const reRate = bars / ((performance.now() - t0) / 1000);
        const count = await db.collection(COLLECTIONS.market1m).countDocuments({ symbol: 'BENCH:BTCUSDT' });
        out.push({
          id: 'M2',
          values: {
            new_docs: inserted,
            duplicates: count - bars,
            docs_per_s: Math.round(reRate),
            ratio_to_M1: +(reRate / rate).toFixed(2),
          },
        });
      }
      if (want('M3')) {
        t0 = performance.now();
        await base.collection(COLLECTIONS.market1m).find({ symbol: 'BENCH:BTCUSDT' }).toArray();
        const baseMs = performance.now() - t0;
        const heapBefore = process.memoryUsage().heapUsed;
        t0 = performance.now();
        const cols = await store.readBars('BENCH:BTCUSDT', '1m', from, to);
        const ms = performance.now() - t0;
        const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
        out.push({
          id: 'M3',
          values: {
            ms: Math.round(ms),
            baseline_ms: Math.round(baseMs),
            ratio: +(ms / baseMs).toFixed(2),
            heap_mb: +Math.max(0, heapMb).toFixed(1),
            bars: cols.length,
          },
        });
      }
      await base.dropDatabase();
      await db.dropDatabase();
    }
    if (want('I1')) {
      const sim = new BinanceSimulator({ market });
      await sim.start();
      try {
        // Baseline: the simulator's own serving rate, raw HTTP, one request after another.
        let t0 = performance.now();
        let served = 0;
        for (let since = from; since <= to; since += 1000 * MIN) {
          const r = await fetch(`${sim.url}/api/v3/klines?symbol=ETHUSDT&interval=1m&startTime=${since}&limit=1000`);
          served += ((await r.json()) as unknown[]).length;
        }
        const simRate = served / ((performance.now() - t0) / 1000);
        const db = client.db(`bench_import_${now}`);
        await ensureSchema(db, createMemoryLogger());
        const exchange = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: sim.url });
        await exchange.loadMarkets();
        // as the app's import job runs: the columnar copy written with the bars, every request
        // through the account's budget (Binance's, the executor's reserve kept)
        const columnsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-i1-'));
        const budgets = new RequestBudgets();
        t0 = performance.now();
        const result = await importOhlcv(
          { symbol: 'DEMO:ETHUSDT', pair: 'ETH/USDT', timeframe: '1m', from, to },
          {
            exchange,
            store: new MarketStore(db, new BarColumns(columnsDir)),
            log: createMemoryLogger(),
            acquire: (weight) => budgets.acquire('bench', weight, 'importer'),
          },
        );
        const rate = result.stored / ((performance.now() - t0) / 1000);
        fs.rmSync(columnsDir, { recursive: true, force: true });
        // What Binance's published weight limit allows: pages of klines a minute, times their bars.
        const limitRate =
          ((BINANCE.weightLimit / BINANCE.weights.klines) * BINANCE.klinesPageSize) / (BINANCE.budget.windowMs / 1000);
        out.push({
          id: 'I1',
          values: {
            bars_per_s: Math.round(rate),
            limit_bars_per_s: Math.round(limitRate),
            ratio: +(rate / limitRate).toFixed(2),
            sim_bars_per_s: Math.round(simRate),
            bars: result.stored,
          },
        });
        await db.dropDatabase();
      } finally {
        await sim.stop();
      }
    }
  } finally {
    await client.close();
  }
  return out;
}
