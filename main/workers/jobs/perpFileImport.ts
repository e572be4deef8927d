// A file of perpetual data into the perpetual collections: Freqtrade's funding_rate files
// (the rate as the candle's open, any settlement interval) or the perpetual's last, mark or
// index bars of the series' timeframe (checked as candles are). Rows already stored are left
// as they are and counted; bad rows are rejected with their line and reason.
import { word } from '../../../core/wording/wording';
import fs from 'node:fs/promises';
import { COLLECTIONS } from '../../../core/db/collections';
import type { Timeframe } from '../../../core/market/timeframes';
import { readCandleFile, readFundingFile } from '../../market/candleFileReader';
import { DerivativesStore } from '../../market/derivativesStore';
import { reportRejected, withResearchDb } from './researchDb';
import type { WorkerContext } from '../workerContext';
import type { FileImportParams } from './fileImportJob';

const CHUNK = 5000;

export async function importPerpFile(
  p: FileImportParams,
  ctx: WorkerContext,
): Promise<Record<string, string | number | boolean | null>> {
  const tf = p.timeframe as Timeframe;
  const bytes = await fs.readFile(p.path);
  const parsed =
    p.data === 'funding'
      ? await readFundingFile(bytes, Date.now(), p.format)
      : await readCandleFile(bytes, tf, Date.now(), p.format);
  const rows = 'funding' in parsed ? parsed.funding : parsed.bars;
  const rejectedSample = reportRejected(ctx.log, p.path, parsed.rejected);
  return withResearchDb(
    { uri: p.uri, dbName: p.dbName, appName: 'quantdesk-worker-file-import', log: ctx.log },
    async (db) => {
      const store = new DerivativesStore(db);
      const counts = { new: 0, changed: 0, identical: 0 };
      for (let i = 0; i < rows.length && !ctx.signal.aborted; i += CHUNK) {
        const r =
          'funding' in parsed
            ? await store.writeFunding(
                p.symbol,
                parsed.funding.slice(i, i + CHUNK).map((f) => ({ ...f, markPrice: null })),
              )
            : await store.writePerpBars(
                p.symbol,
                tf,
                p.data as 'last' | 'mark' | 'index',
                parsed.bars.slice(i, i + CHUNK),
              );
        counts.new += r.inserted;
        counts.identical += r.existing;
        ctx.progress(Math.min(rows.length, i + CHUNK), rows.length, word('progress.stored', { count: counts.new }));
      }
      // The series shows its perpetual data from now on (a series not stored yet is not made by this).
      await db.collection(COLLECTIONS.series).updateOne({ symbol: p.symbol, timeframe: tf }, { $set: { perp: true } });
      return {
        path: p.path,
        symbol: p.symbol,
        timeframe: tf,
        data: p.data,
        format: parsed.format,
        rows: parsed.rows,
        accepted: rows.length,
        rejected: parsed.rejected.length,
        ...counts,
        stored: counts.new,
        rejectedSample,
      };
    },
  );
}
