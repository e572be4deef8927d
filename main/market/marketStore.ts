// Bars in MongoDB: `crypto_market` (1d, `date` = YYYYMMDD) and `crypto_market_1m` (1m,
// `datetime` = open time), exactly the contract's documents. Writes are idempotent (the unique
// index makes a duplicate impossible); readers return columnar bars for a UTC range.
//
// Beside the bars, one small document per series says which bars are stored (runs of open
// times, quantdesk_series_bars): the newest bar and the gaps are read from it, never from a
// scan of the bars, which the bundled engine cannot narrow (a year of minutes is ~20 s to
// scan there, and the importer and the health watch ask every minute). It only ever lists
// bars a write confirmed, so at worst it is behind (bars written by another program), and
// then a bar is fetched again and found stored; the quality check resets it from the bars.
import crypto from 'node:crypto';
import { Double, type AnyBulkWriteOperation, type Db, type Document } from 'mongodb';
import { COLLECTIONS, SERIES_BARS_COLLECTION } from '../../core/db/collections';
import {
  allocBars,
  badBarReason,
  coverageOf,
  type ColumnarBars,
  type Coverage,
  type OhlcvTuple,
} from '../../core/market/bars';
import { parseSymbol } from '../../core/market/symbols';
import {
  addTimes,
  holdsExactly,
  lastStored,
  summarizeRanges,
  type BarRanges,
  type StoredSummary,
} from '../../core/market/barRanges';
import type { BarColumns } from './barColumns';
import type { BarSource } from '../../core/ports/barSource';
import { barCount, barOpen, fromDateKey, toDateKey, type Timeframe } from '../../core/market/timeframes';

/** `runs` holds the ranges flat, first and last of each in turn (the bundled engine stores no nested arrays). */
type RangesDoc = {
  _id: string;
  symbol: string;
  timeframe: Timeframe;
  runs: number[];
  updatedAt: Date;
  overflow?: boolean;
};
/** Held while a series' index is read and rewritten: a unique _id insert is the one write both engines make atomic. */
type LockDoc = { _id: string; owner: string; at: Date };
/** A lock older than this was left by a writer that died (the work under it is two small reads and a write). */
const STALE_LOCK_MS = 15_000;
/** Beyond this many runs (a series with holes everywhere) the index is not kept: readers scan the bars instead. */
const MAX_RUNS = 100_000;
/** Bars removed per delete when a series is deleted: small enough for any server, large enough to be quick. */
const DELETE_BATCH = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rangesId = (symbol: string, tf: Timeframe) => `${symbol}|${tf}`;
const flat = (ranges: BarRanges): number[] => ranges.flat();
function unflat(runs: readonly number[]): BarRanges {
  const out: BarRanges = [];
  for (let i = 0; i + 1 < runs.length; i += 2) out.push([runs[i]!, runs[i + 1]!]);
  return out;
}

export interface WriteResult {
  inserted: number;
  /** Bars already stored (left as they were, or replaced with `replace`). */
  existing: number;
  /** Of the bars already stored, those stored with other values (replaced with `replace`). */
  changed: number;
  replaced: number;
  rejected: { time: number; reason: string }[];
}

const collectionOf = (tf: Timeframe) => (tf === '1d' ? COLLECTIONS.market1d : COLLECTIONS.market1m);

/** The contract's document: every price and volume a BSON double (the driver writes a whole JS number as int32). */
function toDoc(symbol: string, tf: Timeframe, b: OhlcvTuple): Document {
  const [t, ...values] = b;
  const [open, high, low, close, volume] = values.map((v) => new Double(v));
  return tf === '1d'
    ? { date: toDateKey(t), symbol, open, high, low, close, volume }
    : { datetime: new Date(t), symbol, open, high, low, close, volume };
}

const VALUE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

const keyOf = (symbol: string, tf: Timeframe, t: number): Document =>
  tf === '1d' ? { symbol, date: toDateKey(t) } : { symbol, datetime: new Date(t) };

export class MarketStore implements BarSource {
  /** `columns`: the columnar copy of the bars, kept with every write and read where it is whole (barColumns.ts). */
  constructor(
    private readonly db: Db,
    private readonly columns: BarColumns | null = null,
  ) {}

  /**
   * Stores bars. New bars are inserted in one unordered batch; bars already there are kept
   * (the importer only ever stores closed, final bars) and counted as changed where their
   * stored values differ; with `replace` the changed ones are overwritten (a re-fetch after a
   * data-quality finding, a corrected file). Bad bars are rejected with their reason.
   */
  async writeBars(
    symbol: string,
    tf: Timeframe,
    bars: readonly OhlcvTuple[],
    options: { replace?: boolean } = {},
  ): Promise<WriteResult> {
    parseSymbol(symbol);
    const result: WriteResult = { inserted: 0, existing: 0, changed: 0, replaced: 0, rejected: [] };
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
      const e = err as {
        code?: number;
        insertedCount?: number;
        writeErrors?: { code: number; index: number }[] | { code: number; index: number };
        result?: { insertedCount?: number };
      };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== 11000)) throw err;
      result.inserted = e.insertedCount ?? e.result?.insertedCount ?? good.length - writeErrors.length;
      for (const w of writeErrors) duplicates.push(good[w.index]!);
    }
    result.existing = duplicates.length;
    const changed = duplicates.length ? await this.changedOf(coll, symbol, tf, duplicates) : [];
    result.changed = changed.length;
    if (options.replace && changed.length > 0) {
      const ops: AnyBulkWriteOperation[] = changed.map((b) => ({
        replaceOne: { filter: keyOf(symbol, tf, b[0]), replacement: toDoc(symbol, tf, b) },
      }));
      const r = await coll.bulkWrite(ops, { ordered: false });
      result.replaced = r.modifiedCount;
    }
    // Every good bar is stored now (inserted, or there already).
    await this.noteStored(
      symbol,
      tf,
      good.map((b) => b[0]),
    );
    if (this.columns) {
      // The copy gets what the database now holds from this write: the bars inserted, and the
      // replaced ones. A copy that could not be written only lags: readers rebuild it.
      const kept = new Set(options.replace ? [] : duplicates);
      try {
        this.columns.add(
          symbol,
          tf,
          good.filter((b) => !kept.has(b)),
        );
      } catch (err) {
        this.columns.failed('write', symbol, tf, err);
      }
    }
    return result;
  }

  /** The bars of `bars` (all stored already) whose stored values differ. */
  private async changedOf(
    coll: ReturnType<Db['collection']>,
    symbol: string,
    tf: Timeframe,
    bars: readonly OhlcvTuple[],
  ): Promise<OhlcvTuple[]> {
    const filter =
      tf === '1d'
        ? { symbol, date: { $in: bars.map((b) => toDateKey(b[0])) } }
        : { symbol, datetime: { $in: bars.map((b) => new Date(b[0])) } };
    const stored = new Map<number, Document>();
    for (const d of await coll.find(filter, { projection: { _id: 0 } }).toArray())
      stored.set(tf === '1d' ? fromDateKey(String(d.date)) : (d.datetime as Date).getTime(), d);
    return bars.filter((b) => {
      const d = stored.get(b[0]);
      return !d || VALUE_FIELDS.some((f, i) => Number(d[f]) !== b[i + 1]);
    });
  }

  private get rangesIndex() {
    return this.db.collection<RangesDoc>(SERIES_BARS_COLLECTION);
  }

  /** Which bars of the series are stored, from its index document; built from one scan of the bars the first time. */
  async storedRanges(symbol: string, tf: Timeframe): Promise<BarRanges> {
    const doc = await this.rangesIndex.findOne({ _id: rangesId(symbol, tf) });
    if (doc && !doc.overflow) return unflat(doc.runs);
    const ranges = addTimes([], await this.barTimes(symbol, tf), tf);
    // Someone else may have built it meanwhile (theirs stands); a reader without write access still gets the answer.
    if (!doc)
      await this.rangesIndex
        .insertOne({ _id: rangesId(symbol, tf), ...this.rangesFields(symbol, tf, ranges) })
        .catch(() => undefined);
    return ranges;
  }

  /**
   * Sets the index of a series to what a full read of its bars found (the quality check's read:
   * bars another program wrote or deleted). Writes that landed during the read are kept.
   */
  async resetRanges(symbol: string, tf: Timeframe, times: ArrayLike<number>, readStartedAt: Date): Promise<void> {
    const _id = rangesId(symbol, tf);
    await this.underLock(_id, async () => {
      const doc = await this.rangesIndex.findOne({ _id });
      const since = doc && !doc.overflow && doc.updatedAt > readStartedAt ? unflat(doc.runs) : [];
      await this.saveRanges(symbol, tf, addTimes(since, times, tf));
    });
  }

  private async saveRanges(symbol: string, tf: Timeframe, ranges: BarRanges): Promise<void> {
    await this.rangesIndex.replaceOne({ _id: rangesId(symbol, tf) }, this.rangesFields(symbol, tf, ranges), {
      upsert: true,
    });
  }

  /** Too many holes to keep as a list: the document says so, and readers go to the bars. */
  private rangesFields(symbol: string, tf: Timeframe, ranges: BarRanges): Omit<RangesDoc, '_id'> {
    const overflow = ranges.length > MAX_RUNS;
    return {
      symbol,
      timeframe: tf,
      runs: overflow ? [] : flat(ranges),
      updatedAt: new Date(),
      ...(overflow && { overflow }),
    };
  }

  /**
   * Adds confirmed bars to the index. Writers of one series (its import job, a live pipeline)
   * take turns: a conditional update is not atomic on the bundled engine, a unique insert is.
   * The bars are stored whatever happens here: an index that could not be updated only lags
   * (a bar fetched again is found stored; the quality check resets it), so the write succeeds.
   */
  private async noteStored(symbol: string, tf: Timeframe, times: number[]): Promise<void> {
    const _id = rangesId(symbol, tf);
    try {
      // The first time, the index is built from the bars (these included), before taking the lock.
      if (!(await this.rangesIndex.findOne({ _id }, { projection: { _id: 1 } }))) {
        await this.storedRanges(symbol, tf);
        return;
      }
      await this.underLock(_id, async () => {
        const doc = await this.rangesIndex.findOne({ _id });
        if (!doc || doc.overflow) return;
        await this.saveRanges(symbol, tf, addTimes(unflat(doc.runs), times, tf));
      });
    } catch {
      // Lagging is allowed by design (see above).
    }
  }

  private async underLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const locks = this.db.collection<LockDoc>(SERIES_BARS_COLLECTION);
    const _id = `lock|${id}`;
    const owner = crypto.randomUUID();
    let wait = 5;
    for (let attempt = 0; ; attempt++) {
      try {
        await locks.insertOne({ _id, owner, at: new Date() });
        break;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        const held = await locks.findOne({ _id });
        // Left by a writer that died: only that very lock is removed, not one taken since.
        if (held && Date.now() - held.at.getTime() > STALE_LOCK_MS) await locks.deleteOne({ _id, owner: held.owner });
        if (attempt >= 200) throw new Error(`The index of stored bars for ${id} stayed locked`, { cause: err });
        await sleep(wait + Math.random() * wait);
        wait = Math.min(wait * 2, 200);
      }
    }
    try {
      return await fn();
    } finally {
      await locks.deleteOne({ _id, owner }).catch(() => undefined);
    }
  }

  /** Open time of the newest stored bar, or null. */
  async lastBarTime(symbol: string, tf: Timeframe): Promise<number | null> {
    return lastStored(await this.storedRanges(symbol, tf));
  }

  /**
   * Bars of one symbol with open time in [fromMs, toMs], as columns: from the columnar copy when
   * it holds exactly the bars the index of stored bars lists there, else from the database (the
   * copy of that range is then rewritten from what it returned). `fromDatabase` skips the copy:
   * a full read that must see bars another program wrote.
   */
  async readBars(
    symbol: string,
    tf: Timeframe,
    from: number,
    toMs: number,
    options: { fromDatabase?: boolean } = {},
  ): Promise<ColumnarBars> {
    parseSymbol(symbol);
    // a daily bar is read by its UTC day (the contract's date key): the day `from` falls in counts
    const fromMs = tf === '1d' ? barOpen(from, tf) : from;
    const ranges = this.columns ? await this.indexedRanges(symbol, tf) : null;
    if (this.columns && ranges && !options.fromDatabase) {
      try {
        const copy = this.columns.read(symbol, tf, fromMs, toMs);
        if (holdsExactly(copy.time, ranges, tf, fromMs, toMs)) return copy;
      } catch (err) {
        this.columns.failed('read', symbol, tf, err); // a damaged file: rewritten below
      }
    }
    const bars = await this.readStoredBars(symbol, tf, fromMs, toMs);
    if (this.columns && ranges) {
      try {
        this.columns.replaceRange(bars, fromMs, toMs);
      } catch (err) {
        this.columns.failed('write', symbol, tf, err);
      }
    }
    return bars;
  }

  /** The series' index of stored bars if it has one (never built here: that is a scan of the bars). */
  private async indexedRanges(symbol: string, tf: Timeframe): Promise<BarRanges | null> {
    const doc = await this.rangesIndex.findOne({ _id: rangesId(symbol, tf) });
    return doc && !doc.overflow ? unflat(doc.runs) : null;
  }

  private async readStoredBars(symbol: string, tf: Timeframe, fromMs: number, toMs: number): Promise<ColumnarBars> {
    const filter =
      tf === '1d'
        ? { symbol, date: { $gte: toDateKey(fromMs), $lte: toDateKey(toMs) } }
        : { symbol, datetime: { $gte: new Date(fromMs), $lte: new Date(toMs) } };
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
    const docs = await this.db
      .collection(collectionOf(tf))
      .find(filter, { projection: { _id: 0, [field]: 1 } })
      .sort({ [field]: 1 })
      .toArray();
    const times = new Float64Array(docs.length);
    for (let i = 0; i < docs.length; i++)
      times[i] = tf === '1d' ? fromDateKey(docs[i]!.date as string) : (docs[i]!.datetime as Date).getTime();
    return times;
  }

  /** Coverage from a full read of the series' bar times; the index of stored bars is reset to what it found. */
  async coverage(symbol: string, tf: Timeframe): Promise<Coverage> {
    const started = new Date();
    const times = await this.barTimes(symbol, tf);
    await this.resetRanges(symbol, tf, times, started);
    return coverageOf(times, tf);
  }

  /**
   * Adopts bars another program wrote beyond either end of what the series' index lists (two
   * indexed reads of the newest and oldest bar; a full read of the bar times only when they
   * differ). Returns the number of bars adopted, or 0. Bars written into a gap inside the
   * series are found by the quality check's full read instead.
   */
  async adoptOutsideEdges(symbol: string, tf: Timeframe): Promise<number> {
    const ranges = await this.indexedRanges(symbol, tf);
    if (!ranges) return 0; // no index yet: the first reader builds it from the bars themselves
    const field = tf === '1d' ? 'date' : 'datetime';
    const edge = async (dir: 1 | -1) => {
      const d = await this.db
        .collection(collectionOf(tf))
        .findOne({ symbol }, { projection: { _id: 0, [field]: 1 }, sort: { [field]: dir } });
      return d ? (tf === '1d' ? fromDateKey(d.date as string) : (d.datetime as Date).getTime()) : null;
    };
    const [first, last] = await Promise.all([edge(1), edge(-1)]);
    if (first === null || last === null) return 0;
    const listed = ranges.length ? [ranges[0]![0], ranges.at(-1)![1]] : [null, null];
    if (first >= (listed[0] ?? Infinity) && last <= (listed[1] ?? -Infinity)) return 0;
    const before = ranges.reduce((n, [a, b]) => n + barCount(a, b, tf), 0);
    const started = new Date();
    const times = await this.barTimes(symbol, tf);
    await this.resetRanges(symbol, tf, times, started);
    return Math.max(0, times.length - before);
  }

  /**
   * What each series holds, from the index of stored bars (one read for all of them); null
   * where the index has no usable entry (the series' bars were written by another program,
   * or have holes everywhere): a quality check reads the bars and sets it.
   */
  async storedSummaries(
    series: readonly { symbol: string; timeframe: Timeframe }[],
  ): Promise<Map<string, StoredSummary | null>> {
    const docs = await this.rangesIndex
      .find({ _id: { $in: series.map((s) => rangesId(s.symbol, s.timeframe)) } })
      .toArray();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return new Map(
      series.map((s) => {
        const d = byId.get(rangesId(s.symbol, s.timeframe));
        return [
          rangesId(s.symbol, s.timeframe),
          d && !d.overflow ? summarizeRanges(unflat(d.runs), s.timeframe) : null,
        ];
      }),
    );
  }

  /**
   * Removes every bar of a series, in batches the bundled engine reads from its index (a
   * time range bounded on both sides), then its index entry and its columnar copy. Returns
   * how many bars were removed; `onProgress` hears the running count.
   */
  async deleteSeries(symbol: string, tf: Timeframe, onProgress?: (removed: number) => void): Promise<number> {
    parseSymbol(symbol);
    const coll = this.db.collection(collectionOf(tf));
    // Every open time a crypto bar can have (2001 to 2100): bounded on both sides.
    const span =
      tf === '1d'
        ? { symbol, date: { $gte: '20010101', $lte: '21001231' } }
        : { symbol, datetime: { $gte: new Date(Date.UTC(2001, 0, 1)), $lte: new Date(Date.UTC(2100, 11, 31)) } };
    let removed = 0;
    for (;;) {
      const ids = (
        await coll
          .find(span, { projection: { _id: 1 } })
          .limit(DELETE_BATCH)
          .toArray()
      ).map((d) => d._id);
      if (ids.length === 0) break;
      removed += (await coll.deleteMany({ _id: { $in: ids } })).deletedCount;
      onProgress?.(removed);
    }
    await this.rangesIndex.deleteOne({ _id: rangesId(symbol, tf) });
    this.columns?.drop(symbol, tf);
    return removed;
  }

  /** Symbols with bars stored, per timeframe. */
  async symbols(tf: Timeframe): Promise<string[]> {
    return ((await this.db.collection(collectionOf(tf)).distinct('symbol')) as string[]).sort();
  }
}

/** The seed's reader for daily bars: `get_crypto_market_data(symbol, start, end)` with YYYYMMDD dates. */
export function getCryptoMarketData(
  store: MarketStore,
  symbol: string,
  startDate: string,
  endDate: string,
): Promise<ColumnarBars> {
  return store.readBars(symbol, '1d', fromDateKey(startDate), fromDateKey(endDate));
}

/** The seed's reader for minute bars: `get_crypto_min_data(symbol, start, end)`, UTC, both ends inclusive. */
export function getCryptoMinData(store: MarketStore, symbol: string, start: Date, end: Date): Promise<ColumnarBars> {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new RangeError('Invalid start or end time');
  return store.readBars(symbol, '1m', start.getTime(), end.getTime());
}
