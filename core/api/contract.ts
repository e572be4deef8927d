// The one typed contract between the desk (renderer) and the back end (main).
// Both transports (Electron IPC and the WebSocket of browser mode) carry exactly these
// services and events; every payload is validated on the receiving side with these schemas.
import { z } from 'zod';
import { TextSchema, WordingSchema } from '../wording/wording';
import { RESOLUTIONS } from '../market/resample';
import { CANDLE_FILE_FORMATS } from '../market/fileFormats';
import { IsoTime, Symbol, Timeframe, WorkerState } from './fields';
import { SettingsSchema, SettingsPatchSchema } from '../settings/settingsSchema';
import { monitorServices } from './monitorContract';
import { ResearchProgressSchema, researchServices } from './researchContract';
import { AlertSchema, PipelineViewSchema, SignalExportedSchema, signalsServices } from './signalsContract';
import {
  ExecConfigViewSchema,
  ReconReportSchema,
  executionServices,
  keysServices,
  reconServices,
} from './executionContract';
import { acceptanceServices } from './acceptanceContract';
import { auditServices } from './auditContract';
import { FreqtradeBotViewSchema, freqtradeServices } from './freqtradeContract';

const Empty = z.object({}).strict();

export const DatabaseHealthSchema = z.object({
  state: z.enum(['connected', 'connecting', 'down']),
  /** Which server: our own local engine, a local mongod we started, or one the trader configured. */
  server: z.enum(['ferretdb', 'mongod', 'external']),
  /** true when this app started the server and stops it on exit. */
  managed: z.boolean(),
  /** The server's reported version (buildInfo), null until first contact. */
  version: z.string().nullable(),
  /** Engine detail, e.g. 'FerretDB v1.24.2 (SQLite)' or 'MongoDB'. */
  engine: z.string().nullable(),
  /** Connection string with any credentials masked. */
  uri: z.string(),
  dbName: z.string(),
  pid: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  lastError: z.string().nullable(),
  checkedAt: IsoTime,
  /** When the current state began. */
  since: IsoTime,
  /** TTL index on crypto_signals.ts: created, or unsupported by this server. */
  ttlIndex: z.enum(['created', 'unsupported', 'disabled', 'unknown']),
});
export type DatabaseHealth = z.infer<typeof DatabaseHealthSchema>;

export const WorkerProgressSchema = z.object({
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  label: TextSchema,
});
export type WorkerProgress = z.infer<typeof WorkerProgressSchema>;

export const WorkerStatusSchema = z.object({
  name: z.string(),
  job: z.string(),
  state: WorkerState,
  pid: z.number().int().nullable(),
  restarts: z.number().int().nonnegative(),
  startedAt: IsoTime.nullable(),
  lastHeartbeat: IsoTime.nullable(),
  lastError: z.string().nullable(),
  /** The job's own reason for failing, as a sentence the desk words (lastError is its English). */
  failure: WordingSchema.nullable().optional(),
  nextRestartAt: IsoTime.nullable(),
  progress: WorkerProgressSchema.nullable(),
  /** Free-form figures the job reports (e.g. collection counts), for the Health panel. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type WorkerStatus = z.infer<typeof WorkerStatusSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  platform: z.string(),
  versions: z.record(z.string(), z.string()),
  startedAt: IsoTime,
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const HealthSnapshotSchema = z.object({
  database: DatabaseHealthSchema,
  workers: z.array(WorkerStatusSchema),
  app: AppInfoSchema,
});
export type HealthSnapshot = z.infer<typeof HealthSnapshotSchema>;

export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  /** Values that come from the environment or .env, shown read-only (credentials masked). */
  environment: z.array(
    z.object({ name: z.string(), value: z.string().nullable(), source: z.enum(['environment', '.env', 'default']) }),
  ),
  paths: z.object({ dataDir: z.string(), settingsFile: z.string(), logFile: z.string(), envFile: z.string() }),
  /** Settings whose change takes effect only after a restart. */
  restartRequired: z.array(z.string()),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const ExchangeInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  ccxtId: z.string(),
  /** A simulated exchange (the demo): its prices are synthetic. */
  simulated: z.boolean(),
  /** Prefix of stored symbols, e.g. BINANCE in BINANCE:BTCUSDT. */
  symbolPrefix: z.string(),
});
export type ExchangeInfo = z.infer<typeof ExchangeInfoSchema>;

/**
 * Trouble a simulated exchange can be told to make, so the trader can see the desk's alerts,
 * retries and channels at work before real money depends on them.
 */
export const SimTroubleSchema = z
  .object({
    /** Share of order placements refused with Binance's -2010 insufficient balance. */
    rejectRate: z.number().min(0).max(1),
    /** Share of requests answered 503. */
    serverErrorRate: z.number().min(0).max(1),
    /** Share of requests never answered. */
    timeoutRate: z.number().min(0).max(1),
    /** Added to every reply. */
    latencyMs: z.number().int().min(0).max(10_000),
  })
  .strict();
export type SimTrouble = z.infer<typeof SimTroubleSchema>;

export const GapSchema = z.object({ from: z.number(), to: z.number(), bars: z.number() });

export const CoverageSchema = z.object({
  symbol: z.string(),
  timeframe: Timeframe,
  first: z.number().nullable(),
  last: z.number().nullable(),
  bars: z.number(),
  expected: z.number(),
  gapCount: z.number(),
  missingBars: z.number(),
  /** The largest gaps first, at most 500. */
  gaps: z.array(GapSchema),
  /** Suspicious close-to-close moves, largest first. */
  jumps: z.array(z.object({ time: z.number(), change: z.number(), sigmas: z.number() })),
  /** Runs of bars with zero volume, longest first. */
  zeroVolumeRuns: z.array(GapSchema),
});
export type CoverageReport = z.infer<typeof CoverageSchema>;

export const BarsReplySchema = z.object({
  symbol: z.string(),
  timeframe: Timeframe,
  /** What the candles are: the stored timeframe itself, or buckets resampled from it. */
  resolution: z.enum(RESOLUTIONS),
  /** Stored bars the candles were made from. */
  sourceBars: z.number().int().nonnegative(),
  /** Columns: open times (ms, UTC) and prices/volumes, same length. */
  time: z.array(z.number()),
  open: z.array(z.number()),
  high: z.array(z.number()),
  low: z.array(z.number()),
  close: z.array(z.number()),
  volume: z.array(z.number()),
  /** The bar forming now on the exchange (not stored), when asked for and available; resampled, it is the newest candle with that bar folded in. */
  forming: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type BarsReply = z.infer<typeof BarsReplySchema>;

export const SeriesSchema = z.object({
  symbol: z.string(),
  timeframe: Timeframe,
  exchange: z.string(),
  pair: z.string(),
  from: z.number(),
  auto: z.boolean(),
  /** Being deleted (its bars are removed in the background). */
  deleting: z.boolean().optional(),
  /** Its perpetual's funding and last/mark/index bars are imported too (kept current with it). */
  perp: z.boolean().optional(),
  /** Its perpetual's order book is sampled while the app runs, summarised per 1m bar. */
  depth: z.boolean().optional(),
});
/** What a series holds, from the index of stored bars (null: not known until a quality check reads the bars). */
export const StoredSummarySchema = z.object({
  bars: z.number(),
  first: z.number().nullable(),
  last: z.number().nullable(),
  gaps: z.number(),
  missingBars: z.number(),
});
export const SeriesViewSchema = SeriesSchema.extend({ stored: StoredSummarySchema.nullable() });
export type SeriesView = z.infer<typeof SeriesViewSchema>;
export type Series = z.infer<typeof SeriesSchema>;

/** What is stored of one kind of perpetual data for a symbol. */
export const PerpCoverageSchema = z.object({
  symbol: z.string(),
  kind: z.enum(['funding', 'last', 'mark', 'index', 'depth']),
  timeframe: Timeframe.nullable(),
  rows: z.number().int().nonnegative(),
  first: z.number().nullable(),
  last: z.number().nullable(),
});
export type PerpCoverage = z.infer<typeof PerpCoverageSchema>;

const Values = z.array(z.number().nullable());
/** The chart's panes under the candles: funding, basis and depth over the bars shown (null: no value there). */
export const PerpPanesSchema = z.object({
  symbol: z.string(),
  timeframe: Timeframe,
  /** Where the panes start: the range asked, or its latest month of bars when it is longer. */
  from: z.number(),
  /** Funding settlements in the range: time and rate in bp per interval. */
  funding: z.object({ time: z.array(z.number()), rateBp: z.array(z.number()) }),
  /** Annualised basis (perpetual over spot, mark over index) in %, at bar open times. */
  basis: z.object({ time: z.array(z.number()), perpPct: Values, markPct: Values }),
  /** Depth per 1m bar: imbalance within 0.1 % of the mid (-1..1) and the spread in bp. */
  depth: z.object({ time: z.array(z.number()), imbalance: Values, spreadBp: Values }),
});
export type PerpPanes = z.infer<typeof PerpPanesSchema>;

/** Request/reply pairs. Names are `area.verb`; commands are imperative. */
export const services = {
  'app.info': { request: Empty, reply: AppInfoSchema },
  'health.get': { request: Empty, reply: HealthSnapshotSchema },
  'settings.get': { request: Empty, reply: SettingsViewSchema },
  'settings.update': { request: SettingsPatchSchema, reply: SettingsViewSchema },
  'workers.list': { request: Empty, reply: z.array(WorkerStatusSchema) },
  'workers.restart': { request: z.object({ name: z.string().min(1).max(100) }).strict(), reply: WorkerStatusSchema },
  'exchanges.list': { request: Empty, reply: z.array(ExchangeInfoSchema) },
  'market.pairs': { request: z.object({ exchange: z.string().min(1).max(40) }).strict(), reply: z.array(z.string()) },
  /** Only simulated exchanges take orders to misbehave; a real one is refused. */
  'exchanges.trouble': { request: z.object({ exchange: z.string().min(1).max(40) }).strict(), reply: SimTroubleSchema },
  'exchanges.setTrouble': {
    request: z.object({ exchange: z.string().min(1).max(40), trouble: SimTroubleSchema }).strict(),
    reply: SimTroubleSchema,
  },
  'market.import.start': {
    request: z
      .object({
        exchange: z.string().min(1).max(40),
        pair: z.string().min(3).max(41),
        timeframe: Timeframe,
        from: IsoTime,
        to: IsoTime.optional(),
        auto: z.boolean().default(true),
      })
      .strict(),
    reply: WorkerStatusSchema,
  },
  'market.import.cancel': {
    request: z.object({ name: z.string().min(1).max(100) }).strict(),
    reply: WorkerStatusSchema,
  },
  'market.series': { request: Empty, reply: z.array(SeriesViewSchema) },
  /** Keep a stored series current while the app runs, or stop. */
  'market.keepCurrent': {
    request: z.object({ symbol: Symbol, timeframe: Timeframe, on: z.boolean() }).strict(),
    reply: SeriesViewSchema,
  },
  /** Deletes a series: its bars (in the background, with progress), its index and its columnar copy. The symbol is typed to confirm. */
  'market.deleteSeries': {
    request: z.object({ symbol: Symbol, timeframe: Timeframe, confirm: z.string().max(60) }).strict(),
    reply: WorkerStatusSchema,
  },
  'market.importFile': {
    request: z
      .object({
        path: z.string().min(1).max(4096),
        symbol: Symbol,
        timeframe: Timeframe,
        format: z.enum(['auto', ...CANDLE_FILE_FORMATS]).default('auto'),
        /** Overwrite stored bars the file has with other values (otherwise they are kept, and counted as changed). */
        replace: z.boolean().default(false),
      })
      .strict(),
    reply: WorkerStatusSchema,
  },
  'market.refetch': {
    request: z.object({ symbol: Symbol, timeframe: Timeframe, from: IsoTime, to: IsoTime }).strict(),
    reply: WorkerStatusSchema,
  },
  'market.coverage': { request: z.object({ symbol: Symbol, timeframe: Timeframe }).strict(), reply: CoverageSchema },
  'market.bars': {
    request: z
      .object({
        symbol: Symbol,
        timeframe: Timeframe,
        from: IsoTime.optional(),
        to: IsoTime.optional(),
        forming: z.boolean().default(false),
        resolution: z.enum(RESOLUTIONS).optional(),
      })
      .strict(),
    reply: BarsReplySchema,
  },
  /** Imports the series' perpetual data (funding, last/mark/index bars) and keeps it current with the series. */
  'market.perp.import': {
    request: z.object({ symbol: Symbol, timeframe: Timeframe }).strict(),
    reply: WorkerStatusSchema,
  },
  /** Samples the series' perpetual order book while the app runs (summarised per 1m bar), or stops. */
  'market.perp.depth': {
    request: z.object({ symbol: Symbol, timeframe: Timeframe, on: z.boolean() }).strict(),
    reply: SeriesViewSchema,
  },
  'market.perp.coverage': { request: Empty, reply: z.array(PerpCoverageSchema) },
  /** A file of a symbol's perpetual data: Freqtrade's funding_rate files, or last/mark/index bars. */
  'market.perp.importFile': {
    request: z
      .object({
        path: z.string().min(1).max(4096),
        symbol: Symbol,
        timeframe: Timeframe,
        kind: z.enum(['funding', 'last', 'mark', 'index']),
        format: z.enum(['auto', ...CANDLE_FILE_FORMATS]).default('auto'),
      })
      .strict(),
    reply: WorkerStatusSchema,
  },
  'market.perp.panes': {
    request: z
      .object({ symbol: Symbol, timeframe: Timeframe, from: IsoTime.optional(), to: IsoTime.optional() })
      .strict(),
    reply: PerpPanesSchema,
  },
  ...researchServices,
  ...signalsServices,
  ...executionServices,
  ...keysServices,
  ...reconServices,
  ...auditServices,
  ...monitorServices,
  ...acceptanceServices,
  ...freqtradeServices,
} as const;

/** Events pushed from the back end; names are past tense. */
export const events = {
  healthChanged: HealthSnapshotSchema,
  workerChanged: WorkerStatusSchema,
  settingsChanged: SettingsViewSchema,
  researchProgress: ResearchProgressSchema,
  signalExported: SignalExportedSchema,
  pipelineChanged: PipelineViewSchema,
  alertRaised: AlertSchema,
  executionChanged: ExecConfigViewSchema,
  killSwitchChanged: z.object({ killSwitch: z.boolean() }),
  freqtradeChanged: FreqtradeBotViewSchema,
  reconciled: ReconReportSchema,
} as const;

export type Services = typeof services;
export type ServiceName = keyof Services;
export type RequestOf<K extends ServiceName> = z.infer<Services[K]['request']>;
export type ReplyOf<K extends ServiceName> = z.infer<Services[K]['reply']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

/** What the back end implements: one async function per service. */
export type ServiceHandlers = { [K in ServiceName]: (request: RequestOf<K>) => Promise<ReplyOf<K>> };
