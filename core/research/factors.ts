// Factor kernels over columns: one Float64Array in, one out, the same length, NaN during
// warm-up. Each value at bar i uses bars <= i only (no look-ahead). These are the research
// hot path (sweeps run them thousands of times), so they are plain loops with no per-bar
// allocation; factors.test.ts checks each against the `technicalindicators` library.

export type Series = Float64Array;

function out(n: number): Series {
  return new Float64Array(n).fill(Number.NaN);
}

function checkPeriod(name: string, period: number, min = 1): void {
  if (!Number.isInteger(period) || period < min)
    throw new RangeError(`${name}: period must be an integer >= ${min}, got ${period}`);
}

/** Simple moving average of the last `period` values. */
export function sma(x: Series, period: number): Series {
  checkPeriod('sma', period);
  const y = out(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i]!;
    if (i >= period) sum -= x[i - period]!;
    if (i >= period - 1) y[i] = sum / period;
  }
  return y;
}

/** Exponential moving average (alpha = 2 / (period + 1)), seeded with the SMA of the first `period` values. */
export function ema(x: Series, period: number, from = 0): Series {
  checkPeriod('ema', period);
  const y = out(x.length);
  const alpha = 2 / (period + 1);
  const seedEnd = from + period - 1;
  if (seedEnd >= x.length) return y;
  let sum = 0;
  for (let i = from; i <= seedEnd; i++) sum += x[i]!;
  let e = sum / period;
  y[seedEnd] = e;
  for (let i = seedEnd + 1; i < x.length; i++) {
    e += alpha * (x[i]! - e);
    y[i] = e;
  }
  return y;
}

/** Wilder's relative strength index, 0..100. */
export function rsi(x: Series, period: number): Series {
  checkPeriod('rsi', period);
  const y = out(x.length);
  if (x.length <= period) return y;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = x[i]! - x[i - 1]!;
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  y[period] = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  for (let i = period + 1; i < x.length; i++) {
    const d = x[i]! - x[i - 1]!;
    gain = (gain * (period - 1) + (d > 0 ? d : 0)) / period;
    loss = (loss * (period - 1) + (d < 0 ? -d : 0)) / period;
    y[i] = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  }
  return y;
}

export interface Macd {
  macd: Series;
  signal: Series;
  histogram: Series;
}

/** MACD line (EMA fast - EMA slow), its signal EMA and the histogram. */
export function macd(x: Series, fast: number, slow: number, signal: number): Macd {
  checkPeriod('macd fast', fast);
  checkPeriod('macd signal', signal);
  if (!(slow > fast)) throw new RangeError(`macd: slow period (${slow}) must be longer than fast (${fast})`);
  const f = ema(x, fast);
  const s = ema(x, slow);
  const line = out(x.length);
  for (let i = slow - 1; i < x.length; i++) line[i] = f[i]! - s[i]!;
  const sig = ema(line, signal, slow - 1);
  const histogram = out(x.length);
  for (let i = 0; i < x.length; i++) histogram[i] = line[i]! - sig[i]!;
  return { macd: line, signal: sig, histogram };
}

/** Rolling population standard deviation (two-pass per window would be O(n*p); Welford-style running sums are exact enough for prices). */
export function rollingStd(x: Series, period: number): Series {
  checkPeriod('rolling std', period, 2);
  const y = out(x.length);
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    sum += v;
    sq += v * v;
    if (i >= period) {
      const old = x[i - period]!;
      sum -= old;
      sq -= old * old;
    }
    if (i >= period - 1) {
      const mean = sum / period;
      y[i] = Math.sqrt(Math.max(0, sq / period - mean * mean));
    }
  }
  return y;
}

export interface Bollinger {
  middle: Series;
  upper: Series;
  lower: Series;
  /** Where the value sits in the band: 0 at the lower, 1 at the upper. */
  percentB: Series;
}

export function bollinger(x: Series, period: number, k: number): Bollinger {
  if (!(k > 0)) throw new RangeError(`bollinger: width k must be positive, got ${k}`);
  const middle = sma(x, period);
  const sd = rollingStd(x, period);
  const upper = out(x.length);
  const lower = out(x.length);
  const percentB = out(x.length);
  for (let i = period - 1; i < x.length; i++) {
    upper[i] = middle[i]! + k * sd[i]!;
    lower[i] = middle[i]! - k * sd[i]!;
    const w = upper[i]! - lower[i]!;
    percentB[i] = w > 0 ? (x[i]! - lower[i]!) / w : 0.5;
  }
  return { middle, upper, lower, percentB };
}

export interface Donchian {
  upper: Series;
  lower: Series;
}

/** Highest high and lowest low of the last `period` bars (monotonic deques: O(n)). */
export function donchian(high: Series, low: Series, period: number): Donchian {
  checkPeriod('donchian', period);
  const n = high.length;
  const upper = out(n);
  const lower = out(n);
  const maxQ = new Int32Array(n);
  const minQ = new Int32Array(n);
  let maxHead = 0;
  let maxTail = 0;
  let minHead = 0;
  let minTail = 0;
  for (let i = 0; i < n; i++) {
    while (maxTail > maxHead && high[maxQ[maxTail - 1]!]! <= high[i]!) maxTail--;
    maxQ[maxTail++] = i;
    while (minTail > minHead && low[minQ[minTail - 1]!]! >= low[i]!) minTail--;
    minQ[minTail++] = i;
    if (maxQ[maxHead]! <= i - period) maxHead++;
    if (minQ[minHead]! <= i - period) minHead++;
    if (i >= period - 1) {
      upper[i] = high[maxQ[maxHead]!]!;
      lower[i] = low[minQ[minHead]!]!;
    }
  }
  return { upper, lower };
}

/** Wilder's average true range (as TA-Lib: true ranges from the second bar, first value at index `period`). */
export function atr(high: Series, low: Series, close: Series, period: number): Series {
  checkPeriod('atr', period);
  const n = high.length;
  const y = out(n);
  if (n <= period) return y;
  let a = 0;
  for (let i = 1; i < n; i++) {
    const tr = Math.max(high[i]! - low[i]!, Math.abs(high[i]! - close[i - 1]!), Math.abs(low[i]! - close[i - 1]!));
    if (i < period) a += tr;
    else if (i === period) {
      a = (a + tr) / period;
      y[i] = a;
    } else {
      a = (a * (period - 1) + tr) / period;
      y[i] = a;
    }
  }
  return y;
}

/** Rate of change in percent over `period` bars (momentum). */
export function roc(x: Series, period: number): Series {
  checkPeriod('roc', period);
  const y = out(x.length);
  for (let i = period; i < x.length; i++) y[i] = (x[i]! / x[i - period]! - 1) * 100;
  return y;
}

/** (x - rolling mean) / rolling standard deviation; 0 when the window is flat. */
export function zscore(x: Series, period: number): Series {
  const mean = sma(x, period);
  const sd = rollingStd(x, period);
  const y = out(x.length);
  for (let i = period - 1; i < x.length; i++) y[i] = sd[i]! > 0 ? (x[i]! - mean[i]!) / sd[i]! : 0;
  return y;
}

/** Volume relative to its average over the previous `period` bars (1 = usual). */
export function volumeRatio(volume: Series, period: number): Series {
  const avg = sma(volume, period);
  const y = out(volume.length);
  for (let i = period; i < volume.length; i++) y[i] = avg[i - 1]! > 0 ? volume[i]! / avg[i - 1]! : Number.NaN;
  return y;
}
