// R5: the database server stopped and started again while the importer stores 1m bars and
// the executor trades signals that keep arriving. Its own FerretDB on a fixed port and data
// folder (so it can come back where it was); the app's own clients (the database manager, the
// importer job's) must reconnect by themselves. Afterwards every bar is stored exactly once,
// every acknowledged signal is stored and traded, and every order exists once on each side.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { DEFAULT_RISK } from '../core/execution/risk';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { TIMEFRAME_MS, barOpen, lastClosedBarOpen } from '../core/market/timeframes';
import { DEFAULT_CONSUMER_RULES } from '../core/signals/consumption';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../main/exchange/simulator/binanceSimulator';
import { CcxtBroker } from '../main/exchange/ccxtBroker';
import { ExecutionStore } from '../main/execution/executionStore';
import { Executor, type StrategyRun } from '../main/execution/executor';
import { SignalBatchError, SignalStore } from '../main/signals/signalStore';
import { DatabaseManager } from '../main/database/databaseManager';
import { findEngineBinary } from '../main/database/databaseEngine';
import { freePort } from '../main/settings/savedPort';
import { LocalDatabaseServer } from '../main/database/localDatabase';
import { MarketStore } from '../main/market/marketStore';
import { ensureSchema } from '../main/database/schemaSetup';
import { importJob } from '../main/workers/jobs/importJob';
import type { FaultLine } from './index';
import { COLLECTIONS } from '../core/db/collections';

const MIN = TIMEFRAME_MS['1m'];
const PAIRS = ['ETH/USDT', 'BNB/USDT'];
// Daily signals: the executor may act on one within a bar of its own (the contract's window), so on
// a machine slowed by other work a sweep that takes minutes is still in time. What R5 checks is
// loss and duplication across restarts, not how fast a sweep is.
const SIGNAL_TF = '1d';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface R5Options {
  bars: number;
  restarts: number;
  /** How long the server stays down each time. */
  downMs: number;
  /** Most signals written during the run (one every 300 ms while the import runs). */
  maxSignals: number;
}

export async function runR5(options: Partial<R5Options> = {}): Promise<FaultLine> {
  const o: R5Options = { bars: 150_000, restarts: 3, downMs: 3000, maxSignals: 60, ...options };
  const binary = findEngineBinary(path.resolve('resources'));
  if (!binary) throw new Error('R5 needs the bundled database engine (npm run db:build)');
  const log = createMemoryLogger();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-r5-'));
  const server = new LocalDatabaseServer({ kind: 'ferretdb', binary, dataDir: dir, port: await freePort(), log });
  const uri = await server.start();
  const dbName = 'r5';
  const setup = new MongoClient(uri);
  await setup.connect();
  await ensureSchema(setup.db(dbName), log, undefined, { quiet: true });
  await setup.close();

  // The app's client, as the back end holds it; it sees the outage and reports it.
  const app = new DatabaseManager({
    mongoUri: uri,
    preferMongod: false,
    dbName,
    dataDir: dir,
    resourcesDir: 'resources',
    log,
    probeIntervalMs: 250,
  });
  const states: string[] = [];
  app.onChange((h) => states[states.length - 1] !== h.state && states.push(h.state));
  await app.start();
  const db = () => app.db();

  const sim = new BinanceSimulator({
    market: new SyntheticMarket(demoAssets(Date.now()), 51),
    apiKeys: { r5k: 'r5s' },
    balances: { USDT: 10_000_000 },
    weightLimit: 10_000_000,
  });
  const url = await sim.start();
  const broker = new CcxtBroker(
    createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey: 'r5k', secret: 'r5s', timeoutMs: 5000 }),
  );
  const store = new ExecutionStore(db);
  const signals = new SignalStore(db);
  const executor = new Executor({ store, signals, broker: () => broker, log, send: { maxAttempts: 8 } });

  let restarts = 0;
  let importDone = false;
  let importError: string | null = null;
  let progress = 0;
  let tradingErrors = 0;
  const problems: string[] = [];
  const say = (what: string) => problems.length < 20 && problems.push(what);
  const runs: StrategyRun[] = [];
  const acknowledged: { strategyId: string; pair: string; ts: number; at: number }[] = [];
  // What the executor last made of each strategy, and when it first looked at it: an untraded
  // signal is explained by these (missed window, refusal) rather than guessed at.
  const looked = new Map<string, { first: number; last: string }>();
  try {
    // The importer job exactly as its worker runs it, with its own client.
    const to = barOpen(Date.now(), '1d') - MIN;
    const from = to - (o.bars - 1) * MIN;
    const abort = new AbortController();
    const ctx = {
      log,
      progress: (done: number) => (progress = done),
      heartbeat: () => undefined,
      idle: () => undefined,
      event: () => undefined,
      signal: abort.signal,
      acquire: async () => undefined,
    };
    const imported = importJob(
      {
        uri,
        dbName,
        ccxtId: 'binance',
        apiBaseUrl: url,
        symbol: 'SIM:BTCUSDT',
        pair: 'BTC/USDT',
        timeframe: '1m',
        from,
        to,
      },
      ctx,
    )
      .then(
        (r) => r ?? null,
        (err: Error) => {
          importError = err.message;
          return null;
        },
      )
      .finally(() => (importDone = true));

    // Signals keep coming, one new strategy each; an export that fails on the outage is tried again.
    const producing = (async () => {
      for (let i = 0; !importDone && i < o.maxSignals; i++) {
        const pair = PAIRS[i % PAIRS.length]!;
        const strategyId = `r5-${i}`;
        const ts = lastClosedBarOpen(Date.now(), SIGNAL_TF);
        const row = {
          ts: new Date(ts),
          timeframe: SIGNAL_TF,
          symbol: `SIM:${pair.replace('/', '')}`,
          pair,
          strategy_id: strategyId,
          action: 'enter_long',
        };
        for (let attempt = 1; ; attempt++) {
          try {
            await signals.export([row], { exportedBy: 'faults', strategyVersion: null, runId: null });
            break;
          } catch (err) {
            if (attempt >= 300 || err instanceof SignalBatchError) throw err;
            await sleep(200);
          }
        }
        acknowledged.push({ strategyId, pair, ts, at: Date.now() });
        runs.push({
          strategyId,
          symbol: row.symbol,
          pair,
          timeframe: SIGNAL_TF,
          mode: 'live',
          risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 20 }, maxOpenPositions: 1_000_000 },
          rules: DEFAULT_CONSUMER_RULES,
          feeRate: 0.001,
        });
        await sleep(300);
      }
    })();

    // The executor's loop: settle what is pending, then decide, for every strategy, every sweep.
    let trading = true;
    const tradingLoop = (async () => {
      while (trading) {
        for (const run of [...runs]) {
          try {
            await executor.recover('live', { strategyId: run.strategyId, pair: run.pair });
            const out = await executor.step(run);
            const seen = looked.get(run.strategyId);
            const last = `${out.kind}${'reason' in out ? `: ${out.reason}` : ''}`;
            looked.set(run.strategyId, { first: seen?.first ?? Date.now(), last });
          } catch {
            tradingErrors++; // the outage: tried again at the next sweep
          }
        }
        await sleep(100);
      }
    })();

    // The outages, spread over the import.
    for (let k = 1; k <= o.restarts; k++) {
      while (!importDone && progress < (k / (o.restarts + 1)) * o.bars) await sleep(20);
      if (importDone) break;
      // Killed outright: a graceful stop lets FerretDB finish serving the open connections first,
      // which is no outage at all. Its automatic restart is cancelled so the outage lasts downMs.
      const exited = new Promise<void>((resolve) => {
        const off = server.onEvent((e) => e.type === 'exited' && (off(), resolve()));
      });
      process.kill(server.pid!, 'SIGKILL');
      await exited;
      await server.stop();
      await sleep(o.downMs);
      await server.start();
      restarts++;
    }
    const result = await imported;
    await producing;
    // Trading carries on until every acknowledged signal is settled (or three minutes have passed).
    const settledAll = async () => {
      const filled = await store.orders.find({ strategyId: { $regex: '^r5-' }, status: 'filled' }).toArray();
      return acknowledged.every((s) => filled.some((f) => f.strategyId === s.strategyId));
    };
    for (let i = 0; i < 1800 && !(await settledAll().catch(() => false)); i++) await sleep(100);
    trading = false;
    await tradingLoop;

    // Bars: every one of the range, once.
    const times = await new MarketStore(db()).barTimes('SIM:BTCUSDT', '1m', from, to);
    const stored = await db().collection(COLLECTIONS.market1m).countDocuments({ symbol: 'SIM:BTCUSDT' });
    let unique = 0;
    for (let i = 0; i < times.length; i++) if (i === 0 || times[i]! > times[i - 1]!) unique++;
    const lostBars = o.bars - unique;
    const dupBars = stored - unique;
    // Signals: each acknowledged one stored once and traded once.
    let lostSignals = 0;
    let dupSignals = 0;
    let untraded = 0;
    const ours = await store.orders.find({ strategyId: { $regex: '^r5-' } }).toArray();
    for (const s of acknowledged) {
      const n = await db()
        .collection(COLLECTIONS.signals)
        .countDocuments({ strategy_id: s.strategyId, pair: s.pair, timeframe: SIGNAL_TF, ts: new Date(s.ts) });
      if (n === 0) lostSignals++;
      dupSignals += Math.max(0, n - 1);
      if (!ours.some((x) => x.strategyId === s.strategyId && x.status === 'filled' && x.signalTs.getTime() === s.ts)) {
        untraded++;
        const seen = looked.get(s.strategyId);
        const firstLook = seen
          ? `first looked at ${seen.first - s.at} ms after the export, last: ${seen.last}`
          : 'never looked at';
        // a filter no index serves (a dotted field): tells "not stored" from "stored, not found by an indexed read"
        const scanned = (
          await db().collection(COLLECTIONS.signals).find({ 'audit.exported_by': 'faults' }).toArray()
        ).filter((d) => d.strategy_id === s.strategyId && (d.ts as Date).getTime() === s.ts).length;
        say(
          `signal ${s.strategyId} ${new Date(s.ts).toISOString()} (stored ${n}x, ${scanned}x by a full read, acknowledged ${new Date(s.at).toISOString()}) not traded: ${firstLook}; orders ${JSON.stringify(ours.filter((x) => x.strategyId === s.strategyId).map((x) => [x.status, x.reason]))}`,
        );
      }
    }
    // Orders: one of ours per signal, one on the exchange per client order id, and the same set on both sides.
    // The simulator's account is this run's own: every order on it is one of ours or a duplicate.
    const exchange = PAIRS.flatMap((p) => sim.account('r5k').all(p, Date.now(), sim.market));
    const perClientId = new Map<string, number>();
    for (const x of exchange) perClientId.set(x.clientOrderId, (perClientId.get(x.clientOrderId) ?? 0) + 1);
    const dupOrders =
      [...perClientId.values()].reduce((n, c) => n + c - 1, 0) +
      (ours.length - new Set(ours.map((x) => x.strategyId)).size);
    const unknownOnExchange = [...perClientId.keys()].filter((id) => !ours.some((x) => x._id === id)).length;
    const missing = ours.filter((x) => x.status === 'filled' && !perClientId.has(x._id));
    for (const x of missing) say(`order ${x._id} filled here but not on the exchange`);
    const missingOnExchange = missing.length;
    const sawDown = states.includes('down');
    const reconnected = sawDown && app.health().state === 'connected' ? 1 : 0;
    const lost = lostBars + lostSignals + untraded + missingOnExchange + (importError ? 1 : 0);
    const duplicated = dupBars + dupSignals + dupOrders + unknownOnExchange;
    if (importError) say(`import failed: ${importError}`);
    for (const p of problems) console.error(`R5 ${p}`);
    return {
      id: 'R5',
      values: {
        restarts,
        down_ms: o.downMs,
        bars: o.bars,
        bars_stored: stored,
        import_retries: Number(result?.retries ?? 0),
        signals: acknowledged.length,
        orders: ours.length,
        exchange_orders: exchange.length,
        trading_errors_during_outages: tradingErrors,
        slowest_first_look_ms: Math.max(
          0,
          ...acknowledged.map((s) => (looked.get(s.strategyId)?.first ?? Date.now()) - s.at),
        ),
        not_reconnected: 1 - reconnected,
        lost,
        duplicated,
      },
      mustBeZero: ['lost', 'duplicated', 'not_reconnected'],
    };
  } finally {
    await app.stop();
    await sim.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
