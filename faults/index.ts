// The fault suite (R1-R5, R7, A1 in docs/ARCHITECTURE.md): the executor against the exchange simulator through
// real ccxt and a real database, killed and starved on purpose. Each scenario prints one
// line of counts; a non-zero count of what must be zero fails the run.
import { english } from '../core/wording/wording';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { reconcile } from '../core/execution/reconcile';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../main/exchange/simulator/binanceSimulator';
import { CcxtBroker } from '../main/exchange/ccxtBroker';
import { ExecutionStore } from '../main/execution/executionStore';
import { sendMarketOrder } from '../main/execution/orderSender';
import { SignalStore } from '../main/signals/signalStore';
import { ensureSchema } from '../main/database/schemaSetup';
import { runR4 } from './r4Fuzz';
import { runR5 } from './r5DbRestart';
import { runR7 } from './r7OutsideInputs';

export interface FaultLine {
  id: string;
  values: Record<string, number>;
  mustBeZero: string[];
}

const MIN = 60_000;

function runProcess(script: string, args: string[], killAfterMs: number | null): Promise<'done' | 'killed' | 'failed'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let killed = false;
    const timer =
      killAfterMs === null
        ? null
        : setTimeout(() => {
            killed = true;
            child.kill('SIGKILL');
          }, killAfterMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(killed ? 'killed' : code === 0 ? 'done' : 'failed');
    });
  });
}

export async function runFaults(
  uri: string,
  only: Set<string>,
  runnerScript: string,
  runs: number,
): Promise<FaultLine[]> {
  const want = (id: string) => only.size === 0 || only.has(id);
  const lines: FaultLine[] = [];
  const client = new MongoClient(uri);
  await client.connect();
  const dbName = `faults_${Date.now()}`;
  const db = () => client.db(dbName);
  await ensureSchema(db(), createMemoryLogger(), undefined, { quiet: true });
  const sim = new BinanceSimulator({
    market: new SyntheticMarket(demoAssets(Date.now()), 12),
    apiKeys: { fk: 'fs' },
    balances: { USDT: 1_000_000 },
    weightLimit: 1_000_000,
  });
  const url = await sim.start();
  const broker = new CcxtBroker(
    createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey: 'fk', secret: 'fs', timeoutMs: 2000 }),
  );
  const store = new ExecutionStore(db);
  try {
    if (want('R1')) {
      // Orders in flight: slow replies, and a third of the replies lost.
      sim.setFaults({ latencyMs: 40, lostReplyRate: 0.3 });
      let kills = 0;
      let inFlight = 0;
      let afterOrder = 0;
      for (let k = 0; k < runs; k++) {
        const strategyId = `r1-${k}`;
        // A fresh signal for each run: the last closed bar when the run starts.
        const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
        await new SignalStore(db).export(
          [
            {
              ts: new Date(bar),
              timeframe: '1m',
              symbol: 'SIM:ETHUSDT',
              pair: 'ETH/USDT',
              strategy_id: strategyId,
              action: 'enter_long',
            },
          ],
          { exportedBy: 'faults', strategyVersion: null, runId: null },
        );
        const args = [uri, dbName, url, 'fk', 'fs', strategyId, 'ETH/USDT'];
        // Killed at a random moment (start-up takes ~0.5 s, an order with the injected latency and
        // lost replies up to ~1 s more), then started again until its signal is settled.
        for (let attempt = 0; attempt < 10; attempt++) {
          const outcome = await runProcess(
            runnerScript,
            args,
            attempt < 2 ? 300 + Math.floor(Math.random() * 1200) : null,
          );
          if (outcome === 'killed') {
            kills++;
            const o = await store.orders.findOne({ strategyId });
            if (o && (o.status === 'intent' || o.status === 'unknown')) inFlight++;
            else if (o) afterOrder++;
          }
          if (outcome === 'done') break;
        }
      }
      sim.setFaults({});
      // Count, from the exchange's side, what each client order id became.
      const trades = await broker.trades('ETH/USDT', 0);
      const fills = await store.fills.find({ mode: 'live', pair: 'ETH/USDT' }).toArray();
      const ourTradeIds = new Set(fills.map((f) => f._id.split('|').slice(2).join('|')));
      const orders = await store.orders.find({ mode: 'live', strategyId: { $regex: '^r1-' } }).toArray();
      let duplicates = 0;
      for (const o of orders) {
        const ex = await broker.orderByClientId('ETH/USDT', o._id);
        if (!ex) continue;
        // One exchange order per client order id: all trades of this id belong to that order.
        const ofOrder = trades.filter((t) => t.orderId === ex.id);
        if (ofOrder.reduce((n, t) => n + t.amount, 0) > o.amount + 1e-9) duplicates++;
      }
      const byClient = new Map<string, number>();
      for (const o of orders) byClient.set(o.strategyId, (byClient.get(o.strategyId) ?? 0) + 1);
      duplicates += [...byClient.values()].filter((n) => n > 1).length;
      const lostFills = trades.filter((t) => !ourTradeIds.has(t.id)).length;
      const position = fills.reduce(
        (n, f) => n + (f.side === 'buy' ? f.amount : -f.amount) - (f.feeCurrency === 'ETH' ? f.fee : 0),
        0,
      );
      const balances = Object.fromEntries(Object.entries(await broker.balances()).map(([k, v]) => [k, v.total]));
      const diffs = reconcile(
        { orders: [], fills: [], positions: { 'ETH/USDT': position } },
        { openOrders: [], trades: [], balances },
        { since: Infinity, pairs: ['ETH/USDT'], tolerance: 1e-8 },
      );
      const settled = orders.filter((o) => o.status === 'filled').length;
      lines.push({
        id: 'R1',
        values: {
          runs,
          kills,
          killed_in_flight: inFlight,
          killed_after_order: afterOrder,
          orders: orders.length,
          settled,
          duplicate_orders: duplicates,
          lost_fills: lostFills,
          unreconciled: diffs.length + (runs - settled),
        },
        mustBeZero: ['duplicate_orders', 'lost_fills', 'unreconciled'],
      });
    }
    if (want('R3')) {
      // Storms of 5xx, timeouts and rate limits: bounded retries, nothing sent twice, an alert.
      const stormy = new BinanceSimulator({
        market: new SyntheticMarket(demoAssets(Date.now()), 13),
        apiKeys: { sk: 'ss' },
        balances: { USDT: 100_000 },
        weightLimit: 120,
      });
      const surl = await stormy.start();
      try {
        stormy.setFaults({ serverErrorRate: 0.3, timeoutRate: 0.1 });
        const sbroker = new CcxtBroker(
          createExchangeClient({ exchangeId: 'binance', apiBaseUrl: surl, apiKey: 'sk', secret: 'ss', timeoutMs: 500 }),
        );
        const alerts: string[] = [];
        const { Executor } = await import('../main/execution/executor');
        const { DEFAULT_RISK } = await import('../core/execution/risk');
        const { DEFAULT_CONSUMER_RULES } = await import('../core/signals/consumption');
        const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
        const ex = new Executor({
          store,
          signals: new SignalStore(db),
          broker: () => sbroker,
          log: createMemoryLogger(),
          send: { sleep: async (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 200))) },
          onAlert: (a) => alerts.push(english(a.text)),
        });
        const n = 8;
        for (let k = 0; k < n; k++) {
          await new SignalStore(db).export(
            [
              {
                ts: new Date(bar),
                timeframe: '1m',
                symbol: 'SIM:BNBUSDT',
                pair: 'BNB/USDT',
                strategy_id: `r3-${k}`,
                action: 'enter_long',
              },
            ],
            { exportedBy: 'faults', strategyVersion: null, runId: null },
          );
          const run = {
            strategyId: `r3-${k}`,
            symbol: 'SIM:BNBUSDT',
            pair: 'BNB/USDT',
            timeframe: '1m' as const,
            mode: 'live' as const,
            risk: { ...DEFAULT_RISK, stake: { kind: 'quote' as const, amount: 20 }, maxOpenPositions: 1000 },
            rules: DEFAULT_CONSUMER_RULES,
            feeRate: 0.001,
          };
          for (let i = 0; i < 6; i++) {
            await ex.recover('live').catch(() => undefined);
            await ex.step(run).catch(() => undefined);
          }
        }
        stormy.setFaults({});
        // Counted on the simulator's own books (the storm used up the request budget).
        const exchangeOrders = stormy.account('sk').all('BNB/USDT', Date.now(), stormy.market);
        const perClientId = new Map<string, number>();
        for (const o of exchangeOrders) perClientId.set(o.clientOrderId, (perClientId.get(o.clientOrderId) ?? 0) + 1);
        const ours = await store.orders.find({ strategyId: { $regex: '^r3-' } }).toArray();
        const duplicates =
          [...perClientId.values()].filter((n) => n > 1).length +
          (ours.length - new Set(ours.map((o) => o.strategyId)).size);
        const perOrder = perClientId;
        lines.push({
          id: 'R3',
          values: {
            signals: n,
            orders: ours.length,
            exchange_orders: exchangeOrders.length,
            duplicate_orders: duplicates + Math.max(0, perOrder.size - ours.length),
            alerts: alerts.filter((a) => /rate-limiting|clock skew/.test(a)).length,
            requests_429: stormy.stats.rejected429,
          },
          mustBeZero: ['duplicate_orders'],
        });
      } finally {
        await stormy.stop();
      }
    }
    if (want('A1')) {
      // The acceptance run: three simulated days of paper trading, whole chain live. One pair:
      // on the bundled FerretDB every signal read scans crypto_signals, so a second pair
      // more than doubles the run (A1_MINUTES shortens it for a quick look).
      const { runAcceptance, A1_STRATEGIES } = await import('./a1Acceptance');
      const minutes = Number(process.env.A1_MINUTES ?? 3 * 1440);
      const r = await runAcceptance({
        db: () => client.db(`${dbName}_a1`),
        minutes,
        strategies: A1_STRATEGIES.slice(0, Number(process.env.A1_PAIRS ?? 1)),
        artifactsDir: path.resolve('artifacts', 'acceptance'),
        onProgress: (m, of) =>
          m % 360 === 0 &&
          process.stderr.write(`A1 ${((m / of) * 100).toFixed(0)} % (${(m / 1440).toFixed(2)} simulated days)\n`),
      }).finally(() =>
        client
          .db(`${dbName}_a1`)
          .dropDatabase()
          .catch(() => undefined),
      );
      const f = r.figures;
      lines.push({
        id: 'A1',
        values: {
          sim_days: f.sim_days,
          errors: f.errors,
          recon_diffs: f.recon_diffs,
          late_signals: f.late_signals,
          equity_gap_pct: Number(f.equity_gap_pct.toFixed(4)),
          costs_pct: Number(f.costs_pct.toFixed(4)),
          outside_costs: f.equity_gap_pct > f.costs_pct ? 1 : 0,
          paper_return_pct: Number(f.paper_return_pct.toFixed(4)),
          backtest_return_pct: Number(f.backtest_return_pct.toFixed(4)),
          signals: f.signals,
          orders: f.orders,
          recon_runs: f.recon_runs,
          max_consume_ms: Math.round(f.max_consume_ms),
          run_s: Math.round(f.run_s),
        },
        mustBeZero: ['errors', 'recon_diffs', 'late_signals', 'outside_costs'],
      });
    }
    if (want('R2')) {
      // A placed order whose reply is lost is found by its client order id and not sent again.
      sim.setFaults({ lostReplyRate: 1 });
      const posted = sim.stats.byEndpoint['POST /api/v3/order'] ?? 0;
      const r = await sendMarketOrder(
        broker,
        { pair: 'BTC/USDT', side: 'buy', amount: 0.001, clientOrderId: `qd-r2-${Date.now()}` },
        { sleep: async () => undefined },
      );
      sim.setFaults({});
      const sent = (sim.stats.byEndpoint['POST /api/v3/order'] ?? 0) - posted;
      lines.push({
        id: 'R2',
        values: { duplicate_orders: sent - 1, found: r.recovered ? 1 : 0 },
        mustBeZero: ['duplicate_orders'],
      });
    }
    if (want('R4')) {
      // Hostile payloads against a real back end; what went wrong is said on stderr.
      const { counts, problems } = await runR4(uri);
      for (const p of problems) console.error(`R4 ${p}`);
      lines.push({
        id: 'R4',
        values: { ...counts },
        mustBeZero: ['crashes', 'half_written', 'unclear', 'missed_good'],
      });
    }
    // Its own database server, stopped and started again while importing and trading.
    if (want('R5')) lines.push(await runR5());
    if (want('R7')) {
      // Outside inputs at the edges: candle files through the file import, documents straight into crypto_signals.
      const { line, problems } = await runR7(uri);
      for (const p of problems) console.error(`R7 ${p}`);
      lines.push(line);
    }
  } finally {
    await sim.stop();
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }
  return lines;
}
