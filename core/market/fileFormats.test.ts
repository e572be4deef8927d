import { describe, expect, it } from 'vitest';
import { parseCandleFile } from './fileFormats';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const row = (t: number, o = 100, h = 101, l = 99, c = 100.5, v = 3) =>
  `${t},${o},${h},${l},${c},${v},${t + MIN - 1},300.5,12,1.5,150.2,0`;

describe('candle files', () => {
  it('reads a Binance kline CSV without a header, in ms', () => {
    const r = parseCandleFile([row(T0), row(T0 + MIN), row(T0 + 2 * MIN)].join('\n'), '1m');
    expect(r).toMatchObject({ format: 'binance-csv', rows: 3, rejected: [] });
    expect(r.bars[1]).toEqual([T0 + MIN, 100, 101, 99, 100.5, 3]);
  });

  it('reads a Binance CSV with a header and microsecond times (files from 2025 on)', () => {
    const header =
      'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';
    const r = parseCandleFile([header, row(T0 * 1000), row((T0 + MIN) * 1000)].join('\r\n'), '1m');
    expect(r.rejected).toEqual([]);
    expect(r.bars.map((b) => b[0])).toEqual([T0, T0 + MIN]);
  });

  it('rejects each bad row with its line and reason and keeps the rest', () => {
    const text = [
      row(T0),
      row(T0 + MIN, Number.NaN),
      row(T0 + 2 * MIN, -5, 1, -6, -5),
      row(T0 + 3 * MIN, 100, 98, 99, 99),
      row(T0 + 3 * MIN),
      row(T0 + 3 * MIN),
      row(T0 + MIN),
      row(T0 + 4 * MIN + 1000),
      '1,2,3',
      row(T0 + 5 * MIN, 0),
      row(T0 + 6 * MIN),
    ].join('\n');
    const r = parseCandleFile(text, '1m');
    expect(r.bars.map((b) => b[0])).toEqual([T0, T0 + 3 * MIN, T0 + 6 * MIN]);
    expect(r.rejected).toEqual([
      { line: 2, reason: 'open is not a number' },
      { line: 3, reason: 'open must be positive (got -5)' },
      { line: 4, reason: 'high 98 is below low 99' },
      { line: 6, reason: expect.stringMatching(/^duplicate timestamp/) },
      { line: 7, reason: expect.stringMatching(/^out of order/) },
      { line: 8, reason: expect.stringMatching(/not on a 1m bar boundary/) },
      { line: 9, reason: 'expected at least 6 fields, got 3' },
      { line: 10, reason: 'open must be positive (got 0)' },
    ]);
  });

  it("reads Freqtrade's JSON candles and rejects malformed entries", () => {
    const r = parseCandleFile(
      JSON.stringify([
        [T0, 1, 2, 0.5, 1.5, 10],
        [T0 + 86_400_000, 1.5, 2, 1, 1.8, 0],
        'junk',
        [T0 + 2 * 86_400_000, null, 2, 1, 1, 1],
      ]),
      '1d',
    );
    expect(r.format).toBe('freqtrade-json');
    expect(r.bars).toHaveLength(2);
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4]);
    expect(() => parseCandleFile('[1,2', '1d')).toThrow(/Not a Freqtrade JSON candle file/);
  });
});
