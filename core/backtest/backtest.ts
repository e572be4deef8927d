// A whole backtest: bars + target (from a strategy, an outside series, or buy-and-hold when
// none is given) -> fills, trades, equity, drawdown and metrics, beside buy-and-hold as the
// benchmark, with the problems of the input reported rather than hidden.
import { TIMEFRAME_MS } from '../market/timeframes';
import type { ColumnarBars } from '../market/bars';
import {
  BacktestInputError,
  checkConfig,
  checkTarget,
  newRecord,
  simulate,
  type BacktestConfig,
  type Fill,
  type Trade,
} from './engine';
import { computeMetrics, type Metrics } from './metrics';

export interface BacktestResult {
  metrics: Metrics;
  benchmark: Metrics;
  equity: Float64Array;
  benchmarkEquity: Float64Array;
  /** Drawdown from the running peak, in % (<= 0). */
  drawdown: Float64Array;
  fills: Fill[];
  trades: Trade[];
  /** Plain-language notes on the input: gaps, warm-up, window length. */
  warnings: string[];
}

/** Gaps between consecutive bars (never forward-filled: the engine simply has no bars there). */
export function findBarGaps(bars: ColumnarBars): { count: number; missingBars: number } {
  const step = TIMEFRAME_MS[bars.timeframe];
  let count = 0;
  let missingBars = 0;
  for (let i = 1; i < bars.length; i++) {
    const d = bars.time[i]! - bars.time[i - 1]!;
    if (d > step) {
      count++;
      missingBars += Math.round(d / step) - 1;
    }
  }
  return { count, missingBars };
}

let ones = new Float64Array(0);
/** A buy-and-hold target of n bars (one shared, read-only array of ones). */
function holdTarget(n: number): Float64Array {
  if (ones.length < n) ones = new Float64Array(n).fill(1);
  return ones.subarray(0, n);
}

export function runBacktest(
  bars: ColumnarBars,
  target: Float64Array | null,
  cfg: BacktestConfig,
  info: { warmupBars?: number } = {},
): BacktestResult {
  if (bars.length === 0)
    throw new BacktestInputError(`No ${bars.timeframe} bars for ${bars.symbol} in the chosen range`);
  if (bars.length < 2)
    throw new BacktestInputError(
      `Only one ${bars.timeframe} bar for ${bars.symbol} in the chosen range; a backtest needs at least two`,
    );
  checkConfig(cfg);
  const hold = holdTarget(bars.length);
  const t = target ?? hold;
  checkTarget(t, bars.length);

  // Buy-and-hold is the benchmark: a stop would turn it into a different strategy.
  const runCfg = target ? cfg : { ...cfg, stopLossPct: null };
  // No per-bar units: nothing reads them (the fills say what was held), and every array of a
  // year of minutes is 4 MB of fresh memory, most of a whole backtest's time.
  const rec = newRecord(bars.length, false);
  const totals = simulate(bars, t, runCfg, rec);
  const benchRec = newRecord(bars.length, false);
  const benchTotals = simulate(bars, hold, { ...cfg, stopLossPct: null }, benchRec);

  const warnings: string[] = [];
  const gaps = findBarGaps(bars);
  if (gaps.count > 0)
    warnings.push(
      `${gaps.count} gap(s) in the data, ${gaps.missingBars} missing ${bars.timeframe} bar(s): positions are held across them, nothing is filled in`,
    );
  if (!target) warnings.push('No strategy or position series given: this is buy-and-hold');
  if (!target && cfg.stopLossPct !== null) warnings.push('Buy-and-hold ignores the stop-loss');
  if (info.warmupBars && info.warmupBars > 0)
    warnings.push(`The first ${info.warmupBars} bar(s) are factor warm-up: flat there`);
  if (info.warmupBars !== undefined && info.warmupBars >= bars.length)
    warnings.push('The factors never warm up in this range: no position was ever taken');
  if (cfg.fillAt === 'close')
    warnings.push("Fills at the signal bar's own close: optimistic, a live executor cannot trade that price");

  const drawdown = new Float64Array(bars.length);
  const metrics = computeMetrics(rec.equity, bars.time, bars.timeframe, cfg.initialCash, totals, rec.trades, drawdown);
  const benchmark = computeMetrics(
    benchRec.equity,
    bars.time,
    bars.timeframe,
    cfg.initialCash,
    benchTotals,
    benchRec.trades,
  );
  if (metrics.annualisedUnreliable)
    warnings.push(
      `The window is ${metrics.spanDays.toFixed(1)} days: annualised figures need at least 90 days and are not shown`,
    );
  return {
    metrics,
    benchmark,
    equity: rec.equity,
    benchmarkEquity: benchRec.equity,
    drawdown,
    fills: rec.fills,
    trades: rec.trades,
    warnings,
  };
}
