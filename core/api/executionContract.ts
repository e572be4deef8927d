// The Trading part of the API contract: which strategies the executor trades (paper for
// now), their risk settings, the kill switch, and the records: orders, fills, positions and
// the paper account.
import { z } from 'zod';
import { TextSchema } from '../wording/wording';
import { DEFAULT_MAX_SLIPPAGE_BPS, MAX_REJECTIONS_IN_A_ROW } from '../execution/risk';
import { IsoTime, Mode, StrategyId, Symbol, Timeframe } from './fields';

export const ExecConfigDraftSchema = z
  .object({
    id: z.string().max(64).optional(),
    strategyId: StrategyId,
    symbol: Symbol,
    timeframe: Timeframe,
    /** Stake per entry: % of equity, or a fixed quote amount when stakeQuote is set. */
    stakePct: z.number().gt(0).max(100).default(95),
    stakeQuote: z.number().positive().max(1e9).nullable().default(null),
    maxOpenPositions: z.number().int().min(1).max(100).default(3),
    maxDailyLossPct: z.number().gt(0).max(100).default(10),
    minHoldBars: z.number().int().min(0).max(100_000).default(0),
    cooldownBars: z.number().int().min(0).max(100_000).default(0),
    /** Protective stop under the entry price (%), watched by the executor. */
    stopLossPct: z.number().gt(0).lt(100).nullable().default(null),
    /** A fill this many basis points worse than the decision price raises an alert. */
    maxSlippageBps: z.number().gt(0).max(10_000).default(DEFAULT_MAX_SLIPPAGE_BPS),
    /** This many order refusals in a row pause the strategy (a critical alert) until the trader resets it. */
    maxRejectionsInARow: z.number().int().min(1).max(100).default(MAX_REJECTIONS_IN_A_ROW),
    enabled: z.boolean().default(false),
  })
  .strict();
export type ExecConfigDraft = z.infer<typeof ExecConfigDraftSchema>;

export const StepOutcomeSchema = z.object({
  at: IsoTime,
  kind: z.enum(['none', 'refused', 'ordered', 'duplicate', 'paused', 'error']),
  /** Why, as a sentence the desk words in the trader's language. */
  reason: TextSchema.nullable(),
  clientOrderId: z.string().nullable(),
});

/** An order the trader asked for on the Trading page, waiting for the executor's next step. */
export const ManualCommandSchema = z.object({
  id: z.string(),
  action: z.enum(['enter', 'exit']),
  at: IsoTime,
});
export type ManualCommand = z.infer<typeof ManualCommandSchema>;

export const ExecConfigViewSchema = ExecConfigDraftSchema.required({ id: true }).extend({
  pair: z.string(),
  mode: Mode,
  createdAt: IsoTime,
  /** A manual enter or exit not yet carried out. */
  manual: ManualCommandSchema.nullable(),
  /** After a manual exit the strategy stays flat (its entry signals are not followed) until the trader lets it trade again. */
  holdFlat: z.boolean(),
  /** The last thing the executor did or decided not to do, with its reason. */
  lastOutcome: StepOutcomeSchema.nullable(),
  position: z.number(),
  /** The position can be sold (above the exchange's lot size and minimum value; dust cannot). */
  sellable: z.boolean(),
  lastPrice: z.number().nullable(),
  /** Average entry price of the open position, and its unrealised P&L in quote. */
  entryPrice: z.number().nullable(),
  unrealizedPnl: z.number().nullable(),
});
export type ExecConfigView = z.infer<typeof ExecConfigViewSchema>;

export const OrderViewSchema = z.object({
  clientOrderId: z.string(),
  strategyId: z.string(),
  pair: z.string(),
  timeframe: Timeframe,
  mode: Mode,
  leg: z.enum(['enter', 'exit', 'stop']),
  /** Asked for by the trader on the desk, not caused by a signal. */
  manual: z.boolean(),
  side: z.enum(['buy', 'sell']),
  amount: z.number(),
  filled: z.number(),
  avgPrice: z.number().nullable(),
  refPrice: z.number(),
  status: z.string(),
  reason: TextSchema.nullable(),
  signalTs: z.number(),
  signalVersion: z.string().nullable(),
  createdAt: IsoTime,
});
export type OrderView = z.infer<typeof OrderViewSchema>;

export const FillViewSchema = z.object({
  id: z.string(),
  clientOrderId: z.string(),
  strategyId: z.string(),
  pair: z.string(),
  mode: Mode,
  side: z.enum(['buy', 'sell']),
  amount: z.number(),
  price: z.number(),
  fee: z.number(),
  feeCurrency: z.string().nullable(),
  time: z.number(),
  signalTs: z.number(),
  slippageBps: z.number(),
  /** Against the signal bar's close; null when unknown. */
  signalSlippageBps: z.number().nullable(),
  signalToFillMs: z.number(),
  note: TextSchema.nullable(),
  /** What the order was: an entry, an exit, or the protective stop (null: its order is gone). */
  leg: z.enum(['enter', 'exit', 'stop']).nullable(),
});
export type FillView = z.infer<typeof FillViewSchema>;

export const DriftReportSchema = z.object({
  strategyId: z.string(),
  pair: z.string(),
  mode: Mode,
  from: z.number(),
  to: z.number(),
  bars: z.number(),
  actual: z.object({ pnl: z.number(), fills: z.number(), fees: z.number() }),
  backtest: z.object({ pnl: z.number(), trades: z.number(), fills: z.number(), fees: z.number() }),
  /** Each real fill beside the price the backtest filled at (the open after the signal's bar). */
  fills: z.array(
    z.object({
      time: z.number(),
      side: z.enum(['buy', 'sell']),
      amount: z.number(),
      price: z.number(),
      backtestPrice: z.number().nullable(),
      diffBps: z.number().nullable(),
    }),
  ),
  warnings: z.array(TextSchema),
});
export type DriftReport = z.infer<typeof DriftReportSchema>;

export const executionServices = {
  'execution.configs': { request: z.object({}).strict(), reply: z.array(ExecConfigViewSchema) },
  'execution.save': { request: ExecConfigDraftSchema, reply: ExecConfigViewSchema },
  'execution.delete': {
    request: z.object({ id: z.string().min(1).max(64) }).strict(),
    reply: z.object({ deleted: z.boolean() }),
  },
  'execution.enable': {
    request: z.object({ id: z.string().min(1).max(64), enabled: z.boolean() }).strict(),
    reply: ExecConfigViewSchema,
  },
  /** Resets a strategy paused by its circuit breaker. */
  'execution.resume': { request: z.object({ id: z.string().min(1).max(64) }).strict(), reply: ExecConfigViewSchema },
  /** Live needs the exchange's keys in the keychain and the typed confirmation `LIVE <strategy_id>`. */
  'execution.mode': {
    request: z.object({ id: z.string().min(1).max(64), mode: Mode, confirm: z.string().max(100).default('') }).strict(),
    reply: ExecConfigViewSchema,
  },
  'execution.kill': { request: z.object({ on: z.boolean() }).strict(), reply: z.object({ killSwitch: z.boolean() }) },
  /**
   * A manual order, carried out at the executor's next step. An exit sells the position and
   * keeps the strategy flat until `execution.release`; it works under the kill switch. An
   * enter is refused under the kill switch or while in a position, with the reason.
   */
  'execution.manual': {
    request: z.object({ id: z.string().min(1).max(64), action: z.enum(['enter', 'exit']) }).strict(),
    reply: ExecConfigViewSchema,
  },
  /** Lets a strategy held flat after a manual exit follow its signals again. */
  'execution.release': { request: z.object({ id: z.string().min(1).max(64) }).strict(), reply: ExecConfigViewSchema },
  /** A manual exit of every strategy holding a position (each then held flat). */
  'execution.closeAll': {
    request: z.object({ confirm: z.literal('CLOSE ALL') }).strict(),
    reply: z.object({ exits: z.number().int(), strategies: z.array(z.string()) }),
  },
  'execution.status': {
    request: z.object({}).strict(),
    reply: z.object({
      killSwitch: z.boolean(),
      liveStrategies: z.number(),
      paper: z.object({ balances: z.record(z.string(), z.number()), equity: z.number().nullable() }),
    }),
  },
  /** P&L curve per strategy (realised and unrealised, quote currency), one point a minute, last 7 days. */
  'execution.equity': {
    request: z.object({}).strict(),
    reply: z.array(
      z.object({
        strategyId: z.string(),
        pair: z.string(),
        mode: Mode,
        time: z.array(z.number()),
        pnl: z.array(z.number()),
      }),
    ),
  },
  'execution.drift': { request: z.object({ id: z.string().min(1).max(64) }).strict(), reply: DriftReportSchema },
  'execution.orders': {
    request: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    reply: z.array(OrderViewSchema),
  },
  /** The newest fills, of one pair and a time range (ms) when given (the chart's markers). */
  'execution.fills': {
    request: z
      .object({
        limit: z.number().int().min(1).max(1000).default(200),
        pair: z.string().max(40).optional(),
        from: z.number().optional(),
        to: z.number().optional(),
      })
      .strict(),
    reply: z.array(FillViewSchema),
  },
} as const;

const KeyStatusSchema = z.object({ exchange: z.string(), hasKeys: z.boolean(), apiKeyHint: z.string().nullable() });
const ExchangeId = z.string().min(1).max(40);

const SecretsStatusSchema = z.object({
  store: z.enum(['keychain', 'file']),
  keychainError: z.string().nullable(),
  fileExists: z.boolean(),
  unlocked: z.boolean(),
});

export const keysServices = {
  /** Where secrets are kept: the OS keychain, or (without one) the encrypted secrets file, locked or unlocked. */
  'secrets.status': { request: z.object({}).strict(), reply: SecretsStatusSchema },
  /** Opens the encrypted secrets file (creates it with this passphrase the first time). The passphrase is never kept. */
  'secrets.unlock': {
    request: z.object({ passphrase: z.string().min(8).max(200) }).strict(),
    reply: SecretsStatusSchema,
  },
  'keys.list': { request: z.object({}).strict(), reply: z.array(KeyStatusSchema) },
  /** The secret travels once, to main, and lives in the OS keychain; nothing ever sends it back. */
  'keys.set': {
    request: z
      .object({ exchange: ExchangeId, apiKey: z.string().min(1).max(256), secret: z.string().min(1).max(256) })
      .strict(),
    reply: KeyStatusSchema.extend({ assets: z.number() }),
  },
  'keys.test': {
    request: z.object({ exchange: ExchangeId }).strict(),
    reply: z.object({ ok: z.boolean(), assets: z.number(), error: z.string().nullable() }),
  },
  'keys.remove': { request: z.object({ exchange: ExchangeId }).strict(), reply: z.object({ removed: z.boolean() }) },
} as const;

const ExOrder = z.object({
  id: z.string(),
  clientOrderId: z.string().nullable(),
  pair: z.string(),
  side: z.enum(['buy', 'sell']),
  amount: z.number(),
  filled: z.number(),
});
const ExTrade = z.object({
  id: z.string(),
  orderId: z.string(),
  pair: z.string(),
  side: z.enum(['buy', 'sell']),
  amount: z.number(),
  price: z.number(),
  time: z.number(),
});
const OurOrderS = z.object({
  clientOrderId: z.string(),
  pair: z.string(),
  side: z.enum(['buy', 'sell']),
  amount: z.number(),
  status: z.string(),
});
const OurFillS = z.object({
  tradeId: z.string(),
  clientOrderId: z.string(),
  pair: z.string(),
  side: z.enum(['buy', 'sell']),
  amount: z.number(),
  price: z.number(),
  time: z.number(),
});

export const DifferenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unknown-order'), key: z.string(), pair: z.string(), exchange: ExOrder }),
  z.object({ kind: z.literal('missing-order'), key: z.string(), pair: z.string(), ours: OurOrderS }),
  z.object({ kind: z.literal('unknown-fill'), key: z.string(), pair: z.string(), exchange: ExTrade }),
  z.object({ kind: z.literal('missing-fill'), key: z.string(), pair: z.string(), ours: OurFillS }),
  z.object({
    kind: z.literal('position-mismatch'),
    key: z.string(),
    pair: z.string(),
    ours: z.number(),
    exchange: z.number(),
  }),
]);

export const ReconReportSchema = z.object({
  id: z.string(),
  at: IsoTime,
  mode: Mode,
  account: z.string(),
  pairs: z.array(z.string()),
  differences: z.array(DifferenceSchema),
  ours: z.object({ positions: z.record(z.string(), z.number()), openOrders: z.number(), fills: z.number() }),
  exchange: z.object({ balances: z.record(z.string(), z.number()), openOrders: z.number(), trades: z.number() }),
  error: z.string().nullable(),
});
export type ReconReportView = z.infer<typeof ReconReportSchema>;

export const reconServices = {
  'recon.run': { request: z.object({}).strict(), reply: z.array(ReconReportSchema) },
  'recon.last': { request: z.object({}).strict(), reply: z.array(ReconReportSchema) },
  'recon.decide': {
    request: z
      .object({
        mode: Mode,
        account: z.string().min(1).max(60),
        key: z.string().min(1).max(300),
        decision: z.enum(['ignore', 'adopt', 'close']),
      })
      .strict(),
    reply: ReconReportSchema,
  },
} as const;
