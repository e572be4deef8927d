// Reads a candle file's bytes in any format core/market/fileFormats.ts knows, decoding the
// binary ones here: Freqtrade's feather (Arrow IPC, LZ4- or ZSTD-compressed as pandas writes
// it) with apache-arrow, parquet with hyparquet, jsongz with zlib. Each comes out as the same
// rows the text formats give, checked by the same rules.
import zlib from 'node:zlib';
import { CompressionType, compressionRegistry, tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { decompress as zstdDecompress } from 'fzstd';
import lz4 from 'lz4js';
import {
  CandleFileError,
  acceptFundingRows,
  acceptRows,
  csvRows,
  detectFormat,
  jsonRows,
  type CandleFileFormat,
  type ParsedCandles,
  type ParsedFunding,
  type RawRow,
} from '../../core/market/fileFormats';
import type { Timeframe } from '../../core/market/timeframes';
import { word } from '../../core/wording/wording';

compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (b) => lz4.decompress(b) });
compressionRegistry.set(CompressionType.ZSTD, { decode: (b) => zstdDecompress(b) });

/** The time column: Freqtrade names it `date`; other tools' names are accepted too. */
const TIME_COLUMNS = ['date', 'datetime', 'time', 'timestamp', 'open_time'];
const VALUE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

function columnsOf(names: readonly string[]): string[] {
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const time = TIME_COLUMNS.map((n) => lower.get(n)).find((n) => n !== undefined);
  // Freqtrade's funding rates: [date, funding_rate] (older files: OHLCV with the rate as the open).
  const funding = lower.get('funding_rate');
  if (time && funding && !lower.has('open')) return [time, funding];
  const missing = [...(time ? [] : ['date']), ...VALUE_COLUMNS.filter((n) => !lower.has(n))];
  if (missing.length)
    throw new CandleFileError(word('file.missingColumns', { missing: missing.join(', '), found: names.join(', ') }));
  return [time!, ...VALUE_COLUMNS.map((n) => lower.get(n)!)];
}

function featherRows(bytes: Uint8Array): RawRow[] {
  let table;
  try {
    table = tableFromIPC(bytes);
  } catch (err) {
    throw new CandleFileError(word('file.unreadable', { format: 'feather', error: (err as Error).message }));
  }
  const cols = columnsOf(table.schema.fields.map((f) => f.name)).map((n) => table.getChild(n)!);
  const rows: RawRow[] = new Array(table.numRows);
  // Arrow gives timestamps in ms whatever their unit; dates as ms too.
  for (let i = 0; i < table.numRows; i++) rows[i] = { line: i + 1, values: cols.map((c) => c.get(i) as unknown) };
  return rows;
}

async function parquetRows(bytes: Uint8Array): Promise<RawRow[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let objects: Record<string, unknown>[];
  try {
    objects = (await parquetReadObjects({ file, compressors })) as Record<string, unknown>[];
  } catch (err) {
    throw new CandleFileError(word('file.unreadable', { format: 'parquet', error: (err as Error).message }));
  }
  const names = columnsOf(Object.keys(objects[0] ?? {}).length ? Object.keys(objects[0]!) : [...VALUE_COLUMNS]);
  return objects.map((o, i) => ({ line: i + 1, values: names.map((n) => o[n]) }));
}

function gunzip(bytes: Uint8Array): string {
  try {
    return zlib.gunzipSync(bytes).toString('utf8');
  } catch (err) {
    throw new CandleFileError(word('file.unreadable', { format: 'gzip', error: (err as Error).message }));
  }
}

/** The rows of a candle file as read, before any check; `format` 'auto' tells it from the content. */
export async function readFileRows(
  bytes: Uint8Array,
  format: CandleFileFormat | 'auto' = 'auto',
): Promise<{ format: CandleFileFormat; rows: RawRow[] }> {
  const f = format === 'auto' ? detectFormat(bytes) : format;
  const text = () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const rows =
    f === 'feather'
      ? featherRows(bytes)
      : f === 'parquet'
        ? await parquetRows(bytes)
        : f === 'freqtrade-jsongz'
          ? jsonRows(gunzip(bytes))
          : f === 'freqtrade-json'
            ? jsonRows(text())
            : csvRows(text());
  return { format: f, rows };
}

/** Reads a candle file; `format` 'auto' tells it from the content. */
export async function readCandleFile(
  bytes: Uint8Array,
  tf: Timeframe,
  nowMs: number,
  format: CandleFileFormat | 'auto' = 'auto',
): Promise<ParsedCandles> {
  const { format: f, rows } = await readFileRows(bytes, format);
  return acceptRows(rows, tf, f, nowMs);
}

/** Reads a funding-rate file (Freqtrade's funding_rate candles: the rate as the open). */
export async function readFundingFile(
  bytes: Uint8Array,
  nowMs: number,
  format: CandleFileFormat | 'auto' = 'auto',
): Promise<ParsedFunding> {
  const { format: f, rows } = await readFileRows(bytes, format);
  return acceptFundingRows(rows, f, nowMs);
}
