// The trading loop: every second, every enabled strategy's step (settle what is pending,
// then decide on the signal window), a minute's P&L and balance snapshot, and reconciliation
// every minute. The executor worker runs it; the desk's back end only settles on demand.
import { english, word, type Text, type Wording } from '../../core/wording/wording';

import type { OrderDoc } from '../../core/execution/orderRecords';
import { TIMEFRAME_MS, lastClosedBarOpen, type Timeframe } from '../../core/market/timeframes';
import type { SignalReader } from '../../core/ports/signalPorts';
import { DEFAULT_CONSUMER_RULES, type ConsumerState } from '../../core/signals/consumption';
import { COLLECTIONS } from '../../core/db/collections';
import { pnlOf } from '../../core/portfolio/positions';
import { strategyRun, type ConfigDoc, type ExecutionContext } from './executionContext';
import type { ExecutionQueries } from './executionQueries';
import { ExecutionStore } from './executionStore';
import type { StepOutcome } from './executor';
import type { ReconciliationDesk } from './reconciliationDesk';
import type { StrategyConfigs } from './strategyConfigs';

/** Two reasons say the same (a record of an older version holds plain text). */
const same = (a: Text | null | undefined, b: Text | null) => (a ? english(a) : null) === (b ? english(b) : null);

export class ExecutionLoop {
  private timer: NodeJS.Timeout | null = null;
  private reconTimer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly ctx: ExecutionContext,
    private readonly configs: StrategyConfigs,
    private readonly queries: ExecutionQueries,
    private readonly reconciliation: ReconciliationDesk,
  ) {}

  start(): void {
    const ms = this.ctx.o.tickMs ?? 1000;
    if (ms <= 0) return;
    let lastFailure = '';
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = true;
      this.tick()
        .then(() => (lastFailure = ''))
        .catch((err: Error) => {
          if (err.message !== lastFailure) this.ctx.o.log.warn('executor tick failed', { message: err.message });
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
          .catch((err: Error) => this.ctx.o.log.warn('reconciliation failed', { message: err.message })),
      60_000,
    );
    this.reconTimer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.reconTimer) clearInterval(this.reconTimer);
  }

  private lastSnapshot = 0;

  /**
   * The P&L curve of every enabled strategy, one point a minute (for the Trading page and
   * monitoring), after the tick's steps: one price per symbol, one read of the fills.
   */
  private async snapshot(configs: ConfigDoc[]): Promise<void> {
    const now = this.ctx.now();
    if (now - this.lastSnapshot < 60_000) return;
    this.lastSnapshot = now;
    const prices = new Map<string, number | null>();
    for (const c of configs)
      if (!prices.has(c.symbol))
        prices.set(
          c.symbol,
          await this.ctx.o
            .marketData(c.symbol)
            .price(c.pair)
            .catch(() => null),
        );
    const fills = await this.ctx.store.fills
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
    if (points.length) await this.ctx.store.equity.insertMany(points);
    // Balance snapshots of every account traded (the paper wallet, each live exchange).
    for (const a of await this.configs
      .all()
      .then((all) => this.ctx.accounts(all))
      .catch(() => [])) {
      const balances = await a.broker.balances().catch(() => null);
      if (balances)
        await this.ctx.o
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

  /** Settles the orders of one strategy whose outcome is not known (start-up of the worker). */
  async settle(id: string): Promise<void> {
    const c = await this.configs.get(id);
    const live = c.mode === 'live' ? await this.ctx.o.liveBroker(c.symbol) : null;
    await this.ctx.executorFor(c.symbol, live).recover(c.mode, { strategyId: c.strategyId, pair: c.pair });
  }

  /**
   * The signals every enabled strategy may act on this tick, one read per timeframe (see
   * SignalStore.window): a daily strategy's window of days never widens the minute strategies' one.
   */
  private async signalWindows(configs: ConfigDoc[]): Promise<Map<Timeframe, SignalReader>> {
    const now = this.ctx.now();
    const out = new Map<Timeframe, SignalReader>();
    for (const tf of new Set(configs.map((c) => c.timeframe))) {
      const tolerance = DEFAULT_CONSUMER_RULES.toleranceBars * TIMEFRAME_MS[tf];
      const bar = lastClosedBarOpen(now, tf);
      const mine = configs
        .filter((c) => c.timeframe === tf)
        .map((c) => ({ strategyId: c.strategyId, pair: c.pair, timeframe: tf }));
      out.set(tf, await this.ctx.o.signals.window(mine, bar - tolerance, bar + tolerance));
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
    const configs = await this.configs.toStep();
    if (configs.length === 0) return;
    const keyOf = (c: ConfigDoc) => ExecutionStore.stateKey(c.mode, c.strategyId, c.pair, c.timeframe);
    const [killSwitch, windows, states, pending] = await Promise.all([
      this.configs.killSwitch(),
      this.signalWindows(configs),
      this.ctx.store.statesOf(configs.map(keyOf)),
      this.ctx.store.pending(),
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
              this.queries
                .view(changed)
                .then(this.ctx.o.onChanged, (err: Error) =>
                  this.ctx.o.log.debug('strategy view failed', { message: err.message }),
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
    let outcome: StepOutcome | { kind: 'error'; reason: Wording };
    let commandDone = false;
    try {
      const live = c.mode === 'live' ? await this.ctx.o.liveBroker(c.symbol) : null;
      const ex = this.ctx.executorFor(c.symbol, live, window);
      if (pending.length) await ex.recover(c.mode, { strategyId: c.strategyId, pair: c.pair }, pending);
      // The trader's own command comes first (its outcome is shown as the last decision); the signals at the next step.
      if (c.manual) {
        outcome = await ex.manualStep(strategyRun(c, killSwitch), saved);
        await this.configs.commandDone(c._id, c.manual.id);
        commandDone = true;
      } else outcome = await ex.step(strategyRun(c, killSwitch), saved);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      outcome = { kind: 'error', reason: word('step.failed', { error }) };
      // A step that fails is retried at the next tick; the trader hears of it once per new reason (the alert center counts repeats).
      if (c.lastOutcome?.kind !== 'error' || !same(c.lastOutcome.reason, outcome.reason))
        this.ctx.o.onAlert({
          kind: 'execution',
          severity: 'warning',
          text: word('alert.stepFailed', { strategy: c.strategyId, pair: c.pair, error }),
          strategy_id: c.strategyId,
          pair: c.pair,
          timeframe: c.timeframe,
        });
    }
    const reason = 'reason' in outcome ? outcome.reason : null;
    const last = c.lastOutcome;
    if (!commandDone && outcome.kind === 'none' && last?.kind === 'none' && same(last.reason, reason)) return null;
    const lastOutcome = {
      at: new Date(this.ctx.now()).toISOString(),
      kind: outcome.kind,
      reason,
      clientOrderId:
        'clientOrderId' in outcome ? outcome.clientOrderId : outcome.kind === 'ordered' ? outcome.order._id : null,
    };
    // The page gets the configuration as it is now, not as this tick read it: a switch the
    // trader flipped meanwhile (trading off) must not be shown undone by this step's news.
    return this.configs.collection.findOneAndUpdate(
      { _id: c._id },
      { $set: { lastOutcome } },
      { returnDocument: 'after' },
    );
  }
}
