// The stored shapes of our orders and fills (quantdesk_orders, quantdesk_fills): written by
// the executor, read by the desk, the audit trail and the metrics.
import type { Mode } from '../api/fields';
import type { Text } from '../wording/wording';
import type { Timeframe } from '../market/timeframes';
import type { OurOrderStatus } from './reconcile';

/** 'unknown': sent, but the outcome could not be learnt (retries exhausted); looked up again on every step. */
export type OrderStatus = OurOrderStatus | 'unknown' | 'expired';

export interface OrderDoc {
  _id: string; // client order id
  strategyId: string;
  pair: string;
  symbol: string;
  timeframe: Timeframe;
  mode: Mode;
  /** 'stop': sent by the protective stop the executor watches, not by a signal. */
  leg: 'enter' | 'exit' | 'stop';
  /** Asked for by the trader on the desk (no signal caused it; signalTs is the bar it was decided on). */
  manual?: boolean;
  side: 'buy' | 'sell';
  amount: number;
  status: OrderStatus;
  /** The signal that caused it. */
  signalTs: Date;
  signalVersion: string | null;
  /** The price when the order was decided (slippage is measured against it). */
  refPrice: number;
  /** The close of the signal's bar on the exchange (what a backtest of the signal assumes), null when the exchange had no such bar. */
  signalPrice?: number | null;
  /** The strategy's slippage alert limit when the order was decided (fills may be recorded later, while settling). */
  maxSlippageBps?: number;
  exchangeOrderId: string | null;
  filled: number;
  avgPrice: number | null;
  /** Why it was refused, expired or lost: a sentence (plain text on records of older versions). */
  reason: Text | null;
  checks: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface FillDoc {
  _id: string;
  clientOrderId: string;
  strategyId: string;
  pair: string;
  mode: Mode;
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  fee: number;
  feeCurrency: string | null;
  time: Date;
  signalTs: Date;
  /** Against the order's reference price, positive = worse for us. */
  slippageBps: number;
  /** Against the close of the signal's bar, positive = worse for us; null when that close is unknown. */
  signalSlippageBps?: number | null;
  /** Fill time minus the close of the signal's bar. */
  signalToFillMs: number;
  /** What a paper fill assumed; null for real fills. */
  note: Text | null;
}
