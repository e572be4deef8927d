// A1 (docs/ARCHITECTURE.md), the acceptance run, simulated: days of paper trading against the
// exchange simulator with the whole chain live: bars fetched and stored as they close
// (import), live pipelines computing and exporting each bar's signal, the execution desk
// trading them on the paper wallet, reconciliation on a timer and every alert through the
// alert center. The clock jumps from one bar close to the next and runs at real speed in
// between, so every latency is the time the chain really took, on the simulated clock.
// At the end the paper result is set beside a backtest of the very signals exported.
import { english, type Text } from '../core/wording/wording';
import crypto from 'node:crypto';
import type { Db } from 'mongodb';
import type { AcceptanceReport } from '../core/api/acceptanceContract';
import { ExecConfigDraftSchema } from '../core/api/executionContract';
import { PipelineDraftSchema } from '../core/api/signalsContract';
import { runBacktest } from '../core/backtest/backtest';
import { downsampleCurves } from '../core/backtest/downsample';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import type { OhlcvTuple } from '../core/market/bars';
import { toPair } from '../core/market/symbols';
import { TIMEFRAME_MS, barOpen, type Timeframe } from '../core/market/timeframes';
import type { SecretStore } from '../core/ports/secretStore';
import { positionsFromSignals } from '../core/research/signalPositions';
import { DEFAULT_CONSUMER_RULES, signalIntent } from '../core/signals/consumption';
import { createSteppedClock } from '../core/simulation/steppedClock';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../main/exchange/simulator/binanceSimulator';
import { CcxtBroker } from '../main/exchange/ccxtBroker';
import { ExecutionDesk } from '../main/execution/executionDesk';
import { PAPER_FEE, PAPER_SLIPPAGE_BPS, PAPER_START } from '../main/execution/executionContext';
import { clientOrderIdOf } from '../main/execution/executionStore';
import { importOhlcv } from '../main/market/ohlcvImporter';
import { saveAcceptanceReport, writeAcceptanceArtifacts } from '../main/monitor/acceptanceReports';
import { AlertCenter } from '../main/alerts/alertCenter';
import type { AlertInput } from '../core/monitor/alertKinds';
import { PipelineDesk, budgetMs } from '../main/signals/pipelineDesk';
import { SignalStore } from '../main/signals/signalStore';
import { MarketStore } from '../main/market/marketStore';
import { ensureSchema } from '../main/database/schemaSetup';
import { COLLECTIONS } from '../core/db/collections';

const MIN = TIMEFRAME_MS['1m'];
const DAY = TIMEFRAME_MS['1d'];

export interface AcceptanceStrategy {
  strategyId: string;
  symbol: string;
  templateId: string;
  params: Record<string, number>;
  /** Quote per entry: both fit in the paper wallet at once, so neither waits for the other. */
  stake: number;
}

export const A1_STRATEGIES: readonly AcceptanceStrategy[] = [
  {
    strategyId: 'a1-trend-btc',
    symbol: 'SIM:BTCUSDT',
    templateId: 'trend-ema',
    params: { fast: 12, slow: 48, band: 0.05 },
    stake: 4500,
  },
  {
    strategyId: 'a1-breakout-eth',
    symbol: 'SIM:ETHUSDT',
    templateId: 'breakout-donchian',
    params: { period: 30 },
    stake: 4500,
  },
];

export interface AcceptanceOptions {
  db: () => Db;
  /** Simulated minutes (bar closes) to trade: 4320 is three days. */
  minutes: number;
  strategies?: readonly AcceptanceStrategy[];
  reconEveryMinutes?: number;
  historyBars?: number;
  seed?: number;
  /** First simulated bar (UTC, minute-aligned); by default midnight four days ago. */
  start?: number;
  /** Where the JSON and the chart go; null writes none. */
  artifactsDir?: string | null;
  onProgress?: (minute: number, of: number) => void;
}

/** No alert channel is configured in the run: nothing to read from a keychain. */
const NO_SECRETS: SecretStore = {
  get: async () => null,
  set: async () => undefined,
  delete: async () => false,
  list: async () => [],
};

export async function runAcceptance(o: AcceptanceOptions): Promise<AcceptanceReport> {
  const started = performance.now();
  const strategies = o.strategies ?? A1_STRATEGIES;
  const reconEvery = o.reconEveryMinutes ?? 30;
  const historyBars = o.historyBars ?? 300;
  const tf: Timeframe = '1m';
  const budget = budgetMs(tf);
  const start = o.start ?? barOpen(Date.now(), '1d') - 4 * DAY;
  const clock = createSteppedClock(start + 1_000, () => Date.now());
  const log = createMemoryLogger();
  const db = o.db;
  await ensureSchema(db(), log, undefined, { quiet: true });

  const sim = new BinanceSimulator({
    market: new SyntheticMarket(demoAssets(start), o.seed ?? 7),
    now: () => clock.now(),
    weightLimit: 1_000_000,
  });
  const url = await sim.start();
  const client = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, timeoutMs: 10_000 });

  const exceptions: string[] = [];
  const raised: AlertInput[] = [];
  const alertWrites: Promise<unknown>[] = [];
  const center = new AlertCenter({ db, secrets: NO_SECRETS, log, onChange: () => undefined, now: () => clock.now() });
  const raise = (a: AlertInput) => {
    raised.push(a);
    alertWrites.push(center.raise(a).catch((err: Error) => exceptions.push(`alert not stored: ${err.message}`)));
  };

  try {
    // Import: the history the live pipelines start from, through the importer.
    const store = new MarketStore(db());
    for (const s of strategies) {
      await importOhlcv(
        { symbol: s.symbol, pair: toPair(s.symbol), timeframe: tf, from: start - historyBars * MIN, to: start - MIN },
        { exchange: client, store, log, now: () => clock.now() },
      );
    }
    // Then each bar as it closes, straight from the exchange and stored on the way (as MarketDesk.fetchClosedBars).
    const fetchClosedBars = async (
      symbol: string,
      timeframe: Timeframe,
      since: number,
      now: number,
    ): Promise<OhlcvTuple[]> => {
      const rows = ((await client.fetchOHLCV(toPair(symbol), timeframe, since, 1000)) as OhlcvTuple[]).filter(
        (b) => b[0] + TIMEFRAME_MS[timeframe] <= now,
      );
      if (rows.length) await store.writeBars(symbol, timeframe, rows);
      return rows;
    };

    const signals = new SignalStore(db);
    const exported: { strategyId: string; ts: number }[] = [];
    const pipelines = new PipelineDesk({
      db,
      bars: () => new MarketStore(db()),
      log,
      signals,
      fetchClosedBars,
      onChanged: () => undefined,
      onExported: (e) => exported.push({ strategyId: e.strategy_id, ts: e.ts }),
      onAlert: raise,
      now: () => clock.now(),
      tickMs: 0,
    });
    for (const s of strategies) {
      const p = await pipelines.save(
        PipelineDraftSchema.parse({
          name: s.strategyId,
          symbol: s.symbol,
          timeframe: tf,
          templateId: s.templateId,
          params: s.params,
          strategyId: s.strategyId,
          historyBars,
        }),
      );
      await pipelines.setLive(p.id, true);
    }

    const marketData = new CcxtBroker(client);
    const desk = new ExecutionDesk({
      db,
      bars: () => new MarketStore(db()),
      log,
      signals,
      marketData: () => marketData,
      liveBroker: async () => {
        throw new Error('the acceptance run trades on paper only');
      },
      exchangeOf: () => 'sim',
      onChanged: () => undefined,
      onAlert: raise,
      now: () => clock.now(),
      tickMs: 0,
    });
    for (const s of strategies)
      await desk.save(
        ExecConfigDraftSchema.parse({
          strategyId: s.strategyId,
          symbol: s.symbol,
          timeframe: tf,
          stakeQuote: s.stake,
          maxOpenPositions: strategies.length,
          enabled: true,
        }),
      );

    let reconRuns = 0;
    let reconDiffs = 0;
    let late = 0;
    let maxConsume = 0;
    const failedOutcomes = new Set<string>();
    let seen = 0;
    for (let m = 1; m <= o.minutes; m++) {
      clock.jumpTo(start + m * MIN);
      try {
        await pipelines.tick();
        await desk.tick();
        // The executor has consumed this bar's signals when its pass ends.
        const consumedAt = clock.now();
        for (const e of exported.slice(seen)) {
          const ms = consumedAt - (e.ts + MIN);
          maxConsume = Math.max(maxConsume, ms);
          if (ms > budget) late++;
        }
        seen = exported.length;
        if (m % reconEvery === 0 || m === o.minutes) {
          for (const r of await desk.reconciliation.runAll()) {
            reconRuns++;
            reconDiffs += r.differences.length;
            if (r.error) exceptions.push(`reconciliation failed: ${r.error}`);
          }
        }
        // The desk keeps a strategy's failure as its last outcome instead of throwing.
        for (const c of await db()
          .collection(COLLECTIONS.execConfigs)
          .find({ 'lastOutcome.kind': 'error' }, { projection: { strategyId: 1, lastOutcome: 1 } })
          .toArray()) {
          const key = `${String(c.strategyId)}|${String(c.lastOutcome.at)}`;
          if (!failedOutcomes.has(key)) {
            failedOutcomes.add(key);
            exceptions.push(`${String(c.strategyId)}: ${english(c.lastOutcome.reason as Text)}`);
          }
        }
      } catch (err) {
        exceptions.push(`minute ${m}: ${err instanceof Error ? err.message : String(err)}`);
      }
      await Promise.all(alertWrites.splice(0));
      o.onProgress?.(m, o.minutes);
    }

    // The bar after the last one traded, so the backtest fills the last signal as the paper wallet did.
    const lastBar = start + o.minutes * MIN;
    clock.jumpTo(lastBar + MIN);
    for (const s of strategies) await fetchClosedBars(s.symbol, tf, lastBar, clock.now());

    const rows: AcceptanceReport['strategies'] = [];
    let missed = 0;
    let unfilled = 0;
    const budgetBreaches: string[] = [];
    let times: Float64Array | null = null;
    const btPnl: Float64Array[] = [];
    for (const s of strategies) {
      const pair = toPair(s.symbol);
      const bars = await store.readBars(s.symbol, tf, start, lastBar);
      times ??= bars.time;
      const sigs = await signals.forKey(s.strategyId, pair, tf, start, lastBar - MIN);
      const { target } = positionsFromSignals(
        bars.time,
        tf,
        sigs.map((g) => ({
          ts: g.ts.getTime(),
          action: g.action ?? null,
          weight: g.weight ?? null,
          score: g.score ?? null,
        })),
      );
      const bt = runBacktest(bars, target, {
        initialCash: s.stake,
        feeRate: PAPER_FEE,
        slippageBps: PAPER_SLIPPAGE_BPS,
        fillAt: 'next_open',
        stopLossPct: null,
        rebalanceBand: 0.05,
      });
      btPnl.push(bt.equity.map((v) => v - s.stake));
      const paper = await desk.store.pnl('paper', s.strategyId, pair, bars.close[bars.length - 1]!);

      // Every decision the signals call for was taken: the consumer's rules replayed over them.
      const orders = await desk.store.orders.find({ mode: 'paper', strategyId: s.strategyId }).toArray();
      const ids = new Set(orders.map((x) => x._id));
      const expected = new Set<string>();
      let inPosition = false;
      for (const g of sigs) {
        const intent = signalIntent(g, DEFAULT_CONSUMER_RULES);
        if ((intent === 'enter' && !inPosition) || (intent === 'exit' && inPosition)) {
          expected.add(clientOrderIdOf('paper', s.strategyId, pair, tf, g.ts.getTime(), intent));
          inPosition = intent === 'enter';
        }
      }
      missed += [...expected].filter((id) => !ids.has(id)).length + [...ids].filter((id) => !expected.has(id)).length;
      for (const x of orders) {
        if (x.status !== 'filled') unfilled++;
        const ms = x.createdAt.getTime() - (x.signalTs.getTime() + MIN);
        maxConsume = Math.max(maxConsume, ms);
        if (ms > budget) budgetBreaches.push(x._id);
      }
      const fills = await desk.store.fills.find({ mode: 'paper', strategyId: s.strategyId }).toArray();
      const costs = fills.reduce((n, f) => n + f.fee + (f.amount * f.price * Math.abs(f.slippageBps)) / 10_000, 0);
      rows.push({
        strategyId: s.strategyId,
        pair,
        templateId: s.templateId,
        stake: s.stake,
        signals: sigs.length,
        orders: orders.length,
        fills: fills.length,
        paperPnl: paper.pnl,
        backtestPnl: bt.metrics.finalEquity - s.stake,
        costs,
      });
    }
    if (unfilled) exceptions.push(`${unfilled} paper order(s) did not fill`);
    late += budgetBreaches.length;
    // A bar without a signal is a signal never consumed.
    const missing = o.minutes * strategies.length - exported.length;

    // Paper equity from the desk's minute snapshots (carried forward between them), beside the backtest.
    const startEquity = PAPER_START.USDT;
    const snaps = await desk.store.equity
      .find({ mode: 'paper', t: { $gte: new Date(start), $lte: new Date(lastBar + MIN) } })
      .sort({ t: 1 })
      .toArray();
    const n = times!.length;
    const paperCurve = new Float64Array(n);
    const btCurve = new Float64Array(n);
    const lastPnl = new Map<string, number>();
    let k = 0;
    for (let i = 0; i < n; i++) {
      while (k < snaps.length && snaps[k]!.t.getTime() < times![i]! + MIN)
        lastPnl.set(snaps[k]!.strategyId, snaps[k++]!.pnl);
      paperCurve[i] = startEquity + [...lastPnl.values()].reduce((a, b) => a + b, 0);
      btCurve[i] = startEquity + btPnl.reduce((a, p) => a + p[i]!, 0);
    }
    const paperPnl = rows.reduce((a, r) => a + r.paperPnl, 0);
    const backtestPnl = rows.reduce((a, r) => a + r.backtestPnl, 0);
    paperCurve[n - 1] = startEquity + paperPnl;
    const curve = downsampleCurves(times!, [paperCurve, btCurve], 600);

    const criticals = raised.filter((a) => a.severity === 'critical').length;
    const figures: AcceptanceReport['figures'] = {
      sim_days: o.minutes / 1440,
      minutes: o.minutes,
      errors: criticals + exceptions.length,
      critical_alerts: criticals,
      exceptions: exceptions.length,
      warnings: raised.length - criticals,
      recon_runs: reconRuns,
      recon_diffs: reconDiffs,
      signals: exported.length,
      late_signals: late + missed + Math.max(0, missing),
      missed_decisions: missed,
      max_consume_ms: maxConsume,
      budget_ms: budget,
      orders: rows.reduce((a, r) => a + r.orders, 0),
      paper_return_pct: (paperPnl / startEquity) * 100,
      backtest_return_pct: (backtestPnl / startEquity) * 100,
      equity_gap_pct: (Math.abs(paperPnl - backtestPnl) / startEquity) * 100,
      costs_pct: (rows.reduce((a, r) => a + r.costs, 0) / startEquity) * 100,
      run_s: (performance.now() - started) / 1000,
    };
    const failures = [
      ...exceptions.slice(0, 20),
      ...raised
        .filter((a) => a.severity === 'critical')
        .slice(0, 20)
        .map((a) => `critical alert (${a.kind}): ${english(a.text)}`),
      ...(reconDiffs ? [`${reconDiffs} reconciliation difference(s)`] : []),
      ...(figures.late_signals
        ? [
            `${figures.late_signals} signal(s) not consumed within ${budget / 1000} s (${missed} decision(s) not taken, ${Math.max(0, missing)} bar(s) without a signal)`,
          ]
        : []),
      ...(figures.equity_gap_pct > figures.costs_pct
        ? [
            `paper and backtest differ by ${figures.equity_gap_pct.toFixed(3)} %, more than the run's fees and slippage (${figures.costs_pct.toFixed(3)} %)`,
          ]
        : []),
    ];
    const at = new Date();
    const report: AcceptanceReport = {
      id: `a1-${at.toISOString().replace(/[:.]/g, '-')}-${crypto.randomUUID().slice(0, 6)}`,
      at: at.toISOString(),
      simFrom: new Date(start).toISOString(),
      simTo: new Date(lastBar + MIN).toISOString(),
      passed: failures.length === 0,
      failures,
      startEquity,
      figures,
      strategies: rows,
      curve: { time: curve.time, paper: curve.values[0]!, backtest: curve.values[1]! },
    };
    await saveAcceptanceReport(db(), report);
    if (o.artifactsDir) writeAcceptanceArtifacts(o.artifactsDir, report);
    return report;
  } finally {
    await sim.stop();
  }
}
