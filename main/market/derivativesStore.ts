// The perpetual-futures collections: funding settlements, the perpetual's last, mark and index
// price bars, and depth per 1m bar, each keyed by symbol + market_type + time (unique), so a
// write of a row already stored changes nothing. Values are BSON doubles, times UTC dates
// (daily bars by their `date` key, as crypto_market has them).
import { Double, type Db, type Document } from 'mongodb';
import { COLLECTIONS } from '../../core/db/collections';
import { badBarReason, type ColumnarBars, type OhlcvTuple } from '../../core/market/bars';
import type { CryptoSource } from '../../core/ports/barSource';
import { word } from '../../core/wording/wording';
import { ServiceError } from '../../core/api/dispatcher';
import {
  FUNDING_LOOKBACK_MS,
  PERP_MARKET,
  badFundingReason,
  type CryptoPart,
  type CryptoSeries,
  type DepthBar,
  type DepthColumns,
  type PerpPriceKind,
  type TimedColumn,
} from '../../core/market/derivatives';
import { TIMEFRAME_MS, fromDateKey, toDateKey, type Timeframe } from '../../core/market/timeframes';

export interface FundingRow {
  time: number;
  rate: number;
  markPrice: number | null;
}

export interface WriteReport {
  inserted: number;
  /** Rows already stored (left as they are). */
  existing: number;
  /** Of those, rows stored with other values than this write's (kept as stored, counted to be said). */
  changed: number;
  /** Rows refused, with the reason. */
  rejected: string[];
}

/** What is stored of one kind for a symbol: rows, first and last time. */
export interface DerivativesCoverage {
  symbol: string;
  kind: 'funding' | PerpPriceKind | 'depth';
  timeframe: Timeframe | null;
  rows: number;
  first: number | null;
  last: number | null;
}

const VALUES = ['open', 'high', 'low', 'close', 'volume'] as const;
const perpCollection = (tf: Timeframe) => (tf === '1d' ? COLLECTIONS.perp1d : COLLECTIONS.perp1m);
const timeKey = (tf: Timeframe, t: number) => (tf === '1d' ? { date: toDateKey(t) } : { datetime: new Date(t) });
const timeRange = (tf: Timeframe, from: number, to: number): Document =>
  tf === '1d'
    ? { date: { $gte: toDateKey(from), $lte: toDateKey(to) } }
    : { datetime: { $gte: new Date(from), $lte: new Date(to) } };
const timeOf = (tf: Timeframe, d: Document): number =>
  tf === '1d' ? fromDateKey(d.date as string) : (d.datetime as Date).getTime();

export class DerivativesStore implements CryptoSource {
  constructor(private readonly db: Db) {}

  /** Stores funding settlements not stored yet (by settlement time). */
  async writeFunding(symbol: string, rows: readonly FundingRow[]): Promise<WriteReport> {
    const rejected: string[] = [];
    const good = rows.filter((r) => {
      const why = badFundingReason(r.time, r.rate);
      if (why) rejected.push(`${Number.isFinite(r.time) ? new Date(r.time).toISOString() : String(r.time)}: ${why}`);
      return why === null;
    });
    if (good.length === 0) return { inserted: 0, existing: 0, changed: 0, rejected };
    const times = good.map((r) => r.time);
    const docsIn = await this.db
      .collection(COLLECTIONS.funding)
      .find(
        {
          symbol,
          market_type: PERP_MARKET,
          ts: { $gte: new Date(Math.min(...times)), $lte: new Date(Math.max(...times)) },
        },
        { projection: { _id: 0, ts: 1, rate: 1 } },
      )
      .toArray();
    const stored = new Map(docsIn.map((d) => [(d.ts as Date).getTime(), Number(d.rate)]));
    const docs = good
      .filter((r) => !stored.has(r.time))
      .map((r) => ({
        symbol,
        market_type: PERP_MARKET,
        ts: new Date(r.time),
        rate: new Double(r.rate),
        mark_price: r.markPrice === null ? null : new Double(r.markPrice),
      }));
    await this.insertNew(COLLECTIONS.funding, docs);
    const changed = good.filter((r) => stored.has(r.time) && stored.get(r.time) !== r.rate).length;
    return { inserted: docs.length, existing: good.length - docs.length, changed, rejected };
  }

  /** Stores closed perpetual bars of one price kind not stored yet. */
  async writePerpBars(
    symbol: string,
    tf: Timeframe,
    price: PerpPriceKind,
    bars: readonly OhlcvTuple[],
  ): Promise<WriteReport> {
    const rejected: string[] = [];
    const good = bars.filter((b) => {
      const why = badBarReason(b[0], tf, b[1], b[2], b[3], b[4], b[5]);
      if (why) rejected.push(`${new Date(b[0]).toISOString()}: ${why}`);
      return why === null;
    });
    if (good.length === 0) return { inserted: 0, existing: 0, changed: 0, rejected };
    const docsIn = await this.db
      .collection(perpCollection(tf))
      .find(
        { symbol, market_type: PERP_MARKET, price, ...timeRange(tf, good[0]![0], good[good.length - 1]![0]) },
        { projection: { _id: 0, date: 1, datetime: 1, open: 1, high: 1, low: 1, close: 1, volume: 1 } },
      )
      .toArray();
    const stored = new Map(docsIn.map((d) => [timeOf(tf, d), VALUES.map((f) => Number(d[f]))]));
    const docs = good
      .filter((b) => !stored.has(b[0]))
      .map(([t, o, h, l, c, v]) => ({
        symbol,
        market_type: PERP_MARKET,
        price,
        ...timeKey(tf, t),
        open: new Double(o),
        high: new Double(h),
        low: new Double(l),
        close: new Double(c),
        volume: new Double(v),
      }));
    await this.insertNew(perpCollection(tf), docs);
    const changed = good.filter((b) => stored.get(b[0])?.some((v, k) => v !== b[k + 1])).length;
    return { inserted: docs.length, existing: good.length - docs.length, changed, rejected };
  }

  /** Writes (or rewrites) one bar's depth: a bar's snapshots may arrive in more than one write. */
  async writeDepth(symbol: string, bar: DepthBar): Promise<void> {
    await this.db.collection(COLLECTIONS.depth1m).updateOne(
      { symbol, market_type: PERP_MARKET, datetime: new Date(bar.time) },
      {
        $set: {
          samples: bar.samples,
          mid: new Double(bar.mid),
          spread_bp: new Double(bar.spreadBp),
          bid_10bp: new Double(bar.bid[0]),
          bid_50bp: new Double(bar.bid[1]),
          bid_100bp: new Double(bar.bid[2]),
          ask_10bp: new Double(bar.ask[0]),
          ask_50bp: new Double(bar.ask[1]),
          ask_100bp: new Double(bar.ask[2]),
        },
      },
      { upsert: true },
    );
  }

  /**
   * Attaches to `bars` the perpetual data its strategy needs; a part with nothing stored over the
   * bars' range is refused with what to do (a strategy must not run on factors that are all gaps).
   */
  async attach(bars: ColumnarBars, parts: readonly CryptoPart[]): Promise<ColumnarBars> {
    if (parts.length === 0 || bars.length === 0) return bars;
    const from = bars.time[0]!;
    const to = bars.time[bars.length - 1]!;
    const crypto = await this.read(bars.symbol, bars.timeframe, from, to, parts);
    for (const part of parts) {
      const rows = part === 'depth' ? crypto.depth!.time : crypto[part]!.time;
      const inRange = rows.some(
        (t) => t <= to + TIMEFRAME_MS[bars.timeframe] && t >= from - (part === 'funding' ? FUNDING_LOOKBACK_MS : 0),
      );
      if (!inRange)
        throw new ServiceError(
          'BAD_REQUEST',
          word('perp.missing', { what: word(`perp.part.${part}`), symbol: bars.symbol, timeframe: bars.timeframe }),
        );
    }
    bars.crypto = crypto;
    return bars;
  }

  /** Settlement times stored in [from, to]. */
  fundingTimes(symbol: string, from: number, to: number): Promise<number[]> {
    return this.times(COLLECTIONS.funding, { symbol, market_type: PERP_MARKET }, 'ts', from, to);
  }

  /** Open times of stored perpetual bars of a kind in [from, to]. */
  async perpTimes(symbol: string, tf: Timeframe, price: PerpPriceKind, from: number, to: number): Promise<number[]> {
    const docs = await this.db
      .collection(perpCollection(tf))
      .find(
        { symbol, market_type: PERP_MARKET, price, ...timeRange(tf, from, to) },
        { projection: { _id: 0, date: 1, datetime: 1 } },
      )
      .toArray();
    return docs.map((d) => timeOf(tf, d)).sort((a, b) => a - b);
  }

  /**
   * The perpetual data `parts` of one spot series over [from, to] (funding from a month before,
   * for the warm-up of its rolling statistics), in the columns the crypto factors read.
   */
  async read(
    symbol: string,
    tf: Timeframe,
    from: number,
    to: number,
    parts: readonly CryptoPart[],
  ): Promise<CryptoSeries> {
    const out: CryptoSeries = {};
    for (const part of parts) {
      if (part === 'funding') out.funding = await this.readFunding(symbol, from - FUNDING_LOOKBACK_MS, to);
      else if (part === 'depth') out.depth = await this.readDepth(symbol, from, to);
      else out[part] = await this.readPerpCloses(symbol, tf, part, from, to);
    }
    return out;
  }

  async readFunding(symbol: string, from: number, to: number): Promise<TimedColumn> {
    const docs = await this.db
      .collection(COLLECTIONS.funding)
      .find(
        { symbol, market_type: PERP_MARKET, ts: { $gte: new Date(from), $lte: new Date(to) } },
        { projection: { _id: 0, ts: 1, rate: 1 } },
      )
      .toArray();
    docs.sort((a, b) => (a.ts as Date).getTime() - (b.ts as Date).getTime());
    return {
      time: Float64Array.from(docs, (d) => (d.ts as Date).getTime()),
      value: Float64Array.from(docs, (d) => Number(d.rate)),
    };
  }

  async readPerpCloses(
    symbol: string,
    tf: Timeframe,
    price: PerpPriceKind,
    from: number,
    to: number,
  ): Promise<TimedColumn> {
    const docs = await this.db
      .collection(perpCollection(tf))
      .find(
        { symbol, market_type: PERP_MARKET, price, ...timeRange(tf, from, to) },
        { projection: { _id: 0, date: 1, datetime: 1, close: 1 } },
      )
      .toArray();
    const rows = docs.map((d) => [timeOf(tf, d), Number(d.close)] as const).sort((a, b) => a[0] - b[0]);
    return { time: Float64Array.from(rows, (r) => r[0]), value: Float64Array.from(rows, (r) => r[1]) };
  }

  async readDepth(symbol: string, from: number, to: number): Promise<DepthColumns> {
    const docs = await this.db
      .collection(COLLECTIONS.depth1m)
      .find(
        { symbol, market_type: PERP_MARKET, datetime: { $gte: new Date(from), $lte: new Date(to) } },
        { projection: { _id: 0 } },
      )
      .toArray();
    docs.sort((a, b) => (a.datetime as Date).getTime() - (b.datetime as Date).getTime());
    const col = (f: string) => Float64Array.from(docs, (d) => Number(d[f]));
    return {
      time: Float64Array.from(docs, (d) => (d.datetime as Date).getTime()),
      spreadBp: col('spread_bp'),
      bid: [col('bid_10bp'), col('bid_50bp'), col('bid_100bp')],
      ask: [col('ask_10bp'), col('ask_50bp'), col('ask_100bp')],
    };
  }

  /** What is stored for each symbol: funding, each price kind per timeframe, and depth. */
  async coverage(symbols: readonly string[]): Promise<DerivativesCoverage[]> {
    const out: DerivativesCoverage[] = [];
    const span = async (
      collection: string,
      filter: Document,
      field: string,
    ): Promise<{ rows: number; first: number | null; last: number | null }> => {
      const c = this.db.collection(collection);
      const rows = await c.countDocuments(filter);
      if (rows === 0) return { rows, first: null, last: null };
      const edge = async (dir: 1 | -1) => {
        const d = await c
          .find(filter, { projection: { _id: 0, [field]: 1 } })
          .sort({ [field]: dir })
          .limit(1)
          .next();
        return field === 'date' ? fromDateKey(d!.date as string) : (d![field] as Date).getTime();
      };
      return { rows, first: await edge(1), last: await edge(-1) };
    };
    for (const symbol of symbols) {
      const base = { symbol, market_type: PERP_MARKET };
      out.push({ symbol, kind: 'funding', timeframe: null, ...(await span(COLLECTIONS.funding, base, 'ts')) });
      for (const tf of ['1m', '1d'] as const)
        for (const price of ['last', 'mark', 'index'] as const) {
          const s = await span(perpCollection(tf), { ...base, price }, tf === '1d' ? 'date' : 'datetime');
          if (s.rows > 0) out.push({ symbol, kind: price, timeframe: tf, ...s });
        }
      out.push({ symbol, kind: 'depth', timeframe: '1m', ...(await span(COLLECTIONS.depth1m, base, 'datetime')) });
    }
    return out;
  }

  private async times(
    collection: string,
    filter: Document,
    field: string,
    from: number,
    to: number,
  ): Promise<number[]> {
    const docs = await this.db
      .collection(collection)
      .find(
        { ...filter, [field]: { $gte: new Date(from), $lte: new Date(to) } },
        { projection: { _id: 0, [field]: 1 } },
      )
      .toArray();
    return docs.map((d) => (d[field] as Date).getTime()).sort((a, b) => a - b);
  }

  /** Inserts rows read as missing; one another writer stored meanwhile is left as it is (the unique key refuses it). */
  private async insertNew(collection: string, docs: Document[]): Promise<void> {
    if (docs.length === 0) return;
    try {
      await this.db.collection(collection).insertMany(docs, { ordered: false });
    } catch (err) {
      const e = err as { code?: number; writeErrors?: { code?: number }[] | { code?: number } };
      const errors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [e];
      if (!errors.every((w) => w.code === 11000)) throw err;
    }
  }
}
