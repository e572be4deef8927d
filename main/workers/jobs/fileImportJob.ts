// Imports a candle file (Binance CSV or Freqtrade JSON) from disk into the market
// collections, off the UI thread, and reports rows accepted and rejected (and why).
import fs from 'node:fs/promises';
import { boundedDb, createMongoClient } from '../../database/mongoConnection';
import { z } from 'zod';
import { parseCandleFile } from '../../../core/market/fileFormats';
import { parseSymbol } from '../../../core/market/symbols';
import { isTimeframe } from '../../../core/market/timeframes';
import { BarColumns } from '../../market/barColumns';
import { MarketStore } from '../../market/marketStore';
import { ensureSchema } from '../../database/schemaSetup';
import type { Job } from '../workerContext';

/** Larger files are refused before reading (a year of 1m bars as CSV is ~60 MB). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

const Params = z.object({
  uri: z.string().min(1),
  dbName: z.string().min(1),
  /** Folder of the columnar copy of the bars, kept with every write. */
  columnsDir: z.string().min(1).optional(),
  path: z.string().min(1),
  symbol: z.string().min(1),
  timeframe: z.string().refine(isTimeframe),
  format: z.enum(['auto', 'binance-csv', 'freqtrade-json']).default('auto'),
});

export const fileImportJob: Job = async (raw, ctx) => {
  const p = Params.parse(raw);
  parseSymbol(p.symbol);
  const stat = await fs.stat(p.path).catch(() => null);
  if (!stat?.isFile()) throw new Error(`No such file: ${p.path}`);
  if (stat.size > MAX_FILE_BYTES) throw new Error(`File too large (${stat.size} bytes; at most ${MAX_FILE_BYTES})`);
  ctx.progress(0, 1, 'reading');
  const parsed = parseCandleFile(await fs.readFile(p.path, 'utf8'), p.timeframe as '1m' | '1d', p.format);
  const client = createMongoClient(p.uri, 'quantdesk-worker-file-import', { selectionTimeoutMs: 5000 });
  const db = boundedDb(client.db(p.dbName));
  try {
    await client.connect();
    // Duplicates are impossible only with the unique index in place: make sure of it first.
    await ensureSchema(db, ctx.log, undefined, { quiet: true, writer: 'research' });
    const store = new MarketStore(db, p.columnsDir ? new BarColumns(p.columnsDir, ctx.log) : null);
    let stored = 0;
    let existing = 0;
    for (let i = 0; i < parsed.bars.length; i += 5000) {
      if (ctx.signal.aborted) break;
      const r = await store.writeBars(p.symbol, p.timeframe as '1m' | '1d', parsed.bars.slice(i, i + 5000));
      stored += r.inserted;
      existing += r.existing;
      ctx.progress(Math.min(parsed.bars.length, i + 5000), parsed.bars.length, `${stored} stored`);
    }
    if (parsed.rejected.length)
      ctx.log.warn('file rows rejected', {
        file: p.path,
        count: parsed.rejected.length,
        first: parsed.rejected.slice(0, 10),
      });
    return {
      format: parsed.format,
      rows: parsed.rows,
      accepted: parsed.bars.length,
      rejected: parsed.rejected.length,
      stored,
      existing,
      rejectedSample: parsed.rejected
        .slice(0, 5)
        .map((r) => `line ${r.line}: ${r.reason}`)
        .join('; '),
    };
  } finally {
    await client.close().catch(() => undefined);
  }
};
