// Trading for the desk: the strategies the executor trades (paper mode: a simulated wallet
// on the live prices of the symbol's exchange), polled every second, with the kill switch,
// the circuit breaker's reset, and the records (orders, fills, positions, the paper account)
// for the Trading page.
import crypto from 'node:crypto';
import type { Db } from 'mongodb';
import type { ExecConfigDraft, ExecConfigView, FillView, OrderView } from '../../core/api/executionContract';
import { ServiceError } from '../../core/api/dispatcher';
import { DEFAULT_MAX_SLIPPAGE_BPS, DEFAULT_RISK, MAX_REJECTIONS_IN_A_ROW } from '../../core/execution/risk';
import type { Logger } from '../../core/logging/logger';
import { SymbolError, toPair } from '../../core/market/symbols';
import type { Broker } from '../../core/ports/broker';
import { DEFAULT_CONSUMER_RULES, type ConsumerState } from '../../core/signals/consumption';
import type { SignalReader, SignalSource } from '../../core/ports/signalPorts';
import { ExecutionStore } from './executionStore';
import type { OrderDoc } from '../../core/execution/orderRecords';
import type { Mode } from '../../core/api/fields';
import { Executor, type StepOutcome, type StrategyRun } from './executor';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { PaperBroker, type PaperOptions } from './paperBroker';
import { ReconciliationDesk, type AccountRef, type ReconReport } from './reconciliationDesk';
import { runBacktest } from '../../core/backtest/backtest';
import { fillsAgainstBacktest } from '../../core/backtest/drift';
import { TIMEFRAME_MS, lastClosedBarOpen, type Timeframe } from '../../core/market/timeframes';
import { positionsFromSignals } from '../../core/research/signalPositions';
import type { BarSource } from '../../core/ports/barSource';
import type { DriftReport } from '../../core/api/executionContract';
import type { AuditSink } from '../../core/ports/auditSink';
import type { StrategyState } from '../../core/api/auditContract';
import { COLLECTIONS } from '../../core/db/collections';
import { feeInQuote, pnlOf } from '../../core/portfolio/positions';

const SETTINGS_ID = 'execution';
/** The paper account starts with this wallet, like a fresh exchange sub-account. */
export const PAPER_START = { USDT: 10_000 };
export const PAPER_FEE = 0.001;
export const PAPER_SLIPPAGE_BPS = 2;

type ConfigDoc = Omit<ExecConfigView, 'id' | 'position' | 'lastPrice' | 'entryPrice' | 'unrealizedPnl'> & {
  _id: string;
};

export interface ExecutionDeskOptions {
  db: () => Db;
  /** The stored bars (the drift report replays them). */
  bars: () => BarSource;
  log: Logger;
  signals: SignalSource;
  /** Public prices and market rules of the exchange a symbol comes from. */
  marketData(symbol: string): Pick<Broker, 'price' | 'rules' | 'barClose'>;
  /** The live broker (keys from the keychain) of the exchange a symbol comes from; throws with the reason when there are no keys. */
  liveBroker(symbol: string): Promise<Broker>;
  /** Exchange id of a stored symbol (live accounts are per exchange). */
  exchangeOf(symbol: string): string;
  onReconciled?(r: ReconReport): void;
  onChanged(v: ExecConfigView): void;
  onAlert(a: AlertInput): void;
  now?: () => number;
  tickMs?: number;
  /** The audit trail of the trader's changes (the desk's instance; the executor worker has none). */
  audit?: AuditSink;
}

const auditState = (c: ConfigDoc): StrategyState => ({
  configId: c._id,
  strategyId: c.strategyId,
  pair: c.pair,
  timeframe: c.timeframe,
  mode: c.mode,
  enabled: c.enabled,
});

export class ExecutionDesk {
  readonly store: ExecutionStore;
  readonly reconciliation: ReconciliationDesk;
  private timer: NodeJS.Timeout | null = null;
  private reconTimer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly now: () => number;

  constructor(private readonly o: ExecutionDeskOptions) {
    this.store = new ExecutionStore(o.db);
    this.now = o.now ?? (() => Date.now());
    this.reconciliation = new ReconciliationDesk(
      o.db,
      this.store,
      () => this.accounts(),
      o.log,
      (r) => {
        if (r.differences.length)
          this.o.onAlert({
            kind: 'reconciliation',
            severity: 'critical',
            message: `Reconciliation of ${r.mode} ${r.account}: ${r.differences.length} difference(s) (${[...new Set(r.differences.map((d) => d.kind))].join(', ')})`,
          });
        if (r.error)
          this.o.onAlert({
            kind: 'reconciliation',
            severity: 'warning',
            message: `Reconciliation of ${r.mode} ${r.account} failed: ${r.error}`,
          });
        this.o.onReconciled?.(r);
      },
      this.now,
    );
  }

  /** The accounts the executor trades: the paper wallet, and each exchange with live strategies. */
  async accounts(): Promise<AccountRef[]> {
    const configs = await this.configs.find({}).toArray();
    const out: AccountRef[] = [];
    // The paper wallet: every pair a paper strategy trades or has traded.
    const paper = configs.filter((c) => c.mode === 'paper');
    const symbolOf = new Map(configs.map((c) => [c.pair, c.symbol]));
    const paperPairs = new Set([
      ...paper.map((c) => c.pair),
      ...((await this.store.fills.distinct('pair', { mode: 'paper' })) as string[]),
    ]);
    if (paperPairs.size) {
      out.push({
        mode: 'paper',
        account: 'paper',
        pairs: [...paperPairs].sort(),
        broker: this.paperBroker((pair) => symbolOf.get(pair) ?? ''),
        strategyOf: Object.fromEntries(configs.map((c) => [c.pair, c.strategyId])),
      });
    }
    const byExchange = new Map<string, ConfigDoc[]>();
    for (const c of configs.filter((x) => x.mode === 'live')) {
      const ex = this.o.exchangeOf(c.symbol);
      byExchange.set(ex, [...(byExchange.get(ex) ?? []), c]);
    }
    for (const [exchange, list] of byExchange) {
      out.push({
        mode: 'live',
        account: exchange,
        pairs: [...new Set(list.map((c) => c.pair))],
        broker: await this.o.liveBroker(list[0]!.symbol),
        strategyOf: Object.fromEntries(list.map((c) => [c.pair, c.strategyId])),
      });
    }
    return out;
  }

  private get configs() {
    return this.o.db().collection<ConfigDoc>(COLLECTIONS.execConfigs);
  }

  private get settings() {
    return this.o.db().collection<{ _id: string; killSwitch: boolean }>(COLLECTIONS.execSettings);
  }

  /** One paper account; each order is priced on its own symbol's exchange. */
  private paperBroker(symbolOf: string | ((pair: string) => string)): PaperBroker {
    const sym = (pair: string) => (typeof symbolOf === 'string' ? symbolOf : symbolOf(pair));
    // Market data is reached only when an order is priced (a balance read needs none).
    const market: PaperOptions['market'] = {
      price: (pair) => this.o.marketData(sym(pair)).price(pair),
      rules: (pair) => this.o.marketData(sym(pair)).rules(pair),
      barClose: (pair, tf, at) => this.o.marketData(sym(pair)).barClose(pair, tf, at),
    };
    return new PaperBroker({
      db: this.o.db,
      accountId: 'paper',
      market,
      feeRate: PAPER_FEE,
      slippageBps: PAPER_SLIPPAGE_BPS,
      startBalances: PAPER_START,
      now: this.now,
    });
  }

  private executorFor(symbol: string, live: Broker | null, signals: SignalReader = this.o.signals): Executor {
    return new Executor({
      store: this.store,
      signals,
      broker: (mode) => (mode === 'live' && live ? live : this.paperBroker(symbol)),
      log: this.o.log,
      now: this.now,
      onAlert: (a, run) =>
        this.o.onAlert({
          ...a,
          strategy_id: run?.strategyId ?? null,
          pair: run?.pair ?? null,
          timeframe: run?.timeframe ?? null,
        }),
    });
  }

  start(): void {
    const ms = this.o.tickMs ?? 1000;
    if (ms <= 0) return;
    let lastFailure = '';
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = true;
      this.tick()
        .then(() => (lastFailure = ''))
        .catch((err: Error) => {
          if (err.message !== lastFailure) this.o.log.warn('executor tick failed', { message: err.message });
          lastFailure = err.message;
        })
        .finally(() => (this.running = false));
    }, ms);
    this.timer.unref();
    // Reconciliation on a timer (and on demand from the page).
    this.reconTimer = setInterval(
      () =>
        void this.reconciliation
          .runAll()
          .catch((err: Error) => this.o.log.warn('reconciliation failed', { message: err.message })),
      60_000,
    );
    this.reconTimer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.reconTimer) clearInterval(this.reconTimer);
  }

  async killSwitch(): Promise<boolean> {
    return (await this.settings.findOne({ _id: SETTINGS_ID }))?.killSwitch ?? false;
  }

  async setKillSwitch(on: boolean): Promise<{ killSwitch: boolean }> {
    const before = await this.killSwitch();
    await this.settings.updateOne({ _id: SETTINGS_ID }, { $set: { killSwitch: on } }, { upsert: true });
    await this.o.audit?.record({
      actor: 'desk',
      action: 'killSwitch',
      subject: null,
      details: { on },
      killSwitch: { before, after: on },
    });
    this.o.log.warn(on ? 'kill switch on: no new orders' : 'kill switch off');
    if (on)
      this.o.onAlert({
        kind: 'kill-switch',
        severity: 'critical',
        message: 'Kill switch on: the executor sends no new orders',
      });
    return { killSwitch: on };
  }

  private run(c: ConfigDoc, killSwitch: boolean): StrategyRun {
    return {
      strategyId: c.strategyId,
      symbol: c.symbol,
      pair: c.pair,
      timeframe: c.timeframe,
      mode: c.mode,
      risk: {
        ...DEFAULT_RISK,
        stake: c.stakeQuote !== null ? { kind: 'quote', amount: c.stakeQuote } : { kind: 'percent', pct: c.stakePct },
        maxOpenPositions: c.maxOpenPositions,
        maxDailyLossPct: c.maxDailyLossPct,
        killSwitch,
      },
      rules: { ...DEFAULT_CONSUMER_RULES, minHoldBars: c.minHoldBars, cooldownBars: c.cooldownBars },
      feeRate: PAPER_FEE,
      stopLossPct: c.stopLossPct ?? null,
      maxSlippageBps: c.maxSlippageBps ?? DEFAULT_MAX_SLIPPAGE_BPS,
      maxRejectionsInARow: c.maxRejectionsInARow ?? MAX_REJECTIONS_IN_A_ROW,
    };
  }

  private lastSnapshot = 0;

  /**
   * The P&L curve of every enabled strategy, one point a minute (for the Trading page and
   * monitoring), after the tick's steps: one price per symbol, one read of the fills.
   */
  private async snapshot(configs: ConfigDoc[]): Promise<void> {
    const now = this.now();
    if (now - this.lastSnapshot < 60_000) return;
    this.lastSnapshot = now;
    const prices = new Map<string, number | null>();
    for (const c of configs)
      if (!prices.has(c.symbol))
        prices.set(
          c.symbol,
          await this.o
            .marketData(c.symbol)
            .price(c.pair)
            .catch(() => null),
        );
    const fills = await this.store.fills
      .find({ strategyId: { $in: [...new Set(configs.map((c) => c.strategyId))] } })
      .toArray();
    const points = configs.flatMap((c) => {
      const price = prices.get(c.symbol);
      if (price === null || price === undefined) return [];
      const { pnl, position } = pnlOf(
        fills.filter((f) => f.mode === c.mode && f.strategyId === c.strategyId && f.pair === c.pair),
        price,
      );
      return [{ mode: c.mode, strategyId: c.strategyId, pair: c.pair, t: new Date(now), pnl, position, price }];
    });
    if (points.length) await this.store.equity.insertMany(points);
    // Balance snapshots of every account traded (the paper wallet, each live exchange).
    for (const a of await this.accounts().catch(() => [])) {
      const balances = await a.broker.balances().catch(() => null);
      if (balances)
        await this.o
          .db()
          .collection(COLLECTIONS.balances)
          .insertOne({
            mode: a.mode,
            account: a.account,
            t: new Date(now),
            balances: Object.fromEntries(Object.entries(balances).map(([k, v]) => [k, v.total])),
          });
    }
  }

  async equity(): Promise<{ strategyId: string; pair: string; mode: Mode; time: number[]; pnl: number[] }[]> {
    const docs = await this.store.equity
      .find({ t: { $gte: new Date(this.now() - 7 * 86_400_000) } })
      .sort({ t: 1 })
      .toArray();
    const series = new Map<string, { strategyId: string; pair: string; mode: Mode; time: number[]; pnl: number[] }>();
    for (const d of docs) {
      const key = `${d.mode}|${d.strategyId}|${d.pair}`;
      let s = series.get(key);
      if (!s) series.set(key, (s = { strategyId: d.strategyId, pair: d.pair, mode: d.mode, time: [], pnl: [] }));
      if (s.time.length && s.time[s.time.length - 1]! >= d.t.getTime()) continue;
      s.time.push(d.t.getTime());
      s.pnl.push(d.pnl);
    }
    return [...series.values()];
  }

  /** Settles the orders of one strategy whose outcome is not known (start-up of the worker). */
  async settle(id: string): Promise<void> {
    const c = await this.get(id);
    const live = c.mode === 'live' ? await this.o.liveBroker(c.symbol) : null;
    await this.executorFor(c.symbol, live).recover(c.mode, { strategyId: c.strategyId, pair: c.pair });
  }

  /**
   * The signals every enabled strategy may act on this tick, one read per timeframe (see
   * SignalStore.window): a daily strategy's window of days never widens the minute strategies' one.
   */
  private async signalWindows(configs: ConfigDoc[]): Promise<Map<Timeframe, SignalReader>> {
    const now = this.now();
    const out = new Map<Timeframe, SignalReader>();
    for (const tf of new Set(configs.map((c) => c.timeframe))) {
      const tolerance = DEFAULT_CONSUMER_RULES.toleranceBars * TIMEFRAME_MS[tf];
      const bar = lastClosedBarOpen(now, tf);
      const mine = configs
        .filter((c) => c.timeframe === tf)
        .map((c) => ({ strategyId: c.strategyId, pair: c.pair, timeframe: tf }));
      out.set(tf, await this.o.signals.window(mine, bar - tolerance, bar + tolerance));
    }
    return out;
  }

  /**
   * Every enabled strategy, once: settle what is pending first, then decide. What every step
   * needs is read once for the tick (configurations, saved states, unsettled orders, the signal
   * windows), so a strategy with nothing to do costs no round trip. Paper and live are stepped
   * side by side, the strategies of one mode one after another: the risk checks (open positions,
   * balances) count across the mode, so two steps of one mode must not both pass them at once.
   */
  async tick(): Promise<void> {
    const configs = await this.configs.find({ enabled: true }).toArray();
    if (configs.length === 0) return;
    const keyOf = (c: ConfigDoc) => ExecutionStore.stateKey(c.mode, c.strategyId, c.pair, c.timeframe);
    const [killSwitch, windows, states, pending] = await Promise.all([
      this.killSwitch(),
      this.signalWindows(configs),
      this.store.statesOf(configs.map(keyOf)),
      this.store.pending(),
    ]);
    const views: Promise<void>[] = [];
    const stepped = await Promise.allSettled(
      (['paper', 'live'] as const).map(async (mode) => {
        for (const c of configs.filter((x) => x.mode === mode)) {
          const mine = pending.filter(
            (o) =>
              o.mode === c.mode && o.strategyId === c.strategyId && o.pair === c.pair && o.timeframe === c.timeframe,
          );
          // settling may change the saved state: then the step reads it afresh
          const changed = await this.stepOne(
            c,
            killSwitch,
            windows.get(c.timeframe),
            mine,
            mine.length ? undefined : states.get(keyOf(c)),
          );
          // the page's view (a price and the fills) is not worth holding up the next strategy for
          if (changed)
            views.push(
              this.view(changed).then(this.o.onChanged, (err: Error) =>
                this.o.log.debug('strategy view failed', { message: err.message }),
              ),
            );
        }
      }),
    );
    await Promise.all(views);
    // a failed mode fails the tick (logged, retried), but only once the other has finished its steps
    for (const r of stepped) if (r.status === 'rejected') throw r.reason;
    await this.snapshot(configs);
  }

  /** One strategy's step; returns its configuration when the outcome changed. */
  private async stepOne(
    c: ConfigDoc,
    killSwitch: boolean,
    window: SignalReader | undefined,
    pending: OrderDoc[],
    saved: { state: ConsumerState; rejectionsInARow: number } | undefined,
  ): Promise<ConfigDoc | null> {
    let outcome: StepOutcome | { kind: 'error'; reason: string };
    try {
      const live = c.mode === 'live' ? await this.o.liveBroker(c.symbol) : null;
      const ex = this.executorFor(c.symbol, live, window);
      if (pending.length) await ex.recover(c.mode, { strategyId: c.strategyId, pair: c.pair }, pending);
      outcome = await ex.step(this.run(c, killSwitch), saved);
    } catch (err) {
      outcome = { kind: 'error', reason: err instanceof Error ? err.message : String(err) };
      // A step that fails is retried at the next tick; the trader hears of it once per new reason (the alert center counts repeats).
      if (c.lastOutcome?.kind !== 'error' || c.lastOutcome.reason !== outcome.reason)
        this.o.onAlert({
          kind: 'execution',
          severity: 'warning',
          message: `${c.strategyId} ${c.pair}: the executor's step failed (${outcome.reason}); retried every second`,
          strategy_id: c.strategyId,
          pair: c.pair,
          timeframe: c.timeframe,
        });
    }
    const reason = 'reason' in outcome ? outcome.reason : null;
    const last = c.lastOutcome;
    if (outcome.kind === 'none' && last?.kind === 'none' && last.reason === reason) return null;
    const lastOutcome = {
      at: new Date(this.now()).toISOString(),
      kind: outcome.kind,
      reason,
      clientOrderId:
        'clientOrderId' in outcome ? outcome.clientOrderId : outcome.kind === 'ordered' ? outcome.order._id : null,
    };
    await this.configs.updateOne({ _id: c._id }, { $set: { lastOutcome } });
    return { ...c, lastOutcome };
  }

  private async view(c: ConfigDoc): Promise<ExecConfigView> {
    const { _id, ...rest } = c;
    const position = await this.store.position(c.mode, c.strategyId, c.pair);
    let lastPrice: number | null = null;
    let entryPrice: number | null = null;
    if (position > 0) {
      const buys = await this.store.fills
        .find({ mode: c.mode, strategyId: c.strategyId, pair: c.pair, side: 'buy' })
        .sort({ time: -1 })
        .limit(20)
        .toArray();
      const qty = buys.reduce((n, f) => n + f.amount, 0);
      entryPrice = qty > 0 ? buys.reduce((n, f) => n + f.amount * f.price, 0) / qty : null;
      lastPrice = await this.o
        .marketData(c.symbol)
        .price(c.pair)
        .catch(() => null);
    }
    return {
      id: _id,
      ...rest,
      position,
      lastPrice,
      entryPrice,
      unrealizedPnl:
        position > 0 && lastPrice !== null && entryPrice !== null ? position * (lastPrice - entryPrice) : null,
    };
  }

  async list(): Promise<ExecConfigView[]> {
    const docs = await this.configs.find({}).sort({ createdAt: 1 }).toArray();
    return Promise.all(docs.map((d) => this.view(d)));
  }

  private async get(id: string): Promise<ConfigDoc> {
    const c = await this.configs.findOne({ _id: id });
    if (!c) throw new ServiceError('BAD_REQUEST', `No trading configuration ${id}`);
    return c;
  }

  async save(draft: ExecConfigDraft): Promise<ExecConfigView> {
    let pair: string;
    try {
      pair = toPair(draft.symbol);
    } catch (err) {
      throw new ServiceError('BAD_REQUEST', err instanceof SymbolError ? err.message : String(err));
    }
    const id = draft.id ?? crypto.randomUUID();
    const existing = draft.id ? await this.configs.findOne({ _id: draft.id }) : null;
    if (draft.id && !existing) throw new ServiceError('BAD_REQUEST', `No trading configuration ${draft.id}`);
    const clash = await this.configs.findOne({
      strategyId: draft.strategyId,
      pair,
      timeframe: draft.timeframe,
      _id: { $ne: id },
    });
    if (clash)
      throw new ServiceError('BAD_REQUEST', `${draft.strategyId} on ${pair} ${draft.timeframe} is already configured`);
    const { id: _drop, ...fields } = draft;
    const doc: ConfigDoc = {
      _id: id,
      ...fields,
      pair,
      mode: existing?.mode ?? 'paper',
      createdAt: existing?.createdAt ?? new Date(this.now()).toISOString(),
      lastOutcome: existing?.lastOutcome ?? null,
    };
    await this.configs.replaceOne({ _id: id }, doc, { upsert: true });
    await this.o.audit?.record({
      actor: 'desk',
      action: 'strategySave',
      subject: doc.strategyId,
      details: { pair, timeframe: doc.timeframe, created: !existing },
      strategy: { configId: id, before: existing && auditState(existing), after: auditState(doc) },
    });
    const v = await this.view(doc);
    this.o.onChanged(v);
    return v;
  }

  async delete(id: string): Promise<{ deleted: boolean }> {
    const existing = await this.configs.findOne({ _id: id });
    const deleted = (await this.configs.deleteOne({ _id: id })).deletedCount === 1;
    if (deleted && existing)
      await this.o.audit?.record({
        actor: 'desk',
        action: 'strategyDelete',
        subject: existing.strategyId,
        details: { pair: existing.pair, timeframe: existing.timeframe },
        strategy: { configId: id, before: auditState(existing), after: null },
      });
    return { deleted };
  }

  async enable(id: string, enabled: boolean): Promise<ExecConfigView> {
    const c = await this.get(id);
    await this.configs.updateOne({ _id: id }, { $set: { enabled } });
    await this.o.audit?.record({
      actor: 'desk',
      action: 'strategyEnable',
      subject: c.strategyId,
      details: { pair: c.pair, enabled },
      strategy: { configId: id, before: auditState(c), after: auditState({ ...c, enabled }) },
    });
    this.o.log.info(enabled ? 'strategy trading on' : 'strategy trading off', {
      strategyId: c.strategyId,
      pair: c.pair,
      mode: 'paper',
    });
    const v = await this.view({ ...c, enabled });
    this.o.onChanged(v);
    return v;
  }

  async resume(id: string): Promise<ExecConfigView> {
    const c = await this.get(id);
    const key = ExecutionStore.stateKey(c.mode, c.strategyId, c.pair, c.timeframe);
    const s = await this.store.state(key);
    await this.store.saveState(key, s.state, 0);
    await this.o.audit?.record({
      actor: 'desk',
      action: 'strategyResume',
      subject: c.strategyId,
      details: { pair: c.pair, mode: c.mode, refusalsInARow: s.rejectionsInARow },
    });
    return this.view(c);
  }

  /** Paper <-> live. Live needs the typed confirmation and the exchange's keys; both switches are logged. */
  async setMode(id: string, mode: Mode, confirm: string): Promise<ExecConfigView> {
    const c = await this.get(id);
    if (mode === 'live') {
      const expected = `LIVE ${c.strategyId}`;
      if (confirm !== expected)
        throw new ServiceError('BAD_REQUEST', `To trade ${c.strategyId} with real money, type exactly: ${expected}`);
      try {
        await this.o.liveBroker(c.symbol);
      } catch (err) {
        throw new ServiceError('BAD_REQUEST', err instanceof Error ? err.message : String(err));
      }
    }
    await this.configs.updateOne({ _id: id }, { $set: { mode } });
    await this.o.audit?.record({
      actor: 'desk',
      action: 'modeSwitch',
      subject: c.strategyId,
      details: { pair: c.pair, from: c.mode, to: mode },
      strategy: { configId: id, before: auditState(c), after: auditState({ ...c, mode }) },
    });
    this.o.log.warn(`trading mode switched to ${mode}`, { strategyId: c.strategyId, pair: c.pair });
    this.o.onAlert({
      kind: 'mode-switch',
      severity: mode === 'live' ? 'critical' : 'warning',
      message: `${c.strategyId} ${c.pair} now trades in ${mode.toUpperCase()} mode`,
      strategy_id: c.strategyId,
      pair: c.pair,
      timeframe: c.timeframe,
    });
    const v = await this.view({ ...c, mode });
    this.o.onChanged(v);
    return v;
  }

  async status() {
    const killSwitch = await this.killSwitch();
    const liveStrategies = await this.configs.countDocuments({ mode: 'live', enabled: true });
    const balances = Object.fromEntries(
      Object.entries(await this.paperBroker('').balances()).map(([k, v]) => [k, v.total]),
    );
    let equity: number | null = balances.USDT ?? 0;
    for (const [asset, amount] of Object.entries(balances)) {
      if (asset === 'USDT' || amount === 0) continue;
      const c = await this.configs.findOne({ pair: `${asset}/USDT` });
      const price = c
        ? await this.o
            .marketData(c.symbol)
            .price(c.pair)
            .catch(() => null)
        : null;
      equity = price === null || equity === null ? null : equity + amount * price;
    }
    return { killSwitch, liveStrategies, paper: { balances, equity } };
  }

  /**
   * Where reality and the backtest part ways: the strategy's fills beside a backtest of the
   * same signals over the same bars with the paper cost model, fill by fill.
   */
  async drift(id: string): Promise<DriftReport> {
    const c = await this.get(id);
    const step = TIMEFRAME_MS[c.timeframe];
    const fills = await this.store.fills
      .find({ mode: c.mode, strategyId: c.strategyId, pair: c.pair })
      .sort({ time: 1 })
      .toArray();
    if (fills.length === 0)
      throw new ServiceError('BAD_REQUEST', `${c.strategyId} has no fills in ${c.mode} mode yet: nothing to compare`);
    const from = fills[0]!.signalTs.getTime();
    const to = this.now();
    const bars = await this.o.bars().readBars(c.symbol, c.timeframe, from, to);
    const warnings: string[] = [];
    if (bars.length < 2)
      throw new ServiceError(
        'BAD_REQUEST',
        `Only ${bars.length} ${c.timeframe} bar(s) of ${c.symbol} stored since the first fill: keep the series up to date on the Market data page`,
      );
    const lastBar = bars.time[bars.length - 1]!;
    if (to - lastBar > 3 * step)
      warnings.push(`The stored bars end ${Math.round((to - lastBar) / step)} bars ago: the backtest stops there`);
    const signals = await this.o.signals.forKey(c.strategyId, c.pair, c.timeframe, from - step, to);
    const rows = signals.map((sg) => ({
      ts: sg.ts.getTime(),
      action: sg.action ?? null,
      weight: sg.weight ?? null,
      score: sg.score ?? null,
    }));
    const { target } = positionsFromSignals(bars.time, c.timeframe, rows);
    const firstBuy = fills.find((f) => f.side === 'buy');
    const initialCash = firstBuy ? firstBuy.amount * firstBuy.price * (1 + PAPER_FEE) : 1000;
    const bt = runBacktest(bars, target, {
      initialCash,
      feeRate: PAPER_FEE,
      slippageBps: PAPER_SLIPPAGE_BPS,
      fillAt: 'next_open',
      stopLossPct: c.stopLossPct ?? null,
      rebalanceBand: 0.05,
    });
    const price = bars.close[bars.length - 1]!;
    const actual = await this.store.pnl(c.mode, c.strategyId, c.pair, price);
    const fees = fills.reduce((n, f) => n + feeInQuote(f), 0);
    // The backtest's price for each real fill: the open of the bar after its signal's bar.
    const rowsOut = fillsAgainstBacktest(
      fills.map((f) => ({
        time: f.time.getTime(),
        side: f.side,
        amount: f.amount,
        price: f.price,
        signalTs: f.signalTs.getTime(),
      })),
      bars,
      step,
    );
    const pendingInBacktest = rowsOut.filter((f) => f.backtestPrice === null).length;
    if (pendingInBacktest)
      warnings.push(
        `${pendingInBacktest} fill(s) came from signals whose next bar is not stored yet: the backtest has not filled them yet`,
      );
    return {
      strategyId: c.strategyId,
      pair: c.pair,
      mode: c.mode,
      from,
      to: lastBar + step,
      bars: bars.length,
      actual: { pnl: actual.pnl, fills: fills.length, fees },
      backtest: {
        pnl: bt.metrics.finalEquity - initialCash,
        trades: bt.metrics.trades,
        fills: bt.fills.length,
        fees: bt.metrics.fees,
      },
      fills: rowsOut,
      warnings: [...warnings, ...bt.warnings.filter((w) => !/buy-and-hold/.test(w))],
    };
  }

  async orders(limit: number): Promise<OrderView[]> {
    const docs = await this.store.orders.find({}).sort({ createdAt: -1 }).limit(limit).toArray();
    return docs.map((d) => ({
      clientOrderId: d._id,
      strategyId: d.strategyId,
      pair: d.pair,
      timeframe: d.timeframe,
      mode: d.mode,
      leg: d.leg,
      side: d.side,
      amount: d.amount,
      filled: d.filled,
      avgPrice: d.avgPrice,
      refPrice: d.refPrice,
      status: d.status,
      reason: d.reason,
      signalTs: d.signalTs.getTime(),
      signalVersion: d.signalVersion,
      createdAt: d.createdAt.toISOString(),
    }));
  }

  async fills(limit: number): Promise<FillView[]> {
    const docs = await this.store.fills.find({}).sort({ time: -1 }).limit(limit).toArray();
    return docs.map((f) => ({
      id: f._id,
      clientOrderId: f.clientOrderId,
      strategyId: f.strategyId,
      pair: f.pair,
      mode: f.mode,
      side: f.side,
      amount: f.amount,
      price: f.price,
      fee: f.fee,
      feeCurrency: f.feeCurrency,
      time: f.time.getTime(),
      signalTs: f.signalTs.getTime(),
      slippageBps: f.slippageBps,
      signalSlippageBps: f.signalSlippageBps ?? null,
      signalToFillMs: f.signalToFillMs,
      note: f.note,
    }));
  }
}
