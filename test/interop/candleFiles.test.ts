// Candle files written by Freqtrade's own data handlers, in each of its formats (feather,
// parquet, json, jsongz), imported by our file import job into the real test database: every
// bar stored is the bar Freqtrade wrote and the bar Freqtrade's own loader reads back, prices
// as doubles, in time order whatever the file's order; a file of the other timeframe is
// refused with its reason and leaves nothing behind; a re-import stores nothing new.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandleFileError } from '../../core/market/fileFormats';
import { english } from '../../core/wording/wording';
import { runFileImport, runFreqtradeScript } from './fileImportRun';
import { useTestDb } from '../testDb';

const t = useTestDb('interop');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-ftcandles-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Row = [number, number, number, number, number, number];
type Tf = '1m' | '1d';
interface Written {
  /** The frames handed to ohlcv_store, as [ms, open, high, low, close, volume]. */
  written: Record<Tf, Row[]>;
  /** What Freqtrade's ohlcv_load reads back from each file, same shape. */
  loaded: Record<string, Record<string, Row[]>>;
  /** The open time of the reversed file's first row, as stored on disk. */
  reversedFirst: number;
}

// Freqtrade format, the format our job must detect, the file's extension.
const FORMATS = [
  ['feather', 'feather', 'feather'],
  ['parquet', 'parquet', 'parquet'],
  ['json', 'freqtrade-json', 'json'],
  ['jsongz', 'freqtrade-jsongz', 'json.gz'],
] as const;

// The 1m frame is built as Freqtrade builds downloaded candles (ohlcv_to_dataframe: µs
// timestamps under pandas 3); the 1d frame has ns timestamps, as Freqtrade on pandas 2 wrote
// them. Feather and parquet keep the frame's unit (ohlcv_store converts nothing); json has ms.
// Prices are rounded to cents (whole numbers among them), volumes to 8 decimals, except one
// volume with 15 significant digits: pandas' to_json keeps only 10 decimals.
const SCRIPT = `
import json, sys
from pathlib import Path
import pandas as pd
from freqtrade.data.converter import ohlcv_to_dataframe
from freqtrade.data.history.datahandlers import get_datahandler
from freqtrade.enums import CandleType

out = Path(sys.argv[1])

def bars(n, base, closes, vol0, dvol, step):
    rows = []
    for i in range(n):
        close = closes[i % 2]
        open_ = round(base + (i % 50) * step, 2)
        volume = float(i // 10 + 1) if i % 10 == 0 else round(vol0 + i * dvol, 8)
        if i == 7:
            volume = 0.123456789012345
        rows.append([open_, round(max(open_, close) + 1.25, 2), round(min(open_, close) - 2.5, 2), close, volume])
    return rows

t0 = int(pd.Timestamp("2026-11-01", tz="UTC").timestamp() * 1000)
m1 = bars(1440, 27100, [27123.45, 27124.0], 0.5, 0.01234567, 0.73)
frame_1m = ohlcv_to_dataframe([[t0 + i * 60_000, *r] for i, r in enumerate(m1)], "1m", "BTC/USDT",
                              fill_missing=False, drop_incomplete=False)
d1 = bars(120, 61000, [61234.56, 61235.0], 100, 1.23456789, 3.17)
frame_1d = pd.DataFrame([[d, *r] for d, r in zip(pd.date_range("2026-06-01", periods=120, freq="1D", tz="UTC"), d1)],
                        columns=["date", "open", "high", "low", "close", "volume"])
frame_1d["date"] = frame_1d["date"].dt.as_unit("ns")
frames = {"1m": frame_1m, "1d": frame_1d}

def rows(df):
    ms = df["date"].dt.as_unit("ms").astype("int64").tolist()
    cols = [df[c].astype(float).tolist() for c in ["open", "high", "low", "close", "volume"]]
    return [[m, *v] for m, *v in zip(ms, *cols)]

# ohlcv_store sorts nothing: this file is written newest first.
get_datahandler(out / "reversed", "feather").ohlcv_store("BTC/USDT", "1m", frame_1m.iloc[::-1], CandleType.SPOT)
loaded = {"reversed": {"1m": rows(get_datahandler(out / "reversed", "feather").ohlcv_load("BTC/USDT", "1m", CandleType.SPOT))}}
for fmt in ["feather", "parquet", "json", "jsongz"]:
    handler = get_datahandler(out / fmt, fmt)
    loaded[fmt] = {}
    for tf, frame in frames.items():
        handler.ohlcv_store("BTC/USDT", tf, frame, CandleType.SPOT)
        loaded[fmt][tf] = rows(handler.ohlcv_load("BTC/USDT", tf, CandleType.SPOT))
first = pd.read_feather(out / "reversed" / "BTC_USDT-1m.feather")["date"].iloc[0]
print(json.dumps({
    "written": {tf: rows(f) for tf, f in frames.items()},
    "loaded": loaded,
    "reversedFirst": first.value // 1_000_000,
}))
`;

let ft: Written;

beforeAll(async () => {
  ft = await runFreqtradeScript<Written>(SCRIPT, dir);
});

const run = (params: Record<string, unknown>) => runFileImport(t, params);

const fileOf = (fmt: string, tf: Tf, ext: string) => path.join(dir, fmt, `BTC_USDT-${tf}.${ext}`);
const collectionOf = (tf: Tf) => t.db().collection(tf === '1d' ? 'crypto_market' : 'crypto_market_1m');
const listed = (symbol: string) => t.db().collection('quantdesk_series').countDocuments({ symbol });
/** A daily bar is keyed by its UTC day (YYYYMMDD): its time is that day's midnight. */
const dayStart = (key: string) => Date.UTC(+key.slice(0, 4), +key.slice(4, 6) - 1, +key.slice(6, 8));
const VALUES = ['open', 'high', 'low', 'close', 'volume'] as const;

/** The stored bars of a symbol, as [ms, open, high, low, close, volume] in time order. */
async function stored(symbol: string, tf: Tf): Promise<Row[]> {
  const docs = await collectionOf(tf)
    .find({ symbol })
    .sort(tf === '1d' ? { date: 1 } : { datetime: 1 })
    .toArray();
  return docs.map(
    (d) =>
      [
        tf === '1d' ? dayStart(String(d.date)) : (d.datetime as Date).getTime(),
        ...VALUES.map((f) => d[f] as number),
      ] as Row,
  );
}

/** The JSON formats hold what pandas' to_json wrote: every value to 10 decimals. */
const asWritten = (fmt: string, rows: Row[]): Row[] =>
  fmt.startsWith('json') ? rows.map(([time, ...v]) => [time, ...v.map((x) => Number(x.toFixed(10)))] as Row) : rows;

/**
 * Our bars against Freqtrade's loader's: the same times, the same values. Its json reader
 * (pandas' read_json, not precise_float) misreads some decimals by one unit in the last place
 * (0.52469134 as 0.5246913400000001); we keep the double the file's text names.
 */
function expectSameBars(ours: Row[], theirs: Row[], fmt: string) {
  expect(ours.map((r) => r[0])).toEqual(theirs.map((r) => r[0]));
  if (!fmt.startsWith('json')) return expect(ours).toEqual(theirs);
  ours.forEach((row, i) =>
    row.slice(1).forEach((v, j) => expect(Math.abs(v - theirs[i]![j + 1]!)).toBeLessThanOrEqual(v * Number.EPSILON)),
  );
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CandleFileError);
  return english((err as CandleFileError).wording);
}

describe("Freqtrade's candle files", () => {
  it('were written as meant: one UTC day of 1m bars, 120 daily bars, one volume beyond json precision', () => {
    expect(ft.written['1m']).toHaveLength(1440);
    expect(ft.written['1m'][0]![0]).toBe(Date.UTC(2026, 10, 1));
    expect(ft.written['1d']).toHaveLength(120);
    expect(ft.written['1d'][0]![0]).toBe(Date.UTC(2026, 5, 1));
    // The json files really differ from the frame in that one volume (else asWritten would prove nothing).
    expect(asWritten('json', ft.written['1m'])[7]![5]).toBe(0.123456789);
    expect(ft.written['1m'][7]![5]).toBe(0.123456789012345);
  });

  describe.each(FORMATS)('in %s', (fmt, format, ext) => {
    it.each(['1m', '1d'] as const)('are imported as %s bar for bar, as Freqtrade reads them', async (tf) => {
      const symbol = `FT${fmt.toUpperCase()}${tf.toUpperCase()}:BTCUSDT`;
      const n = ft.written[tf].length;
      expect(await run({ path: fileOf(fmt, tf, ext), symbol, timeframe: tf })).toMatchObject({
        format,
        rows: n,
        accepted: n,
        rejected: 0,
        new: n,
        changed: 0,
        identical: 0,
      });
      const bars = await stored(symbol, tf);
      expect(bars).toEqual(asWritten(fmt, ft.written[tf]));
      // Freqtrade's loader (ohlcv_load with its defaults: drop_incomplete off, nothing to fill)
      // returns every bar of the file, as we store them.
      expectSameBars(bars, ft.loaded[fmt]![tf]!, fmt);
      // The contract's doubles, whole-number prices included.
      for (const f of VALUES)
        expect(await collectionOf(tf).countDocuments({ symbol, [f]: { $type: 'double' } }), f).toBe(n);
      expect(await listed(symbol)).toBe(1);
    });

    it('are refused, stored nowhere, when imported as the other timeframe', async () => {
      const as1m = `WRONG${fmt.toUpperCase()}1M:BTCUSDT`;
      const as1d = `WRONG${fmt.toUpperCase()}1D:BTCUSDT`;
      expect(await refusal(run({ path: fileOf(fmt, '1d', ext), symbol: as1m, timeframe: '1m' }))).toBe(
        'This file holds 1d bars, not 1m: import it as 1d',
      );
      expect(await refusal(run({ path: fileOf(fmt, '1m', ext), symbol: as1d, timeframe: '1d' }))).toBe(
        'This file holds 1m bars, not 1d: import it as 1m',
      );
      expect(await collectionOf('1m').countDocuments({ symbol: as1m })).toBe(0);
      expect(await collectionOf('1d').countDocuments({ symbol: as1d })).toBe(0);
      expect(await listed(as1m)).toBe(0);
      expect(await listed(as1d)).toBe(0);
    });
  });

  it('written newest first are stored in time order', async () => {
    const symbol = 'FTREVERSED:BTCUSDT';
    // The file on disk really starts with the last bar.
    expect(ft.reversedFirst).toBe(ft.written['1m'].at(-1)![0]);
    expect(
      await run({ path: path.join(dir, 'reversed', 'BTC_USDT-1m.feather'), symbol, timeframe: '1m' }),
    ).toMatchObject({ format: 'feather', rows: 1440, accepted: 1440, rejected: 0, new: 1440 });
    expect(await stored(symbol, '1m')).toEqual(ft.written['1m']);
    // Freqtrade's loader sorts too (it groups by date).
    expect(ft.loaded.reversed!['1m']).toEqual(ft.written['1m']);
  });

  it('imported again store nothing new', async () => {
    const symbol = 'FTFEATHER1M:BTCUSDT';
    expect(await run({ path: fileOf('feather', '1m', 'feather'), symbol, timeframe: '1m' })).toMatchObject({
      rows: 1440,
      new: 0,
      changed: 0,
      identical: 1440,
      replaced: 0,
    });
    expect(await collectionOf('1m').countDocuments({ symbol })).toBe(1440);
  });
});
