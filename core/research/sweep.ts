// Parameter sweeps: the grid, the ranking, the heatmap over two parameters, the warning when
// the best result sits on the grid's edge, and the walk-forward split. Pure; the worker
// threads that run the chunks live in main/research.
import { word, type WordCode, type Wording } from '../wording/wording';
import { simulate, newRecord, type BacktestConfig, type SimulationRecord } from '../backtest/engine';
import { MIN_ANNUALISED_DAYS, computeMetrics, type Metrics } from '../backtest/metrics';
import type { ColumnarBars } from '../market/bars';
import { evaluateStrategy, type StrategyDefinition } from './strategy';
import { buildFromTemplate, findTemplate } from './templates';
import { SeriesCache } from './seriesCache';

export const SWEEP_METRICS = ['sharpe', 'totalReturnPct', 'calmar', 'sortino', 'profitFactor'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];
export const MAX_SWEEP_SETS = 20_000;

export interface SweepAxis {
  key: string;
  from: number;
  to: number;
  step: number;
}

export interface SweepPoint {
  params: Record<string, number>;
  metrics: Pick<
    Metrics,
    'totalReturnPct' | 'sharpe' | 'sortino' | 'calmar' | 'maxDrawdownPct' | 'trades' | 'profitFactor' | 'exposurePct'
  >;
}

export class SweepError extends Error {}

export function axisValues(a: SweepAxis): number[] {
  if (!(a.step > 0)) throw new SweepError(`${a.key}: step must be positive`);
  if (a.to < a.from) throw new SweepError(`${a.key}: "to" (${a.to}) is below "from" (${a.from})`);
  const count = Math.floor((a.to - a.from) / a.step + 1e-9) + 1;
  if (count > MAX_SWEEP_SETS) throw new SweepError(`${a.key}: ${count} values is too many`);
  // Round to the step's decimals so 0.1 steps do not drift into 0.30000000000000004.
  const decimals = Math.min(10, Math.max(0, -Math.floor(Math.log10(a.step)) + 1));
  return Array.from({ length: count }, (_, i) => Number((a.from + i * a.step).toFixed(decimals)));
}

/** Every combination of the axes, with the template's defaults for the other parameters. */
export function expandGrid(
  templateId: string,
  axes: readonly SweepAxis[],
  fixed: Record<string, number> = {},
): Record<string, number>[] {
  const t = findTemplate(templateId);
  if (axes.length === 0) throw new SweepError('Choose at least one parameter to sweep');
  const seen = new Set<string>();
  for (const a of axes) {
    const p = t.params.find((x) => x.key === a.key);
    if (!p) throw new SweepError(`${t.id} has no parameter "${a.key}"`);
    if (seen.has(a.key)) throw new SweepError(`${a.key} is swept twice`);
    seen.add(a.key);
    if (a.from < p.min || a.to > p.max) throw new SweepError(`${a.key} must stay within ${p.min}..${p.max}`);
  }
  const values = axes.map(axisValues);
  const total = values.reduce((n, v) => n * v.length, 1);
  if (total > MAX_SWEEP_SETS)
    throw new SweepError(`The grid has ${total} parameter sets; the limit is ${MAX_SWEEP_SETS}`);
  let sets: Record<string, number>[] = [{ ...fixed }];
  axes.forEach((a, k) => {
    sets = sets.flatMap((s) => values[k]!.map((v) => ({ ...s, [a.key]: v })));
  });
  return sets;
}

/**
 * Runs a chunk of parameter sets over the same bars (one worker's share). Invalid
 * combinations (e.g. fast >= slow) come back as null rather than failing the sweep.
 */
export function runSweepChunk(
  bars: ColumnarBars,
  templateId: string,
  sets: readonly Record<string, number>[],
  cfg: BacktestConfig,
  onProgress?: (done: number) => void,
): (SweepPoint | null)[] {
  const cache = new SeriesCache();
  const rec: SimulationRecord = newRecord(bars.length, false);
  const workspace = { score: new Float64Array(bars.length), target: new Float64Array(bars.length) };
  const out: (SweepPoint | null)[] = [];
  sets.forEach((params, i) => {
    let def: StrategyDefinition;
    try {
      def = buildFromTemplate(templateId, params, { stopLossPct: cfg.stopLossPct });
    } catch {
      out.push(null);
      return;
    }
    rec.fills.length = 0;
    rec.trades.length = 0;
    const { target } = evaluateStrategy(def, bars, cache, workspace);
    const totals = simulate(bars, target, cfg, rec);
    const m = computeMetrics(rec.equity, bars.time, bars.timeframe, cfg.initialCash, totals, rec.trades);
    out.push({
      params,
      metrics: sweepMetrics(m),
    });
    if (onProgress && (i + 1) % 10 === 0) onProgress(i + 1);
  });
  onProgress?.(sets.length);
  return out;
}

/** The sets with at least `minTrades` trades (one at least: a set that never trades ranks nowhere), best first. */
/** The figures a sweep keeps of each set's backtest. */
export function sweepMetrics(m: Metrics): SweepPoint['metrics'] {
  return {
    totalReturnPct: m.totalReturnPct,
    sharpe: m.sharpe,
    sortino: m.sortino,
    calmar: m.calmar,
    maxDrawdownPct: m.maxDrawdownPct,
    trades: m.trades,
    profitFactor: m.profitFactor,
    exposurePct: m.exposurePct,
  };
}

export function rankPoints(points: readonly (SweepPoint | null)[], metric: SweepMetric, minTrades = 1): SweepPoint[] {
  const least = Math.max(1, minTrades);
  return points
    .filter((p): p is SweepPoint => p !== null && Number.isFinite(p.metrics[metric]) && p.metrics.trades >= least)
    .sort((a, b) => b.metrics[metric] - a.metrics[metric]);
}

/** Metrics that are annualised: the backtest withholds them under MIN_ANNUALISED_DAYS, and a ranking by them says why. */
const ANNUALISED: readonly SweepMetric[] = ['sharpe', 'sortino', 'calmar'];

/** The same 90-day rule as a backtest's: a ranking by an annualised metric over a shorter window is flagged. */
export function windowWarnings(metric: SweepMetric, spanDays: number): Wording[] {
  return ANNUALISED.includes(metric) && spanDays < MIN_ANNUALISED_DAYS
    ? [
        word('research.rankShortWindow', {
          metric: word(`metric.${metric}`),
          days: Number(spanDays.toFixed(1)),
          minimum: MIN_ANNUALISED_DAYS,
        }),
      ]
    : [];
}

/** Parameters whose best value lies on the edge of the swept range (the optimum may lie beyond it). */
export function edgeWarnings(best: SweepPoint | undefined, axes: readonly SweepAxis[]): Wording[] {
  if (!best) return [];
  const out: Wording[] = [];
  for (const a of axes) {
    const values = axisValues(a);
    if (values.length < 3) continue;
    const v = best.params[a.key];
    if (v === values[0] || v === values[values.length - 1])
      out.push(
        word('research.bestOnEdge', {
          param: word(`param.${a.key}` as WordCode),
          value: v!,
          low: values[0]!,
          high: values[values.length - 1]!,
        }),
      );
  }
  return out;
}

export interface Heatmap {
  x: { key: string; values: number[] };
  y: { key: string; values: number[] };
  /** cells[yi][xi]: the metric, or null where the set was invalid or never traded. */
  cells: (number | null)[][];
}

/** The metric over the first two axes (the best value over any further axes). */
export function heatmap(
  points: readonly (SweepPoint | null)[],
  axes: readonly SweepAxis[],
  metric: SweepMetric,
): Heatmap | null {
  if (axes.length < 2) return null;
  const xs = axisValues(axes[0]!);
  const ys = axisValues(axes[1]!);
  const cells: (number | null)[][] = ys.map(() => xs.map(() => null));
  for (const p of points) {
    if (!p || p.metrics.trades === 0 || !Number.isFinite(p.metrics[metric])) continue;
    const xi = xs.indexOf(p.params[axes[0]!.key]!);
    const yi = ys.indexOf(p.params[axes[1]!.key]!);
    if (xi < 0 || yi < 0) continue;
    const prev = cells[yi]![xi];
    if (prev === null || prev === undefined || p.metrics[metric] > prev) cells[yi]![xi] = p.metrics[metric];
  }
  return { x: { key: axes[0]!.key, values: xs }, y: { key: axes[1]!.key, values: ys }, cells };
}

/** Index splitting bars into in-sample [0, split) and out-of-sample [split, n). */
export function walkForwardSplit(n: number, inSamplePct: number): number {
  if (!(inSamplePct >= 10 && inSamplePct <= 90))
    throw new SweepError(`The in-sample share must be between 10 and 90 %, got ${inSamplePct}`);
  const split = Math.round((n * inSamplePct) / 100);
  if (split < 2 || n - split < 2)
    throw new SweepError(`Too few bars (${n}) to split into in-sample and out-of-sample parts`);
  return split;
}

export function sliceBars(b: ColumnarBars, from: number, to: number): ColumnarBars {
  return {
    symbol: b.symbol,
    timeframe: b.timeframe,
    length: to - from,
    time: b.time.subarray(from, to),
    open: b.open.subarray(from, to),
    high: b.high.subarray(from, to),
    low: b.low.subarray(from, to),
    close: b.close.subarray(from, to),
    volume: b.volume.subarray(from, to),
    // aligned by time, so the whole of it serves any slice
    ...(b.crypto && { crypto: b.crypto }),
  };
}
