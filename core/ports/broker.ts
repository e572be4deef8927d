// The broker port: what the executor needs from an exchange account. The paper broker
// (simulated wallet on live prices) and the live broker (ccxt) both implement it, so
// backtest, paper and live share the executor's code and differ only here.
import type { Text } from '../wording/wording';
import type { MarketRules } from '../execution/risk';
import type { Timeframe } from '../market/timeframes';
import type { ExchangeOrder, ExchangeTrade } from '../execution/reconcile';

export interface BrokerFill {
  id: string;
  price: number;
  amount: number;
  fee: number;
  feeCurrency: string | null;
  time: number;
  /** What a simulated fill assumed (paper), absent for real fills. */
  note?: Text;
}

export interface BrokerOrder {
  id: string;
  clientOrderId: string;
  pair: string;
  side: 'buy' | 'sell';
  amount: number;
  filled: number;
  average: number | null;
  status: 'open' | 'closed' | 'canceled' | 'rejected';
  fills: BrokerFill[];
}

/**
 * retryable: network, timeout, 5xx, rate limit (may be sent again, after checking whether
 * the first one arrived); rejected: the exchange said no (invalid order, unknown pair);
 * insufficient: not enough balance; never retried.
 */
export type BrokerErrorKind = 'retryable' | 'rejected' | 'insufficient' | 'not-found';

export class BrokerError extends Error {
  constructor(
    readonly kind: BrokerErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

export interface Broker {
  readonly mode: 'paper' | 'live';
  rules(pair: string): Promise<MarketRules>;
  /** The price a market order would trade at now (last trade). */
  price(pair: string): Promise<number>;
  /** The close of the pair's bar that opened at barOpenMs (the signal bar's reference price), null when the exchange has no such bar. */
  barClose(pair: string, timeframe: Timeframe, barOpenMs: number): Promise<number | null>;
  /** Free and total per asset. */
  balances(): Promise<Record<string, { free: number; total: number }>>;
  placeMarket(req: { pair: string; side: 'buy' | 'sell'; amount: number; clientOrderId: string }): Promise<BrokerOrder>;
  /** The order with this client order id, or null when the exchange does not know it. */
  orderByClientId(pair: string, clientOrderId: string): Promise<BrokerOrder | null>;
  openOrders(pair: string): Promise<ExchangeOrder[]>;
  trades(pair: string, since: number): Promise<ExchangeTrade[]>;
  cancel(pair: string, orderId: string): Promise<void>;
}
