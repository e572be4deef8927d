// What every part of trading shares, built once per process (the desk's back end and the
// executor worker each build one, from the same options): the records, the paper wallet, the
// brokers of the exchange accounts, and the executor of one strategy's step.
import { word, type Wording } from '../../core/wording/wording';
import type { Db } from 'mongodb';
import type { ExecConfigView, ManualCommand } from '../../core/api/executionContract';
import { DEFAULT_MAX_SLIPPAGE_BPS, DEFAULT_RISK, MAX_REJECTIONS_IN_A_ROW, sizeExit } from '../../core/execution/risk';
import type { Logger } from '../../core/logging/logger';
import type { AlertInput } from '../../core/monitor/alertKinds';
import type { AuditSink } from '../../core/ports/auditSink';
import type { BarSource } from '../../core/ports/barSource';
import type { Broker } from '../../core/ports/broker';
import type { SignalReader, SignalSource, SkipLog } from '../../core/ports/signalPorts';
import { DEFAULT_CONSUMER_RULES } from '../../core/signals/consumption';
import { ExecutionStore } from './executionStore';
import { Executor, type StrategyRun } from './executor';
import { PaperBroker, type PaperOptions } from './paperBroker';
import type { AccountRef, ReconReport } from './reconciliationDesk';

/** The paper account starts with this wallet, like a fresh exchange sub-account. */
export const PAPER_START = { USDT: 10_000 };
export const PAPER_FEE = 0.001;
export const PAPER_SLIPPAGE_BPS = 2;

/** A strategy the executor trades, as stored in quantdesk_exec_configs (documents from before manual control lack its two fields). */
export type ConfigDoc = Omit<
  ExecConfigView,
  'id' | 'position' | 'sellable' | 'lastPrice' | 'entryPrice' | 'unrealizedPnl' | 'manual' | 'holdFlat'
> & {
  _id: string;
  manual?: ManualCommand | null;
  holdFlat?: boolean;
};

export interface ExecutionDeskOptions {
  db: () => Db;
  /** The stored bars (the drift report replays them). */
  bars: () => BarSource;
  log: Logger;
  signals: SignalSource;
  /** Where documents of crypto_signals the executor cannot read are recorded (the Signals page lists them). */
  skips?: SkipLog;
  /** Public prices and market rules of the exchange a symbol comes from. */
  marketData(symbol: string): Pick<Broker, 'price' | 'rules' | 'barClose'>;
  /** The live broker (keys from the keychain) of the exchange a symbol comes from; throws with the reason when there are no keys. */
  liveBroker(symbol: string): Promise<Broker>;
  /** Exchange id of a stored symbol (live accounts are per exchange). */
  exchangeOf(symbol: string): string;
  onReconciled?(r: ReconReport): void;
  onChanged(v: ExecConfigView): void;
  /** The kill switch was switched (the desk's top bar shows it on every page). */
  onKillSwitch?(on: boolean): void;
  onAlert(a: AlertInput): void;
  now?: () => number;
  tickMs?: number;
  /** The audit trail of the trader's changes (the desk's instance; the executor worker has none). */
  audit?: AuditSink;
}

export class ExecutionContext {
  readonly store: ExecutionStore;
  readonly now: () => number;

  constructor(readonly o: ExecutionDeskOptions) {
    this.store = new ExecutionStore(o.db);
    this.now = o.now ?? (() => Date.now());
  }

  /** One paper account; each order is priced on its own symbol's exchange. */
  paperBroker(symbolOf: string | ((pair: string) => string)): PaperBroker {
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

  executorFor(symbol: string, live: Broker | null, signals: SignalReader = this.o.signals): Executor {
    return new Executor({
      store: this.store,
      signals,
      broker: (mode) => (mode === 'live' && live ? live : this.paperBroker(symbol)),
      log: this.o.log,
      now: this.now,
      ...(this.o.skips && { skips: this.o.skips }),
      onAlert: (a, run) =>
        this.o.onAlert({
          ...a,
          strategy_id: run?.strategyId ?? null,
          pair: run?.pair ?? null,
          timeframe: run?.timeframe ?? null,
        }),
    });
  }

  /**
   * Whether a position can be sold: more than the exchange's lot size and minimum order value
   * (what a base-asset fee leaves behind after an exit cannot). Unknown (no price now): yes,
   * and the executor's own check decides.
   */
  async sellable(
    c: ConfigDoc,
    position: number,
    knownPrice?: number | null,
  ): Promise<{ ok: true } | { ok: false; reason: Wording }> {
    if (position <= 0) return { ok: false, reason: word('order.nothingHeld', { asset: c.pair.split('/')[0]! }) };
    const market = this.o.marketData(c.symbol);
    const [price, rules] = await Promise.all([knownPrice ?? market.price(c.pair), market.rules(c.pair)]).catch(() => [
      null,
      null,
    ]);
    if (price === null || rules === null) return { ok: true };
    const s = sizeExit(position, price, rules);
    return s.ok ? { ok: true } : { ok: false, reason: s.reason };
  }

  /** The accounts the executor trades: the paper wallet, and each exchange with live strategies. */
  async accounts(configs: ConfigDoc[]): Promise<AccountRef[]> {
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
}

/** What the executor's step needs of a stored configuration. */
export function strategyRun(c: ConfigDoc, killSwitch: boolean): StrategyRun {
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
    manual: c.manual ? { id: c.manual.id, action: c.manual.action, at: Date.parse(c.manual.at) } : null,
    holdFlat: c.holdFlat ?? false,
  };
}
