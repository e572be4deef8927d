// Strategy templates a trader starts from: each has named parameters with ranges (what the
// Research page shows and a sweep varies) and builds a full strategy definition from them.
import { StrategyDefinitionSchema, type StrategyDefinition } from './strategy';

export interface TemplateParam {
  key: string;
  min: number;
  max: number;
  step: number;
  default: number;
}

export interface StrategyTemplate {
  id: string;
  params: readonly TemplateParam[];
  build(p: Record<string, number>): Omit<StrategyDefinition, 'name' | 'stopLossPct'>;
}

/** The EMA trend, as a level or as a crossover: the same parameters and score, entered differently. */
function emaTrend(id: string, entryOn: 'level' | 'cross'): StrategyTemplate {
  return {
    id,
    params: [
      { key: 'fast', min: 2, max: 200, step: 1, default: 12 },
      { key: 'slow', min: 5, max: 1000, step: 1, default: 48 },
      { key: 'band', min: 0, max: 10, step: 0.1, default: 0.2 },
    ],
    build: (p) => ({
      factors: [{ id: 'spread', fn: 'ema_spread', params: { fast: p.fast!, slow: p.slow! } }],
      score: [{ factor: 'spread', weight: 1, center: 0, scale: 1 }],
      entry: p.band!,
      exit: -p.band!,
      // The level rule is the definition's default, left out so its version stays what it was.
      ...(entryOn === 'cross' && { entryOn }),
      output: 'binary',
      minHoldBars: 0,
      cooldownBars: 0,
    }),
  };
}

export const TEMPLATES: readonly StrategyTemplate[] = [
  emaTrend(
    'trend-ema',
    // A level rule: long while the fast EMA is at or above the slow one plus the band (so already at
    // the end of warm-up when it is), flat at or below the slow one minus the band.
    'level',
  ),
  emaTrend(
    'trend-ema-cross',
    // A crossover: long only on the bar the fast EMA crosses up through the slow one plus the band
    // (a fast EMA already above when warm-up ends waits for a fresh cross), flat at or below the
    // slow one minus the band.
    'cross',
  ),
  {
    id: 'mean-reversion-rsi',
    params: [
      { key: 'period', min: 2, max: 100, step: 1, default: 14 },
      { key: 'buyBelow', min: 5, max: 50, step: 1, default: 30 },
      { key: 'sellAbove', min: 30, max: 95, step: 1, default: 55 },
    ],
    // score = -RSI: long when RSI <= buyBelow, flat again when RSI >= sellAbove.
    build: (p) => ({
      factors: [{ id: 'rsi', fn: 'rsi', params: { period: p.period! } }],
      score: [{ factor: 'rsi', weight: -1, center: 0, scale: 1 }],
      entry: -p.buyBelow!,
      exit: -p.sellAbove!,
      output: 'binary',
      minHoldBars: 0,
      cooldownBars: 0,
    }),
  },
  {
    id: 'breakout-donchian',
    params: [
      { key: 'period', min: 5, max: 500, step: 1, default: 20 },
      { key: 'exitLevel', min: 0, max: 0.9, step: 0.05, default: 0.5 },
    ],
    // Long on a close above the previous channel high; flat when the close falls back to `exitLevel` of the channel.
    build: (p) => ({
      factors: [{ id: 'channel', fn: 'donchian_pos', params: { period: p.period! } }],
      score: [{ factor: 'channel', weight: 1, center: 0, scale: 1 }],
      entry: 1,
      exit: p.exitLevel!,
      output: 'binary',
      minHoldBars: 0,
      cooldownBars: 0,
    }),
  },
  {
    id: 'bollinger-reversion',
    params: [
      { key: 'period', min: 5, max: 500, step: 1, default: 20 },
      { key: 'k', min: 0.5, max: 4, step: 0.1, default: 2 },
    ],
    // Long at or below the lower band (%B <= 0), flat back at the middle (%B >= 0.5).
    build: (p) => ({
      factors: [{ id: 'pctb', fn: 'bb_pctb', params: { period: p.period!, k: p.k! } }],
      score: [{ factor: 'pctb', weight: -1, center: 0, scale: 1 }],
      entry: 0,
      exit: -0.5,
      output: 'binary',
      minHoldBars: 0,
      cooldownBars: 0,
    }),
  },
  {
    id: 'momentum-roc',
    params: [
      { key: 'period', min: 2, max: 1000, step: 1, default: 30 },
      { key: 'threshold', min: 0, max: 50, step: 0.5, default: 2 },
      { key: 'minHold', min: 0, max: 500, step: 1, default: 5 },
    ],
    // Long while momentum is above the threshold, with a minimum hold to avoid churning; weight grows with momentum.
    build: (p) => ({
      factors: [{ id: 'mom', fn: 'roc', params: { period: p.period! } }],
      score: [{ factor: 'mom', weight: 1, center: 0, scale: 1 }],
      entry: p.threshold!,
      exit: 0,
      output: 'weight',
      minHoldBars: p.minHold!,
      cooldownBars: 0,
    }),
  },
  {
    id: 'perp-basis-reversion',
    params: [
      { key: 'period', min: 10, max: 2000, step: 1, default: 120 },
      { key: 'entryZ', min: 0.5, max: 4, step: 0.1, default: 1.5 },
      { key: 'exitZ', min: -2, max: 0.5, step: 0.1, default: 0 },
      { key: 'fundingWeight', min: 0, max: 2, step: 0.1, default: 0.5 },
      { key: 'fundingCount', min: 3, max: 90, step: 1, default: 21 },
      { key: 'trendWeight', min: 0, max: 2, step: 0.1, default: 0 },
    ],
    // Funding carry and basis mean reversion, long spot only: the perpetual at an unusual discount
    // to spot (basis z-score low) and funding below its recent run (shorts crowded, paying longs)
    // say the selling is stretched; flat once the basis is back near its mean. An optional EMA
    // trend term mixes a technical factor into the same weighted score. Terms of weight 0 are left
    // out, so the strategy needs only the data it uses.
    build: (p) => {
      const terms = [
        { factor: { id: 'basis', fn: 'basis_z', params: { period: p.period! } }, weight: -1 },
        { factor: { id: 'funding', fn: 'funding_z', params: { count: p.fundingCount! } }, weight: -p.fundingWeight! },
        { factor: { id: 'trend', fn: 'ema_spread', params: { fast: 12, slow: 48 } }, weight: p.trendWeight! },
      ] as const;
      const used = terms.filter((t) => t.weight !== 0);
      return {
        factors: used.map((t) => t.factor),
        score: used.map((t) => ({ factor: t.factor.id, weight: t.weight, center: 0, scale: 1 })),
        entry: p.entryZ!,
        exit: p.exitZ!,
        output: 'binary',
        minHoldBars: 0,
        cooldownBars: 0,
      };
    },
  },
];

export class TemplateError extends Error {}

export function findTemplate(id: string): StrategyTemplate {
  const t = TEMPLATES.find((x) => x.id === id);
  if (!t) throw new TemplateError(`Unknown strategy template "${id}"; known: ${TEMPLATES.map((x) => x.id).join(', ')}`);
  return t;
}

/** Builds and validates a definition from a template and parameter values (defaults fill the rest). */
export function buildFromTemplate(
  templateId: string,
  values: Record<string, number>,
  extra: { name?: string; stopLossPct?: number | null } = {},
): StrategyDefinition {
  const t = findTemplate(templateId);
  for (const key of Object.keys(values))
    if (!t.params.some((p) => p.key === key)) throw new TemplateError(`${t.id} has no parameter "${key}"`);
  const p: Record<string, number> = {};
  for (const param of t.params) {
    const v = values[param.key] ?? param.default;
    if (!Number.isFinite(v) || v < param.min || v > param.max)
      throw new TemplateError(`${t.id}: ${param.key} must be between ${param.min} and ${param.max}, got ${v}`);
    p[param.key] = v;
  }
  const parsed = StrategyDefinitionSchema.safeParse({
    ...t.build(p),
    name: extra.name ?? t.id,
    stopLossPct: extra.stopLossPct ?? null,
  });
  if (!parsed.success) throw new TemplateError(`${t.id}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}
