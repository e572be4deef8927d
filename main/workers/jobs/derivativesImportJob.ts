// The perpetual-data importer worker: funding history and the perpetual's last, mark and index
// bars of one spot series, through ccxt's futures client, into the perpetual collections. A
// crash or a kill loses nothing: the next run fetches only what is still missing.
import { word } from '../../../core/wording/wording';
import { z } from 'zod';
import type { Timeframe } from '../../../core/market/timeframes';
import { ImportParamsSchema } from './importJob';
import { createExchangeClient } from '../../exchange/ccxtFactory';
import { DerivativesStore } from '../../market/derivativesStore';
import { importDerivatives } from '../../market/derivativesImporter';
import { ImportCancelled } from '../../market/ohlcvImporter';
import { withResearchDb } from './researchDb';
import type { Job } from '../workerContext';

export const DerivativesImportParamsSchema = ImportParamsSchema.pick({
  uri: true,
  dbName: true,
  ccxtId: true,
  apiBaseUrl: true,
  symbol: true,
  pair: true,
  timeframe: true,
  from: true,
  to: true,
}).extend({
  /** The futures API's budget account (its weights count apart from spot's). */
  account: z.string().min(1),
  futures: z.object({
    weights: z.object({ markets: z.number(), klines: z.number(), funding: z.number(), depth: z.number() }),
    klinesPageSize: z.number().int().min(1),
    fundingPageSize: z.number().int().min(1),
  }),
});

export const derivativesImportJob: Job = async (raw, ctx) => {
  const p = DerivativesImportParamsSchema.parse(raw);
  return withResearchDb(
    { uri: p.uri, dbName: p.dbName, appName: 'quantdesk-worker-perp', log: ctx.log },
    async (db) => {
      const exchange = createExchangeClient({
        exchangeId: p.ccxtId,
        marketType: 'future',
        ...(p.apiBaseUrl && { apiBaseUrl: p.apiBaseUrl }),
      });
      let lastSent = 0;
      const result = await importDerivatives(
        {
          symbol: p.symbol,
          pair: p.pair,
          timeframe: p.timeframe as Timeframe,
          from: p.from,
          ...(p.to !== undefined && { to: p.to }),
        },
        {
          exchange,
          store: new DerivativesStore(db),
          log: ctx.log,
          futures: p.futures,
          signal: ctx.signal,
          acquire: (weight) => ctx.acquire(p.account, weight, 'importer'),
          onProgress: (pr) => {
            const t = Date.now();
            if (t - lastSent < 250 && pr.done < pr.expected) return;
            lastSent = t;
            ctx.progress(pr.done, pr.expected, word(`perp.part.${pr.stage}`));
          },
        },
      ).catch((err: unknown) => {
        // (a pair without a perpetual fails with its reason in words, shown as the job's failure)
        if (err instanceof ImportCancelled) return null;
        throw err;
      });
      if (!result) return { cancelled: true } as Record<string, boolean>;
      return {
        cancelled: false,
        ...result.stored,
        requests: result.requests,
        retries: result.retries,
        rejected: result.rejected,
      };
    },
  );
};
