// Imports a candle file (Binance CSV, Freqtrade feather, parquet, json or jsongz) from disk
// into the market collections, off the UI thread, and reports what it found: rows accepted and
// rejected (and why), bars new, changed and identical to what was stored. Changed bars are
// replaced only when asked. A file that cannot be imported fails with its reason and leaves
// nothing behind: the series is listed once its first bars are stored.
import fs from 'node:fs/promises';
import { z } from 'zod';
import { COLLECTIONS } from '../../../core/db/collections';
import { CANDLE_FILE_FORMATS, CandleFileError } from '../../../core/market/fileFormats';
import { parseSymbol } from '../../../core/market/symbols';
import { isTimeframe, type Timeframe } from '../../../core/market/timeframes';
import { word } from '../../../core/wording/wording';
import { readCandleFile } from '../../market/candleFileReader';
import { BarColumns } from '../../market/barColumns';
import { MarketStore } from '../../market/marketStore';
import { reportRejected, withResearchDb } from './researchDb';
import type { Job } from '../workerContext';
import { PERP_PRICES } from '../../../core/market/derivatives';
import { importPerpFile } from './perpFileImport';

/** Larger files are refused before reading (a year of 1m bars as CSV is ~60 MB). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

export const FileImportParamsSchema = z.object({
  uri: z.string().min(1),
  dbName: z.string().min(1),
  /** Folder of the columnar copy of the bars, kept with every write. */
  columnsDir: z.string().min(1).optional(),
  path: z.string().min(1),
  symbol: z.string().min(1),
  timeframe: z.string().refine(isTimeframe),
  format: z.enum(['auto', ...CANDLE_FILE_FORMATS]).default('auto'),
  /** Overwrite stored bars the file has with other values. */
  replace: z.boolean().default(false),
  /** The series' listing (its exchange, or none for a file, and its pair), written once bars are stored. */
  series: z.object({ exchange: z.string().min(1), pair: z.string().min(1) }),
  /** What the file holds: the series' candles, or its perpetual's funding rates or last/mark/index bars. */
  data: z.enum(['candles', 'funding', ...PERP_PRICES]).default('candles'),
});
export type FileImportParams = z.infer<typeof FileImportParamsSchema>;

export const fileImportJob: Job = async (raw, ctx) => {
  const p = FileImportParamsSchema.parse(raw);
  const tf = p.timeframe as Timeframe;
  parseSymbol(p.symbol);
  const stat = await fs.stat(p.path).catch(() => null);
  if (!stat?.isFile()) throw new CandleFileError(word('file.notFound', { path: p.path }));
  if (stat.size > MAX_FILE_BYTES)
    throw new CandleFileError(word('file.tooLarge', { size: stat.size, max: MAX_FILE_BYTES }));
  ctx.progress(0, 1, word('progress.reading'));
  if (p.data !== 'candles') return importPerpFile(p, ctx);
  const parsed = await readCandleFile(await fs.readFile(p.path), tf, Date.now(), p.format);
  const rejectedSample = reportRejected(ctx.log, p.path, parsed.rejected);
  return withResearchDb(
    { uri: p.uri, dbName: p.dbName, appName: 'quantdesk-worker-file-import', log: ctx.log },
    async (db) => {
      const store = new MarketStore(db, p.columnsDir ? new BarColumns(p.columnsDir, ctx.log) : null);
      const counts = { new: 0, changed: 0, identical: 0, replaced: 0 };
      let listed = false;
      for (let i = 0; i < parsed.bars.length; i += 5000) {
        if (ctx.signal.aborted) break;
        const r = await store.writeBars(p.symbol, tf, parsed.bars.slice(i, i + 5000), { replace: p.replace });
        counts.new += r.inserted;
        counts.changed += r.changed;
        counts.identical += r.existing - r.changed;
        counts.replaced += r.replaced;
        if (!listed) {
          await db
            .collection(COLLECTIONS.series)
            .updateOne(
              { symbol: p.symbol, timeframe: tf },
              { $setOnInsert: { symbol: p.symbol, timeframe: tf, ...p.series, from: parsed.bars[0]![0], auto: false } },
              { upsert: true },
            );
          listed = true;
        }
        ctx.progress(
          Math.min(parsed.bars.length, i + 5000),
          parsed.bars.length,
          word('progress.stored', { count: counts.new }),
        );
      }
      return {
        path: p.path,
        symbol: p.symbol,
        timeframe: tf,
        format: parsed.format,
        rows: parsed.rows,
        accepted: parsed.bars.length,
        rejected: parsed.rejected.length,
        ...counts,
        /** Kept for readers of older reports: bars this import stored. */
        stored: counts.new + counts.replaced,
        replace: p.replace,
        rejectedSample,
      };
    },
  );
};
