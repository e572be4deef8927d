// The Signals part of the API contract: the crypto_signals feed, export latency against its
// budget, alerts, and pipelines (strategy -> signals -> backtest -> export, run on demand or
// live at every bar close).
import { z } from 'zod';
import { TextSchema, WordingSchema } from '../wording/wording';
import { IsoTime, StrategyId, Symbol, Timeframe } from './fields';
import { BacktestSettingsSchema, RunSummarySchema } from './researchContract';
import { CHANNEL_FORMATS } from '../monitor/alertFormats';
import { ALERT_KINDS } from '../monitor/alertKinds';

export const SignalViewSchema = z.object({
  ts: z.number(),
  timeframe: Timeframe,
  symbol: z.string(),
  pair: z.string(),
  strategy_id: z.string(),
  action: z.enum(['enter_long', 'exit_long']).nullable(),
  weight: z.number().nullable(),
  score: z.number().nullable(),
  valid_until: z.number().nullable(),
  source: z.string().nullable(),
  strategy_version: z.string().nullable(),
  exported_at: z.number().nullable(),
  /** exported_at minus the close of the signal's bar; null when not known. */
  latency_ms: z.number().nullable(),
});
export type SignalView = z.infer<typeof SignalViewSchema>;

/** A document of crypto_signals the executor could not read, with its fields as they were written (as text). */
export const SkippedSignalViewSchema = z.object({
  strategy_id: z.string(),
  pair: z.string(),
  timeframe: z.string(),
  ts: z.string(),
  reason: z.string(),
  firstSeen: z.number(),
  lastSeen: z.number(),
});
export type SkippedSignalView = z.infer<typeof SkippedSignalViewSchema>;

export const PipelineDraftSchema = z
  .object({
    id: z.string().max(64).optional(),
    name: z.string().trim().min(1).max(80),
    symbol: Symbol,
    timeframe: Timeframe,
    templateId: z.string().min(1).max(60),
    params: z.record(z.string().max(40), z.number().finite()).default({}),
    strategyId: StrategyId,
    settings: BacktestSettingsSchema.default(BacktestSettingsSchema.parse({})),
    /** Bars of history each run evaluates (factor warm-up and the backtest). */
    historyBars: z.number().int().min(50).max(200_000).default(1000),
    /** How many of the latest bars a manual run exports. */
    exportBars: z.number().int().min(1).max(100_000).default(500),
  })
  .strict();
export type PipelineDraft = z.infer<typeof PipelineDraftSchema>;

/** Why a run failed: plain text, or a sentence the desk words in the user's language. */
const StepError = TextSchema.nullable();
export const PipelineRunSchema = z.object({
  at: IsoTime,
  /** catch-up: on going live, the bars that closed since the last run (not counted as live latency). */
  trigger: z.enum(['manual', 'live', 'catch-up']),
  ok: z.boolean(),
  error: StepError,
  steps: z.object({
    factor: z
      .object({ bars: z.number(), warmupBars: z.number(), lastScore: z.number().nullable(), version: z.string() })
      .nullable(),
    signal: z
      .object({ rows: z.number(), enters: z.number(), exits: z.number(), last: z.array(SignalViewSchema) })
      .nullable(),
    backtest: RunSummarySchema.shape.metrics.nullable(),
    export: z
      .object({ inserted: z.number(), replaced: z.number(), unchanged: z.number(), latencyMs: z.number().nullable() })
      .nullable(),
  }),
  ms: z.number(),
});
export type PipelineRun = z.infer<typeof PipelineRunSchema>;

export const PipelineViewSchema = PipelineDraftSchema.required({ id: true }).extend({
  createdAt: IsoTime,
  live: z.boolean(),
  lastRun: PipelineRunSchema.nullable(),
  /** Open time of the last bar the live mode exported a signal for. */
  liveLastBar: z.number().nullable(),
});
export type PipelineView = z.infer<typeof PipelineViewSchema>;

export const LatencyStatsSchema = z.array(
  z.object({
    timeframe: Timeframe,
    count: z.number(),
    p50: z.number().nullable(),
    p99: z.number().nullable(),
    max: z.number().nullable(),
    budgetMs: z.number(),
    breaches: z.number(),
    /** Counts per bin; bins are budget/10 wide, the last one holds everything above the budget. */
    histogram: z.array(z.number()),
  }),
);
export type LatencyStats = z.infer<typeof LatencyStatsSchema>;

export const AlertSchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(['warning', 'critical']),
  /** In English, as the alert channels got it. */
  message: z.string(),
  /** The same, as a sentence the desk words in the user's language (absent on alerts of older versions). */
  wording: WordingSchema.nullable().default(null),
  strategy_id: z.string().nullable(),
  pair: z.string().nullable(),
  timeframe: Timeframe.nullable(),
  at: IsoTime,
  /** De-duplication: the same trouble again within the cooldown counts up. */
  count: z.number().int().positive().default(1),
  lastAt: IsoTime.optional(),
  acknowledged: z.boolean().default(false),
  acknowledgedAt: IsoTime.nullable().default(null),
  deliveries: z
    .array(
      z.object({
        channel: z.string(),
        ok: z.boolean(),
        attempts: z.number(),
        status: z.number().nullable(),
        error: z.string().nullable(),
        at: IsoTime,
      }),
    )
    .default([]),
});
export type Alert = z.infer<typeof AlertSchema>;

const DeliverySchema = z.object({
  channel: z.string(),
  ok: z.boolean(),
  attempts: z.number(),
  status: z.number().nullable(),
  error: z.string().nullable(),
  at: IsoTime,
});
export const ChannelViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  format: z.enum(CHANNEL_FORMATS),
  host: z.string(),
  lastDelivery: DeliverySchema.nullable(),
});
export type ChannelView = z.infer<typeof ChannelViewSchema>;

const HeartbeatStatusSchema = z.object({
  configured: z.boolean(),
  host: z.string().nullable(),
  intervalSec: z.number(),
  last: z
    .object({ at: IsoTime, ok: z.boolean(), status: z.number().nullable(), error: z.string().nullable() })
    .nullable(),
});

export const signalsServices = {
  'signals.recent': {
    request: z
      .object({ strategyId: StrategyId.optional(), limit: z.number().int().min(1).max(1000).default(200) })
      .strict(),
    reply: z.array(SignalViewSchema),
  },
  /** Entry and exit signals of every strategy for one series and range (chart markers). */
  'signals.forSeries': {
    request: z.object({ symbol: Symbol, timeframe: Timeframe, from: IsoTime, to: IsoTime }).strict(),
    reply: z.array(SignalViewSchema),
  },
  'signals.latency': { request: z.object({}).strict(), reply: LatencyStatsSchema },
  /** Documents the executor skipped, most recently seen first, and how many in all. */
  'signals.skipped': {
    request: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    reply: z.object({ total: z.number().int(), rows: z.array(SkippedSignalViewSchema) }),
  },
  'signals.alerts': { request: z.object({}).strict(), reply: z.array(AlertSchema) },
  'alerts.list': {
    request: z.object({ includeAcknowledged: z.boolean().default(false) }).strict(),
    reply: z.array(AlertSchema),
  },
  'alerts.ack': { request: z.object({ id: z.string().min(1).max(64) }).strict(), reply: AlertSchema },
  'alerts.channels': { request: z.object({}).strict(), reply: z.array(ChannelViewSchema) },
  /** The URL may hold a token: it goes to the OS keychain; only its host is ever shown. */
  /** chatId: Telegram's chat id, or the e-mail recipient; url: the webhook, or smtp(s)://user:password@host:port for e-mail. */
  'alerts.addChannel': {
    request: z
      .object({
        name: z.string().trim().min(1).max(60),
        format: z.enum(CHANNEL_FORMATS),
        url: z.string().min(1).max(2000),
        chatId: z.string().max(200).nullable().default(null),
      })
      .strict(),
    reply: ChannelViewSchema,
  },
  'alerts.heartbeat': { request: z.object({}).strict(), reply: HeartbeatStatusSchema },
  /** The dead man's switch URL (kept in the OS keychain); null removes it. */
  'alerts.setHeartbeat': {
    request: z.object({ url: z.string().min(1).max(2000).nullable() }).strict(),
    reply: HeartbeatStatusSchema,
  },
  'alerts.removeChannel': {
    request: z.object({ id: z.string().min(1).max(64) }).strict(),
    reply: z.object({ removed: z.boolean() }),
  },
  'alerts.testChannel': { request: z.object({ id: z.string().min(1).max(64) }).strict(), reply: DeliverySchema },
  /** For programs that talk to the desk rather than to the database: the same checks, the same all-or-nothing write. */
  'signals.export': {
    request: z
      .object({ rows: z.array(z.unknown()).max(10_000), exportedBy: z.string().trim().min(1).max(100) })
      .strict(),
    reply: z.object({ inserted: z.number(), replaced: z.number(), unchanged: z.number() }),
  },
  'pipelines.list': { request: z.object({}).strict(), reply: z.array(PipelineViewSchema) },
  'pipelines.save': { request: PipelineDraftSchema, reply: PipelineViewSchema },
  'pipelines.delete': {
    request: z.object({ id: z.string().min(1).max(64) }).strict(),
    reply: z.object({ deleted: z.boolean() }),
  },
  'pipelines.run': { request: z.object({ id: z.string().min(1).max(64) }).strict(), reply: PipelineViewSchema },
  'pipelines.live': {
    request: z.object({ id: z.string().min(1).max(64), live: z.boolean() }).strict(),
    reply: PipelineViewSchema,
  },
} as const;

export const SignalExportedSchema = z.object({
  strategy_id: z.string(),
  pair: z.string(),
  timeframe: Timeframe,
  ts: z.number(),
  latencyMs: z.number(),
  pipelineId: z.string(),
});
