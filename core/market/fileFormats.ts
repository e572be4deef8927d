// Candle files people already have: Binance public-data kline CSVs (monthly/daily files,
// with or without a header; open times in ms, or in µs as in files from 2025 on) and
// Freqtrade's candle files in each of its formats (feather, parquet, json, jsongz). The
// format is told by the content, not the name. A file is a set of bars: its rows are sorted,
// every row is checked and bad ones are rejected with their line and reason; a file that
// cannot be what the trader asked for (another timeframe, times in seconds) is refused whole.
// The binary formats are decoded in main/market/candleFileReader.ts into the same rows.
import { english, word, type Wording } from '../wording/wording';
import { badBarReason, type OhlcvTuple } from './bars';
import { badFundingReason } from './derivatives';
import { TIMEFRAME_MS, type Timeframe } from './timeframes';

export const CANDLE_FILE_FORMATS = ['binance-csv', 'freqtrade-json', 'freqtrade-jsongz', 'feather', 'parquet'] as const;
export type CandleFileFormat = (typeof CANDLE_FILE_FORMATS)[number];

/** The exchange of a series imported from a file: there is none to reach or keep it current from. */
export const FROM_FILE = 'file';

export interface RejectedRow {
  /** 1-based line (CSV), array index + 1 (JSON) or row number (columnar files). */
  line: number;
  reason: string;
}

export interface ParsedCandles {
  format: CandleFileFormat;
  /** The accepted bars, in time order. */
  bars: OhlcvTuple[];
  /** Sorted by line. */
  rejected: RejectedRow[];
  rows: number;
}

/** A row as read from a file, before any check: its line and its first six values. */
export interface RawRow {
  line: number;
  values: unknown[];
}

/** The whole file is refused: the reason is a sentence for the trader. */
export class CandleFileError extends Error {
  constructor(readonly wording: Wording) {
    super(english(wording));
    this.name = 'CandleFileError';
  }
}

const startsWith = (bytes: Uint8Array, magic: string) =>
  bytes.length >= magic.length && [...magic].every((ch, i) => bytes[i] === ch.charCodeAt(0));

/** The format of a file from its first bytes. */
export function detectFormat(bytes: Uint8Array): CandleFileFormat {
  if (startsWith(bytes, 'ARROW1')) return 'feather';
  if (startsWith(bytes, 'PAR1')) return 'parquet';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'freqtrade-jsongz';
  if (startsWith(bytes, 'FEA1')) throw new CandleFileError(word('file.featherV1'));
  if (startsWith(bytes, 'PK\u0003\u0004')) throw new CandleFileError(word('file.zipped'));
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x5b /* [ */ || bytes[i] === 0x7b /* { */ ? 'freqtrade-json' : 'binance-csv';
}

/** Binance open times are ms before 2025 and µs after; anything past year 5000 in ms is µs. */
const toMs = (t: number) => (t > 1e14 ? Math.floor(t / 1000) : t);

const toNumber = (v: unknown) =>
  typeof v === 'number'
    ? v
    : typeof v === 'bigint'
      ? Number(v)
      : v instanceof Date
        ? v.getTime()
        : typeof v === 'string' && v.trim() !== ''
          ? Number(v)
          : Number.NaN;

/** Names a bar spacing the way timeframes are written (1m, 5m, 1h, 4h, 1d, 1w), or in minutes. */
export function spacingName(ms: number): string {
  if (ms % 604_800_000 === 0) return `${ms / 604_800_000}w`;
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/** The most common gap between consecutive distinct times (sorted), or null under 3 bars. */
function usualSpacing(sortedTimes: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (let i = 1; i < sortedTimes.length; i++) {
    const gap = sortedTimes[i]! - sortedTimes[i - 1]!;
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [gap, n] of counts)
    if (n > bestCount || (n === bestCount && best !== null && gap < best)) [best, bestCount] = [gap, n];
  return sortedTimes.length >= 3 ? best : null;
}

/**
 * Checks rows into bars: the file must hold `tf` bars (by the spacing of its times) in ms;
 * rows are sorted, the first of a repeated time kept; only bars closed at `nowMs` are kept.
 */
export function acceptRows(
  rows: readonly RawRow[],
  tf: Timeframe,
  format: CandleFileFormat,
  nowMs: number,
): ParsedCandles {
  const step = TIMEFRAME_MS[tf];
  // A time and one value a row: Freqtrade's funding rates, not candles.
  if (rows.length > 0 && rows.every((r) => r.values.length === 2)) throw new CandleFileError(word('file.fundingRates'));
  const rejected: RejectedRow[] = [];
  const candidates: { line: number; bar: OhlcvTuple }[] = [];
  for (const { line, values } of rows) {
    if (values.length < 6) {
      rejected.push({ line, reason: `expected at least 6 fields, got ${values.length}` });
      continue;
    }
    const [rawT, o, h, l, c, v] = values.slice(0, 6).map(toNumber) as OhlcvTuple;
    candidates.push({ line, bar: [toMs(rawT), o, h, l, c, v] });
  }
  if (rows.length === 0) throw new CandleFileError(word('file.empty'));
  const times = candidates.map((x) => x.bar[0]).filter(Number.isFinite);
  const sortedTimes = [...new Set(times)].sort((a, b) => a - b);
  // Seconds since 1970 read as ms fall in January 1970: say so rather than reject every row.
  const median = sortedTimes[Math.floor(sortedTimes.length / 2)];
  if (median !== undefined && median > 1e8 && median < 1e11)
    throw new CandleFileError(word('file.seconds', { example: median }));
  const spacing = usualSpacing(sortedTimes);
  if (spacing !== null && spacing !== step)
    throw new CandleFileError(
      spacing === TIMEFRAME_MS['1m'] || spacing === TIMEFRAME_MS['1d']
        ? word('file.holdsOther', { held: spacingName(spacing), asked: tf })
        : word('file.holdsUnsupported', { held: spacingName(spacing), asked: tf }),
    );
  // A file is a set of bars: its order is not its meaning. A stable sort keeps the first of a repeated time.
  candidates.sort((a, b) => (a.bar[0] || 0) - (b.bar[0] || 0));
  const bars: OhlcvTuple[] = [];
  let lastTime = -Infinity;
  for (const { line, bar } of candidates) {
    const [t, o, h, l, c, v] = bar;
    const reason = badBarReason(t, tf, o, h, l, c, v);
    if (reason) rejected.push({ line, reason });
    else if (t === lastTime) rejected.push({ line, reason: `duplicate timestamp ${new Date(t).toISOString()}` });
    else if (t + step > nowMs)
      rejected.push({
        line,
        reason: `bar of ${new Date(t).toISOString()} has not closed yet: only closed bars are stored`,
      });
    else {
      bars.push(bar);
      lastTime = t;
    }
  }
  rejected.sort((a, b) => a.line - b.line);
  if (bars.length === 0 && rejected.length > 0)
    throw new CandleFileError(
      word('file.nothingUsable', { rows: rows.length, line: rejected[0]!.line, reason: rejected[0]!.reason }),
    );
  return { format, bars, rejected, rows: rows.length };
}

export function csvRows(text: string): RawRow[] {
  const rows: RawRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    // A header row (newer files have one): skipped, not rejected.
    if (i === 0 && /[a-z_]/i.test(raw.split(',')[0] ?? '') && Number.isNaN(Number(raw.split(',')[0]))) continue;
    rows.push({ line: i + 1, values: raw.split(',') });
  }
  return rows;
}

/** Freqtrade's json/jsongz candles: [[ms, open, high, low, close, volume], ...]. */
export function jsonRows(text: string): RawRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CandleFileError(word('file.badJson', { error: (err as Error).message }));
  }
  if (!Array.isArray(data)) throw new CandleFileError(word('file.jsonNotArray'));
  return data.map((row, i) => ({ line: i + 1, values: Array.isArray(row) ? row : [] }));
}

export interface ParsedFunding {
  format: CandleFileFormat;
  /** Settlements in time order: time (ms, UTC) and rate (fraction per interval). */
  funding: { time: number; rate: number }[];
  rejected: RejectedRow[];
  rows: number;
}

/**
 * Checks rows of a funding-rate file into settlements: Freqtrade's funding_rate files hold the
 * rate as the candle's open ([time, rate, ...]). Times in ms; a rate must be a number under 10 %
 * per interval; settlements after `nowMs` are not settled yet; the first of a repeated time is kept.
 */
export function acceptFundingRows(rows: readonly RawRow[], format: CandleFileFormat, nowMs: number): ParsedFunding {
  if (rows.length === 0) throw new CandleFileError(word('file.empty'));
  const rejected: RejectedRow[] = [];
  const candidates: { line: number; time: number; rate: number }[] = [];
  for (const { line, values } of rows) {
    if (values.length < 2) {
      rejected.push({ line, reason: `expected a time and a rate, got ${values.length} field(s)` });
      continue;
    }
    candidates.push({ line, time: toMs(toNumber(values[0])), rate: toNumber(values[1]) });
  }
  const times = candidates
    .map((c) => c.time)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  if (median !== undefined && median > 1e8 && median < 1e11)
    throw new CandleFileError(word('file.seconds', { example: median }));
  candidates.sort((a, b) => (a.time || 0) - (b.time || 0));
  const funding: ParsedFunding['funding'] = [];
  let last = -Infinity;
  for (const c of candidates) {
    const reason =
      badFundingReason(c.time, c.rate) ??
      (c.time > nowMs
        ? `settlement of ${new Date(c.time).toISOString()} is in the future`
        : c.time === last
          ? `duplicate timestamp ${new Date(c.time).toISOString()}`
          : null);
    if (reason) rejected.push({ line: c.line, reason });
    else {
      funding.push({ time: c.time, rate: c.rate });
      last = c.time;
    }
  }
  rejected.sort((a, b) => a.line - b.line);
  if (funding.length === 0)
    throw new CandleFileError(
      word('file.nothingUsable', { rows: rows.length, line: rejected[0]!.line, reason: rejected[0]!.reason }),
    );
  return { format, funding, rejected, rows: rows.length };
}

/** A text file (CSV or JSON) into bars. */
export function parseCandleText(
  text: string,
  tf: Timeframe,
  nowMs: number,
  format: 'binance-csv' | 'freqtrade-json' | 'auto' = 'auto',
): ParsedCandles {
  const f = format === 'auto' ? (/^\s*[[{]/.test(text) ? 'freqtrade-json' : 'binance-csv') : format;
  return acceptRows(f === 'freqtrade-json' ? jsonRows(text) : csvRows(text), tf, f, nowMs);
}
