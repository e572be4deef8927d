// The long/flat backtest engine: a target weight
// in [0, 1] decided at each bar's close is filled at the next bar's open (or, optimistically,
// at the same close), with fees and slippage charged on every fill and an optional
// protective stop that the executor applies the same way. One loop serves the fast path
// (sweeps, B1: no recording) and the full run (fills, trades, equity curve).
//
// Invariants (property-tested): equity = cash + units x close at every bar; cash and units
// never go negative; fees are never negative; units change only on a fill.
import type { ColumnarBars } from '../market/bars';

export type FillAt = 'next_open' | 'close';

export interface BacktestConfig {
  initialCash: number;
  /** Fee per fill as a fraction of its notional (0.001 = 0.1 %). */
  feeRate: number;
  /** Slippage against us on every fill, in basis points of the price. */
  slippageBps: number;
  fillAt: FillAt;
  /** Protective stop in % below the position's average entry price; null for none. */
  stopLossPct: number | null;
  /** Weight changes smaller than this are not traded (keeps weight strategies from churning on fees). */
  rebalanceBand: number;
}

export const DEFAULT_BACKTEST_CONFIG: BacktestConfig = {
  initialCash: 10_000,
  feeRate: 0.001,
  slippageBps: 2,
  fillAt: 'next_open',
  stopLossPct: null,
  rebalanceBand: 0.05,
};

export type FillReason = 'signal' | 'stop';

export interface Fill {
  time: number;
  /** Price after slippage. */
  price: number;
  /** Positive buys, negative sells (base units). */
  qty: number;
  fee: number;
  reason: FillReason;
}

export interface Trade {
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  /** Largest position held during the trade (base units). */
  maxQty: number;
  /** Net of fees, in quote currency. */
  pnl: number;
  /** pnl over the cash put in. */
  returnPct: number;
  fees: number;
  bars: number;
  exitReason: FillReason | 'open';
}

export interface SimulationTotals {
  finalEquity: number;
  fees: number;
  /** Traded notional (both sides) in quote currency. */
  traded: number;
  fillCount: number;
  /** Bars ending with a position. */
  exposedBars: number;
  stops: number;
}

export interface SimulationRecord {
  equity: Float64Array;
  /** Base units held at each bar's close; null when not wanted (sweeps, benchmarks). */
  units: Float64Array | null;
  fills: Fill[];
  trades: Trade[];
}

export class BacktestInputError extends Error {}

/** Refuses a position series the engine cannot trade honestly, naming the first bad value. */
export function checkTarget(target: ArrayLike<number>, bars: number): void {
  if (target.length !== bars)
    throw new BacktestInputError(
      `The position series has ${target.length} values for ${bars} bars; it must have one per bar`,
    );
  for (let i = 0; i < target.length; i++) {
    const v = target[i]!;
    if (!(v >= 0 && v <= 1))
      throw new BacktestInputError(`Position at bar ${i} is ${v}; positions must be numbers in [0, 1]`);
  }
}

export function checkConfig(c: BacktestConfig): void {
  if (!(c.initialCash > 0)) throw new BacktestInputError(`Initial cash must be positive, got ${c.initialCash}`);
  if (!(c.feeRate >= 0 && c.feeRate < 0.1))
    throw new BacktestInputError(`Fee rate must be in [0, 0.1), got ${c.feeRate}`);
  if (!(c.slippageBps >= 0 && c.slippageBps < 1000))
    throw new BacktestInputError(`Slippage must be in [0, 1000) bps, got ${c.slippageBps}`);
  if (c.stopLossPct !== null && !(c.stopLossPct > 0 && c.stopLossPct < 100))
    throw new BacktestInputError(`Stop-loss must be in (0, 100) %, got ${c.stopLossPct}`);
  if (!(c.rebalanceBand >= 0 && c.rebalanceBand <= 1))
    throw new BacktestInputError(`Rebalance band must be in [0, 1], got ${c.rebalanceBand}`);
}

/**
 * Runs the target series over the bars. With `record` null this is the fast path: no
 * allocation per bar or per fill. Inputs are assumed checked (checkTarget / checkConfig).
 */
export function simulate(
  bars: ColumnarBars,
  target: Float64Array,
  cfg: BacktestConfig,
  record: SimulationRecord | null = null,
): SimulationTotals {
  const n = bars.length;
  const { open, low, close, time } = bars;
  const fee = cfg.feeRate;
  const slip = cfg.slippageBps / 10_000;
  const stopFactor = cfg.stopLossPct === null ? 0 : 1 - cfg.stopLossPct / 100;
  const band = cfg.rebalanceBand;
  const atOpen = cfg.fillAt === 'next_open';
  const equityOut = record ? record.equity : null;
  const unitsOut = record ? record.units : null;

  let cash = cfg.initialCash;
  let units = 0;
  let held = 0; // the target weight we last traded to
  let avgEntry = 0; // average entry price of the open position (after slippage)
  let stoppedOut = false; // after a stop, wait for the strategy to go flat before re-entering
  let fees = 0;
  let traded = 0;
  let fillCount = 0;
  let exposedBars = 0;
  let openedAt = 0; // bar from which the open position counts as exposure (bars ending with a position)
  let stops = 0;
  // The open trade, when recording.
  let tIn = 0;
  let tOut = 0;
  let tFees = 0;
  let tEntryTime = 0;
  let tEntryPrice = 0;
  let tMaxQty = 0;
  let tStartBar = 0;

  const closeTrade = (i: number, price: number, reason: Trade['exitReason'], markValue: number) => {
    const pnl = tOut + markValue - tIn;
    record!.trades.push({
      entryTime: tEntryTime,
      entryPrice: tEntryPrice,
      exitTime: time[i]!,
      exitPrice: price,
      maxQty: tMaxQty,
      pnl,
      returnPct: tIn > 0 ? (pnl / tIn) * 100 : 0,
      fees: tFees,
      bars: i - tStartBar + 1,
      exitReason: reason,
    });
  };

  /** Trades to `w` at reference price `ref` (slippage applied here); returns nothing, mutates state. */
  const rebalance = (i: number, ref: number, w: number, reason: FillReason) => {
    const value = units * ref;
    const equity = cash + value;
    let qty: number;
    let price: number;
    if (w * equity > value) {
      price = ref * (1 + slip);
      // Buy notional N (costing N x (1 + fee)) so that the position is w of the fee-reduced equity.
      const notional = Math.min(cash / (1 + fee), (w * equity - value) / (1 + w * fee));
      qty = notional / price;
      if (!(qty > 0)) return;
      const f = notional * fee;
      cash -= notional + f;
      if (cash < 0) cash = 0; // rounding at w = 1
      avgEntry = (avgEntry * units + notional) / (units + qty);
      if (units === 0) openedAt = i;
      units += qty;
      fees += f;
      traded += notional;
      if (record) {
        if (units === qty) {
          tIn = 0;
          tOut = 0;
          tFees = 0;
          tEntryTime = time[i]!;
          tEntryPrice = price;
          tMaxQty = 0;
          tStartBar = i;
        }
        tIn += notional + f;
        tFees += f;
        if (units > tMaxQty) tMaxQty = units;
        record.fills.push({ time: time[i]!, price, qty, fee: f, reason });
      }
    } else {
      price = ref * (1 - slip);
      qty = w === 0 ? units : Math.min(units, (value - w * equity) / (ref * (1 - w * fee)));
      if (!(qty > 0)) return;
      const notional = qty * price;
      const f = notional * fee;
      cash += notional - f;
      units = w === 0 ? 0 : units - qty;
      if (units === 0) exposedBars += i - openedAt;
      fees += f;
      traded += notional;
      if (record) {
        tOut += notional - f;
        tFees += f;
        record.fills.push({ time: time[i]!, price, qty: -qty, fee: f, reason });
        if (units === 0) closeTrade(i, price, reason, 0);
      }
      if (units === 0) avgEntry = 0;
    }
    fillCount++;
  };

  /** Whether a new target should be traded (and adopts it); called only when it differs from what is held. */
  const wantAt = (w: number) => {
    if (stoppedOut) {
      if (w === 0) stoppedOut = false;
      return false;
    }
    if (w === 0 || held === 0 || Math.abs(w - held) >= band) {
      held = w;
      return true;
    }
    return false;
  };

  for (let i = 0; i < n; i++) {
    if (atOpen && i > 0) {
      const w = target[i - 1]!;
      if ((w !== held || stoppedOut) && wantAt(w)) rebalance(i, open[i]!, held, 'signal');
    }
    if (stopFactor > 0 && units > 0) {
      const stop = avgEntry * stopFactor;
      if (low[i]! <= stop) {
        // A gap below the stop fills at the open, not at the stop.
        const ref = open[i]! < stop ? open[i]! : stop;
        rebalance(i, ref, 0, 'stop');
        held = 0;
        stoppedOut = true;
        stops++;
      }
    }
    if (!atOpen) {
      const w = target[i]!;
      if ((w !== held || stoppedOut) && wantAt(w)) rebalance(i, close[i]!, held, 'signal');
    }
    if (equityOut !== null) equityOut[i] = cash + units * close[i]!;
    if (unitsOut !== null) unitsOut[i] = units;
  }
  if (units > 0) exposedBars += n - openedAt;
  const finalEquity = n > 0 ? cash + units * close[n - 1]! : cash;
  if (record && units > 0) closeTrade(n - 1, close[n - 1]!, 'open', units * close[n - 1]!);
  return { finalEquity, fees, traded, fillCount, exposedBars, stops };
}

export function newRecord(n: number, positions = true): SimulationRecord {
  return { equity: new Float64Array(n), units: positions ? new Float64Array(n) : null, fills: [], trades: [] };
}
