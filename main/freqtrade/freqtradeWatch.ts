// The desk watching a Freqtrade bot that trades our signals (the plan's monitoring of the
// live side): its REST API read every few seconds (address and password kept as a secret),
// its trades and orders written back to MongoDB (freqtrade_trades, freqtrade_orders) for
// reports and reconciliation, and our alerts raised from what it says: unreachable, orders
// refused (and refusals in a row), insufficient balance, rate limiting.
import type { Db } from 'mongodb';
import type { BotReconciliationView, FreqtradeBotView, FreqtradeTradeView } from '../../core/api/freqtradeContract';
import { ServiceError } from '../../core/api/dispatcher';
import { COLLECTIONS } from '../../core/db/collections';
import type { Logger } from '../../core/logging/logger';
import type { AlertInput, AlertKind } from '../../core/monitor/alertKinds';
import type { SecretStore } from '../../core/ports/secretStore';
import { word } from '../../core/wording/wording';
import { reconcileBotTrades } from '../../core/execution/botReconcile';
import { DEFAULT_MAX_SLIPPAGE_BPS } from '../../core/execution/risk';
import { slippageBps } from '../../core/execution/slippage';
import { TIMEFRAME_MS, type Timeframe } from '../../core/market/timeframes';
import type { SignalReader } from '../../core/ports/signalPorts';
import {
  FreqtradeApi,
  FreqtradeApiError,
  FreqtradeBotAccessSchema,
  type FreqtradeBotAccess,
  type FreqtradeLogLine,
  type FreqtradeTrade,
} from './freqtradeApi';

const SECRET_ACCOUNT = 'freqtrade:bot';
/** Checks without an answer before the bot is said to be unreachable (about 15 s). */
const MISSES_BEFORE_ALERT = 3;
/** Refused orders in a row that make it critical. */
const REFUSALS_IN_A_ROW = 3;

/** A trade's fills worse than the price the bot asked for by more than the limit (bps, positive = worse). */
export function botSlippages(
  t: Pick<FreqtradeTrade, 'open_rate' | 'open_rate_requested' | 'close_rate' | 'close_rate_requested'>,
  limitBps = DEFAULT_MAX_SLIPPAGE_BPS,
): { side: 'buy' | 'sell'; bps: number; price: number; requested: number }[] {
  const legs = [
    { side: 'buy' as const, price: t.open_rate, requested: t.open_rate_requested ?? null },
    { side: 'sell' as const, price: t.close_rate ?? null, requested: t.close_rate_requested ?? null },
  ];
  return legs.flatMap((l) => {
    if (l.price === null || l.requested === null) return [];
    const bps = slippageBps(l.side, l.price, l.requested);
    return bps !== null && bps > limitBps ? [{ side: l.side, bps, price: l.price, requested: l.requested }] : [];
  });
}

/** What a line of the bot's log means to a trader, if anything. */
function logTrouble(line: FreqtradeLogLine): AlertKind | null {
  if (line.level !== 'WARNING' && line.level !== 'ERROR') return null;
  if (/insufficient (funds|balance)|not enough|lower than stake amount/i.test(line.message))
    return 'insufficient-balance';
  if (/rate limit|too many requests|429|ddos/i.test(line.message)) return 'rate-limited';
  if (
    /unable to (create|place|exit)|could not (create|place)|invalidorder|order.*(rejected|refused)/i.test(line.message)
  )
    return 'order-rejected';
  return null;
}

function tradeView(t: FreqtradeTrade): FreqtradeTradeView {
  return {
    tradeId: t.trade_id,
    pair: t.pair,
    isOpen: t.is_open,
    amount: t.amount,
    stake: t.stake_amount,
    openRate: t.open_rate,
    openedAt: t.open_timestamp,
    closeRate: t.close_rate ?? null,
    closedAt: t.close_timestamp ?? null,
    enterTag: t.enter_tag ?? null,
    exitReason: t.exit_reason ?? null,
    profit: t.profit_abs ?? null,
    profitRatio: t.profit_ratio ?? null,
  };
}

export interface FreqtradeWatchOptions {
  db: () => Db;
  secrets: SecretStore;
  log: Logger;
  onAlert(a: AlertInput): void;
  onChange(view: FreqtradeBotView): void;
  now?: () => number;
  intervalMs?: number;
}

export class FreqtradeWatch {
  private access: FreqtradeBotAccess | null = null;
  private loaded = false;
  private timer: NodeJS.Timeout | null = null;
  private misses = 0;
  private lastLogAt = 0;
  private refusals = 0;
  private looking = false;
  /** The first answer since the desk started: what came before it is history, not news. */
  private firstLook = true;
  /** Trades whose slippage was said (trade id and side), each once. */
  private readonly slipped = new Set<string>();
  /** The bot has answered since it was set: only then is its silence an alert. */
  private answered = false;
  private readonly now: () => number;
  private view: FreqtradeBotView = {
    configured: false,
    url: null,
    strategyId: null,
    state: 'unknown',
    lastError: null,
    checkedAt: null,
    bot: null,
    openTrades: [],
    closedTrades: [],
    balance: null,
    profit: null,
  };

  constructor(private readonly o: FreqtradeWatchOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(
      () => void this.tick().catch((err: Error) => this.o.log.warn('freqtrade watch failed', { message: err.message })),
      this.o.intervalMs ?? 5000,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  current(): FreqtradeBotView {
    return this.view;
  }

  private async loadAccess(): Promise<FreqtradeBotAccess | null> {
    if (!this.loaded) {
      const saved = await this.o.secrets.get(SECRET_ACCOUNT);
      const parsed = saved ? FreqtradeBotAccessSchema.safeParse(JSON.parse(saved)) : null;
      if (parsed && !parsed.success)
        this.o.log.warn('the saved Freqtrade bot access is unreadable; connect the bot again');
      this.access = parsed?.success ? parsed.data : null;
      this.answered = this.access?.answered === true;
      this.loaded = true;
    }
    return this.access;
  }

  /** Checks the bot answers with these credentials, then keeps them (as a secret) and watches it. */
  async connect(access: FreqtradeBotAccess): Promise<FreqtradeBotView> {
    try {
      await new FreqtradeApi(access).config();
    } catch (err) {
      const refused = err instanceof FreqtradeApiError && err.refused;
      throw new ServiceError(
        'BAD_REQUEST',
        word(refused ? 'error.freqtradeRefused' : 'error.freqtradeUnreachable', {
          url: access.url,
          error: (err as Error).message,
        }),
      );
    }
    await this.o.secrets.set(SECRET_ACCOUNT, JSON.stringify(access));
    this.access = access;
    this.loaded = true;
    this.misses = 0;
    this.answered = true;
    this.lastLogAt = this.now();
    this.firstLook = true;
    // at once, whatever a periodic look is doing: the trader waits for this answer
    return this.look();
  }

  /** Keeps the access to a bot set up by the desk (not started yet): watched from now on, said unreachable only once it has answered. */
  async remember(setUp: FreqtradeBotAccess): Promise<void> {
    // a new bot: the signals before it was set up were never its to trade
    const access = { ...setUp, since: this.now() };
    await this.o.secrets.set(SECRET_ACCOUNT, JSON.stringify(access));
    this.access = access;
    this.loaded = true;
    this.misses = 0;
    this.answered = false;
    this.set({
      configured: true,
      url: access.url,
      strategyId: access.strategyId ?? null,
      state: 'unknown',
      lastError: null,
    });
  }

  async disconnect(): Promise<FreqtradeBotView> {
    await this.o.secrets.delete(SECRET_ACCOUNT);
    this.access = null;
    this.loaded = true;
    this.set({
      configured: false,
      url: null,
      strategyId: null,
      state: 'unknown',
      lastError: null,
      bot: null,
      openTrades: [],
      closedTrades: [],
      balance: null,
      profit: null,
    });
    return this.view;
  }

  private set(patch: Partial<FreqtradeBotView>): void {
    this.view = { ...this.view, ...patch, checkedAt: new Date(this.now()).toISOString() };
    this.o.onChange(this.view);
  }

  /** One look at the bot: its state, trades (written back), balance, profit, and new log lines. */
  async tick(): Promise<FreqtradeBotView> {
    // a slow bot (each call waits up to 5 s) is not asked again before it has answered
    if (this.looking) return this.view;
    this.looking = true;
    try {
      return await this.look();
    } finally {
      this.looking = false;
    }
  }

  private async look(): Promise<FreqtradeBotView> {
    const access = await this.loadAccess();
    if (!access) return this.view;
    const api = new FreqtradeApi(access);
    try {
      const [bot, open, history, balance, profit, logs] = await Promise.all([
        api.config(),
        api.openTrades(),
        api.trades(),
        api.balance(),
        api.profit(),
        api.logs(),
      ]);
      // its history holds the closed trades, its status the open ones
      // connected elsewhere or disconnected meanwhile: this look is stale
      if (this.access !== access) return this.view;
      const byId = new Map<number, FreqtradeTrade>();
      for (const t of [...history, ...open]) byId.set(t.trade_id, t);
      const trades = [...byId.values()];
      this.misses = 0;
      if (!access.answered) {
        // remembered across restarts: a bot that answered once and then falls silent is an alert
        access.answered = true;
        await this.o.secrets.set(SECRET_ACCOUNT, JSON.stringify(access));
      }
      this.answered = true;
      await this.writeBack(access.url, trades);
      if (this.firstLook) {
        // what the bot said and did before the desk looked was said then (or by a desk since restarted)
        this.firstLook = false;
        this.lastLogAt = Math.max(this.lastLogAt, ...logs.map((l) => l.at));
        for (const t of trades)
          for (const sl of botSlippages(t)) this.slipped.add(`${access.url}|${t.trade_id}|${sl.side}`);
      }
      this.judgeFills(access.url, trades);
      this.readLog(access.url, logs);
      const views = trades.map(tradeView);
      this.set({
        configured: true,
        url: access.url,
        strategyId: access.strategyId ?? null,
        state: 'connected',
        lastError: null,
        bot: {
          strategy: bot.strategy ?? null,
          timeframe: bot.timeframe ?? null,
          exchange: bot.exchange,
          dryRun: bot.dry_run,
          state: bot.state ?? null,
          stakeCurrency: bot.stake_currency,
        },
        openTrades: views.filter((t) => t.isOpen),
        closedTrades: views
          .filter((t) => !t.isOpen)
          .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0))
          .slice(0, 20),
        balance: { total: balance.total, currency: balance.stake },
        profit: {
          all: profit.profit_all_coin,
          closed: profit.profit_closed_coin,
          trades: profit.trade_count,
          closedTrades: profit.closed_trade_count,
        },
      });
    } catch (err) {
      if (this.access !== access) return this.view;
      const message = err instanceof Error ? err.message : String(err);
      const refused = err instanceof FreqtradeApiError && err.refused;
      // a bot that refuses our password did answer: that is said on the panel, not as an outage
      if (!refused) this.misses += 1;
      this.set({
        configured: true,
        url: access.url,
        strategyId: access.strategyId ?? null,
        // a bot that has not answered yet (set up, not started) is awaited, not down
        state: refused ? 'refused' : this.answered ? 'unreachable' : 'unknown',
        lastError: word(refused ? 'error.freqtradeRefused' : 'error.freqtradeUnreachable', {
          url: access.url,
          error: message,
        }),
      });
      if (this.answered && this.misses === MISSES_BEFORE_ALERT)
        this.o.onAlert({
          kind: 'bot-unreachable',
          severity: 'critical',
          subject: access.url,
          text: word('alert.freqtradeUnreachable', { url: access.url, misses: this.misses, error: message }),
        });
    }
    return this.view;
  }

  /**
   * The bot's strategy's signals against the trades it made, per pair it traded or was set up
   * for: each signal traded, explained, pending or missing; each trade the rules do not give.
   */
  async reconcile(signals: SignalReader, days = 3): Promise<BotReconciliationView> {
    const access = await this.loadAccess();
    const strategyId = access?.strategyId ?? null;
    if (!access || !strategyId) return { strategyId, pairs: [] };
    const trades = await this.o
      .db()
      .collection(COLLECTIONS.freqtradeTrades)
      .find(
        { bot: access.url },
        { projection: { trade_id: 1, pair: 1, enter_tag: 1, exit_reason: 1, open_timestamp: 1, close_timestamp: 1 } },
      )
      .toArray();
    const timeframe: Timeframe = (access.timeframe ?? this.view.bot?.timeframe) === '1d' ? '1d' : '1m';
    const pairs = [...new Set([...trades.map((t) => String(t.pair)), ...(access.pairs ?? [])])].sort();
    const now = this.now();
    // a few days of minutes, a few months of days; nothing from before the bot was watched
    // (a signal reaches one bar past its own, so the bars just before count)
    const from = Math.max(
      now - days * (timeframe === '1d' ? 30 : 1) * 86_400_000,
      (access.since ?? 0) - 2 * TIMEFRAME_MS[timeframe],
    );
    const out: BotReconciliationView['pairs'] = [];
    for (const pair of pairs) {
      const r = reconcileBotTrades(
        await signals.forKey(strategyId, pair, timeframe, from, now),
        trades
          // the trades of the window the signals were read for (older ones had their signals too)
          .filter((t) => t.pair === pair && Number(t.open_timestamp) >= from)
          .map((t) => ({
            tradeId: Number(t.trade_id),
            enterTag: (t.enter_tag as string | null) ?? null,
            exitReason: (t.exit_reason as string | null) ?? null,
            openedAt: Number(t.open_timestamp),
            closedAt: typeof t.close_timestamp === 'number' ? t.close_timestamp : null,
          })),
        now,
      );
      out.push({ pair, timeframe, ...r });
    }
    return { strategyId, pairs: out };
  }

  /** Its trades and their orders, kept in our database (one document each, replaced as they change). */
  private async writeBack(url: string, trades: FreqtradeTrade[]): Promise<void> {
    if (!trades.length) return;
    const db = this.o.db();
    const at = new Date(this.now());
    await db.collection<{ _id: string }>(COLLECTIONS.freqtradeTrades).bulkWrite(
      trades.map((t) => {
        const { orders: _orders, ...rest } = t;
        return {
          replaceOne: {
            filter: { _id: `${url}|${t.trade_id}` },
            replacement: {
              ...rest,
              bot: url,
              openedAt: new Date(t.open_timestamp),
              closedAt: t.close_timestamp ? new Date(t.close_timestamp) : null,
              seenAt: at,
            },
            upsert: true,
          },
        };
      }),
      { ordered: false },
    );
    const orders = trades.flatMap((t) => t.orders.map((o) => ({ ...o, trade_id: t.trade_id })));
    if (orders.length)
      await db.collection<{ _id: string }>(COLLECTIONS.freqtradeOrders).bulkWrite(
        orders.map((o) => ({
          replaceOne: {
            filter: { _id: `${url}|${o.order_id}` },
            replacement: { ...o, bot: url, seenAt: at },
            upsert: true,
          },
        })),
        { ordered: false },
      );
  }

  /** Fills worse than the price asked for by more than our slippage limit: said once per trade and side. */
  private judgeFills(url: string, trades: FreqtradeTrade[]): void {
    for (const t of trades)
      for (const s of botSlippages(t)) {
        const key = `${url}|${t.trade_id}|${s.side}`;
        if (this.slipped.has(key)) continue;
        this.slipped.add(key);
        this.o.onAlert({
          kind: 'slippage',
          severity: 'warning',
          pair: t.pair,
          subject: url,
          text: word('alert.freqtradeSlippage', {
            url,
            trade: t.trade_id,
            pair: t.pair,
            side: word(`side.${s.side}`),
            bps: Number(s.bps.toFixed(1)),
            price: s.price,
            requested: s.requested,
            limit: DEFAULT_MAX_SLIPPAGE_BPS,
          }),
        });
      }
  }

  /** New warnings and errors of the bot's log that a trader must hear of, each once. */
  private readLog(url: string, lines: FreqtradeLogLine[]): void {
    for (const line of lines) {
      if (line.at <= this.lastLogAt) continue;
      this.lastLogAt = line.at;
      if (/has been fulfilled/i.test(line.message)) this.refusals = 0;
      const kind = logTrouble(line);
      if (!kind) continue;
      // an order it could not place, for whatever reason, counts toward refusals in a row
      if (kind !== 'rate-limited') this.refusals += 1;
      this.o.onAlert({
        kind,
        severity: 'warning',
        subject: url,
        text: word('alert.freqtradeSays', { url, message: line.message.slice(0, 300) }),
      });
      if (kind !== 'rate-limited' && this.refusals === REFUSALS_IN_A_ROW)
        this.o.onAlert({
          kind: 'rejections-in-a-row',
          severity: 'critical',
          subject: url,
          text: word('alert.freqtradeRefusals', { url, count: this.refusals }),
        });
    }
  }
}
