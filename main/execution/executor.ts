// The executor: per enabled strategy and pair, at every poll it takes the bar being decided,
// applies the consumption rules to the signals of that bar, sizes the order with the risk
// checks, WRITES THE ORDER before sending it under a client order id derived from what
// caused it, sends it (retrying only what may be retried, after asking the exchange whether
// the first try arrived), and records the fills once. On start-up, orders whose outcome is
// not known are looked up on the exchange before anything new is sent. Paper and live differ
// only in the broker.
import { english, word, type Wording } from '../../core/wording/wording';
import { MongoError } from 'mongodb';
import type { Logger } from '../../core/logging/logger';
import type { AlertKind, AlertSeverity } from '../../core/monitor/alertKinds';
import {
  DEFAULT_MAX_SLIPPAGE_BPS,
  MAX_REJECTIONS_IN_A_ROW,
  sizeEntry,
  sizeExit,
  type RiskSettings,
} from '../../core/execution/risk';
import { slippageBps } from '../../core/execution/slippage';
import { TIMEFRAME_MS, lastClosedBarOpen, type Timeframe } from '../../core/market/timeframes';
import { BrokerError, type Broker, type BrokerOrder } from '../../core/ports/broker';
import { decide, pickSignal, type ConsumerRules, type ConsumerState } from '../../core/signals/consumption';
import type { SignalDoc } from '../../core/signals/signalRows';
import type { SignalReader, SkipLog } from '../../core/ports/signalPorts';
import { readStoredSignal } from '../../core/signals/storedSignals';
import { ExecutionStore, clientOrderIdOf } from './executionStore';
import type { FillDoc, OrderDoc } from '../../core/execution/orderRecords';
import type { Mode } from '../../core/api/fields';
import { sendMarketOrder, type SendOptions } from './orderSender';

export interface StrategyRun {
  strategyId: string;
  symbol: string;
  pair: string;
  timeframe: Timeframe;
  mode: Mode;
  risk: RiskSettings;
  rules: ConsumerRules;
  /** Fee rate used when sizing an entry (the exchange's taker fee). */
  feeRate: number;
  /** Protective stop below the entry price, in %, watched by the executor; null for none. */
  stopLossPct?: number | null;
  /** A fill this many basis points worse than the decision price raises an alert. */
  maxSlippageBps?: number;
  /** Refusals in a row that pause the strategy (MAX_REJECTIONS_IN_A_ROW when absent). */
  maxRejectionsInARow?: number;
  /** A manual enter or exit the trader asked for (carried out by manualStep). */
  manual?: { id: string; action: 'enter' | 'exit'; at: number } | null;
  /** Held flat after a manual exit: entry signals are not followed until the trader lets it trade again. */
  holdFlat?: boolean;
}

/** After this many refusals in a row a strategy stops sending (circuit breaker) until reset. */
/** An order the exchange cannot find after this many look-ups is marked lost (and still watched). */
export const LOST_AFTER_CHECKS = 5;

/** How a step ended, and why: the reason is a sentence the desk words in the trader's language. */
export type StepOutcome =
  | { kind: 'none'; reason: Wording }
  | { kind: 'refused'; reason: Wording; clientOrderId: string }
  | { kind: 'ordered'; order: OrderDoc }
  | { kind: 'duplicate'; clientOrderId: string }
  | { kind: 'paused'; reason: Wording };

const BROKER_REFUSALS = {
  rejected: 'order.refused',
  insufficient: 'order.insufficient',
  retryable: 'order.unreachable',
  'not-found': 'order.notFound',
} as const;

/** Why an order did not go out, from what the exchange (or anything else on the way) said. */
export function refusalOf(err: unknown): Wording {
  const error = err instanceof Error ? err.message : String(err);
  return word(err instanceof BrokerError ? BROKER_REFUSALS[err.kind] : 'order.failed', { error });
}

export interface ExecutorOptions {
  store: ExecutionStore;
  signals: SignalReader;
  broker: (mode: Mode) => Broker;
  log: Logger;
  now?: () => number;
  send?: SendOptions;
  onAlert?: (a: ExecAlert, run: StrategyRun | null) => void;
  /** Where skipped documents are recorded for the Signals page. */
  skips?: SkipLog;
}

export interface ExecAlert {
  kind: AlertKind;
  severity: AlertSeverity;
  text: Wording;
}

/** Unreadable signals already reported (an executor is built anew for every tick of the desk). */
const skippedSeen = new Set<string>();

/** A quiet key's look for documents no key's read finds, at most every fifteen minutes: what it found, and when. */
const unreadableLooks = new Map<string, { at: number; reasons: string[]; pending: boolean }>();
const UNREADABLE_LOOK_MS = 15 * 60_000;

/** When rate limiting or clock skew was last alerted (module-wide: the desk builds an executor per tick). */
let lastRetryAlert = 0;

export class Executor {
  private readonly now: () => number;

  constructor(private readonly o: ExecutorOptions) {
    this.now = o.now ?? (() => Date.now());
  }

  /**
   * Start-up and every step: settles the orders whose outcome we do not know before anything
   * new (of one strategy and pair when given, so each is looked up on its own account).
   */
  async recover(mode: Mode, only?: { strategyId: string; pair: string }, pending?: readonly OrderDoc[]): Promise<void> {
    for (const order of pending ?? (await this.o.store.pending(mode, only))) await this.settle(order);
  }

  /** An order that will never fill (expired, refused): the decision that led to it is undone, the signal stays consumed. */
  private async undoDecision(order: OrderDoc): Promise<void> {
    const key = ExecutionStore.stateKey(order.mode, order.strategyId, order.pair, order.timeframe);
    const saved = await this.o.store.state(key);
    const state =
      order.leg === 'enter'
        ? { ...saved.state, inPosition: false }
        : { ...saved.state, inPosition: true, stoppedOut: false };
    await this.o.store.saveState(key, state, saved.rejectionsInARow);
  }

  private async settle(order: OrderDoc): Promise<void> {
    const broker = this.o.broker(order.mode);
    let found: BrokerOrder | null;
    try {
      found = await broker.orderByClientId(order.pair, order._id);
    } catch (err) {
      if (err instanceof BrokerError && err.kind === 'retryable') return; // try again next step
      throw err;
    }
    if (found) {
      await this.record(order, found);
      return;
    }
    if (order.status === 'intent') {
      // Written, never arrived: send it now, unless its signal has gone stale meanwhile.
      const step = TIMEFRAME_MS[order.timeframe];
      if (this.now() - (order.signalTs.getTime() + step) > 3 * step) {
        await this.o.store.update(order._id, {
          status: 'expired',
          reason: word('order.stale'),
        });
        await this.undoDecision(order);
        return;
      }
      try {
        await this.send(order);
      } catch (err) {
        if (!(err instanceof BrokerError)) throw err;
        await this.undoDecision(order); // refused by the exchange: recorded as rejected by send()
      }
      return;
    }
    if (order.status === 'lost' || order.status === 'open' || order.status === 'partially_filled') return; // watched: found later, recorded then
    const checks = order.checks + 1;
    await this.o.store.update(
      order._id,
      checks >= LOST_AFTER_CHECKS ? { status: 'lost', checks, reason: word('order.lost', { checks }) } : { checks },
    );
  }

  /** Rate limiting and clock skew are the exchange telling us something: say so, at most once a minute. */
  private exchangeTrouble(run: { strategyId: string; pair: string }, err: BrokerError): void {
    const trouble = /clock skew/i.test(err.message)
      ? { kind: 'clock-skew' as const, text: 'alert.clockSkewRetry' as const }
      : /429|418|-1003|-1015|rate limit|too many requests|ddos/i.test(err.message)
        ? { kind: 'rate-limited' as const, text: 'alert.rateLimitedRetry' as const }
        : null;
    if (!trouble || this.now() - lastRetryAlert < 60_000) return;
    lastRetryAlert = this.now();
    this.o.onAlert?.(
      {
        kind: trouble.kind,
        severity: 'warning',
        text: word(trouble.text, { strategy: run.strategyId, pair: run.pair }),
      },
      null,
    );
  }

  private onRetry(order: OrderDoc, attempt: number, err: BrokerError): void {
    this.o.send?.onRetry?.(attempt, err);
    this.exchangeTrouble(order, err);
  }

  /**
   * Every refusal is an alert (de-duplicated per strategy and pair by the alert center): a
   * lack of funds by its own name, and the circuit breaker's pause as critical.
   */
  /** An order the exchange or the risk checks refused; `inARow` null: the trader's manual order (not counted). */
  private refused(run: StrategyRun, reason: Wording, inARow: number | null, insufficient: boolean): void {
    const lacksFunds =
      insufficient ||
      ['order.insufficient', 'order.insufficientBalance'].includes(reason.code) ||
      /insufficient|not enough/i.test(english(reason));
    this.o.onAlert?.(
      {
        kind: lacksFunds ? 'insufficient-balance' : 'order-rejected',
        severity: 'warning',
        text:
          inARow === null
            ? word('alert.manualRefused', { strategy: run.strategyId, pair: run.pair, reason })
            : word('alert.orderRefused', { strategy: run.strategyId, pair: run.pair, reason, count: inARow }),
      },
      run,
    );
    if (inARow !== null && inARow >= (run.maxRejectionsInARow ?? MAX_REJECTIONS_IN_A_ROW))
      this.o.onAlert?.(
        {
          kind: 'rejections-in-a-row',
          severity: 'critical',
          text: word('alert.refusalsInARow', { strategy: run.strategyId, pair: run.pair, count: inARow }),
        },
        run,
      );
  }

  private async send(order: OrderDoc): Promise<void> {
    const broker = this.o.broker(order.mode);
    try {
      const r = await sendMarketOrder(
        broker,
        { pair: order.pair, side: order.side, amount: order.amount, clientOrderId: order._id },
        { ...this.o.send, onRetry: (attempt, err) => this.onRetry(order, attempt, err) },
      );
      await this.record(order, r.order);
    } catch (err) {
      if (err instanceof BrokerError && err.kind !== 'retryable') {
        await this.o.store.update(order._id, { status: 'rejected', reason: refusalOf(err) });
        throw err;
      }
      // Outcome unknown: looked up again at every step, never sent blind.
      await this.o.store.update(order._id, {
        status: 'unknown',
        reason: refusalOf(err),
      });
    }
  }

  private async record(order: OrderDoc, ex: BrokerOrder): Promise<void> {
    const barClose = order.signalTs.getTime() + TIMEFRAME_MS[order.timeframe];
    const fills: FillDoc[] = ex.fills.map((f) => ({
      _id: `${order.mode}|${order.pair}|${f.id}`,
      clientOrderId: order._id,
      strategyId: order.strategyId,
      pair: order.pair,
      mode: order.mode,
      side: order.side,
      amount: f.amount,
      price: f.price,
      fee: f.fee,
      feeCurrency: f.feeCurrency,
      time: new Date(f.time),
      signalTs: order.signalTs,
      slippageBps: slippageBps(order.side, f.price, order.refPrice) ?? 0,
      signalSlippageBps: slippageBps(order.side, f.price, order.signalPrice ?? null),
      signalToFillMs: f.time - barClose,
      note: f.note ?? null,
    }));
    // Only fills new to the records are judged: an open order settled again must not ring again.
    const added = await this.o.store.addFills(fills);
    const limit = order.maxSlippageBps ?? DEFAULT_MAX_SLIPPAGE_BPS;
    const worst = added.reduce((m, f) => Math.max(m, f.slippageBps), -Infinity);
    if (worst > limit) {
      const run = { strategyId: order.strategyId, pair: order.pair, timeframe: order.timeframe } as StrategyRun;
      this.o.onAlert?.(
        {
          kind: 'slippage',
          severity: 'warning',
          text: word('alert.slippage', {
            strategy: order.strategyId,
            pair: order.pair,
            side: word(`side.${order.side}`),
            bps: Number(worst.toFixed(1)),
            price: order.refPrice,
            limit,
          }),
        },
        run,
      );
    }
    const status =
      ex.status === 'open'
        ? ex.filled > 0
          ? 'partially_filled'
          : 'open'
        : ex.status === 'canceled'
          ? 'cancelled'
          : ex.status === 'rejected'
            ? 'rejected'
            : 'filled';
    await this.o.store.update(order._id, {
      status,
      exchangeOrderId: ex.id,
      filled: ex.filled,
      avgPrice: ex.average,
      reason: null,
    });
  }

  /** The signal bar's close on the exchange; a missing bar or a failed request leaves it unknown, never blocks the order. */
  private async signalBarClose(broker: Broker, run: StrategyRun, barTs: number): Promise<number | null> {
    try {
      return await broker.barClose(run.pair, run.timeframe, barTs);
    } catch (err) {
      this.o.log.debug('signal bar close unavailable', {
        strategyId: run.strategyId,
        pair: run.pair,
        message: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
  }

  /**
   * The quote balance plus every position the mode's strategies hold in that quote, at market:
   * the capital behind stake % and the daily loss limit, whichever strategy holds what.
   */
  private async accountEquity(run: StrategyRun, broker: Broker, quoteTotal: number, ownPrice: number): Promise<number> {
    const quote = run.pair.split('/')[1];
    let equity = quoteTotal;
    for (const [pair, amount] of await this.o.store.holdings(run.mode)) {
      if (amount <= 0 || pair.split('/')[1] !== quote) continue;
      const price = pair === run.pair ? ownPrice : await broker.price(pair).catch(() => null);
      if (price) equity += amount * price;
    }
    return equity;
  }

  /**
   * The account's equity and this strategy's P&L at its first decision of the UTC day (kept
   * per strategy): the daily loss limit compares the P&L since then with that equity.
   */
  private async dayStart(run: StrategyRun, equity: number, pnl: number): Promise<{ equity: number; pnl: number }> {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    // Per pair and timeframe: the P&L kept beside it is this run's own.
    const key = `${run.mode}|${run.strategyId}|${run.pair}|${run.timeframe}|${day}`;
    const coll = this.o.store.dayStarts;
    await coll.updateOne({ _id: key }, { $setOnInsert: { equity, pnl } }, { upsert: true });
    const d = await coll.findOne({ _id: key });
    return { equity: d?.equity ?? equity, pnl: d?.pnl ?? pnl };
  }

  /**
   * The protective stop, watched here (market orders only, so it works on any exchange): when
   * the price falls stop-loss % below the entry, the position is sold and the strategy may
   * not enter again until its own exit signal, exactly as the backtest engine applies it.
   */
  private async watchStop(
    run: StrategyRun,
    key: string,
    saved: { state: ConsumerState; rejectionsInARow: number },
    bar: number,
  ): Promise<StepOutcome | null> {
    if (!saved.state.inPosition) return null;
    const position = await this.o.store.position(run.mode, run.strategyId, run.pair);
    const entry = await this.o.store.orders.findOne(
      { mode: run.mode, strategyId: run.strategyId, pair: run.pair, leg: 'enter', status: 'filled' },
      { sort: { createdAt: -1 } },
    );
    if (!entry?.avgPrice) return null;
    const broker = this.o.broker(run.mode);
    let price: number;
    try {
      price = await broker.price(run.pair);
    } catch {
      return null; // no price now: watched again at the next step
    }
    const stopPrice = entry.avgPrice * (1 - run.stopLossPct! / 100);
    if (price > stopPrice) return null;
    const clientOrderId = clientOrderIdOf(
      run.mode,
      run.strategyId,
      run.pair,
      run.timeframe,
      entry.signalTs.getTime(),
      'stop',
    );
    const earlier = await this.o.store.orders.findOne({ _id: clientOrderId });
    // A stop refused earlier for this entry is not retried blind (its alert went out); signals carry on.
    if (earlier) return earlier.status === 'rejected' ? null : { kind: 'duplicate', clientOrderId };
    const sizing = sizeExit(position, price, await broker.rules(run.pair));
    // Nothing sellable (dust): no stop to send; the strategy's own signals carry on.
    if (!sizing.ok) return null;
    const now = this.now();
    const base = {
      _id: clientOrderId,
      strategyId: run.strategyId,
      pair: run.pair,
      symbol: run.symbol,
      timeframe: run.timeframe,
      mode: run.mode,
      leg: 'stop' as const,
      side: 'sell' as const,
      signalTs: entry.signalTs,
      signalVersion: entry.signalVersion,
      exchangeOrderId: null,
      filled: 0,
      avgPrice: null,
      checks: 0,
      createdAt: new Date(now),
      updatedAt: new Date(now),
      refPrice: price,
      maxSlippageBps: run.maxSlippageBps ?? DEFAULT_MAX_SLIPPAGE_BPS,
    };
    const order: OrderDoc = {
      ...base,
      amount: sizing.amount,
      status: 'intent',
      reason: word('order.protectiveStop', {
        price,
        stopPrice: Number(stopPrice.toFixed(8)),
        stopPct: run.stopLossPct!,
        entry: entry.avgPrice,
      }),
    };
    if (!(await this.o.store.writeIntent(order))) return { kind: 'duplicate', clientOrderId };
    await this.o.store.saveState(
      key,
      { ...saved.state, inPosition: false, exitedAt: bar, stoppedOut: true },
      saved.rejectionsInARow,
    );
    try {
      await this.send(order);
    } catch (err) {
      // The exchange refused the stop: still in the position, still watched.
      await this.o.store.saveState(key, saved.state, saved.rejectionsInARow + 1);
      const reason = refusalOf(err);
      this.o.onAlert?.(
        {
          kind: 'stop-refused',
          severity: 'critical',
          text: word('alert.stopRefused', { strategy: run.strategyId, pair: run.pair, reason }),
        },
        run,
      );
      return { kind: 'refused', reason, clientOrderId };
    }
    this.o.onAlert?.(
      {
        kind: 'stop-hit',
        severity: 'warning',
        text: word('alert.stopHit', {
          strategy: run.strategyId,
          pair: run.pair,
          price,
          entry: entry.avgPrice,
          stopPct: run.stopLossPct!,
        }),
      },
      run,
    );
    return { kind: 'ordered', order: (await this.o.store.orders.findOne({ _id: clientOrderId }))! };
  }

  /**
   * A stored document that is not a readable signal: said once (steps repeat every second) in
   * the log and in the record the Signals page lists, then left alone.
   */
  private skipped(run: StrategyRun, reason: string, doc: unknown): void {
    const d = (doc ?? {}) as Record<string, unknown>;
    const text = (v: unknown) =>
      v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : (JSON.stringify(v) ?? 'missing');
    const skip = { strategy_id: run.strategyId, pair: run.pair, timeframe: text(d.timeframe), ts: text(d.ts), reason };
    const id = `${run.mode}|${skip.strategy_id}|${skip.pair}|${skip.timeframe}|${skip.ts}|${reason}`;
    if (skippedSeen.has(id)) return;
    if (skippedSeen.size >= 1000) skippedSeen.clear();
    skippedSeen.add(id);
    this.o.log.warn('signal skipped', {
      strategyId: run.strategyId,
      pair: run.pair,
      timeframe: skip.timeframe,
      ts: skip.ts,
      reason,
    });
    this.o.skips
      ?.record(skip)
      .catch((err: Error) =>
        this.o.log.warn('skipped signal not recorded', { strategyId: run.strategyId, message: err.message }),
      );
  }

  /**
   * Why a key with no readable signal in its window has none: documents of its strategy and pair
   * that no read by key finds (a ts that is not a date, an unknown timeframe). The look reads
   * every document of the strategy and pair, so it runs beside the steps, never in their way,
   * at most every few minutes; what it last found is returned at once. Each document found is
   * skipped (logged and recorded) like any other.
   */
  private unreadableOf(run: StrategyRun, now: number): string[] {
    const look = this.o.signals.unreadable?.bind(this.o.signals);
    if (!look) return [];
    const key = `${run.strategyId}|${run.pair}`;
    const last = unreadableLooks.get(key);
    if (!last || (!last.pending && now - last.at >= UNREADABLE_LOOK_MS)) {
      if (unreadableLooks.size >= 1000) unreadableLooks.clear();
      const next = { at: now, reasons: last?.reasons ?? [], pending: true };
      unreadableLooks.set(key, next);
      look(run.strategyId, run.pair, 20).then(
        (docs) => {
          const reasons: string[] = [];
          for (const doc of docs) {
            const reason = readStoredSignal(doc);
            if (typeof reason !== 'string') continue;
            reasons.push(reason);
            this.skipped(run, reason, doc);
          }
          Object.assign(next, { reasons, pending: false });
        },
        (err: Error) => {
          next.pending = false;
          this.o.log.warn('look for unreadable signals failed', { strategyId: run.strategyId, message: err.message });
        },
      );
    }
    return last?.reasons ?? [];
  }

  /** One decision for one strategy and pair; `known`: its saved state, when the caller has just read it. */
  async step(run: StrategyRun, known?: { state: ConsumerState; rejectionsInARow: number }): Promise<StepOutcome> {
    const now = this.now();
    const step = TIMEFRAME_MS[run.timeframe];
    const bar = lastClosedBarOpen(now, run.timeframe);
    const key = ExecutionStore.stateKey(run.mode, run.strategyId, run.pair, run.timeframe);
    const saved = known ?? (await this.o.store.state(key));
    if (run.risk.killSwitch) return { kind: 'paused', reason: word('step.killSwitch') };
    if (saved.rejectionsInARow >= (run.maxRejectionsInARow ?? MAX_REJECTIONS_IN_A_ROW))
      return {
        kind: 'paused',
        reason: word('step.pausedRefusals', { count: saved.rejectionsInARow }),
      };
    if (run.stopLossPct) {
      const stopped = await this.watchStop(run, key, saved, bar);
      if (stopped) return stopped;
    }
    const skippedHere: string[] = [];
    const signals: SignalDoc[] = await this.o.signals.forKey(
      run.strategyId,
      run.pair,
      run.timeframe,
      bar - run.rules.toleranceBars * step,
      bar + run.rules.toleranceBars * step,
      (reason, doc) => {
        skippedHere.push(reason);
        this.skipped(run, reason, doc);
      },
    );
    const pick = pickSignal(signals, bar, now, run.rules);
    const d = decide(saved.state, pick.signal, bar, run.rules);
    if (d.code === 'noSignal') {
      // No signal for this bar: say why when documents were there but could not be read.
      const skipped = skippedHere.length ? skippedHere : this.unreadableOf(run, now);
      if (skipped.length)
        return { kind: 'none', reason: word('step.skipped', { count: skipped.length, reason: skipped[0]! }) };
    }
    if (!d.intent || !d.signal) return { kind: 'none', reason: word(`decision.${d.code}`) };
    // Held flat after a manual exit: the signal is left unconsumed, so it still counts (inside its window) once the trader lets the strategy trade.
    if (run.holdFlat && d.intent === 'enter')
      return {
        kind: 'none',
        reason: word('step.heldFlat'),
      };

    const clientOrderId = clientOrderIdOf(
      run.mode,
      run.strategyId,
      run.pair,
      run.timeframe,
      d.signal.ts.getTime(),
      d.intent,
    );
    const existing = await this.o.store.orders.findOne({ _id: clientOrderId });
    if (existing) {
      // Decided before a restart that lost the state: adopt the decision, unless that order
      // will never fill (refused, expired): then only the signal is consumed.
      const dead = existing.status === 'rejected' || existing.status === 'expired';
      await this.o.store.saveState(
        key,
        dead ? { ...saved.state, consumed: d.state.consumed } : d.state,
        saved.rejectionsInARow,
      );
      return { kind: 'duplicate', clientOrderId };
    }
    return this.placeOrder(run, key, saved, {
      intent: d.intent,
      clientOrderId,
      barTs: d.signal.ts.getTime(),
      signalVersion: d.signal.audit?.strategy_version ?? null,
      after: d.state,
      refused: { ...saved.state, consumed: d.state.consumed },
      manual: false,
    });
  }

  /**
   * A manual enter or exit the trader asked for on the desk, decided on the last closed bar.
   * An exit works under the kill switch (it only reduces risk); an enter does not, nor while
   * in a position. A refusal is said with its reason and does not count toward the circuit
   * breaker. An unreachable exchange throws: the command is kept and tried at the next step.
   */
  async manualStep(run: StrategyRun, known?: { state: ConsumerState; rejectionsInARow: number }): Promise<StepOutcome> {
    const cmd = run.manual!;
    const bar = lastClosedBarOpen(this.now(), run.timeframe);
    const key = ExecutionStore.stateKey(run.mode, run.strategyId, run.pair, run.timeframe);
    const saved = known ?? (await this.o.store.state(key));
    const clientOrderId = clientOrderIdOf(
      run.mode,
      run.strategyId,
      run.pair,
      run.timeframe,
      cmd.at,
      `manual-${cmd.id}`,
    );
    if (await this.o.store.orders.findOne({ _id: clientOrderId })) return { kind: 'duplicate', clientOrderId };
    const position = await this.o.store.position(run.mode, run.strategyId, run.pair);
    // Dust (what a base-asset fee leaves after an exit) is no position: it cannot be sold.
    let sellable = position > 0;
    if (sellable) {
      const broker = this.o.broker(run.mode);
      const [price, rules] = await Promise.all([broker.price(run.pair), broker.rules(run.pair)]);
      sellable = sizeExit(position, price, rules).ok;
    }
    if (cmd.action === 'enter') {
      if (run.risk.killSwitch)
        return {
          kind: 'paused',
          reason: word('step.manualEnterKill'),
        };
      if (sellable)
        return {
          kind: 'none',
          reason: word('step.manualEnterHolding', { amount: position, asset: run.pair.split('/')[0]! }),
        };
    } else if (!sellable) {
      await this.o.store.saveState(key, { ...saved.state, inPosition: false }, saved.rejectionsInARow);
      return {
        kind: 'none',
        reason: word('step.manualExitNothing'),
      };
    }
    return this.placeOrder(run, key, saved, {
      intent: cmd.action,
      clientOrderId,
      barTs: bar,
      signalVersion: null,
      after:
        cmd.action === 'exit'
          ? { ...saved.state, inPosition: false, exitedAt: bar, stoppedOut: false }
          : { ...saved.state, inPosition: true, enteredAt: bar, stoppedOut: false },
      refused: saved.state,
      manual: true,
    });
  }

  /**
   * Sizes, records and sends one decided order: refused before sending (recorded with its
   * reason, nothing sent), or written as an intent first and then sent, the saved state moved
   * on only once the order exists.
   */
  private async placeOrder(
    run: StrategyRun,
    key: string,
    saved: { state: ConsumerState; rejectionsInARow: number },
    p: {
      intent: 'enter' | 'exit';
      clientOrderId: string;
      /** Open of the bar the decision is about (the signal's bar, or the last closed bar for a manual order). */
      barTs: number;
      signalVersion: string | null;
      /** The state once the order is written, and when it is refused. */
      after: ConsumerState;
      refused: ConsumerState;
      manual: boolean;
    },
  ): Promise<StepOutcome> {
    const now = this.now();
    const { clientOrderId } = p;
    const broker = this.o.broker(run.mode);
    const base: Omit<OrderDoc, 'amount' | 'status' | 'refPrice' | 'reason'> = {
      _id: clientOrderId,
      strategyId: run.strategyId,
      pair: run.pair,
      symbol: run.symbol,
      timeframe: run.timeframe,
      mode: run.mode,
      leg: p.intent,
      ...(p.manual && { manual: true }),
      side: p.intent === 'enter' ? 'buy' : 'sell',
      signalTs: new Date(p.barTs),
      signalVersion: p.signalVersion,
      exchangeOrderId: null,
      filled: 0,
      avgPrice: null,
      checks: 0,
      createdAt: new Date(now),
      updatedAt: new Date(now),
      maxSlippageBps: run.maxSlippageBps ?? DEFAULT_MAX_SLIPPAGE_BPS,
    };
    let price = 0;
    let signalPrice: number | null = null;
    let sizing;
    try {
      const [pr, rules, close] = await Promise.all([
        broker.price(run.pair),
        broker.rules(run.pair),
        this.signalBarClose(broker, run, p.barTs),
      ]);
      price = pr;
      signalPrice = close;
      if (p.intent === 'enter') {
        const balances = await broker.balances();
        const quote = run.pair.split('/')[1]!;
        const { pnl } = await this.o.store.pnl(run.mode, run.strategyId, run.pair, price);
        const equity = await this.accountEquity(run, broker, balances[quote]?.total ?? 0, price);
        const start = await this.dayStart(run, equity, pnl);
        sizing = sizeEntry(
          {
            equity,
            freeQuote: balances[quote]?.free ?? 0,
            openPositions: await this.o.store.openPositionCount(run.mode),
            dayStartEquity: start.equity,
            dayPnl: pnl - start.pnl,
          },
          price,
          run.risk,
          rules,
          run.feeRate,
        );
      } else {
        sizing = sizeExit(await this.o.store.position(run.mode, run.strategyId, run.pair), price, rules);
      }
    } catch (err) {
      if (err instanceof BrokerError && err.kind === 'retryable') {
        this.exchangeTrouble(run, err);
        if (p.manual) throw err; // the command is kept and tried again at the next step
        // the signal stays a candidate
        return {
          kind: 'none',
          reason: refusalOf(err),
        };
      }
      // Our own records out of reach (the database restarting) is no refusal: the step fails and is tried again.
      if (err instanceof MongoError) throw err;
      sizing = { ok: false as const, reason: refusalOf(err) };
    }
    // A manual refusal is the trader's to see, not a sign that the strategy misbehaves.
    const refusals = p.manual ? saved.rejectionsInARow : saved.rejectionsInARow + 1;
    if (!sizing.ok) {
      // Refused before sending: recorded with its reason, nothing sent, and the position
      // unchanged (a refused entry leaves us flat, a refused exit in the position).
      await this.o.store.writeIntent({
        ...base,
        amount: 0,
        status: 'rejected',
        refPrice: price,
        signalPrice,
        reason: sizing.reason,
      });
      await this.o.store.saveState(key, p.refused, refusals);
      this.o.log.warn('order refused', { strategyId: run.strategyId, pair: run.pair, reason: english(sizing.reason) });
      this.refused(run, sizing.reason, p.manual ? null : refusals, false);
      return { kind: 'refused', reason: sizing.reason, clientOrderId };
    }
    const order: OrderDoc = {
      ...base,
      amount: sizing.amount,
      status: 'intent',
      refPrice: price,
      signalPrice,
      reason: null,
    };
    if (!(await this.o.store.writeIntent(order))) return { kind: 'duplicate', clientOrderId };
    await this.o.store.saveState(key, p.after, 0);
    try {
      await this.send(order);
    } catch (err) {
      // The exchange refused it (never retried): the position did not change.
      await this.o.store.saveState(key, p.refused, refusals);
      const reason = refusalOf(err);
      this.refused(run, reason, p.manual ? null : refusals, err instanceof BrokerError && err.kind === 'insufficient');
      return { kind: 'refused', reason, clientOrderId };
    }
    return { kind: 'ordered', order: (await this.o.store.orders.findOne({ _id: clientOrderId }))! };
  }
}
