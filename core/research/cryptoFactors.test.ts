// Each crypto factor against a brute-force reference (every bar recomputed from the raw rows by
// the stated alignment rule), and the look-ahead property: a bar's value never changes when the
// rows known only after its close are removed or altered.
import { describe, expect, it } from 'vitest';
import { allocBars, type ColumnarBars } from '../market/bars';
import { DEPTH_BANDS_BP, FUNDING_PER_YEAR, type CryptoSeries, type DepthColumns } from '../market/derivatives';
import { TIMEFRAME_MS, type Timeframe } from '../market/timeframes';
import { rng } from '../simulation/seededRandom';
import { DEPTH_MAX_AGE_MS, FUNDING_MAX_AGE_MS, MissingCryptoData, alignAsOf } from './cryptoFactors';
import { StrategyDefinitionSchema, computeFactor, cryptoNeeds, type FactorSpec } from './strategy';
import { buildFromTemplate } from './templates';

const H8 = 8 * 3_600_000;
const MIN = 60_000;

interface Raw {
  funding: { time: number; rate: number }[];
  last: { time: number; close: number }[];
  mark: { time: number; close: number }[];
  index: { time: number; close: number }[];
  depth: { time: number; spreadBp: number; bid: number[]; ask: number[] }[];
}

/** Bars and raw perpetual rows with gaps everywhere a real feed has them. */
function fixture(tf: Timeframe, n: number, seed: number): { bars: ColumnarBars; raw: Raw } {
  const r = rng(seed);
  const step = TIMEFRAME_MS[tf];
  const start = Date.UTC(2026, 0, 1);
  const bars = allocBars('DEMO:BTCUSDT', tf, n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    p *= 1 + (r() - 0.5) * 0.01;
    bars.time[i] = start + i * step;
    bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = p;
    bars.volume[i] = 1;
  }
  const end = start + n * step;
  const raw: Raw = { funding: [], last: [], mark: [], index: [], depth: [] };
  // Settlements from well before the bars (warm-up), some missing, some repeated values.
  for (let t = start - 30 * H8; t < end; t += H8)
    if (r() > 0.1) raw.funding.push({ time: t, rate: r() < 0.1 ? 0.0001 : (r() - 0.4) * 0.001 });
  for (let i = 0; i < n; i++) {
    const t = start + i * step;
    const basis = 1 + (r() - 0.5) * 0.002;
    if (r() > 0.08) raw.last.push({ time: t, close: bars.close[i]! * basis });
    if (r() > 0.05) raw.mark.push({ time: t, close: bars.close[i]! * (1 + (r() - 0.5) * 0.001) });
    if (r() > 0.05) raw.index.push({ time: t, close: bars.close[i]! });
  }
  // Depth per minute over part of the range, with holes of several minutes.
  for (let t = start; t < end; t += MIN) {
    if (r() < 0.25) {
      t += Math.floor(r() * 12) * MIN;
      continue;
    }
    raw.depth.push({
      time: t,
      spreadBp: r() * 5,
      bid: DEPTH_BANDS_BP.map((b) => (r() < 0.05 ? 0 : r() * b * 1000)),
      ask: DEPTH_BANDS_BP.map((b) => (r() < 0.05 ? 0 : r() * b * 1000)),
    });
    if (raw.depth.length > 20_000) break;
  }
  return { bars, raw };
}

function columns(raw: Raw): CryptoSeries {
  const col = (rows: { time: number; close: number }[]) => ({
    time: Float64Array.from(rows, (x) => x.time),
    value: Float64Array.from(rows, (x) => x.close),
  });
  const depth: DepthColumns = {
    time: Float64Array.from(raw.depth, (d) => d.time),
    spreadBp: Float64Array.from(raw.depth, (d) => d.spreadBp),
    bid: [0, 1, 2].map((k) => Float64Array.from(raw.depth, (d) => d.bid[k]!)) as DepthColumns['bid'],
    ask: [0, 1, 2].map((k) => Float64Array.from(raw.depth, (d) => d.ask[k]!)) as DepthColumns['ask'],
  };
  return {
    funding: {
      time: Float64Array.from(raw.funding, (f) => f.time),
      value: Float64Array.from(raw.funding, (f) => f.rate),
    },
    last: col(raw.last),
    mark: col(raw.mark),
    index: col(raw.index),
    depth,
  };
}

// ---- The reference: every bar from the raw rows, by the rules as the comments state them ----

/** The index of the latest row known by `close` (known time <= close) and younger than maxAge there, else -1. */
function latestKnown(known: number[], close: number, maxAge: number): number {
  let j = -1;
  for (let k = 0; k < known.length; k++) if (known[k]! <= close) j = k;
  return j >= 0 && close - known[j]! < maxAge ? j : -1;
}

function meanSd(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)];
}

function reference(spec: FactorSpec, bars: ColumnarBars, raw: Raw): number[] {
  const tf = TIMEFRAME_MS[bars.timeframe];
  const out: number[] = [];
  const perpAt = (rows: { time: number; close: number }[], t: number) =>
    rows.find((x) => x.time === t)?.close ?? Number.NaN;
  const basisAt = (i: number) => (perpAt(raw.last, bars.time[i]!) / bars.close[i]! - 1) * 100 * FUNDING_PER_YEAR;
  for (let i = 0; i < bars.length; i++) {
    const close = bars.time[i]! + tf;
    const f = latestKnown(
      raw.funding.map((x) => x.time),
      close,
      FUNDING_MAX_AGE_MS,
    );
    const d = latestKnown(
      raw.depth.map((x) => x.time + MIN),
      close,
      Math.max(DEPTH_MAX_AGE_MS, tf),
    );
    const rates = raw.funding.map((x) => x.rate);
    const lastN = (n: number) => (f >= n - 1 ? rates.slice(f - n + 1, f + 1) : null);
    let v = Number.NaN;
    switch (spec.fn) {
      case 'funding_rate':
        v = f >= 0 ? rates[f]! * 1e4 : Number.NaN;
        break;
      case 'funding_mean': {
        const xs = f >= 0 ? lastN(spec.params.count!) : null;
        v = xs ? meanSd(xs)[0] * 1e4 : Number.NaN;
        break;
      }
      case 'funding_z': {
        const xs = f >= 0 ? lastN(spec.params.count!) : null;
        if (xs) {
          const [m, sd] = meanSd(xs);
          v = sd > 1e-12 ? (xs[xs.length - 1]! - m) / sd : 0;
        }
        break;
      }
      case 'basis':
        v = basisAt(i);
        break;
      case 'mark_basis':
        v = (perpAt(raw.mark, bars.time[i]!) / perpAt(raw.index, bars.time[i]!) - 1) * 100 * FUNDING_PER_YEAR;
        break;
      case 'basis_z': {
        // The basis with gaps carried forward from the first perpetual bar on.
        const filled: number[] = [];
        for (let k = 0; k <= i; k++) {
          const b = basisAt(k);
          if (!Number.isNaN(b)) filled.push(b);
          else if (filled.length) filled.push(filled[filled.length - 1]!);
        }
        const period = spec.params.period!;
        if (filled.length >= period) {
          const [m, sd] = meanSd(filled.slice(-period));
          v = sd > 1e-9 ? (filled[filled.length - 1]! - m) / sd : 0;
        }
        break;
      }
      case 'depth_imbalance': {
        const k = DEPTH_BANDS_BP.indexOf(spec.params.band as 10);
        if (d >= 0) {
          const { bid, ask } = raw.depth[d]!;
          v = bid[k]! + ask[k]! > 0 ? (bid[k]! - ask[k]!) / (bid[k]! + ask[k]!) : 0;
        }
        break;
      }
      case 'spread_bp':
        v = d >= 0 ? raw.depth[d]!.spreadBp : Number.NaN;
        break;
      default:
        throw new Error(`no reference for ${spec.fn}`);
    }
    out.push(v);
  }
  return out;
}

const SPECS: FactorSpec[] = [
  { id: 'a', fn: 'funding_rate', params: {} },
  { id: 'b', fn: 'funding_mean', params: { count: 3 } },
  { id: 'c', fn: 'funding_mean', params: { count: 9 } },
  { id: 'd', fn: 'funding_z', params: { count: 6 } },
  { id: 'e', fn: 'basis', params: {} },
  { id: 'f', fn: 'mark_basis', params: {} },
  { id: 'g', fn: 'basis_z', params: { period: 20 } },
  { id: 'h', fn: 'depth_imbalance', params: { band: 10 } },
  { id: 'i', fn: 'depth_imbalance', params: { band: 100 } },
  { id: 'j', fn: 'spread_bp', params: {} },
];

function expectSame(actual: ArrayLike<number>, expected: number[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(a, `${label} bar ${i}`).toBeNaN();
    else
      expect(Math.abs(a - e), `${label} bar ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
  }
}

describe('crypto factors against a brute-force reference', () => {
  for (const [tf, n, seed] of [
    ['1m', 1500, 1],
    ['1m', 900, 7],
    ['1d', 120, 3],
  ] as const) {
    it(`${tf}, ${n} bars (seed ${seed}): every factor, every bar`, () => {
      const { bars, raw } = fixture(tf, n, seed);
      bars.crypto = columns(raw);
      for (const spec of SPECS) {
        const got = computeFactor(spec, bars);
        const want = reference(spec, bars, raw);
        expectSame(got, want, `${spec.fn} ${JSON.stringify(spec.params)}`);
        // The fixture is rich enough that each factor has values, not only NaN.
        expect(want.filter((x) => !Number.isNaN(x)).length, `${spec.fn} has values`).toBeGreaterThan(n / 4);
      }
    });
  }

  it('a funding rate counts from its settlement time on, for bars closing at or after it', () => {
    const bars = allocBars('DEMO:BTCUSDT', '1m', 3);
    const t0 = Date.UTC(2026, 0, 1, 7, 58);
    [0, 1, 2].forEach((i) => (bars.time[i] = t0 + i * MIN));
    bars.close.fill(100);
    // Settled at 08:00: the 07:58 bar closes at 07:59 (before), the 07:59 bar closes at 08:00 (known).
    const eight = Date.UTC(2026, 0, 1, 8);
    bars.crypto = { funding: { time: Float64Array.of(eight - H8, eight), value: Float64Array.of(0.0001, 0.0003) } };
    const y = computeFactor({ id: 'f', fn: 'funding_rate', params: {} }, bars);
    expect(Array.from(y, (v) => Number(v.toFixed(9)))).toEqual([1, 3, 3]);
  });

  it('alignAsOf leaves a bar NaN when the latest row is too old, and before the first row', () => {
    const y = alignAsOf([0, 10, 20, 30], 10, Float64Array.of(5, 12), Float64Array.of(1, 2), 15);
    // closes 10, 20, 30, 40: row 5 known by 10; row 12 by 20 and 30 (age 18 is too old at 30)
    expect(Array.from(y)).toEqual([1, 2, Number.NaN, Number.NaN]);
  });
});

describe('no look-ahead', () => {
  /** The rows known by `close` only. */
  function knownBy(raw: Raw, close: number, tf: number): Raw {
    return {
      funding: raw.funding.filter((f) => f.time <= close),
      last: raw.last.filter((x) => x.time + tf <= close),
      mark: raw.mark.filter((x) => x.time + tf <= close),
      index: raw.index.filter((x) => x.time + tf <= close),
      depth: raw.depth.filter((d) => d.time + MIN <= close),
    };
  }

  for (const tf of ['1m', '1d'] as const) {
    it(`${tf}: a bar's value is the same with only the rows known by its close, or with later rows altered`, () => {
      const { bars, raw } = fixture(tf, tf === '1m' ? 600 : 90, 11);
      bars.crypto = columns(raw);
      const step = TIMEFRAME_MS[tf];
      const full = SPECS.map((s) => computeFactor(s, bars));
      const r = rng(5);
      for (let trial = 0; trial < 12; trial++) {
        const k = Math.floor(r() * bars.length);
        const close = bars.time[k]! + step;
        const cut: ColumnarBars = { ...bars, length: k + 1 };
        for (const f of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) cut[f] = bars[f].slice(0, k + 1);
        cut.crypto = columns(knownBy(raw, close, step));
        // The same rows, with everything known only after the close scrambled.
        const scrambled = JSON.parse(JSON.stringify(raw)) as Raw;
        for (const f of scrambled.funding) if (f.time > close) f.rate = -f.rate * 7;
        for (const x of [...scrambled.last, ...scrambled.mark]) if (x.time + step > close) x.close *= 1.3;
        for (const d of scrambled.depth) if (d.time + MIN > close) d.bid = d.bid.map((b) => b * 9 + 1);
        const later = { ...bars, crypto: columns(scrambled) };
        SPECS.forEach((s, n) => {
          const truncated = computeFactor(s, cut);
          const altered = computeFactor(s, later);
          for (let i = 0; i <= k; i++) {
            expect(
              Object.is(truncated[i], full[n]![i]) || truncated[i] === full[n]![i],
              `${s.fn} bar ${i} <= ${k}`,
            ).toBe(true);
            expect(Object.is(altered[i], full[n]![i]) || altered[i] === full[n]![i], `${s.fn} bar ${i} <= ${k}`).toBe(
              true,
            );
          }
        });
      }
    });
  }
});

describe('the data a strategy needs', () => {
  it('names the perpetual data of its crypto factors, none for technical ones', () => {
    expect(cryptoNeeds(buildFromTemplate('trend-ema', {}))).toEqual([]);
    expect(cryptoNeeds(buildFromTemplate('perp-basis-reversion', {})).sort()).toEqual(['funding', 'last']);
    expect(cryptoNeeds(buildFromTemplate('perp-basis-reversion', { fundingWeight: 0 }))).toEqual(['last']);
  });

  it('a crypto factor over bars without the data says what is missing', () => {
    const { bars } = fixture('1m', 50, 2);
    expect(() => computeFactor({ id: 'f', fn: 'funding_z', params: { count: 5 } }, bars)).toThrow(MissingCryptoData);
    expect(() => computeFactor({ id: 'f', fn: 'funding_z', params: { count: 5 } }, bars)).toThrow(/funding rates/);
  });

  it('the template mixes crypto and technical factors in one weighted score', () => {
    const def = buildFromTemplate('perp-basis-reversion', { trendWeight: 0.5, fundingWeight: 1 });
    expect(def.factors.map((f) => f.fn)).toEqual(['basis_z', 'funding_z', 'ema_spread']);
    expect(def.score.map((s) => s.weight)).toEqual([-1, -1, 0.5]);
  });

  it('a depth band other than 10, 50 or 100 bp is refused with the bands it may be', () => {
    const def = buildFromTemplate('trend-ema', {});
    const bad = StrategyDefinitionSchema.safeParse({
      ...def,
      factors: [{ id: 'spread', fn: 'depth_imbalance', params: { band: 20 } }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('depth_imbalance.band must be one of 10, 50, 100 (bp), got 20');
  });
});
