// Storage at a trader's real sizes (D1-D4 in docs/ARCHITECTURE.md): 10 symbol-years of 1m bars (5,256,000
// documents) and 500,000 signals across 20 strategies. The data are made once, through the
// app's own writers, into a data folder kept under build/bench-scale (a few minutes), and
// reused by later runs; each run starts the engine on it. With MONGO_URL the same figures come
// from that server (database `bench_scale`).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient, type Db } from 'mongodb';
import { COLLECTIONS, DEFAULT_SIGNAL_RETENTION_DAYS, SERIES_BARS_COLLECTION } from '../core/db/collections';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import type { OhlcvTuple } from '../core/market/bars';
import { LocalDatabaseServer } from '../main/database/localDatabase';
import { BarColumns } from '../main/market/barColumns';
import { MarketStore } from '../main/market/marketStore';
import { ensureSchema } from '../main/database/schemaSetup';
import { expireSignals } from '../main/signals/signalExpiry';
import { SignalStore } from '../main/signals/signalStore';
import type { BenchLine } from './marketBench';

const MIN = 60_000;
const DAY = 86_400_000;
const YEAR_BARS = 525_600;
const SYMBOLS = 10;
const STRATEGIES = 20;
const CURRENT_SIGNALS = 300_000;
const DUE_SIGNALS = 200_000;
const DB_NAME = 'bench_scale';
const VERSION = 1;

export const STORAGE_BENCHES = ['D1', 'D2', 'D3', 'D4'];

const symbol = (i: number) => `SCALE:S${i}USDT`;

/** One symbol-year of minutes ending at `end`, a random walk (only the sizes matter here). */
function year(end: number, seed: number): OhlcvTuple[] {
  let x = seed * 7919;
  const rnd = () => (x = (x * 48271) % 2147483647) / 2147483647;
  let p = 100 + seed;
  const out: OhlcvTuple[] = [];
  for (let i = YEAR_BARS - 1; i >= 0; i--) {
    const o = p;
    p = Math.max(1, p * (1 + (rnd() - 0.5) * 0.002));
    out.push([end - i * MIN, o, Math.max(o, p) * 1.0005, Math.min(o, p) * 0.9995, p, 1 + rnd() * 10]);
  }
  return out;
}

/** Writes a symbol-year through the importer's writer; returns bars per second. */
async function importYear(store: MarketStore, sym: string, bars: OhlcvTuple[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < bars.length; i += 5000) await store.writeBars(sym, '1m', bars.slice(i, i + 5000));
  return bars.length / ((performance.now() - t0) / 1000);
}

function signalRows(strategies: number[], count: number, newestTs: number) {
  const per = Math.ceil(count / strategies.length);
  return strategies.flatMap((s) =>
    Array.from({ length: per }, (_, i) => ({
      ts: new Date(newestTs - i * MIN),
      timeframe: '1m',
      symbol: 'SCALE:S0USDT',
      pair: 'S0/USDT',
      strategy_id: `scale-${s}`,
      weight: (i % 5) / 4,
      source: 'bench',
    })),
  );
}

async function insertAll(db: Db, name: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 10_000)
    await db.collection(name).insertMany(docs.slice(i, i + 10_000), { ordered: false });
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
}

/** A read the app repeats (every executor step, every poll of a page): its median and slowest of five. */
async function repeated<T>(f: () => Promise<T>): Promise<[number, number, T]> {
  const runs: [number, T][] = [];
  for (let i = 0; i < 5; i++) runs.push(await timed(f));
  const ms = runs.map(([m]) => m).sort((a, b) => a - b);
  return [ms[2]!, ms[4]!, runs[4]![1]];
}

export async function storageBench(
  only: Set<string>,
  engineBinary: string | null,
  root: string,
  emit: (line: BenchLine) => void,
): Promise<BenchLine[]> {
  const want = (id: string) => only.size === 0 || only.has(id);
  if (!STORAGE_BENCHES.some(want)) return [];
  const dir = path.join(root, 'build', 'bench-scale');
  const marker = path.join(dir, 'ready.json');
  let server: LocalDatabaseServer | null = null;
  let uri = process.env.MONGO_URL ?? null;
  if (!uri) {
    if (!engineBinary) throw new Error('storage benchmarks need the bundled engine or MONGO_URL');
    server = new LocalDatabaseServer({
      kind: 'ferretdb',
      binary: engineBinary,
      dataDir: path.join(dir, 'data'),
      log: createMemoryLogger(),
    });
    uri = await server.start();
  }
  const client = new MongoClient(uri);
  const out: BenchLine[] = [];
  // each figure is printed as soon as it is measured: the whole group takes minutes
  const push = (line: BenchLine) => {
    out.push(line);
    emit(line);
  };
  try {
    await client.connect();
    const db = client.db(DB_NAME);
    // the app's own store: the database plus the columnar copy of the bars
    const store = new MarketStore(db, new BarColumns(path.join(dir, 'columns')));
    const end = Math.floor(Date.now() / DAY) * DAY - MIN;
    let made =
      fs.existsSync(marker) && !process.env.MONGO_URL
        ? (JSON.parse(fs.readFileSync(marker, 'utf8')) as { version: number; end: number })
        : null;
    if (
      made?.version !== VERSION ||
      !(await db.collection(COLLECTIONS.market1m).findOne({ symbol: symbol(SYMBOLS - 1) }))
    )
      made = null;
    if (!made) {
      console.log(
        `(making the scale data: ${SYMBOLS} symbol-years of 1m bars and ${CURRENT_SIGNALS} signals; a few minutes, once)`,
      );
      await db.dropDatabase();
      await ensureSchema(db, createMemoryLogger(), undefined, { quiet: true });
      for (let s = 0; s < SYMBOLS; s++) {
        const rate = await importYear(store, symbol(s), year(end, s));
        console.log(`  ${symbol(s)}: ${Math.round(rate)} bars/s`);
      }
      await insertAll(db, COLLECTIONS.signals, signalRows([...Array(STRATEGIES).keys()], CURRENT_SIGNALS, end));
      made = { version: VERSION, end };
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(marker, JSON.stringify(made));
    }
    const last = made.end;
    const sym = symbol(3);
    const [idMs] = await timed(() => db.collection(COLLECTIONS.market1m).findOne({ _id: 'none' as never }));

    if (want('D1')) {
      // a symbol-year from the database (which also writes the copy), then from the columnar copy
      const from = last - (YEAR_BARS - 1) * MIN;
      const [dbMs] = await timed(() => store.readBars(sym, '1m', from, last, { fromDatabase: true }));
      await store.readBars(sym, '1m', from, last);
      const heap = process.memoryUsage().heapUsed;
      const [ms, bars] = await timed(() => store.readBars(sym, '1m', from, last));
      const heapMb = (process.memoryUsage().heapUsed - heap) / 1e6;
      push({
        id: 'D1',
        values: {
          ms: Math.round(ms),
          bars: bars.length,
          database_ms: Math.round(dbMs),
          ratio: +(ms / dbMs).toFixed(3),
          heap_mb: +Math.max(0, heapMb).toFixed(1),
        },
      });
    }
    if (want('D2')) {
      const [newestMs, newest] = await timed(() => store.lastBarTime(sym, '1m'));
      const [newestQueryMs] = await timed(() =>
        db
          .collection(COLLECTIONS.market1m)
          .find({ symbol: sym, datetime: { $gte: new Date(last - DAY), $lte: new Date(last + DAY) } })
          .sort({ datetime: -1 })
          .limit(1)
          .toArray(),
      );
      // through the app's store (the copy, once it holds the range), and from the database alone
      const r6 = [last - 200 * 360 * MIN, last - 199 * 360 * MIN - MIN] as const;
      const wk = [last - 7 * DAY + MIN, last] as const;
      const [range6hDbMs] = await timed(() => store.readBars(sym, '1m', r6[0], r6[1], { fromDatabase: true }));
      const [weekDbMs] = await timed(() => store.readBars(sym, '1m', wk[0], wk[1], { fromDatabase: true }));
      await store.readBars(sym, '1m', wk[0], wk[1]);
      const [range6hMs, r6bars] = await timed(() => store.readBars(sym, '1m', r6[0], r6[1]));
      const [weekMs, w] = await timed(() => store.readBars(sym, '1m', wk[0], wk[1]));
      push({
        id: 'D2',
        values: {
          newest_ms: newestMs.toFixed(1),
          newest_query_ms: newestQueryMs.toFixed(1),
          range6h_ms: range6hMs.toFixed(1),
          week_ms: weekMs.toFixed(0),
          range6h_database_ms: range6hDbMs.toFixed(1),
          week_database_ms: weekDbMs.toFixed(0),
          id_lookup_ms: idMs.toFixed(1),
          range6h_bars: r6bars.length,
          week_bars: w.length,
          newest_ok: newest === last ? 1 : 0,
        },
      });
    }
    if (want('D3')) {
      const signals = new SignalStore(() => db);
      const keys = [...Array(STRATEGIES).keys()].map((s) => ({
        strategyId: `scale-${s}`,
        pair: 'S0/USDT',
        timeframe: '1m' as const,
      }));
      const bar = last - 5 * MIN;
      const [windowMs, windowMaxMs, reader] = await repeated(() => signals.window(keys, bar - MIN, bar + MIN));
      const seen = (
        await Promise.all(keys.map((k) => reader.forKey(k.strategyId, k.pair, k.timeframe, bar - MIN, bar + MIN)))
      ).reduce((n, xs) => n + xs.length, 0);
      const [feedMs, feedMaxMs, feed] = await repeated(() => signals.recent(200, undefined, last));
      const [feedOneMs] = await repeated(() => signals.recent(200, 'scale-7', last));
      // 200,000 signals past the 30-day lifetime beside the current ones, then the expiry
      await insertAll(db, COLLECTIONS.signals, signalRows([100, 101, 102, 103], DUE_SIGNALS, last - 40 * DAY));
      const total = await db.collection(COLLECTIONS.signals).estimatedDocumentCount();
      let errors = 0;
      const [expireMs, run] = await timed(() =>
        expireSignals(db, last, DEFAULT_SIGNAL_RETENTION_DAYS).catch(() => (errors++, null)),
      );
      push({
        id: 'D3',
        values: {
          window_ms: windowMs.toFixed(1),
          window_max_ms: windowMaxMs.toFixed(1),
          window_signals: seen,
          feed_ms: feedMs.toFixed(0),
          feed_max_ms: feedMaxMs.toFixed(0),
          feed_one_strategy_ms: feedOneMs.toFixed(0),
          feed_rows: feed.length,
          signals_stored: total,
          expired: run?.removed ?? 0,
          errors,
          expire_ms: Math.round(expireMs),
          expire_batches: run?.batches ?? 0,
        },
      });
    }
    if (want('D4')) {
      // the same symbol-year into an empty database, then into the full one, pinging all along
      const removeExtra = async () => {
        await db.collection(COLLECTIONS.market1m).deleteMany({ symbol: 'SCALE:EXTRAUSDT' });
        await db.collection(SERIES_BARS_COLLECTION).deleteOne({ _id: 'SCALE:EXTRAUSDT|1m' as never });
        fs.rmSync(path.join(dir, 'columns', 'SCALE_EXTRAUSDT'), { recursive: true, force: true });
      };
      await removeExtra(); // left by an interrupted run
      const empty = client.db('bench_scale_first');
      await empty.dropDatabase();
      await ensureSchema(empty, createMemoryLogger(), undefined, { quiet: true });
      const bars = year(last, 42);
      const firstColumns = path.join(dir, 'columns-first');
      const first = await importYear(new MarketStore(empty, new BarColumns(firstColumns)), 'SCALE:EXTRAUSDT', bars);
      fs.rmSync(firstColumns, { recursive: true, force: true });
      await empty.dropDatabase();
      const pinger = new MongoClient(uri, { appName: 'bench-ping' });
      await pinger.connect();
      const pings: number[] = [];
      let importing = true;
      const loop = (async () => {
        while (importing) {
          const [ms] = await timed(() => pinger.db('admin').command({ ping: 1 }));
          pings.push(ms);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const tenth = await importYear(store, 'SCALE:EXTRAUSDT', bars);
      importing = false;
      await loop;
      await pinger.close();
      await removeExtra();
      push({
        id: 'D4',
        values: {
          ratio: +(tenth / first).toFixed(2),
          first_bars_per_s: Math.round(first),
          full_bars_per_s: Math.round(tenth),
          ping_p50_ms: percentile(pings, 50).toFixed(1),
          ping_p99_ms: percentile(pings, 99).toFixed(1),
          pings: pings.length,
        },
      });
    }
  } finally {
    await client.close();
    await server?.stop();
  }
  return out;
}
