// The Research part of the API contract: backtest runs, sweeps with walk-forward, the runs
// kept in the database, and progress of long jobs.
import { z } from 'zod';
import { TextSchema } from '../wording/wording';
import { IsoTime, StrategyId, Symbol, Timeframe } from './fields';
import { SWEEP_METRICS } from '../research/sweep';

const JobId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a job id of 8-64 letters, digits, _ or -');
const Params = z.record(z.string().max(40), z.number().finite());

export const BacktestSettingsSchema = z
  .object({
    initialCash: z.number().positive().max(1e12).default(10_000),
    /** Fee per fill in % of notional (0.1 = Binance's default taker fee). */
    feePct: z.number().min(0).max(5).default(0.1),
    slippageBps: z.number().min(0).max(500).default(2),
    fillAt: z.enum(['next_open', 'close']).default('next_open'),
    stopLossPct: z.number().gt(0).lt(100).nullable().default(null),
  })
  .strict();
export type BacktestSettings = z.infer<typeof BacktestSettingsSchema>;

export const StrategyChoiceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('template'),
      templateId: z.string().min(1).max(60),
      params: Params.default({}),
      strategyId: StrategyId.optional(),
    })
    .strict(),
  /** Positions from signals already in crypto_signals (e.g. written by another program). */
  z.object({ kind: z.literal('signals'), strategyId: StrategyId }).strict(),
  z.object({ kind: z.literal('hold') }).strict(),
]);
export type StrategyChoice = z.infer<typeof StrategyChoiceSchema>;

const RangeRequest = { symbol: Symbol, timeframe: Timeframe, from: IsoTime, to: IsoTime };

export const RunRequestSchema = z
  .object({
    jobId: JobId,
    ...RangeRequest,
    strategy: StrategyChoiceSchema,
    settings: BacktestSettingsSchema.default(BacktestSettingsSchema.parse({})),
    name: z.string().trim().max(80).optional(),
  })
  .strict();
export type RunRequest = z.infer<typeof RunRequestSchema>;

const MetricsSchema = z.object({
  totalReturnPct: z.number(),
  annualReturnPct: z.number(),
  annualVolatilityPct: z.number(),
  sharpe: z.number(),
  sortino: z.number(),
  calmar: z.number(),
  maxDrawdownPct: z.number(),
  maxDrawdownDurationMs: z.number(),
  trades: z.number(),
  winRatePct: z.number(),
  /** null stands for infinity (no losing trade). */
  profitFactor: z.number().nullable(),
  expectancy: z.number(),
  averageTradePct: z.number(),
  exposurePct: z.number(),
  switches: z.number(),
  stops: z.number(),
  fees: z.number(),
  turnover: z.number(),
  finalEquity: z.number(),
  spanDays: z.number(),
  annualisedUnreliable: z.boolean(),
});
export type MetricsView = z.infer<typeof MetricsSchema>;

const TradeSchema = z.object({
  entryTime: z.number(),
  entryPrice: z.number(),
  exitTime: z.number(),
  exitPrice: z.number(),
  maxQty: z.number(),
  pnl: z.number(),
  returnPct: z.number(),
  fees: z.number(),
  bars: z.number(),
  exitReason: z.enum(['signal', 'stop', 'open']),
});
export type TradeView = z.infer<typeof TradeSchema>;

export const RunSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: IsoTime,
  symbol: z.string(),
  timeframe: Timeframe,
  from: z.number(),
  to: z.number(),
  bars: z.number(),
  /** Which strategy: template id, signals source or buy-and-hold. */
  strategyLabel: z.string(),
  strategyId: z.string(),
  /** Hash of the strategy definition (template runs) or null. */
  version: z.string().nullable(),
  metrics: MetricsSchema,
  benchmark: MetricsSchema,
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunViewSchema = RunSummarySchema.extend({
  request: RunRequestSchema.omit({ jobId: true }),
  definition: z.unknown().nullable(),
  warnings: z.array(TextSchema),
  /** Downsampled for charts: bar times and the curves at them. */
  curve: z.object({
    time: z.array(z.number()),
    equity: z.array(z.number()),
    benchmark: z.array(z.number()),
    drawdown: z.array(z.number()),
  }),
  /** Most recent trades, at most 2,000; tradesTotal says how many there were. */
  trades: z.array(TradeSchema),
  tradesTotal: z.number(),
  /** Fills as chart markers (most recent 2,000). */
  fills: z.array(
    z.object({
      time: z.number(),
      price: z.number(),
      side: z.enum(['buy', 'sell']),
      reason: z.enum(['signal', 'stop']),
    }),
  ),
});
export type RunView = z.infer<typeof RunViewSchema>;

const AxisSchema = z
  .object({
    key: z.string().min(1).max(40),
    from: z.number().finite(),
    to: z.number().finite(),
    step: z.number().positive(),
  })
  .strict();

export const SweepRequestSchema = z
  .object({
    jobId: JobId,
    ...RangeRequest,
    templateId: z.string().min(1).max(60),
    axes: z.array(AxisSchema).min(1).max(3),
    fixed: Params.default({}),
    metric: z.enum(SWEEP_METRICS).default('sharpe'),
    /** Sets with fewer trades are left out of the ranking (too few to judge). */
    minTrades: z.number().int().min(1).max(10_000).default(1),
    settings: BacktestSettingsSchema.default(BacktestSettingsSchema.parse({})),
    /** Walk-forward: optimise on the first N % of the range, then test the best sets on the rest. */
    inSamplePct: z.number().min(10).max(90).nullable().default(null),
  })
  .strict();
export type SweepRequest = z.infer<typeof SweepRequestSchema>;

const SweepPointSchema = z.object({
  params: Params,
  metrics: z.object({
    totalReturnPct: z.number(),
    sharpe: z.number(),
    sortino: z.number(),
    calmar: z.number(),
    maxDrawdownPct: z.number(),
    trades: z.number(),
    profitFactor: z.number().nullable(),
    exposurePct: z.number(),
  }),
});

export const SweepViewSchema = z.object({
  id: z.string(),
  createdAt: IsoTime,
  symbol: z.string(),
  timeframe: Timeframe,
  templateId: z.string(),
  /** The swept range (absent on sweeps kept by older versions). */
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  metric: z.enum(SWEEP_METRICS),
  sets: z.number(),
  validSets: z.number(),
  seconds: z.number(),
  /** Best first, at most 25. */
  top: z.array(SweepPointSchema),
  heatmap: z
    .object({
      x: z.object({ key: z.string(), values: z.array(z.number()) }),
      y: z.object({ key: z.string(), values: z.array(z.number()) }),
      cells: z.array(z.array(z.number().nullable())),
    })
    .nullable(),
  edgeWarnings: z.array(TextSchema),
  /** In-sample best sets and how they did out of sample (walk-forward), or null. */
  walkForward: z
    .object({
      splitAt: z.number(),
      rows: z.array(
        z.object({
          params: Params,
          inSample: SweepPointSchema.shape.metrics,
          outOfSample: SweepPointSchema.shape.metrics,
        }),
      ),
    })
    .nullable(),
});
export type SweepView = z.infer<typeof SweepViewSchema>;

export const TemplateInfoSchema = z.object({
  id: z.string(),
  params: z.array(
    z.object({ key: z.string(), min: z.number(), max: z.number(), step: z.number(), default: z.number() }),
  ),
});

export const ResearchProgressSchema = z.object({
  jobId: z.string(),
  stage: z.enum(['loading', 'computing', 'sweeping', 'validating', 'saving', 'done', 'failed', 'cancelled']),
  done: z.number(),
  total: z.number(),
  message: z.string().nullable(),
});
export type ResearchProgress = z.infer<typeof ResearchProgressSchema>;

export const researchServices = {
  'research.templates': { request: z.object({}).strict(), reply: z.array(TemplateInfoSchema) },
  /**
   * A backtested strategy to paper trading in one step: a live pipeline exporting its signals
   * and a paper strategy trading them (both reused when they exist), under a strategy id made
   * from the template, the series and the parameters.
   */
  'research.tradeOnPaper': {
    request: z
      .object({
        symbol: Symbol,
        timeframe: Timeframe,
        templateId: z.string().min(1).max(60),
        params: Params.default({}),
        settings: BacktestSettingsSchema.default(BacktestSettingsSchema.parse({})),
      })
      .strict(),
    reply: z.object({
      strategyId: StrategyId,
      pipelineId: z.string(),
      configId: z.string(),
      created: z.object({ pipeline: z.boolean(), strategy: z.boolean() }),
    }),
  },
  'research.run': { request: RunRequestSchema, reply: RunViewSchema },
  'research.sweep': { request: SweepRequestSchema, reply: SweepViewSchema },
  'research.cancel': { request: z.object({ jobId: JobId }).strict(), reply: z.object({ cancelled: z.boolean() }) },
  'research.runs': { request: z.object({}).strict(), reply: z.array(RunSummarySchema) },
  'research.get': { request: z.object({ id: z.string().min(1).max(64) }).strict(), reply: RunViewSchema },
  'research.delete': {
    request: z.object({ id: z.string().min(1).max(64) }).strict(),
    reply: z.object({ deleted: z.boolean() }),
  },
  'research.sweeps': { request: z.object({}).strict(), reply: z.array(SweepViewSchema) },
} as const;
