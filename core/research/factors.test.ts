// Our columnar kernels against an independent implementation (the `technicalindicators`
// library), aligned at the end (it drops the warm-up; we keep NaN there), plus the
// no-look-ahead property every factor must have.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ATR, BollingerBands, EMA, MACD, ROC, RSI, SMA } from 'technicalindicators';
import { atr, bollinger, donchian, ema, macd, roc, rsi, sma, volumeRatio, zscore } from './factors';

function walk(
  n: number,
  seed = 7,
): { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const close = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const open = new Float64Array(n);
  const volume = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    open[i] = p;
    p *= 1 + (rand() - 0.5) * 0.04;
    close[i] = p;
    high[i] = Math.max(open[i]!, p) * (1 + rand() * 0.01);
    low[i] = Math.min(open[i]!, p) * (1 - rand() * 0.01);
    volume[i] = 10 + rand() * 90;
  }
  return { open, high, low, close, volume };
}

/** Our series' tail must equal the reference (which omits the warm-up), and the head must be NaN. */
function expectAligned(ours: Float64Array, ref: number[], digits = 8): void {
  const warm = ours.length - ref.length;
  for (let i = 0; i < warm; i++) expect(ours[i]).toBeNaN();
  for (let i = 0; i < ref.length; i++) expect(ours[warm + i]).toBeCloseTo(ref[i]!, digits);
}

const bars = walk(600);
const values = Array.from(bars.close);

describe('factor kernels match technicalindicators', () => {
  it('SMA and EMA', () => {
    for (const period of [1, 2, 14, 50]) {
      expectAligned(sma(bars.close, period), SMA.calculate({ period, values }));
      expectAligned(ema(bars.close, period), EMA.calculate({ period, values }));
    }
  });

  it('RSI (the library rounds to 2 decimals)', () => {
    for (const period of [2, 14, 30]) expectAligned(rsi(bars.close, period), RSI.calculate({ period, values }), 1);
  });

  it('MACD line, signal and histogram', () => {
    const ref = MACD.calculate({
      values,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    const ours = macd(bars.close, 12, 26, 9);
    expectAligned(
      ours.macd,
      ref.map((r) => r.MACD!),
    );
    const withSignal = ref.filter((r) => r.signal !== undefined);
    expectAligned(
      ours.signal,
      withSignal.map((r) => r.signal!),
    );
    expectAligned(
      ours.histogram,
      withSignal.map((r) => r.histogram!),
    );
  });

  it('Bollinger bands and %B', () => {
    const ref = BollingerBands.calculate({ period: 20, stdDev: 2, values });
    const ours = bollinger(bars.close, 20, 2);
    expectAligned(
      ours.middle,
      ref.map((r) => r.middle),
    );
    expectAligned(
      ours.upper,
      ref.map((r) => r.upper),
      6,
    );
    expectAligned(
      ours.lower,
      ref.map((r) => r.lower),
      6,
    );
    expectAligned(
      ours.percentB,
      ref.map((r) => r.pb),
      6,
    );
  });

  it('ATR and rate of change', () => {
    const ref = ATR.calculate({ period: 14, high: Array.from(bars.high), low: Array.from(bars.low), close: values });
    expectAligned(atr(bars.high, bars.low, bars.close, 14), ref, 6);
    expectAligned(roc(bars.close, 10), ROC.calculate({ period: 10, values }), 6);
  });
});

describe('factor kernels against brute force', () => {
  it('Donchian channel, z-score and volume ratio', () => {
    const d = donchian(bars.high, bars.low, 20);
    const z = zscore(bars.close, 30);
    const vr = volumeRatio(bars.volume, 10);
    for (let i = 40; i < 600; i += 37) {
      expect(d.upper[i]).toBe(Math.max(...bars.high.subarray(i - 19, i + 1)));
      expect(d.lower[i]).toBe(Math.min(...bars.low.subarray(i - 19, i + 1)));
      const w = bars.close.subarray(i - 29, i + 1);
      const mean = w.reduce((a, b) => a + b, 0) / 30;
      const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / 30);
      expect(z[i]).toBeCloseTo((bars.close[i]! - mean) / sd, 6);
      expect(vr[i]).toBeCloseTo(bars.volume[i]! / (bars.volume.subarray(i - 10, i).reduce((a, b) => a + b, 0) / 10), 9);
    }
  });
});

describe('no look-ahead', () => {
  it('changing bars after i never changes any factor at or before i', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 250 }), fc.double({ min: 0.5, max: 2, noNaN: true }), (cut, factor) => {
        const a = walk(300, 3);
        const b = walk(300, 3);
        for (let i = cut + 1; i < 300; i++) {
          b.close[i] = b.close[i]! * factor;
          b.high[i] = b.high[i]! * factor * 1.01;
          b.low[i] = b.low[i]! * factor * 0.99;
          b.volume[i] = b.volume[i]! * factor;
        }
        const run = (x: ReturnType<typeof walk>) => [
          sma(x.close, 20),
          ema(x.close, 20),
          rsi(x.close, 14),
          macd(x.close, 12, 26, 9).histogram,
          bollinger(x.close, 20, 2).percentB,
          donchian(x.high, x.low, 20).upper,
          atr(x.high, x.low, x.close, 14),
          roc(x.close, 10),
          zscore(x.close, 20),
          volumeRatio(x.volume, 10),
        ];
        const ra = run(a);
        const rb = run(b);
        for (let f = 0; f < ra.length; f++)
          for (let i = 0; i <= cut; i++) expect(Object.is(ra[f]![i], rb[f]![i]) || ra[f]![i] === rb[f]![i]).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses meaningless periods', () => {
    expect(() => sma(bars.close, 0)).toThrow(/period must be an integer >= 1/);
    expect(() => ema(bars.close, 2.5)).toThrow(/integer/);
    expect(() => macd(bars.close, 26, 12, 9)).toThrow(/slow period \(12\) must be longer than fast \(26\)/);
    expect(() => bollinger(bars.close, 20, 0)).toThrow(/k must be positive/);
  });
});
