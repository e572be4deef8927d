// Bars in MongoDB: `crypto_market` (1d, `date` = YYYYMMDD) and `crypto_market_1m` (1m,
// `datetime` = open time), exactly the seed's documents. Writes are idempotent (the unique
// index makes a duplicate impossible); readers return columnar bars for a UTC range.
import type { AnyBulkWriteOperation, Db, Document } from 'mongodb';
import { COLLECTIONS } from '../../core/db/collections';
import { allocBars, badBarReason, coverageOf, type ColumnarBars, type Coverage, type OhlcvTuple } from '../../core/market/bars';
import { parseSymbol } from '../../core/market/symbols';
import { fromDateKey, toDateKey, type Timeframe } from '../../core/market/timeframes';

export interface WriteResult {
  inserted: number;
  /** Bars already stored (left as they were, or replaced with `replace`). */
  existing: number;
  replaced: number;
  rejected: { time: number; reason: string }[];
}

const collectionOf = (tf: Timeframe) => (tf === '1d' ? COLLECTIONS.market1d : COLLECTIONS.market1m);

function toDoc(symbol: string, tf: Timeframe, b: OhlcvTuple): Document {
  const [t, open, high, low, close, volume] = b;
  return tf === '1d' ? { date: toDateKey(t), symbol, open, high, low, close, volume } : { datetime: new Date(t), symbol, open, high, low, close, volume };
}

const keyOf = (symbol: string, tf: Timeframe, t: number): Document => (tf === '1d' ? { symbol, date: toDateKey(t) } : { symbol, datetime: new Date(t) });

export class MarketStore {
  constructor(private readonly db: Db) {}

  /**
   * Stores bars. New bars are inserted in one unordered batch; bars already there are kept
   * (the importer only ever stores closed, final bars) or, with `replace`, overwritten (a
   * re-fetch after a data-quality finding). Bad bars are rejected with their reason.
   */
  async writeBars(symbol: string, tf: Timeframe, bars: readonly OhlcvTuple[], options: { replace?: boolean } = {}): Promise<WriteResult> {
    parseSymbol(symbol);
    const result: WriteResult = { inserted: 0, existing: 0, replaced: 0, rejected: [] };
    const good: OhlcvTuple[] = [];
    for (const b of bars) {
      const reason = badBarReason(b[0], tf, b[1], b[2], b[3], b[4], b[5]);
      if (reason) result.rejected.push({ time: b[0], reason });
      else good.push(b);
    }
    if (good.length === 0) return result;
    const coll = this.db.collection(collectionOf(tf));
    const duplicates: OhlcvTuple[] = [];
    try {
      const r = await coll.insertMany(
        good.map((b) => toDoc(symbol, tf, b)),
        { ordered: false },
      );
      result.inserted = r.insertedCount;
    } catch (err) {
      const e = err as { code?: number; insertedCount?: number; writeErrors?: { code: number; index: number }[] | { code: number; index: number }; result?: { insertedCount?: number } };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== 11000)) throw err;
      result.inserted = e.insertedCount ?? e.result?.insertedCount ?? good.length - writeErrors.length;
      for (const w of writeErrors) duplicates.push(good[w.index]!);
    }
    result.existing = duplicates.length;
    if (options.replace && duplicates.length > 0) {
      const ops: AnyBulkWriteOperation[] = duplicates.map((b) => ({ replaceOne: { filter: keyOf(symbol, tf, b[0]), replacement: toDoc(symbol, tf, b) } }));
      const r = await coll.bulkWrite(ops, { ordered: false });
      result.replaced = r.modifiedCount;
    }
    return result;
  }

  /** Open time of the newest stored bar, or null. */
  async lastBarTime(symbol: string, tf: Timeframe): Promise<number | null> {
    const field = tf === '1d' ? 'date' : 'datetime';
    const doc = await this.db.collection(collectionOf(tf)).find({ symbol }, { projection: { _id: 0, [field]: 1 } }).sort({ [field]: -1 }).limit(1).next();
    if (!doc) return null;
    return tf === '1d' ? fromDateKey(doc.date as string) : (doc.datetime as Date).getTime();
  }

  /** Bars of one symbol with open time in [fromMs, toMs], as columns. */
  async readBars(symbol: string, tf: Timeframe, fromMs: number, toMs: number): Promise<ColumnarBars> {
    parseSymbol(symbol);
    const filter = tf === '1d' ? { symbol, date: { $gte: toDateKey(fromMs), $lte: toDateKey(toMs) } } : { symbol, datetime: { $gte: new Date(fromMs), $lte: new Date(toMs) } };
    const field = tf === '1d' ? 'date' : 'datetime';
    const docs = await this.db
      .collection(collectionOf(tf))
      .find(filter, { projection: { _id: 0, [field]: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 } })
      .sort({ [field]: 1 })
      .toArray();
    const out = allocBars(symbol, tf, docs.length);
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      out.time[i] = tf === '1d' ? fromDateKey(d.date as string) : (d.datetime as Date).getTime();
      out.open[i] = d.open as number;
      out.high[i] = d.high as number;
      out.low[i] = d.low as number;
      out.close[i] = d.close as number;
      out.volume[i] = d.volume as number;
    }
    return out;
  }

  /** Open times of the stored bars of a symbol, ascending; within [fromMs, toMs] when given. */
  async barTimes(symbol: string, tf: Timeframe, fromMs?: number, toMs?: number): Promise<Float64Array> {
    const field = tf === '1d' ? 'date' : 'datetime';
    const range: Record<string, unknown> = {};
    if (fromMs !== undefined) range.$gte = tf === '1d' ? toDateKey(fromMs) : new Date(fromMs);
    if (toMs !== undefined) range.$lte = tf === '1d' ? toDateKey(toMs) : new Date(toMs);
    const filter = Object.keys(range).length ? { symbol, [field]: range } : { symbol };
    const docs = await this.db.collection(collectionOf(tf)).find(filter, { projection: { _id: 0, [field]: 1 } }).sort({ [field]: 1 }).toArray();
    const times = new Float64Array(docs.length);
    for (let i = 0; i < docs.length; i++) times[i] = tf === '1d' ? fromDateKey(docs[i]!.date as string) : (docs[i]!.datetime as Date).getTime();
    return times;
  }

  async coverage(symbol: string, tf: Timeframe): Promise<Coverage> {
    return coverageOf(await this.barTimes(symbol, tf), tf);
  }

  /** Symbols with bars stored, per timeframe. */
  async symbols(tf: Timeframe): Promise<string[]> {
    return ((await this.db.collection(collectionOf(tf)).distinct('symbol')) as string[]).sort();
  }
}

/** The seed's reader for daily bars: `get_crypto_market_data(symbol, start, end)` with YYYYMMDD dates. */
export function getCryptoMarketData(store: MarketStore, symbol: string, startDate: string, endDate: string): Promise<ColumnarBars> {
  return store.readBars(symbol, '1d', fromDateKey(startDate), fromDateKey(endDate));
}

/** The seed's reader for minute bars: `get_crypto_min_data(symbol, start, end)`, UTC, both ends inclusive. */
export function getCryptoMinData(store: MarketStore, symbol: string, start: Date, end: Date): Promise<ColumnarBars> {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new RangeError('Invalid start or end time');
  return store.readBars(symbol, '1m', start.getTime(), end.getTime());
}
