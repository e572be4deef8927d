// The Monitor's part of the API contract: metrics with their history, and the health watch
// (exchange reachability and clock skew, data freshness per series, the database's latency),
// sampled once a minute and kept so the tiles can show a history.
import { z } from 'zod';
import { Timeframe, WorkerState } from './fields';

const Points = z.array(z.number().nullable());
/** The Monitor's metrics over a window, in equal buckets (null: nothing happened in that bucket). */
export const MetricsHistorySchema = z.object({
  from: z.number(),
  to: z.number(),
  bucketMs: z.number(),
  time: z.array(z.number()),
  exportLatencyP50Sec: Points,
  exportLatencyMaxSec: Points,
  exports: z.array(z.number()),
  exportSuccessPct: Points,
  orders: z.array(z.number()),
  rejectionPct: Points,
  signalToFillP50Sec: Points,
  slippageMeanBps: Points,
  slippageMaxBps: Points,
  /** Against the close of the signal's bar: what the fill cost beside a backtest of the signal. */
  signalSlippageMeanBps: Points,
  fees: Points,
  totals: z.object({
    exports: z.number(),
    exportFailures: z.number(),
    orders: z.number(),
    rejected: z.number(),
    fills: z.number(),
    fees: z.number(),
  }),
});
export type MetricsHistory = z.infer<typeof MetricsHistorySchema>;

export const ExchangeProbeSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  latencyMs: z.number().nullable(),
  skewMs: z.number().nullable(),
  error: z.string().nullable(),
});
export const FreshnessSchema = z.object({
  symbol: z.string(),
  timeframe: Timeframe,
  auto: z.boolean(),
  /** Open time of the newest stored bar (ms), null when none. */
  lastBar: z.number().nullable(),
  /** Closed bars the store is behind the exchange. */
  behindBars: z.number().nullable(),
  /** Bars missing inside the recent window (1m: 6 h, 1d: 30 days). */
  missingRecent: z.number().nullable(),
});
export type Freshness = z.infer<typeof FreshnessSchema>;

/** A resident worker as the sample found it: its state and how old its last heartbeat was. */
export const WorkerSampleSchema = z.object({
  name: z.string(),
  state: WorkerState,
  heartbeatAgeMs: z.number().nullable(),
});
export type WorkerSample = z.infer<typeof WorkerSampleSchema>;

export const HealthSampleSchema = z.object({
  at: z.number(),
  dbLatencyMs: z.number().nullable(),
  exchanges: z.array(ExchangeProbeSchema),
  freshness: z.array(FreshnessSchema),
  /** Absent in samples kept before workers were sampled. */
  workers: z.array(WorkerSampleSchema).default([]),
});
export type HealthSample = z.infer<typeof HealthSampleSchema>;

export const HealthWatchSchema = z.object({
  latest: HealthSampleSchema.nullable(),
  /** Samples of the window, oldest first (without the freshness table, which only the latest needs). */
  history: z.array(HealthSampleSchema.omit({ freshness: true })),
});
export type HealthWatch = z.infer<typeof HealthWatchSchema>;

export const monitorServices = {
  'metrics.history': {
    request: z.object({ hours: z.number().int().min(1).max(168).default(24) }).strict(),
    reply: MetricsHistorySchema,
  },
  'health.watch': {
    request: z.object({ hours: z.number().int().min(1).max(168).default(6) }).strict(),
    reply: HealthWatchSchema,
  },
} as const;
