// Data-quality findings beyond gaps: suspicious price jumps and runs of zero volume. Pure,
// over columnar bars, so the same check serves the report, the importer and research.
import type { ColumnarBars } from './bars';

export interface Jump {
  time: number;
  /** Close-to-close change, as a fraction (0.25 = +25 %). */
  change: number;
  /** How many typical moves this one is. */
  sigmas: number;
}

export interface ZeroVolumeRun {
  from: number;
  to: number;
  bars: number;
}

export interface QualityOptions {
  /** A move is suspicious when it exceeds this many robust standard deviations... */
  jumpSigmas: number;
  /** ...and at least this fraction in absolute terms. */
  minJump: number;
  /** Zero-volume runs shorter than this are normal on quiet pairs. */
  minZeroRun: number;
  /** At most this many findings of each kind are returned (largest first). */
  limit: number;
}

export const DEFAULT_QUALITY: QualityOptions = { jumpSigmas: 12, minJump: 0.03, minZeroRun: 5, limit: 200 };

/** Robust scale of log returns: 1.4826 x median absolute deviation (no look at outliers). */
function robustSigma(returns: Float64Array): number {
  if (returns.length === 0) return 0;
  const sorted = Float64Array.from(returns).sort();
  const median = sorted[sorted.length >> 1]!;
  const dev = Float64Array.from(returns, (r) => Math.abs(r - median)).sort();
  return 1.4826 * dev[dev.length >> 1]!;
}

export function findJumps(bars: ColumnarBars, options: QualityOptions = DEFAULT_QUALITY): Jump[] {
  const n = bars.length;
  if (n < 3) return [];
  const r = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) r[i - 1] = Math.log(bars.close[i]! / bars.close[i - 1]!);
  const sigma = robustSigma(r);
  const jumps: Jump[] = [];
  for (let i = 0; i < r.length; i++) {
    const change = Math.expm1(r[i]!);
    const sigmas = sigma > 0 ? Math.abs(r[i]!) / sigma : Number.POSITIVE_INFINITY;
    if (Math.abs(change) >= options.minJump && sigmas >= options.jumpSigmas)
      jumps.push({ time: bars.time[i + 1]!, change, sigmas: Number.isFinite(sigmas) ? sigmas : 1e9 });
  }
  return jumps.sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, options.limit);
}

export function findZeroVolumeRuns(bars: ColumnarBars, options: QualityOptions = DEFAULT_QUALITY): ZeroVolumeRun[] {
  const runs: ZeroVolumeRun[] = [];
  let start = -1;
  for (let i = 0; i <= bars.length; i++) {
    const zero = i < bars.length && bars.volume[i] === 0;
    if (zero && start < 0) start = i;
    if (!zero && start >= 0) {
      if (i - start >= options.minZeroRun)
        runs.push({ from: bars.time[start]!, to: bars.time[i - 1]!, bars: i - start });
      start = -1;
    }
  }
  return runs.sort((a, b) => b.bars - a.bars).slice(0, options.limit);
}
