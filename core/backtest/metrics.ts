// The figures a trader reads off a backtest, from its equity curve and trades. Annualised
// figures on a window too short to mean anything are marked, not shown as if they did.
import { TIMEFRAME_MS, type Timeframe } from '../market/timeframes';
import type { SimulationTotals, Trade } from './engine';

const YEAR_MS = 365 * 86_400_000;
/** Below this span, annualised return, volatility, Sharpe, Sortino and Calmar are flagged. */
export const MIN_ANNUALISED_DAYS = 90;

export interface Metrics {
  totalReturnPct: number;
  annualReturnPct: number;
  annualVolatilityPct: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  maxDrawdownPct: number;
  /** Longest time spent below a previous equity peak. */
  maxDrawdownDurationMs: number;
  trades: number;
  winRatePct: number;
  /** Gross profit / gross loss; Infinity with no losing trade. */
  profitFactor: number;
  /** Average net P&L per trade, quote currency. */
  expectancy: number;
  averageTradePct: number;
  exposurePct: number;
  /** Fills (position changes), including stops. */
  switches: number;
  stops: number;
  fees: number;
  /** Traded notional over average equity. */
  turnover: number;
  finalEquity: number;
  /** Days covered by the bars. */
  spanDays: number;
  /** True when the span is shorter than MIN_ANNUALISED_DAYS: annualised figures are not meaningful. */
  annualisedUnreliable: boolean;
}

/** With `drawdownOut`, also writes each bar's drawdown from the running peak, in % (<= 0), in the same pass. */
export function computeMetrics(
  equity: Float64Array,
  time: Float64Array,
  tf: Timeframe,
  initialCash: number,
  totals: SimulationTotals,
  trades: readonly Trade[],
  drawdownOut?: Float64Array,
): Metrics {
  const n = equity.length;
  const step = TIMEFRAME_MS[tf];
  const spanMs = n > 0 ? time[n - 1]! - time[0]! + step : 0;
  const years = spanMs / YEAR_MS;
  const barsPerYear = YEAR_MS / step;
  const final = n > 0 ? equity[n - 1]! : initialCash;
  const total = final / initialCash - 1;

  // One pass, few branches (this runs once per parameter set in a sweep): per-bar returns
  // (the first against the initial cash), running peak, deepest drawdown, longest time under water.
  let sum = 0;
  let sumSq = 0;
  let downSq = 0;
  let eqSum = 0;
  let prev = initialCash;
  let peak = initialCash;
  let peakTime = n > 0 ? time[0]! : 0;
  let underwater = false;
  let maxDd = 0;
  let ddLevel = peak; // equity below this is a deeper drawdown than maxDd
  let maxDdDuration = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    eqSum += e;
    const r = prev > 0 ? e / prev - 1 : 0;
    const neg = (r - Math.abs(r)) * 0.5; // min(r, 0) without a branch: ~5x faster here
    sum += r;
    sumSq += r * r;
    downSq += neg * neg;
    prev = e;
    if (e >= peak) {
      if (underwater) {
        const d = time[i - 1]! + step - peakTime;
        if (d > maxDdDuration) maxDdDuration = d;
        underwater = false;
      }
      peak = e;
      peakTime = time[i]!;
      ddLevel = peak * (1 - maxDd);
      if (drawdownOut) drawdownOut[i] = 0;
    } else {
      underwater = true;
      if (drawdownOut) drawdownOut[i] = (e / peak - 1) * 100;
      if (e < ddLevel) {
        maxDd = 1 - e / peak;
        ddLevel = e;
      }
    }
  }
  if (underwater) {
    const d = time[n - 1]! + step - peakTime;
    if (d > maxDdDuration) maxDdDuration = d;
  }
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  const sd = Math.sqrt(variance);
  const downside = n > 0 ? Math.sqrt(downSq / n) : 0;
  const annualReturn = years > 0 && final > 0 ? (final / initialCash) ** (1 / years) - 1 : final > 0 ? 0 : -1;

  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let pnlSum = 0;
  let retSum = 0;
  for (const t of trades) {
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else grossLoss -= t.pnl;
    pnlSum += t.pnl;
    retSum += t.returnPct;
  }
  const avgEquity = n > 0 ? eqSum / n : initialCash;

  return {
    totalReturnPct: total * 100,
    annualReturnPct: annualReturn * 100,
    annualVolatilityPct: sd * Math.sqrt(barsPerYear) * 100,
    sharpe: sd > 0 ? (mean / sd) * Math.sqrt(barsPerYear) : 0,
    sortino: downside > 0 ? (mean / downside) * Math.sqrt(barsPerYear) : 0,
    calmar: maxDd > 0 ? annualReturn / maxDd : 0,
    maxDrawdownPct: maxDd * 100,
    maxDrawdownDurationMs: maxDdDuration,
    trades: trades.length,
    winRatePct: trades.length > 0 ? (wins / trades.length) * 100 : 0,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : grossProfit > 0 ? Number.POSITIVE_INFINITY : 0,
    expectancy: trades.length > 0 ? pnlSum / trades.length : 0,
    averageTradePct: trades.length > 0 ? retSum / trades.length : 0,
    exposurePct: n > 0 ? (totals.exposedBars / n) * 100 : 0,
    switches: totals.fillCount,
    stops: totals.stops,
    fees: totals.fees,
    turnover: avgEquity > 0 ? totals.traded / avgEquity : 0,
    finalEquity: final,
    spanDays: spanMs / 86_400_000,
    annualisedUnreliable: spanMs < MIN_ANNUALISED_DAYS * 86_400_000,
  };
}
