// The live broker: an exchange account through ccxt. ccxt's error classes are mapped to the
// broker's kinds once, here: network trouble and rate limits may be retried, refusals never.
import ccxt, { type Exchange, type Order, type Trade } from 'ccxt';
import type { ExchangeOrder, ExchangeTrade } from '../../core/execution/reconcile';
import type { MarketRules } from '../../core/execution/risk';
import type { Timeframe } from '../../core/market/timeframes';
import { BrokerError, type Broker, type BrokerOrder } from '../../core/ports/broker';

export function brokerErrorOf(err: unknown): BrokerError {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ccxt.InsufficientFunds) return new BrokerError('insufficient', message);
  if (err instanceof ccxt.OrderNotFound) return new BrokerError('not-found', message);
  if (
    err instanceof ccxt.InvalidOrder ||
    err instanceof ccxt.BadSymbol ||
    err instanceof ccxt.BadRequest ||
    err instanceof ccxt.AuthenticationError ||
    err instanceof ccxt.PermissionDenied
  )
    return new BrokerError('rejected', message);
  // NetworkError covers RequestTimeout, ExchangeNotAvailable, DDoSProtection and RateLimitExceeded.
  if (err instanceof ccxt.NetworkError) return new BrokerError('retryable', message);
  if (err instanceof ccxt.ExchangeError) return new BrokerError('rejected', message);
  return new BrokerError('retryable', message);
}

function toOrder(o: Order, clientOrderId: string): BrokerOrder {
  const status =
    o.status === 'open'
      ? 'open'
      : o.status === 'canceled' || o.status === 'expired'
        ? 'canceled'
        : o.status === 'rejected'
          ? 'rejected'
          : 'closed';
  const trades = (o.trades ?? []) as Trade[];
  return {
    id: String(o.id),
    clientOrderId: o.clientOrderId ?? clientOrderId,
    pair: o.symbol ?? '',
    side: o.side === 'sell' ? 'sell' : 'buy',
    amount: o.amount ?? 0,
    filled: o.filled ?? 0,
    average: o.average ?? null,
    status,
    fills: trades.map((t, i) => ({
      id: String(t.id ?? `${o.id}-${i}`),
      price: t.price ?? 0,
      amount: t.amount ?? 0,
      fee: t.fee?.cost ?? 0,
      feeCurrency: t.fee?.currency ?? null,
      time: t.timestamp ?? o.timestamp ?? 0,
    })),
  };
}

export class CcxtBroker implements Broker {
  readonly mode = 'live' as const;

  constructor(private readonly client: Exchange) {}

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ccxt.InvalidNonce) {
        // Our clock and the exchange's disagree beyond its receive window: measure the
        // difference (ccxt signs with it from now on), and let the caller retry.
        const sync = (this.client as unknown as { loadTimeDifference?: () => Promise<unknown> }).loadTimeDifference;
        if (sync) await sync.call(this.client).catch(() => undefined);
        throw new BrokerError('retryable', `clock skew against the exchange, resynchronised: ${err.message}`);
      }
      throw brokerErrorOf(err);
    }
  }

  private marketsLoaded = false;

  /** ccxt keeps a failed market load as a rejected promise: reload for real until one succeeds. */
  private async loadMarkets(): Promise<void> {
    if (this.marketsLoaded) return;
    await this.call(() => this.client.loadMarkets(true));
    this.marketsLoaded = true;
  }

  private async market(pair: string) {
    await this.loadMarkets();
    const m = this.client.markets?.[pair];
    if (!m) throw new BrokerError('rejected', `The exchange does not list ${pair}`);
    return m;
  }

  async rules(pair: string): Promise<MarketRules> {
    const m = await this.market(pair);
    return {
      minNotional: m.limits.cost?.min ?? 0,
      amountStep: m.precision.amount ?? 0,
      minAmount: m.limits.amount?.min ?? 0,
    };
  }

  async price(pair: string): Promise<number> {
    await this.loadMarkets();
    const t = await this.call(() => this.client.fetchTicker(pair));
    if (!(t.last && t.last > 0)) throw new BrokerError('retryable', `No last price for ${pair}`);
    return t.last;
  }

  async barClose(pair: string, timeframe: Timeframe, barOpenMs: number): Promise<number | null> {
    await this.loadMarkets();
    const candles = await this.call(() => this.client.fetchOHLCV(pair, timeframe, barOpenMs, 2));
    const bar = candles.find((c) => c[0] === barOpenMs);
    return bar && Number(bar[4]) > 0 ? Number(bar[4]) : null;
  }

  async balances(): Promise<Record<string, { free: number; total: number }>> {
    await this.loadMarkets();
    const b = await this.call(() => this.client.fetchBalance());
    const out: Record<string, { free: number; total: number }> = {};
    for (const [asset, v] of Object.entries(b.total ?? {}))
      out[asset] = { free: Number((b.free as unknown as Record<string, number>)[asset] ?? 0), total: Number(v ?? 0) };
    return out;
  }

  async placeMarket(req: {
    pair: string;
    side: 'buy' | 'sell';
    amount: number;
    clientOrderId: string;
  }): Promise<BrokerOrder> {
    await this.market(req.pair);
    const o = await this.call(() =>
      this.client.createOrder(req.pair, 'market', req.side, req.amount, undefined, {
        newClientOrderId: req.clientOrderId,
      }),
    );
    return toOrder(o, req.clientOrderId);
  }

  async orderByClientId(pair: string, clientOrderId: string): Promise<BrokerOrder | null> {
    await this.loadMarkets();
    try {
      const o = await this.call(() => this.client.fetchOrder('', pair, { origClientOrderId: clientOrderId }));
      const order = toOrder(o, clientOrderId);
      if (order.filled > 0 && order.fills.length === 0) {
        const trades = await this.call(() =>
          this.client.fetchMyTrades(pair, undefined, undefined, { orderId: order.id }),
        );
        order.fills = trades.map((t) => ({
          id: String(t.id),
          price: t.price ?? 0,
          amount: t.amount ?? 0,
          fee: t.fee?.cost ?? 0,
          feeCurrency: t.fee?.currency ?? null,
          time: t.timestamp ?? 0,
        }));
      }
      return order;
    } catch (err) {
      if (err instanceof BrokerError && err.kind === 'not-found') return null;
      throw err;
    }
  }

  async openOrders(pair: string): Promise<ExchangeOrder[]> {
    await this.loadMarkets();
    const os = await this.call(() => this.client.fetchOpenOrders(pair));
    return os.map((o) => ({
      id: String(o.id),
      clientOrderId: o.clientOrderId ?? null,
      pair: o.symbol ?? pair,
      side: o.side === 'sell' ? 'sell' : 'buy',
      amount: o.amount ?? 0,
      filled: o.filled ?? 0,
    }));
  }

  async trades(pair: string, since: number): Promise<ExchangeTrade[]> {
    await this.loadMarkets();
    const ts = await this.call(() => this.client.fetchMyTrades(pair, since));
    return ts.map((t) => ({
      id: String(t.id),
      orderId: String(t.order ?? ''),
      pair: t.symbol ?? pair,
      side: t.side === 'sell' ? 'sell' : 'buy',
      amount: t.amount ?? 0,
      price: t.price ?? 0,
      time: t.timestamp ?? 0,
      fee: t.fee?.cost ?? 0,
      feeCurrency: t.fee?.currency ?? null,
    }));
  }

  async cancel(pair: string, orderId: string): Promise<void> {
    await this.loadMarkets();
    await this.call(() => this.client.cancelOrder(orderId, pair));
  }
}
