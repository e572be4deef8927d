// S1: 10,000 signals exported into crypto_signals, then the same 10,000 again (must write
// nothing), against a bare insertMany of the same documents in the same run.
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { ensureSchema } from '../main/database/schemaSetup';
import { SignalStore } from '../main/signals/signalStore';
import type { BenchLine } from './marketBench';
import { COLLECTIONS } from '../core/db/collections';

const MIN = 60_000;

export async function signalBench(uri: string, only: Set<string>): Promise<BenchLine[]> {
  if (only.size > 0 && !only.has('S1')) return [];
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const now = Date.now();
    const end = Math.floor(now / MIN) * MIN - MIN;
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      ts: new Date(end - i * MIN),
      timeframe: '1m',
      symbol: 'BENCH:BTCUSDT',
      pair: 'BTC/USDT',
      strategy_id: 'bench',
      weight: (i % 7) / 6,
      action: i % 50 === 0 ? 'enter_long' : undefined,
    }));
    const base = client.db(`bench_sig_base_${now}`);
    await ensureSchema(base, createMemoryLogger(), undefined, { quiet: true });
    let t0 = performance.now();
    await base.collection(COLLECTIONS.signals).insertMany(
      rows.map((r) => ({ ...r })),
      { ordered: false },
    );
    const bareMs = performance.now() - t0;

    const db = client.db(`bench_sig_${now}`);
    await ensureSchema(db, createMemoryLogger(), undefined, { quiet: true });
    const store = new SignalStore(() => db);
    const audit = { exportedBy: 'bench', strategyVersion: null, runId: null };
    t0 = performance.now();
    const first = await store.export(rows, audit);
    const ms = performance.now() - t0;
    t0 = performance.now();
    const again = await store.export(rows, audit);
    const reMs = performance.now() - t0;
    await base.dropDatabase();
    await db.dropDatabase();
    return [
      {
        id: 'S1',
        values: {
          ms: ms.toFixed(0),
          inserted: first.inserted,
          new_docs_on_reexport: again.inserted + again.replaced,
          reexport_ms: reMs.toFixed(0),
          bare_insert_ms: bareMs.toFixed(0),
          ratio: (ms / bareMs).toFixed(2),
        },
      },
    ];
  } finally {
    await client.close();
  }
}
