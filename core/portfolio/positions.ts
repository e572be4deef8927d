// The one position and P&L arithmetic of fills, used by the executor's store, reconciliation,
// the audit trail and its replay, and the Monitor's fee chart. A fee can be paid in the base
// asset (usual on a buy on Binance): it lowers what is held, and is worth the fill price in quote.

export interface FillAmounts {
  pair: string;
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  fee?: number | undefined;
  feeCurrency?: string | null | undefined;
}

const baseOf = (pair: string) => pair.split('/')[0];
const quoteOf = (pair: string) => pair.split('/')[1];

/** What a fill does to the base asset held: bought or sold, less a fee paid in the base asset. */
export function baseChange(f: Omit<FillAmounts, 'price'>): number {
  return (f.side === 'buy' ? f.amount : -f.amount) - (f.feeCurrency === baseOf(f.pair) ? (f.fee ?? 0) : 0);
}

/** What a fill does to the quote asset: paid or received, less a fee paid in the quote asset. */
export function quoteChange(f: FillAmounts): number {
  const notional = f.amount * f.price;
  return (f.side === 'buy' ? -notional : notional) - (f.feeCurrency === quoteOf(f.pair) ? (f.fee ?? 0) : 0);
}

/** The fee in the quote asset: one paid in the base asset counts at the fill price (fees in a third asset count as given). */
export function feeInQuote(f: FillAmounts): number {
  return f.feeCurrency === baseOf(f.pair) ? (f.fee ?? 0) * f.price : (f.fee ?? 0);
}

/** Base held after these fills (of one pair). */
export function positionOf(fills: Iterable<Omit<FillAmounts, 'price'>>): number {
  let pos = 0;
  for (const f of fills) pos += baseChange(f);
  return pos;
}

/** P&L at a price of these fills (of one pair): the cash they moved plus the value of what they left held. */
export function pnlOf(fills: Iterable<FillAmounts>, price: number): { pnl: number; position: number } {
  let cash = 0;
  let position = 0;
  for (const f of fills) {
    cash += quoteChange(f);
    position += baseChange(f);
  }
  return { pnl: cash + position * price, position };
}

/** Rounding dust a sale leaves is no position. */
export const isFlat = (amount: number) => Math.abs(amount) <= 1e-12;

/**
 * The open position at average cost (fills in time order, of one pair): what it holds, what
 * that cost in quote with the fees, and its entry price (the average fill price of what is
 * held, fees apart, as exchanges show it). A sale takes its share away at the average; a
 * position sold out starts again from nothing.
 */
export function openCost(fills: Iterable<FillAmounts>): { held: number; cost: number; entryPrice: number | null } {
  let held = 0;
  let cost = 0;
  let bought = 0;
  let notional = 0;
  for (const f of fills) {
    const d = baseChange(f);
    if (d > 0) {
      held += d;
      cost -= quoteChange(f);
      bought += f.amount;
      notional += f.amount * f.price;
    } else if (held > 0) {
      const share = Math.max(0, held + d) / held;
      held *= share;
      cost *= share;
      bought *= share;
      notional *= share;
    }
    if (isFlat(held)) held = cost = bought = notional = 0;
  }
  return { held, cost, entryPrice: held > 0 && bought > 0 ? notional / bought : null };
}
