// The perpetual panes' points on the candles' own times: every series of a lightweight chart
// shares one time scale, so a point at a time no candle has would open a gap between candles.
// Values falling in one candle (1m depth under 15m candles, three funding settlements under a
// daily candle) are averaged; missing values are skipped.

/** One point per bucket of `bucketMs` (at the bucket's open) holding the mean of the values in it. */
export function bucketMean(
  time: readonly number[],
  values: readonly (number | null)[],
  bucketMs: number,
): { time: number; value: number }[] {
  const out: { time: number; value: number }[] = [];
  let open = NaN;
  let sum = 0;
  let n = 0;
  const flush = () => {
    if (n > 0) out.push({ time: open, value: sum / n });
  };
  for (let i = 0; i < time.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    const b = Math.floor(time[i]! / bucketMs) * bucketMs;
    if (b !== open) {
      flush();
      open = b;
      sum = 0;
      n = 0;
    }
    sum += v;
    n++;
  }
  flush();
  return out;
}
