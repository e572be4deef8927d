// Risk checks that turn an intent into an order size, or into a refusal with its reason:
// the stake, the maximum number of open positions, the exchange's minimum notional and lot
// step, the maximum daily loss and the kill switch. The same checks serve paper and live.
import { word, type Wording } from '../wording/wording';

export interface MarketRules {
  /** Smallest order value in quote currency (Binance NOTIONAL / MIN_NOTIONAL). */
  minNotional: number;
  /** Lot step of the amount (LOT_SIZE stepSize); amounts are floored to it. */
  amountStep: number;
  minAmount: number;
}

export type Stake = { kind: 'quote'; amount: number } | { kind: 'percent'; pct: number };

export interface RiskSettings {
  stake: Stake;
  maxOpenPositions: number;
  /** Stop opening positions after losing this share of the day's starting equity (%). */
  maxDailyLossPct: number;
  /** On: no orders from signals (the trader's manual exits still go out). */
  killSwitch: boolean;
}

export const DEFAULT_RISK: RiskSettings = {
  stake: { kind: 'percent', pct: 95 },
  maxOpenPositions: 3,
  maxDailyLossPct: 10,
  killSwitch: false,
};

/** A fill this many basis points worse than the decision price raises an alert, unless a strategy says otherwise. */
export const DEFAULT_MAX_SLIPPAGE_BPS = 50;
/** Refusals in a row that pause a strategy (the circuit breaker), unless its configuration says otherwise. */
export const MAX_REJECTIONS_IN_A_ROW = 5;

export interface AccountView {
  equity: number;
  freeQuote: number;
  openPositions: number;
  /** Equity at the start of the UTC day. */
  dayStartEquity: number;
  /**
   * This strategy's own P&L since then (from its fills, at the current price). Not the
   * account's equity change: strategies share a wallet, and another one's entry moves cash
   * into a position without being anybody's loss.
   */
  dayPnl: number;
}

export type Sizing = { ok: true; amount: number; notional: number } | { ok: false; reason: Wording };

/** Floors to the lot step without binary noise (0.1 + 0.2 style). */
export function floorToStep(amount: number, step: number): number {
  if (!(step > 0)) return amount;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number((Math.floor(amount / step + 1e-9) * step).toFixed(decimals));
}

export function sizeEntry(
  account: AccountView,
  price: number,
  risk: RiskSettings,
  rules: MarketRules,
  feeRate: number,
): Sizing {
  if (risk.killSwitch) return { ok: false, reason: word('order.killSwitch') };
  if (!(price > 0)) return { ok: false, reason: word('order.noPrice') };
  if (account.openPositions >= risk.maxOpenPositions)
    return {
      ok: false,
      reason: word('order.maxPositions', { open: account.openPositions, max: risk.maxOpenPositions }),
    };
  const lossPct = account.dayStartEquity > 0 ? (-account.dayPnl / account.dayStartEquity) * 100 : 0;
  if (lossPct >= risk.maxDailyLossPct)
    return {
      ok: false,
      reason: word('order.dailyLoss', { lossPct: Number(lossPct.toFixed(2)), limitPct: risk.maxDailyLossPct }),
    };
  const wanted = risk.stake.kind === 'quote' ? risk.stake.amount : (account.equity * risk.stake.pct) / 100;
  const spend = Math.min(wanted, account.freeQuote / (1 + feeRate));
  const amount = floorToStep(spend / price, rules.amountStep);
  const notional = amount * price;
  if (amount < rules.minAmount || notional < rules.minNotional) {
    return {
      ok: false,
      reason:
        spend < wanted
          ? word('order.insufficientBalance', {
              free: Number(account.freeQuote.toFixed(2)),
              notional: Number(notional.toFixed(2)),
              minimum: rules.minNotional,
            })
          : word('order.belowMinimum', { notional: Number(notional.toFixed(2)), minimum: rules.minNotional }),
    };
  }
  return { ok: true, amount, notional };
}

export function sizeExit(positionAmount: number, price: number, rules: MarketRules): Sizing {
  const amount = floorToStep(positionAmount, rules.amountStep);
  if (amount <= 0 || amount < rules.minAmount)
    return { ok: false, reason: word('order.belowLot', { amount: positionAmount }) };
  if (amount * price < rules.minNotional)
    return {
      ok: false,
      reason: word('order.dust', { value: Number((amount * price).toFixed(2)), minimum: rules.minNotional }),
    };
  return { ok: true, amount, notional: amount * price };
}
