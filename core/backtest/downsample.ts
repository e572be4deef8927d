// Curves for charts: a year of 1m equity is 525,600 points; a chart needs a few thousand.
// Each bucket keeps its last point, except drawdown, which keeps the deepest, so the
// worst moment never disappears from the picture.

export interface CurvePoints {
  time: number[];
  values: number[][];
}

/** Picks at most `max` points; `keepMin[k]` makes series k keep its bucket minimum instead of the last value. */
export function downsampleCurves(
  time: Float64Array,
  series: readonly Float64Array[],
  max: number,
  keepMin: readonly boolean[] = [],
): CurvePoints {
  const n = time.length;
  const buckets = Math.min(n, Math.max(1, max));
  const out: CurvePoints = { time: [], values: series.map(() => []) };
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets) - 1;
    out.time.push(time[to]!);
    series.forEach((s, k) => {
      if (keepMin[k]) {
        let m = s[from]!;
        for (let i = from + 1; i <= to; i++) if (s[i]! < m) m = s[i]!;
        out.values[k]!.push(m);
      } else out.values[k]!.push(s[to]!);
    });
  }
  return out;
}
