// The Freqtrade part of the API contract: a ready user folder for a Freqtrade bot that trades
// one strategy's signals (configuration, strategy, our bars in Freqtrade's data layout).
import { z } from 'zod';
import { TextSchema } from '../wording/wording';
import { Symbol, Timeframe } from './fields';

export const FreqtradeSetupRequestSchema = z
  .object({
    /** Where to write Freqtrade's user_data folder; null: `freqtrade/user_data` in the data folder. */
    dir: z.string().trim().min(1).max(1000).nullable().default(null),
    strategyId: z.string().min(1).max(100),
    symbols: z.array(Symbol).min(1).max(20),
    timeframe: Timeframe,
    /** The demo exchange (while the desk runs) or Binance itself. */
    exchange: z.enum(['demo', 'binance']),
  })
  .strict();
export type FreqtradeSetupRequest = z.infer<typeof FreqtradeSetupRequestSchema>;

export const FreqtradeUserDirSchema = z.object({
  dir: z.string(),
  series: z.array(
    z.object({
      symbol: z.string(),
      pair: z.string(),
      file: z.string(),
      bars: z.number().int(),
      from: z.number().nullable(),
      to: z.number().nullable(),
    }),
  ),
  commands: z.array(z.string()),
});

export const FreqtradeTradeViewSchema = z.object({
  tradeId: z.number().int(),
  pair: z.string(),
  isOpen: z.boolean(),
  amount: z.number(),
  stake: z.number(),
  openRate: z.number(),
  openedAt: z.number(),
  closeRate: z.number().nullable(),
  closedAt: z.number().nullable(),
  /** The signal it entered on (`qd:enter:<ts>`), and the one it exited on (`qd:exit:<ts>`) or Freqtrade's own reason. */
  enterTag: z.string().nullable(),
  exitReason: z.string().nullable(),
  profit: z.number().nullable(),
  profitRatio: z.number().nullable(),
});
export type FreqtradeTradeView = z.infer<typeof FreqtradeTradeViewSchema>;

/** The watched bot as the desk last saw it. */
export const FreqtradeBotViewSchema = z.object({
  configured: z.boolean(),
  url: z.string().nullable(),
  strategyId: z.string().nullable(),
  state: z.enum(['unknown', 'connected', 'unreachable', 'refused']),
  lastError: TextSchema.nullable(),
  checkedAt: z.string().nullable(),
  bot: z
    .object({
      strategy: z.string().nullable(),
      timeframe: z.string().nullable(),
      exchange: z.string(),
      dryRun: z.boolean(),
      state: z.string().nullable(),
      stakeCurrency: z.string(),
    })
    .nullable(),
  openTrades: z.array(FreqtradeTradeViewSchema),
  /** The latest closed trades, newest first. */
  closedTrades: z.array(FreqtradeTradeViewSchema),
  balance: z.object({ total: z.number(), currency: z.string() }).nullable(),
  profit: z.object({ all: z.number(), closed: z.number(), trades: z.number(), closedTrades: z.number() }).nullable(),
});
export type FreqtradeBotView = z.infer<typeof FreqtradeBotViewSchema>;

const SignalRowSchema = z.object({
  ts: z.number(),
  intent: z.enum(['enter', 'exit']).nullable(),
  outcome: z.enum(['traded', 'explained', 'pending', 'missing']),
  code: z.string().nullable(),
  tradeId: z.number().nullable(),
});
export const BotReconciliationViewSchema = z.object({
  strategyId: z.string().nullable(),
  pairs: z.array(
    z.object({
      pair: z.string(),
      timeframe: z.string(),
      signals: z.array(SignalRowSchema),
      unexpected: z.array(z.object({ tradeId: z.number(), tag: z.string() })),
    }),
  ),
});
export type BotReconciliationView = z.infer<typeof BotReconciliationViewSchema>;

export const freqtradeServices = {
  'freqtrade.setup': { request: FreqtradeSetupRequestSchema, reply: FreqtradeUserDirSchema },
  'freqtrade.bot': { request: z.object({}).strict(), reply: FreqtradeBotViewSchema },
  /** Checks the bot's REST API answers with these credentials, then keeps them as a secret. */
  'freqtrade.connect': {
    request: z
      .object({
        url: z.string().url().max(500),
        username: z.string().min(1).max(200),
        password: z.string().min(1).max(500),
        strategyId: z.string().min(1).max(100).nullable().default(null),
      })
      .strict(),
    reply: FreqtradeBotViewSchema,
  },
  'freqtrade.disconnect': { request: z.object({}).strict(), reply: FreqtradeBotViewSchema },
  /** The bot's strategy's signals against its trades, per pair. */
  'freqtrade.reconcile': { request: z.object({}).strict(), reply: BotReconciliationViewSchema },
} as const;
