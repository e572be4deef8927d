// Candle files people already have: Binance public-data kline CSVs (monthly/daily files,
// with or without a header; open times in ms, or in µs as in files from 2025 on) and
// Freqtrade's JSON candle files ([[ms, open, high, low, close, volume], ...]). Every row is
// checked; bad rows are rejected with their line and reason, the rest is kept.
import { badBarReason, type OhlcvTuple } from './bars';
import type { Timeframe } from './timeframes';

export type CandleFileFormat = 'binance-csv' | 'freqtrade-json';

export interface RejectedRow {
  /** 1-based line (CSV) or array index + 1 (JSON). */
  line: number;
  reason: string;
}

export interface ParsedCandles {
  format: CandleFileFormat;
  bars: OhlcvTuple[];
  rejected: RejectedRow[];
  rows: number;
}

export function detectFormat(text: string): CandleFileFormat {
  return text.trimStart().startsWith('[') ? 'freqtrade-json' : 'binance-csv';
}

/** Binance open times are ms before 2025 and µs after; anything past year 5000 in ms is µs. */
const toMs = (t: number) => (t > 1e14 ? Math.floor(t / 1000) : t);

function accept(rows: { line: number; values: unknown[] }[], tf: Timeframe, format: CandleFileFormat): ParsedCandles {
  const bars: OhlcvTuple[] = [];
  const rejected: RejectedRow[] = [];
  let lastTime = -Infinity;
  for (const { line, values } of rows) {
    if (values.length < 6) {
      rejected.push({ line, reason: `expected at least 6 fields, got ${values.length}` });
      continue;
    }
    const nums = values
      .slice(0, 6)
      .map((v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN));
    const [rawT, o, h, l, c, v] = nums as [number, number, number, number, number, number];
    const t = toMs(rawT);
    const reason = badBarReason(t, tf, o, h, l, c, v);
    if (reason) rejected.push({ line, reason });
    else if (t === lastTime) rejected.push({ line, reason: `duplicate timestamp ${new Date(t).toISOString()}` });
    else if (t < lastTime)
      rejected.push({
        line,
        reason: `out of order: ${new Date(t).toISOString()} comes after ${new Date(lastTime).toISOString()}`,
      });
    else {
      bars.push([t, o, h, l, c, v]);
      lastTime = t;
    }
  }
  return { format, bars, rejected, rows: rows.length };
}

export function parseBinanceCsv(text: string, tf: Timeframe): ParsedCandles {
  const rows: { line: number; values: unknown[] }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    // A header row (newer files have one): skipped, not rejected.
    if (i === 0 && /[a-z_]/i.test(raw.split(',')[0] ?? '') && Number.isNaN(Number(raw.split(',')[0]))) continue;
    rows.push({ line: i + 1, values: raw.split(',') });
  }
  return accept(rows, tf, 'binance-csv');
}

export function parseFreqtradeJson(text: string, tf: Timeframe): ParsedCandles {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`Not a Freqtrade JSON candle file: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(data))
    throw new Error('Not a Freqtrade JSON candle file: expected an array of [time, open, high, low, close, volume]');
  return accept(
    data.map((row, i) => ({ line: i + 1, values: Array.isArray(row) ? row : [] })),
    tf,
    'freqtrade-json',
  );
}

export function parseCandleFile(
  text: string,
  tf: Timeframe,
  format: CandleFileFormat | 'auto' = 'auto',
): ParsedCandles {
  const f = format === 'auto' ? detectFormat(text) : format;
  return f === 'freqtrade-json' ? parseFreqtradeJson(text, tf) : parseBinanceCsv(text, tf);
}
