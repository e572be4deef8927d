// Samples (time, value) folded into equal time buckets for the Monitor's charts: the median,
// the worst, the mean, the sum and the count of each bucket; an empty bucket is null, never
// zero, so a quiet hour does not read as a perfect one.

export interface BucketStats {
  time: number[];
  count: number[];
  sum: number[];
  mean: (number | null)[];
  p50: (number | null)[];
  max: (number | null)[];
}

export function bucketStarts(from: number, to: number, bucketMs: number): number[] {
  const first = Math.floor(from / bucketMs) * bucketMs;
  const out: number[] = [];
  for (let t = first; t < to; t += bucketMs) out.push(t);
  return out;
}

export function bucketize(
  samples: readonly { t: number; v: number }[],
  from: number,
  to: number,
  bucketMs: number,
): BucketStats {
  const time = bucketStarts(from, to, bucketMs);
  const values: number[][] = time.map(() => []);
  for (const s of samples) {
    if (!Number.isFinite(s.v) || s.t < time[0]! || s.t >= to) continue;
    values[Math.floor((s.t - time[0]!) / bucketMs)]?.push(s.v);
  }
  const stats: BucketStats = { time, count: [], sum: [], mean: [], p50: [], max: [] };
  for (const vs of values) {
    const sorted = vs.sort((a, b) => a - b);
    const n = sorted.length;
    const sum = sorted.reduce((a, b) => a + b, 0);
    stats.count.push(n);
    stats.sum.push(sum);
    stats.mean.push(n ? sum / n : null);
    stats.p50.push(n ? (n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2) : null);
    stats.max.push(n ? sorted[n - 1]! : null);
  }
  return stats;
}

/** Share (%) of the first counts in the totals, per bucket; null where nothing happened. */
export function sharePct(part: readonly number[], total: readonly number[]): (number | null)[] {
  return total.map((n, i) => (n > 0 ? (100 * part[i]!) / n : null));
}

/** Bucket width for a window: about 60-100 buckets, on round sizes. */
export function bucketMsFor(windowMs: number): number {
  const sizes = [60_000, 5 * 60_000, 15 * 60_000, 3_600_000, 4 * 3_600_000];
  return sizes.find((s) => windowMs / s <= 100) ?? sizes[sizes.length - 1]!;
}
