// A whole backtest: bars + target (from a strategy, an outside series, or buy-and-hold when
// none is given) -> fills, trades, equity, drawdown and metrics, beside buy-and-hold as the
// benchmark, with the problems of the input reported rather than hidden.
import { word, type Wording } from '../wording/wording';
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
import { MIN_ANNUALISED_DAYS, computeMetrics, type Metrics } from './metrics';

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
  warnings: Wording[];
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

  const warnings: Wording[] = [];
  const gaps = findBarGaps(bars);
  if (gaps.count > 0)
    warnings.push(word('research.gaps', { gaps: gaps.count, missing: gaps.missingBars, timeframe: bars.timeframe }));
  if (!target) warnings.push(word('research.buyAndHold'));
  if (!target && cfg.stopLossPct !== null) warnings.push(word('research.buyAndHoldNoStop'));
  if (info.warmupBars && info.warmupBars > 0) warnings.push(word('research.warmup', { bars: info.warmupBars }));
  if (info.warmupBars !== undefined && info.warmupBars >= bars.length) warnings.push(word('research.neverWarm'));
  if (cfg.fillAt === 'close') warnings.push(word('research.fillAtClose'));

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
      word('research.shortWindow', { days: Number(metrics.spanDays.toFixed(1)), minimum: MIN_ANNUALISED_DAYS }),
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
