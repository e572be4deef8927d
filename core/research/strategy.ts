// A strategy as data: which factors, how they add up to a score, the thresholds (with
// hysteresis) that turn the score into a position, minimum hold and cooldown, an optional
// protective stop. The definition is validated, hashed into its version, stored with every
// backtest and signal, and evaluated the same way by research, the pipeline and the executor.
import { z } from 'zod';
import type { ColumnarBars } from '../market/bars';
import type { SeriesCache } from './seriesCache';
import { atr, bollinger, donchian, ema, macd, roc, rsi, sma, volumeRatio, zscore, type Series } from './factors';
import {
  basisAnnualised,
  basisZ,
  depthImbalance,
  fundingMeanBp,
  fundingRateBp,
  fundingZ,
  markBasisAnnualised,
  spreadBp,
} from './cryptoFactors';
import { DEPTH_BANDS_BP, type CryptoPart, type DepthBand } from '../market/derivatives';

interface ParamRule {
  min: number;
  max: number;
  integer: boolean;
}

/** Every factor function, its parameters and their allowed ranges. */
export const FACTOR_FUNCTIONS = {
  /** Close relative to its SMA, in %. */
  sma_spread: { period: { min: 2, max: 2000, integer: true } },
  /** Fast EMA relative to slow EMA, in %. */
  ema_spread: { fast: { min: 1, max: 2000, integer: true }, slow: { min: 2, max: 5000, integer: true } },
  rsi: { period: { min: 2, max: 500, integer: true } },
  /** MACD histogram relative to the close, in %. */
  macd_hist: {
    fast: { min: 2, max: 500, integer: true },
    slow: { min: 3, max: 1000, integer: true },
    signal: { min: 2, max: 500, integer: true },
  },
  /** Bollinger %B: 0 at the lower band, 1 at the upper. */
  bb_pctb: { period: { min: 2, max: 2000, integer: true }, k: { min: 0.1, max: 10, integer: false } },
  /** Close within the previous `period` bars' channel: 0 at its low, 1 at its high, > 1 a breakout. */
  donchian_pos: { period: { min: 2, max: 5000, integer: true } },
  /** Average true range as % of the close. */
  atr_pct: { period: { min: 1, max: 1000, integer: true } },
  /** Rate of change in %. */
  roc: { period: { min: 1, max: 5000, integer: true } },
  /** Close's rolling z-score. */
  zscore: { period: { min: 2, max: 5000, integer: true } },
  /** Volume over its average of the previous `period` bars. */
  volume_ratio: { period: { min: 1, max: 5000, integer: true } },
  // Crypto factors (cryptoFactors.ts): perpetual-futures data aligned to the bars.
  /** The latest settled funding rate, in bp per interval. */
  funding_rate: {},
  /** The mean of the last `count` funding rates, in bp. */
  funding_mean: { count: { min: 1, max: 1000, integer: true } },
  /** The latest funding rate's z-score among the last `count`. */
  funding_z: { count: { min: 2, max: 1000, integer: true } },
  /** The perpetual over spot, annualised, in %. */
  basis: {},
  /** The mark over the index, annualised, in %. */
  mark_basis: {},
  /** The annualised basis' z-score over `period` bars. */
  basis_z: { period: { min: 2, max: 5000, integer: true } },
  /** Bid vs ask depth within `band` bp of the mid (10, 50 or 100): -1..1. */
  depth_imbalance: { band: { min: 10, max: 100, integer: true } },
  /** Bid-ask spread in bp. */
  spread_bp: {},
} satisfies Record<string, Record<string, ParamRule>>;

export type FactorFunction = keyof typeof FACTOR_FUNCTIONS;

/** The perpetual data each crypto factor reads (the others read the bars alone). */
export const FACTOR_NEEDS: Partial<Record<FactorFunction, readonly CryptoPart[]>> = {
  funding_rate: ['funding'],
  funding_mean: ['funding'],
  funding_z: ['funding'],
  basis: ['last'],
  mark_basis: ['mark', 'index'],
  basis_z: ['last'],
  depth_imbalance: ['depth'],
  spread_bp: ['depth'],
};

/** The perpetual data a strategy's factors read: what a loader must attach to its bars. */
export function cryptoNeeds(def: Pick<StrategyDefinition, 'factors'>): CryptoPart[] {
  return [...new Set(def.factors.flatMap((f) => FACTOR_NEEDS[f.fn] ?? []))];
}

const ID = /^[a-z][a-z0-9_-]{0,39}$/;

const FactorSpecSchema = z
  .object({
    id: z.string().regex(ID, 'lower-case letters, digits, _ and - (1-40), starting with a letter'),
    fn: z.enum(Object.keys(FACTOR_FUNCTIONS) as [FactorFunction, ...FactorFunction[]]),
    params: z.record(z.string(), z.number().finite()),
  })
  .strict()
  .superRefine((f, ctx) => {
    const rules: Record<string, ParamRule> = FACTOR_FUNCTIONS[f.fn];
    for (const [name, rule] of Object.entries(rules)) {
      const v = f.params[name];
      if (v === undefined)
        ctx.addIssue({ code: 'custom', path: ['params', name], message: `${f.fn} needs parameter "${name}"` });
      else if (v < rule.min || v > rule.max || (rule.integer && !Number.isInteger(v)))
        ctx.addIssue({
          code: 'custom',
          path: ['params', name],
          message: `${f.fn}.${name} must be ${rule.integer ? 'an integer ' : ''}between ${rule.min} and ${rule.max}, got ${v}`,
        });
    }
    for (const name of Object.keys(f.params))
      if (!(name in rules))
        ctx.addIssue({ code: 'custom', path: ['params', name], message: `${f.fn} has no parameter "${name}"` });
    if (
      f.fn === 'depth_imbalance' &&
      f.params.band !== undefined &&
      !DEPTH_BANDS_BP.includes(f.params.band as DepthBand)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['params', 'band'],
        message: `depth_imbalance.band must be one of ${DEPTH_BANDS_BP.join(', ')} (bp), got ${f.params.band}`,
      });
    if ((f.fn === 'ema_spread' || f.fn === 'macd_hist') && !(f.params.slow! > f.params.fast!))
      ctx.addIssue({
        code: 'custom',
        path: ['params', 'slow'],
        message: `slow (${f.params.slow}) must be longer than fast (${f.params.fast})`,
      });
  });
export type FactorSpec = z.infer<typeof FactorSpecSchema>;

export const StrategyDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    factors: z.array(FactorSpecSchema).min(1).max(8),
    /** score = sum of weight x (factor - center) / scale. */
    score: z
      .array(
        z
          .object({
            factor: z.string(),
            weight: z.number().finite(),
            center: z.number().finite().default(0),
            scale: z.number().finite().positive().default(1),
          })
          .strict(),
      )
      .min(1)
      .max(8),
    /**
     * Go long when the score is at or above `entry`; go flat at or below `exit` (exit < entry: the gap
     * is the hysteresis). When entry === exit, a score exactly on that one level holds whatever the
     * position is (a tie neither enters nor exits), so a flat market never trades.
     */
    entry: z.number().finite(),
    exit: z.number().finite(),
    /**
     * How a position is entered. `level` (also when absent): long whenever the score is at or above
     * `entry`. `cross`: only on the bar the score crosses up through `entry` from below it, so a score
     * already above `entry` when warm-up ends (or when a cooldown ends) waits for a fresh cross.
     * Exits are level-based either way. `level` is stored as absent: a definition's version (its
     * hash) is the same whether or not it spells out the default.
     */
    entryOn: z.enum(['level', 'cross']).optional(),
    /** binary: 0/1. weight: 1 at the entry level, scaling down to 0 at the exit level while long. */
    output: z.enum(['binary', 'weight']).default('binary'),
    minHoldBars: z.number().int().min(0).max(100_000).default(0),
    cooldownBars: z.number().int().min(0).max(100_000).default(0),
    /** Protective stop below the entry price, in % (the backtest and the executor apply it the same way). */
    stopLossPct: z.number().gt(0).lt(100).nullable().default(null),
  })
  .strict()
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    d.factors.forEach((f, i) => {
      if (ids.has(f.id))
        ctx.addIssue({ code: 'custom', path: ['factors', i, 'id'], message: `factor id "${f.id}" is used twice` });
      ids.add(f.id);
    });
    d.score.forEach((t, i) => {
      if (!ids.has(t.factor))
        ctx.addIssue({
          code: 'custom',
          path: ['score', i, 'factor'],
          message: `score uses unknown factor "${t.factor}"`,
        });
    });
    if (d.exit > d.entry)
      ctx.addIssue({
        code: 'custom',
        path: ['exit'],
        message: `exit level (${d.exit}) must not be above the entry level (${d.entry})`,
      });
  })
  .transform((d) => {
    // The default is no field at all: definitions written before `entryOn` existed keep their hash.
    if (d.entryOn === 'level') delete d.entryOn;
    return d;
  });
export type StrategyDefinition = z.infer<typeof StrategyDefinitionSchema>;

/** JSON with keys sorted at every level: the same definition always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * Computes one factor over the bars; factor values at bar i use bars <= i only. `into` (a sweep's workspace) receives a spread instead of a new array:
 * a fresh 4 MB array per parameter set costs more in page faults than the pass that fills it.
 */
export function computeFactor(spec: FactorSpec, bars: ColumnarBars, cache?: SeriesCache, into?: Float64Array): Series {
  const key = `${spec.fn}:${canonicalJson(spec.params)}`;
  const hit = cache?.get(key);
  if (hit) return hit;
  const p = spec.params as Record<string, number>;
  const c = bars.close;
  const n = bars.length;
  const pct = (a: Series, b: Series): Series => {
    const y = into && into.length >= n ? into.subarray(0, n) : new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = (a[i]! / b[i]! - 1) * 100;
    return y;
  };
  // Moving averages are shared between factors (and between a sweep's parameter sets).
  const ma = (kind: 'sma' | 'ema', period: number): Series => {
    const k = `${kind}:${period}`;
    let m = cache?.get(k);
    if (!m) {
      m = kind === 'sma' ? sma(c, period) : ema(c, period);
      cache?.set(k, m);
    }
    return m;
  };
  let y: Series;
  switch (spec.fn) {
    case 'sma_spread':
      y = pct(c, ma('sma', p.period!));
      break;
    case 'ema_spread':
      y = pct(ma('ema', p.fast!), ma('ema', p.slow!));
      break;
    case 'rsi':
      y = rsi(c, p.period!);
      break;
    case 'macd_hist': {
      const h = macd(c, p.fast!, p.slow!, p.signal!).histogram;
      y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = (h[i]! / c[i]!) * 100;
      break;
    }
    case 'bb_pctb':
      y = bollinger(c, p.period!, p.k!).percentB;
      break;
    case 'donchian_pos': {
      const d = donchian(bars.high, bars.low, p.period!);
      y = new Float64Array(n).fill(Number.NaN);
      for (let i = 1; i < n; i++) {
        const w = d.upper[i - 1]! - d.lower[i - 1]!;
        if (!Number.isNaN(w)) y[i] = w > 0 ? (c[i]! - d.lower[i - 1]!) / w : 0.5;
      }
      break;
    }
    case 'atr_pct': {
      const a = atr(bars.high, bars.low, c, p.period!);
      y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = (a[i]! / c[i]!) * 100;
      break;
    }
    case 'roc':
      y = roc(c, p.period!);
      break;
    case 'zscore':
      y = zscore(c, p.period!);
      break;
    case 'volume_ratio':
      y = volumeRatio(bars.volume, p.period!);
      break;
    case 'funding_rate':
      y = fundingRateBp(bars);
      break;
    case 'funding_mean':
      y = fundingMeanBp(bars, p.count!);
      break;
    case 'funding_z':
      y = fundingZ(bars, p.count!);
      break;
    case 'basis':
      y = basisAnnualised(bars);
      break;
    case 'mark_basis':
      y = markBasisAnnualised(bars);
      break;
    case 'basis_z':
      y = basisZ(bars, p.period!);
      break;
    case 'depth_imbalance':
      y = depthImbalance(bars, p.band!);
      break;
    case 'spread_bp':
      y = spreadBp(bars);
      break;
  }
  // Spreads are one cheap pass over cached averages: keeping them would only churn memory.
  if (spec.fn !== 'ema_spread' && spec.fn !== 'sma_spread') cache?.set(key, y);
  return y;
}

export interface StrategyOutput {
  /** Target position decided at each bar's close, in [0, 1]. */
  target: Float64Array;
  score: Float64Array;
  /** Bars before the score is defined (all factors warmed up); the target is 0 there. */
  warmupBars: number;
}

/**
 * Turns the score into positions (`positionsFromScore`): enter at >= entry (with `entryOn:
 * 'cross'`, only on the bar it crosses up through entry), exit at <= exit, a tie on the one level
 * when entry === exit holds, hold at least `minHoldBars` once in, wait `cooldownBars` after an
 * exit before entering again.
 */
export function evaluateStrategy(
  def: StrategyDefinition,
  bars: ColumnarBars,
  cache?: SeriesCache,
  workspace?: { score: Float64Array; target: Float64Array },
): StrategyOutput {
  const n = bars.length;
  const only = def.score.length === 1 ? def.score[0]! : null;
  const plain = only !== null && only.weight === 1 && only.center === 0 && only.scale === 1 && def.factors.length === 1;
  // The score is the one factor itself: no copy, and a spread is written straight into the workspace.
  const factorById = new Map(
    def.factors.map((f) => [f.id, computeFactor(f, bars, cache, plain ? workspace?.score : undefined)]),
  );
  let score: Float64Array;
  if (plain) {
    score = factorById.get(only.factor)!;
  } else {
    score = workspace?.score ?? new Float64Array(n);
    score.fill(0);
    for (const term of def.score) {
      const f = factorById.get(term.factor)!;
      const w = term.weight / term.scale;
      for (let i = 0; i < n; i++) score[i] = score[i]! + w * (f[i]! - term.center);
    }
  }
  return { ...positionsFromScore(score, def, workspace?.target), score };
}

/**
 * The hysteresis / hold / cooldown state machine, shared by research, sweeps and the live
 * pipeline (all through `evaluateStrategy`): the one place a score becomes a position.
 *
 * - Flat: enter when the score is at or above `entry` (and, with `entryOn: 'cross'`, the score
 *   was below `entry` on the last bar it was not exactly on a tied level: a fresh cross up; a
 *   cross missed during a cooldown is not taken later).
 * - Long: exit when the score is at or below `exit`.
 * - Ties: when entry === exit, a score exactly on that level keeps whatever the position is,
 *   flat or long. Without this a score sitting on the level (a flat market for an EMA spread or a
 *   rate of change) would enter and exit on alternate bars, paying fees each time. With exit <
 *   entry nothing changes: a score at `entry` enters, one at `exit` exits.
 */
export function positionsFromScore(
  score: Float64Array,
  rules: Pick<StrategyDefinition, 'entry' | 'exit' | 'output' | 'minHoldBars' | 'cooldownBars' | 'entryOn'>,
  into?: Float64Array,
): Omit<StrategyOutput, 'score'> {
  const n = score.length;
  const target = into ?? new Float64Array(n);
  let warmupBars = 0;
  while (warmupBars < n && Number.isNaN(score[warmupBars]!)) warmupBars++;
  target.fill(0, 0, warmupBars); // every later bar is written below
  // The rules as locals: this loop runs once per parameter set of a sweep, over every bar.
  const { entry, exit, minHoldBars, cooldownBars } = rules;
  const span = entry - exit;
  const full = rules.output === 'binary' || span <= 0;
  // One level (entry === exit): a score exactly on it is a tie, which holds.
  const tie = entry === exit;
  const cross = rules.entryOn === 'cross';
  // Cross rule: the score was below entry on the last bar it was not on a tie (unknown, so false, when warm-up ends).
  let below = false;
  let long = false;
  let heldFor = 0;
  let sinceExit = Number.POSITIVE_INFINITY;
  for (let i = warmupBars; i < n; i++) {
    const s = score[i]!;
    if (s !== s) {
      // NaN: a factor gap after warm-up (bad input bar): hold the last decision, never invent one.
      target[i] = i > 0 ? target[i - 1]! : 0;
      continue;
    }
    const up = tie ? s > entry : s >= entry;
    if (long) {
      heldFor++;
      if ((tie ? s < exit : s <= exit) && heldFor >= minHoldBars) {
        long = false;
        sinceExit = 0;
      }
    } else {
      sinceExit++;
      if (up && (!cross || below) && sinceExit > cooldownBars) {
        long = true;
        heldFor = 0;
      }
    }
    if (up) below = false;
    else if (s < entry) below = true;
    target[i] = !long ? 0 : full ? 1 : Math.min(1, Math.max(0, (s - exit) / span));
  }
  return { target, warmupBars };
}
