// Reconciliation: our records against what the exchange reports. Pure: the caller fetches
// both sides; this says where they part ways.
//
// Invariants (a clean account yields no difference):
//  I1 every order the exchange lists as open is one of ours (matched by client order id),
//     else it is an 'unknown-order' (placed by hand or by another bot);
//  I2 every order we believe open is listed open by the exchange, else 'missing-order'
//     (it filled or was cancelled without us seeing it, or it never arrived);
//  I3 every exchange trade in the checked window is one of our fills (by trade id), else
//     'unknown-fill'; every fill of ours in the window is an exchange trade, else 'missing-fill';
//  I4 for each pair we trade, the exchange's base-asset balance equals our position within
//     the tolerance, else 'position-mismatch'.
// Differences the trader chose to ignore (by key) are not reported again.

export type OurOrderStatus =
  'intent' | 'sent' | 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'lost';
export const OPEN_STATUSES: ReadonlySet<OurOrderStatus> = new Set(['sent', 'open', 'partially_filled']);

export interface OurOrder {
  clientOrderId: string;
  pair: string;
  side: 'buy' | 'sell';
  amount: number;
  status: OurOrderStatus;
}

export interface OurFill {
  tradeId: string;
  clientOrderId: string;
  pair: string;
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  time: number;
}

export interface ExchangeOrder {
  id: string;
  clientOrderId: string | null;
  pair: string;
  side: 'buy' | 'sell';
  amount: number;
  filled: number;
}

export interface ExchangeTrade {
  id: string;
  orderId: string;
  pair: string;
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  time: number;
  fee?: number;
  feeCurrency?: string | null;
}

export interface OurSide {
  orders: readonly OurOrder[];
  fills: readonly OurFill[];
  /** Base amount held per pair, from our fills. */
  positions: Readonly<Record<string, number>>;
}

export interface ExchangeSide {
  openOrders: readonly ExchangeOrder[];
  trades: readonly ExchangeTrade[];
  /** Total (free + locked) per asset. */
  balances: Readonly<Record<string, number>>;
}

export type Difference =
  | { kind: 'unknown-order'; key: string; pair: string; exchange: ExchangeOrder }
  | { kind: 'missing-order'; key: string; pair: string; ours: OurOrder }
  | { kind: 'unknown-fill'; key: string; pair: string; exchange: ExchangeTrade }
  | { kind: 'missing-fill'; key: string; pair: string; ours: OurFill }
  | { kind: 'position-mismatch'; key: string; pair: string; ours: number; exchange: number };

export interface ReconcileOptions {
  /** Trades and fills at or after this time are compared (older ones have been settled). */
  since: number;
  /** Pairs we trade (positions compared for these). */
  pairs: readonly string[];
  /** Absolute tolerance on base amounts (lot-size dust). */
  tolerance: number;
  ignored?: ReadonlySet<string>;
}

export function reconcile(ours: OurSide, exchange: ExchangeSide, opts: ReconcileOptions): Difference[] {
  const out: Difference[] = [];
  const ourByClientId = new Map(ours.orders.map((o) => [o.clientOrderId, o]));
  const exchangeOpenByClientId = new Map(
    exchange.openOrders.filter((o) => o.clientOrderId).map((o) => [o.clientOrderId!, o]),
  );
  for (const o of exchange.openOrders) {
    if (!o.clientOrderId || !ourByClientId.has(o.clientOrderId))
      out.push({ kind: 'unknown-order', key: `order:${o.id}`, pair: o.pair, exchange: o });
  }
  for (const o of ours.orders) {
    if (OPEN_STATUSES.has(o.status) && !exchangeOpenByClientId.has(o.clientOrderId))
      out.push({ kind: 'missing-order', key: `ours:${o.clientOrderId}`, pair: o.pair, ours: o });
  }
  const ourFillIds = new Set(ours.fills.map((f) => f.tradeId));
  const exchangeTradeIds = new Set(exchange.trades.map((t) => t.id));
  for (const t of exchange.trades) {
    if (t.time >= opts.since && !ourFillIds.has(t.id))
      out.push({ kind: 'unknown-fill', key: `trade:${t.pair}:${t.id}`, pair: t.pair, exchange: t });
  }
  for (const f of ours.fills) {
    if (f.time >= opts.since && !exchangeTradeIds.has(f.tradeId))
      out.push({ kind: 'missing-fill', key: `fill:${f.pair}:${f.tradeId}`, pair: f.pair, ours: f });
  }
  for (const pair of opts.pairs) {
    const base = pair.split('/')[0]!;
    const mine = ours.positions[pair] ?? 0;
    const theirs = exchange.balances[base] ?? 0;
    if (Math.abs(mine - theirs) > opts.tolerance)
      out.push({ kind: 'position-mismatch', key: `position:${pair}:${theirs}`, pair, ours: mine, exchange: theirs });
  }
  return opts.ignored ? out.filter((d) => !opts.ignored!.has(d.key)) : out;
}
