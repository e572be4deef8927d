// The columnar copy of stored bars: per series, Arrow IPC files (Feather v2) in the data
// folder, one per month of minutes or one for a daily series, holding the columns time, open,
// high, low, close, volume as float64. A year of minutes then loads at file speed instead of
// converting half a million documents. The database stays the source of truth: MarketStore
// writes here after each database write, serves reads from here only when the files hold
// exactly the bars the series' index of stored bars lists, and rewrites them from the
// database otherwise (a write another process raced, a deleted or damaged file, bars another
// program wrote). Files are replaced by rename, so a reader never sees half a file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeTable, tableFromIPC, tableToIPC } from 'apache-arrow';
import { allocBars, barsFromTuples, type ColumnarBars, type OhlcvTuple } from '../../core/market/bars';
import type { Logger } from '../../core/logging/logger';
import type { Timeframe } from '../../core/market/timeframes';

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** The partition a bar belongs to: its UTC month for minutes, the whole series for days. */
function partitionOf(tf: Timeframe, t: number): string {
  return tf === '1d' ? 'all' : new Date(t).toISOString().slice(0, 7);
}

/** Partitions overlapping [fromMs, toMs], in time order. */
function partitionsIn(tf: Timeframe, fromMs: number, toMs: number): string[] {
  if (tf === '1d') return ['all'];
  const out: string[] = [];
  const d = new Date(Math.max(fromMs, 0));
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  for (;;) {
    const start = Date.UTC(y, m, 1);
    if (start > toMs) return out;
    out.push(new Date(start).toISOString().slice(0, 7));
    m += 1;
    if (m === 12) [y, m] = [y + 1, 0];
  }
}

/** First index with time >= t (times ascending). */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function concat(symbol: string, tf: Timeframe, parts: ColumnarBars[]): ColumnarBars {
  const out = allocBars(
    symbol,
    tf,
    parts.reduce((n, p) => n + p.length, 0),
  );
  let at = 0;
  for (const p of parts) {
    for (const f of FIELDS) out[f].set(p[f], at);
    at += p.length;
  }
  return out;
}

function slice(b: ColumnarBars, from: number, to: number): ColumnarBars {
  const out = allocBars(b.symbol, b.timeframe, Math.max(0, to - from));
  for (const f of FIELDS) out[f].set(b[f].subarray(from, to));
  return out;
}

export class BarColumns {
  private readonly reported = new Set<string>();

  /** `log`: where a copy that cannot be read or written is reported (once per kind of failure and series). */
  constructor(
    readonly dir: string,
    private readonly log?: Logger,
  ) {}

  /** Reports a failure of the copy once: reads then come from the database, and it is rewritten when it can be. */
  failed(what: 'read' | 'write', symbol: string, tf: Timeframe, err: unknown): void {
    const key = `${what}|${symbol}|${tf}|${(err as Error).message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.log?.warn(
      `columnar copy of the bars could not be ${what === 'read' ? 'read' : 'written'}; the database serves those bars`,
      { symbol, timeframe: tf, dir: this.dir, reason: (err as Error).message },
    );
  }

  private file(symbol: string, tf: Timeframe, partition: string): string {
    // Symbols are EXCHANGE:BASEQUOTE (letters, digits, ':'); ':' is not a file-name character everywhere.
    return path.join(this.dir, symbol.replace(/[^A-Za-z0-9_-]/g, '_'), tf, `${partition}.arrow`);
  }

  /** Removes the copy of a series (it is deleted from the database). */
  drop(symbol: string, tf: Timeframe): void {
    try {
      fs.rmSync(path.dirname(this.file(symbol, tf, 'x')), { recursive: true, force: true });
    } catch (err) {
      this.failed('write', symbol, tf, err);
    }
  }

  /** Bars of one partition, or an empty set when it has no file; throws on a damaged file. */
  private readPartition(symbol: string, tf: Timeframe, partition: string): ColumnarBars {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.file(symbol, tf, partition));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return allocBars(symbol, tf, 0);
      throw err;
    }
    const table = tableFromIPC(bytes);
    const out = allocBars(symbol, tf, table.numRows);
    for (const f of FIELDS) {
      const col = table.getChild(f);
      if (!col || col.length !== table.numRows)
        throw new Error(`columnar copy ${this.file(symbol, tf, partition)} has no column ${f}`);
      out[f].set(col.toArray() as Float64Array);
    }
    for (let i = 1; i < out.length; i++)
      if (!(out.time[i]! > out.time[i - 1]!))
        throw new Error(`columnar copy ${this.file(symbol, tf, partition)} is out of order`);
    return out;
  }

  private writePartition(bars: ColumnarBars, partition: string): void {
    const file = this.file(bars.symbol, bars.timeframe, partition);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const table = makeTable({
      time: bars.time,
      open: bars.open,
      high: bars.high,
      low: bars.low,
      close: bars.close,
      volume: bars.volume,
    });
    const tmp = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
    fs.writeFileSync(tmp, tableToIPC(table, 'file'));
    fs.renameSync(tmp, file);
  }

  /** Bars with open time in [fromMs, toMs]; throws if a file cannot be read. */
  read(symbol: string, tf: Timeframe, fromMs: number, toMs: number): ColumnarBars {
    const all = concat(
      symbol,
      tf,
      partitionsIn(tf, fromMs, toMs).map((p) => this.readPartition(symbol, tf, p)),
    );
    return slice(all, lowerBound(all.time, fromMs), lowerBound(all.time, toMs + 1));
  }

  /** Adds bars (a new bar, or new values for a bar) to the files of their partitions. */
  add(symbol: string, tf: Timeframe, bars: readonly OhlcvTuple[]): void {
    const byPartition = new Map<string, OhlcvTuple[]>();
    for (const b of bars) {
      const p = partitionOf(tf, b[0]);
      if (!byPartition.has(p)) byPartition.set(p, []);
      byPartition.get(p)!.push(b);
    }
    for (const [p, rows] of byPartition) {
      // in time order, the last of repeated times standing (a stable sort keeps their order)
      const sorted = [...rows]
        .sort((a, b) => a[0] - b[0])
        .filter((r, i, all) => i === all.length - 1 || all[i + 1]![0] !== r[0]);
      const added = barsFromTuples(symbol, tf, sorted);
      this.writePartition(mergeByTime(this.readPartitionOrEmpty(symbol, tf, p), added), p);
    }
  }

  /** Makes the files hold exactly `bars` (as the database has them) for [fromMs, toMs], keeping what lies outside. */
  replaceRange(bars: ColumnarBars, fromMs: number, toMs: number): void {
    const tf = bars.timeframe;
    for (const p of partitionsIn(tf, fromMs, toMs)) {
      const old = this.readPartitionOrEmpty(bars.symbol, tf, p);
      // the old rows outside the range, then the database's rows of this partition
      const kept = pick(old, (i) => old.time[i]! < fromMs || old.time[i]! > toMs);
      const mine = pick(bars, (i) => partitionOf(tf, bars.time[i]!) === p);
      // a month with nothing before or after needs no file (a read of all time spans decades)
      if (old.length > 0 || mine.length > 0) this.writePartition(mergeByTime(kept, mine), p);
    }
  }

  /** A damaged file counts as empty here: what is written next replaces it. */
  private readPartitionOrEmpty(symbol: string, tf: Timeframe, p: string): ColumnarBars {
    try {
      return this.readPartition(symbol, tf, p);
    } catch {
      return allocBars(symbol, tf, 0);
    }
  }
}

/** The rows for which `keep(i)` holds, in order. */
function pick(b: ColumnarBars, keep: (i: number) => boolean): ColumnarBars {
  const idx: number[] = [];
  for (let i = 0; i < b.length; i++) if (keep(i)) idx.push(i);
  const out = allocBars(b.symbol, b.timeframe, idx.length);
  for (const f of FIELDS) idx.forEach((i, j) => (out[f][j] = b[f][i]!));
  return out;
}

/** Two sets of bars, each in time order, merged; on the same time the second one's bar stands. */
function mergeByTime(a: ColumnarBars, b: ColumnarBars): ColumnarBars {
  const out = allocBars(a.symbol, a.timeframe, a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  const take = (src: ColumnarBars, k: number) => {
    for (const f of FIELDS) out[f][n] = src[f][k]!;
    n++;
  };
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a.time[i]! < b.time[j]!)) take(a, i++);
    else {
      if (i < a.length && a.time[i] === b.time[j]) i++;
      take(b, j++);
    }
  }
  return slice(out, 0, n);
}
