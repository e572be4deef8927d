import { describe, expect, it } from 'vitest';
import { english } from '../wording/wording';
import { CandleFileError, acceptFundingRows, detectFormat, jsonRows, parseCandleText } from './fileFormats';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 1);
const row = (t: number, o = 100, h = 101, l = 99, c = 100.5, v = 3) =>
  `${t},${o},${h},${l},${c},${v},${t + MIN - 1},300.5,12,1.5,150.2,0`;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(CandleFileError);
    return english((err as CandleFileError).wording);
  }
  throw new Error('expected the file to be refused');
};

describe('candle files', () => {
  it('reads a Binance kline CSV without a header, in ms', () => {
    const r = parseCandleText([row(T0), row(T0 + MIN), row(T0 + 2 * MIN)].join('\n'), '1m', NOW);
    expect(r).toMatchObject({ format: 'binance-csv', rows: 3, rejected: [] });
    expect(r.bars[1]).toEqual([T0 + MIN, 100, 101, 99, 100.5, 3]);
  });

  it('reads a Binance CSV with a header and microsecond times (files from 2025 on)', () => {
    const header =
      'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';
    const r = parseCandleText([header, row(T0 * 1000), row((T0 + MIN) * 1000)].join('\r\n'), '1m', NOW);
    expect(r.rejected).toEqual([]);
    expect(r.bars.map((b) => b[0])).toEqual([T0, T0 + MIN]);
  });

  it('rejects each bad row with its line and reason and keeps the rest, in time order', () => {
    const text = [
      row(T0),
      row(T0 + MIN, Number.NaN),
      row(T0 + 2 * MIN, -5, 1, -6, -5),
      row(T0 + 3 * MIN, 100, 98, 99, 99),
      row(T0 + 3 * MIN),
      row(T0 + 3 * MIN),
      row(T0 + 4 * MIN + 1000),
      '1,2,3',
      row(T0 + 5 * MIN, 0),
      row(T0 + 6 * MIN),
    ].join('\n');
    const r = parseCandleText(text, '1m', NOW);
    expect(r.bars.map((b) => b[0])).toEqual([T0, T0 + 3 * MIN, T0 + 6 * MIN]);
    expect(r.rejected).toEqual([
      { line: 2, reason: 'open is not a number' },
      { line: 3, reason: 'open must be positive (got -5)' },
      { line: 4, reason: 'high 98 is below low 99' },
      { line: 6, reason: expect.stringMatching(/^duplicate timestamp/) },
      { line: 7, reason: expect.stringMatching(/not on a 1m bar boundary/) },
      { line: 8, reason: 'expected at least 6 fields, got 3' },
      { line: 9, reason: 'open must be positive (got 0)' },
    ]);
  });

  it('takes a file as a set of bars: reversed or shuffled rows are all kept, sorted', () => {
    const times = Array.from({ length: 300 }, (_, i) => T0 + i * MIN);
    const reversed = parseCandleText(
      [...times]
        .reverse()
        .map((t) => row(t))
        .join('\n'),
      '1m',
      NOW,
    );
    expect(reversed.rejected).toEqual([]);
    expect(reversed.bars.map((b) => b[0])).toEqual(times);
    const shuffled = [...times].sort((a, b) => ((a * 7919) % 1013) - ((b * 7919) % 1013));
    expect(parseCandleText(shuffled.map((t) => row(t)).join('\n'), '1m', NOW).bars.map((b) => b[0])).toEqual(times);
  });

  it('keeps the first of a repeated time, wherever it stands in the file', () => {
    const r = parseCandleText(
      [row(T0 + MIN, 2, 2, 2, 2), row(T0), row(T0 + MIN, 3, 3, 3, 3), row(T0 + 2 * MIN)].join('\n'),
      '1m',
      NOW,
    );
    expect(r.bars.map((b) => b[1])).toEqual([100, 2, 100]);
    expect(r.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/^duplicate timestamp/) }]);
  });

  it('refuses a file of another timeframe, and names the one it holds', () => {
    const days = Array.from({ length: 400 }, (_, i) => row(T0 + i * DAY)).join('\n');
    expect(refusal(() => parseCandleText(days, '1m', NOW))).toBe('This file holds 1d bars, not 1m: import it as 1d');
    const minutes = Array.from({ length: 3000 }, (_, i) => row(T0 + i * MIN)).join('\n');
    expect(refusal(() => parseCandleText(minutes, '1d', NOW))).toBe('This file holds 1m bars, not 1d: import it as 1m');
    const hours = Array.from({ length: 50 }, (_, i) => row(T0 + i * 3_600_000)).join('\n');
    expect(refusal(() => parseCandleText(hours, '1m', NOW))).toMatch(/holds 1h bars, not 1m: only 1m and 1d/);
    // Gaps do not make a file another timeframe: the usual spacing decides.
    const gappy = [0, 1, 2, 5, 6, 7, 30, 31].map((i) => row(T0 + i * MIN)).join('\n');
    expect(parseCandleText(gappy, '1m', NOW).bars).toHaveLength(8);
  });

  it('refuses times in seconds with a hint', () => {
    const secs = Array.from({ length: 10 }, (_, i) => row(T0 / 1000 + i * 60)).join('\n');
    expect(refusal(() => parseCandleText(secs, '1m', NOW))).toMatch(/look like seconds since 1970 \(e\.g\. 17040/);
  });

  it('stores only closed bars: the forming bar and bars in the future are rejected with the reason', () => {
    const now = T0 + 10 * MIN + 30_000;
    const r = parseCandleText(Array.from({ length: 13 }, (_, i) => row(T0 + i * MIN)).join('\n'), '1m', now);
    expect(r.bars.map((b) => b[0])).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * MIN));
    expect(r.rejected.map((x) => x.line)).toEqual([11, 12, 13]);
    expect(r.rejected[0]!.reason).toMatch(/has not closed yet/);
  });

  it('refuses an empty file and a file none of whose rows can be stored', () => {
    expect(refusal(() => parseCandleText('', '1m', NOW))).toBe('The file holds no candles');
    expect(refusal(() => parseCandleText('1,2,3\n4,5,6', '1m', NOW))).toMatch(
      /^None of the 2 rows can be stored; the first, line 1: expected at least 6 fields/,
    );
  });

  it("reads Freqtrade's JSON candles and rejects malformed entries", () => {
    const r = parseCandleText(
      JSON.stringify([
        [T0, 1, 2, 0.5, 1.5, 10],
        [T0 + DAY, 1.5, 2, 1, 1.8, 0],
        'junk',
        [T0 + 2 * DAY, null, 2, 1, 1, 1],
      ]),
      '1d',
      NOW,
    );
    expect(r.format).toBe('freqtrade-json');
    expect(r.bars).toHaveLength(2);
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4]);
    expect(refusal(() => parseCandleText('[1,2', '1d', NOW))).toMatch(/^Not a Freqtrade JSON candle file/);
  });

  it('tells the format from the first bytes', () => {
    const bytes = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));
    expect(detectFormat(bytes('ARROW1\0\0'))).toBe('feather');
    expect(detectFormat(bytes('PAR1xxxx'))).toBe('parquet');
    expect(detectFormat(new Uint8Array([0x1f, 0x8b, 8, 0]))).toBe('freqtrade-jsongz');
    expect(detectFormat(new Uint8Array([0xef, 0xbb, 0xbf, 0x20, 0x5b, 0x5b, 0x31, 0x5d, 0x5d]))).toBe('freqtrade-json');
    expect(detectFormat(bytes('open_time,open'))).toBe('binance-csv');
    expect(() => detectFormat(bytes('PK\u0003\u0004zip'))).toThrow(/zip archive/);
    expect(() => detectFormat(bytes('FEA1'))).toThrow(/Feather v1/);
  });

  it('reads funding rates (a time and a rate a row): bad rates, future settlements and repeats rejected with the reason', () => {
    const H8 = 8 * 3_600_000;
    const rows = jsonRows(
      JSON.stringify([
        [T0 + H8, 0.0002],
        [T0, 0.0001],
        [T0 + 2 * H8, 'x'],
        [T0 + 3 * H8, 0.2],
        [T0 + H8, 0.0009],
        [NOW + H8, 0.0001],
      ]),
    );
    const r = acceptFundingRows(rows, 'freqtrade-json', NOW);
    expect(r.funding).toEqual([
      { time: T0, rate: 0.0001 },
      { time: T0 + H8, rate: 0.0002 },
    ]);
    expect(r.rejected).toEqual([
      { line: 3, reason: 'funding rate is not a number' },
      { line: 4, reason: 'funding rate 0.2 is beyond 10 % per interval' },
      { line: 5, reason: `duplicate timestamp ${new Date(T0 + H8).toISOString()}` },
      { line: 6, reason: `settlement of ${new Date(NOW + H8).toISOString()} is in the future` },
    ]);
    // Times in seconds are refused whole, as for candles.
    expect(() => acceptFundingRows(jsonRows(JSON.stringify([[T0 / 1000, 0.0001]])), 'freqtrade-json', NOW)).toThrow(
      CandleFileError,
    );
    // Asked as candles, a funding file is refused with what it is.
    expect(refusal(() => parseCandleText(JSON.stringify([[T0, 0.0001]]), '1d', NOW))).toBe(
      'This file holds funding rates (a time and a rate a row), not candles: import it as funding rates',
    );
  });
});
