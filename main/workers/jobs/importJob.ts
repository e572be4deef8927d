// The importer worker: one (exchange, symbol, timeframe) series per job, candles through
// ccxt into the market collections. A crash or a kill loses nothing: the next run resumes
// from what is stored.
import { z } from 'zod';
import { TIMEFRAME_MS, isTimeframe } from '../../../core/market/timeframes';
import { word } from '../../../core/wording/wording';
import { createExchangeClient } from '../../exchange/ccxtFactory';
import { ImportCancelled, importOhlcv } from '../../market/ohlcvImporter';
import { BarColumns } from '../../market/barColumns';
import { MarketStore } from '../../market/marketStore';
import { withResearchDb } from './researchDb';
import type { Job } from '../workerContext';
import { RequestWeightsSchema } from '../../../core/exchange/venues';

export const ImportParamsSchema = z.object({
  uri: z.string().min(1),
  dbName: z.string().min(1),
  /** Folder of the columnar copy of the bars, kept with every write. */
  columnsDir: z.string().min(1).optional(),
  ccxtId: z.string().min(1),
  /** The venue's ccxt options. */
  ccxtOptions: z.record(z.string(), z.unknown()).optional(),
  /** The exchange account whose request budget this import spends. */
  account: z.string().min(1).default('default'),
  apiBaseUrl: z.string().url().optional(),
  symbol: z.string().min(1),
  pair: z.string().min(1),
  timeframe: z.string().refine(isTimeframe, 'timeframe must be 1m or 1d'),
  from: z.number().int(),
  to: z.number().int().optional(),
  pageSize: z.number().int().min(1).optional(),
  /** What loading the markets and a page of klines weigh on this exchange. */
  weights: RequestWeightsSchema.pick({ markets: true, klines: true }).optional(),
  /** Fetch the whole range again and replace what is stored (after a data-quality finding). */
  refetch: z.boolean().optional(),
});
export type ImportParams = z.infer<typeof ImportParamsSchema>;

export const importJob: Job = async (raw, ctx) => {
  const p = ImportParamsSchema.parse(raw);
  return withResearchDb(
    { uri: p.uri, dbName: p.dbName, appName: 'quantdesk-worker-import', log: ctx.log },
    async (db) => {
      const store = new MarketStore(db, p.columnsDir ? new BarColumns(p.columnsDir, ctx.log) : null);
      const exchange = createExchangeClient({
        exchangeId: p.ccxtId,
        ...(p.ccxtOptions && { ccxtOptions: p.ccxtOptions }),
        ...(p.apiBaseUrl && { apiBaseUrl: p.apiBaseUrl }),
      });
      let lastSent = 0;
      const result = await importOhlcv(
        {
          symbol: p.symbol,
          pair: p.pair,
          timeframe: p.timeframe as '1m' | '1d',
          from: p.from,
          ...(p.to !== undefined && { to: p.to }),
          ...(p.refetch && { refetch: true }),
        },
        {
          exchange,
          store,
          log: ctx.log,
          signal: ctx.signal,
          acquire: (weight) => ctx.acquire(p.account, weight, 'importer'),
          ...(p.pageSize && { pageSize: p.pageSize }),
          ...(p.weights && { weights: p.weights }),
          onProgress: (pr) => {
            // At most a few updates a second: progress must not cost more than the work.
            const t = Date.now();
            if (t - lastSent < 250 && pr.done < pr.expected) return;
            lastSent = t;
            const rate = Math.round(pr.rate);
            ctx.progress(
              pr.done,
              pr.expected,
              pr.etaSeconds === null
                ? word('progress.importing', { rate })
                : word('progress.importingEta', { rate, eta: pr.etaSeconds * 1000 }),
            );
          },
        },
      ).catch((err: unknown) => {
        if (err instanceof ImportCancelled) return null;
        throw err;
      });
      if (!result) return { cancelled: true } as Record<string, boolean>;
      // The exchange's history may start after the asked start (a pair listed later): said, not hidden.
      const ranges = await store.storedRanges(p.symbol, p.timeframe as '1m' | '1d');
      const first = ranges[0]?.[0] ?? null;
      const startsLater = first !== null && first > p.from + TIMEFRAME_MS[p.timeframe as '1m' | '1d'];
      return {
        cancelled: false,
        ...(startsLater && { historyFrom: first, askedFrom: p.from }),
        stored: result.stored,
        expected: result.expected,
        requests: result.requests,
        retries: result.retries,
        rejected: result.rejected,
      };
    },
  );
};
