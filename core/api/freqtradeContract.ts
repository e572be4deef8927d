// The Freqtrade part of the API contract: a ready user folder for a Freqtrade bot that trades
// one strategy's signals (configuration, strategy, our bars in Freqtrade's data layout).
import { z } from 'zod';
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

export const freqtradeServices = {
  'freqtrade.setup': { request: FreqtradeSetupRequestSchema, reply: FreqtradeUserDirSchema },
} as const;
