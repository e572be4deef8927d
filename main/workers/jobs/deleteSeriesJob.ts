// Deletes one series in a worker of its own: its bars in batches (progress as they go), then
// its index entry and columnar copy, then the series itself. Run again after a crash, it picks
// up what is left (every step is idempotent).
import { z } from 'zod';
import { COLLECTIONS } from '../../../core/db/collections';
import { word } from '../../../core/wording/wording';
import { Timeframe } from '../../../core/api/fields';
import { boundedDb, createMongoClient } from '../../database/mongoConnection';
import { BarColumns } from '../../market/barColumns';
import { MarketStore } from '../../market/marketStore';
import type { Job } from '../workerContext';

const Params = z.object({
  uri: z.string().min(1),
  dbName: z.string().min(1),
  columnsDir: z.string().optional(),
  symbol: z.string().min(1),
  timeframe: Timeframe,
  /** Bars the index lists (for the progress bar; 0 when unknown). */
  expected: z.number().int().nonnegative(),
});

export const deleteSeriesJob: Job = async (raw, ctx) => {
  const p = Params.parse(raw);
  const client = createMongoClient(p.uri, 'quantdesk-worker-delete', { selectionTimeoutMs: 5000 });
  const db = boundedDb(client.db(p.dbName));
  try {
    await client.connect();
    const store = new MarketStore(db, p.columnsDir ? new BarColumns(p.columnsDir, ctx.log) : null);
    const total = Math.max(p.expected, 1);
    ctx.progress(0, total, word('progress.removing'));
    const removed = await store.deleteSeries(p.symbol, p.timeframe, (n) =>
      ctx.progress(Math.min(n, total), Math.max(total, n), word('progress.removed', { count: n })),
    );
    await db.collection(COLLECTIONS.series).deleteOne({ symbol: p.symbol, timeframe: p.timeframe });
    ctx.log.info('series deleted', { symbol: p.symbol, timeframe: p.timeframe, removed });
    return { removed };
  } finally {
    await client.close().catch(() => undefined);
  }
};
