// Perpetual data files written by Freqtrade's own data handlers (its futures data: funding_rate
// with the rate as the candle's open, mark and futures candles), imported by our file import
// job into the perpetual collections: every settlement and bar stored is the one Freqtrade
// reads back; a re-import stores nothing new; bad rows are rejected with their reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFileImport, runFreqtradeScript } from './fileImportRun';
import { DerivativesStore } from '../../main/market/derivativesStore';
import { useTestDb } from '../testDb';

const t = useTestDb('interop_perp');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-ftperp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Row = [number, number, number, number, number, number];
interface Written {
  files: Record<'funding' | 'mark' | 'futures', string>;
  /** What Freqtrade's ohlcv_load reads back: [ms, rate] for funding, candles otherwise. */
  loaded: Record<'funding', [number, number][]> & Record<'mark' | 'futures', Row[]>;
}

// Binance's funding interval is 8h (Freqtrade's funding_fee_timeframe); 30 days of settlements,
// one negative, one exactly zero, stored as Freqtrade stores them now: [date, funding_rate].
// Mark and futures candles: one UTC day of 1m bars.
const SCRIPT = `
import json, sys
from pathlib import Path
import pandas as pd
from freqtrade.data.history.datahandlers import get_datahandler
from freqtrade.enums import CandleType

out = Path(sys.argv[1])
handler = get_datahandler(out, "feather")
pair = "BTC/USDT:USDT"
dates = pd.date_range("2026-10-01", periods=90, freq="8h", tz="UTC")
rates = [0.0001 + (i % 7 - 3) * 0.00002 for i in range(90)]
rates[5] = -0.00031
rates[6] = 0.0
funding = pd.DataFrame({"date": dates, "funding_rate": rates})
handler.ohlcv_store(pair, "8h", funding, CandleType.FUNDING_RATE)

minutes = pd.date_range("2026-11-01", periods=1440, freq="1min", tz="UTC")
def candles(base):
    o = [round(base + (i % 40) * 0.5, 2) for i in range(1440)]
    return pd.DataFrame({"date": minutes, "open": o, "high": [x + 1.5 for x in o], "low": [x - 2.25 for x in o],
                         "close": [x + 0.25 for x in o], "volume": [float(i % 13) for i in range(1440)]})
handler.ohlcv_store(pair, "1m", candles(27000), CandleType.MARK)
handler.ohlcv_store(pair, "1m", candles(27010), CandleType.FUTURES)

def rows(df, columns=("open", "high", "low", "close", "volume")):
    ms = df["date"].dt.as_unit("ms").astype("int64").tolist()
    cols = [df[c].astype(float).tolist() for c in columns]
    return [[m, *v] for m, *v in zip(ms, *cols)]

files = {p.name.split("-", 2)[-1].split(".")[0]: str(p) for p in out.rglob("*.feather")}
print(json.dumps({
    "files": {"funding": files["funding_rate"], "mark": files["mark"], "futures": files["futures"]},
    "loaded": {
        "funding": rows(handler.ohlcv_load(pair, "8h", CandleType.FUNDING_RATE), ("funding_rate",)),
        "mark": rows(handler.ohlcv_load(pair, "1m", CandleType.MARK)),
        "futures": rows(handler.ohlcv_load(pair, "1m", CandleType.FUTURES)),
    },
}))
`;

let ft: Written;

beforeAll(async () => {
  ft = await runFreqtradeScript<Written>(SCRIPT, dir);
});

const run = (params: Record<string, unknown>) => runFileImport(t, params);

describe("Freqtrade's futures data files", () => {
  it('funding_rate: every settlement Freqtrade reads back, the rate as a fraction; twice stores nothing', async () => {
    const symbol = 'FT:BTCUSDT';
    const n = ft.loaded.funding.length;
    expect(n).toBe(90);
    expect(path.basename(ft.files.funding)).toBe('BTC_USDT_USDT-8h-funding_rate.feather');
    expect(await run({ path: ft.files.funding, symbol, timeframe: '1m', data: 'funding' })).toMatchObject({
      format: 'feather',
      data: 'funding',
      rows: n,
      accepted: n,
      rejected: 0,
      new: n,
      identical: 0,
    });
    const stored = await new DerivativesStore(t.db()).readFunding(symbol, 0, Date.now());
    expect(Array.from(stored.time)).toEqual(ft.loaded.funding.map((r) => r[0]));
    expect(Array.from(stored.value)).toEqual(ft.loaded.funding.map((r) => r[1]));
    expect(stored.value[5]).toBe(-0.00031);
    expect(
      await t
        .db()
        .collection('crypto_funding')
        .countDocuments({ symbol, rate: { $type: 'double' } }),
    ).toBe(n);

    expect(await run({ path: ft.files.funding, symbol, timeframe: '1m', data: 'funding' })).toMatchObject({
      new: 0,
      identical: n,
    });
    expect(await t.db().collection('crypto_funding').countDocuments({ symbol })).toBe(n);
  });

  it.each([
    ['mark', 'mark'],
    ['futures', 'last'],
  ] as const)('%s candles: imported as the perpetual %s bars, bar for bar', async (file, kind) => {
    const symbol = 'FT:BTCUSDT';
    expect(await run({ path: ft.files[file], symbol, timeframe: '1m', data: kind })).toMatchObject({
      rows: 1440,
      accepted: 1440,
      rejected: 0,
      new: 1440,
    });
    const docs = await t
      .db()
      .collection('crypto_perp_market_1m')
      .find({ symbol, price: kind, market_type: 'perp' })
      .sort({ datetime: 1 })
      .toArray();
    expect(docs.map((d) => [(d.datetime as Date).getTime(), d.open, d.high, d.low, d.close, d.volume] as Row)).toEqual(
      ft.loaded[file],
    );
  });

  it('a funding file asked as mark bars is refused whole with the reason, and leaves nothing', async () => {
    const err = await run({ path: ft.files.funding, symbol: 'FT:ETHUSDT', timeframe: '1m', data: 'mark' }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toBe(
      'This file holds funding rates (a time and a rate a row), not candles: import it as funding rates',
    );
    expect(await t.db().collection('crypto_perp_market_1m').countDocuments({ symbol: 'FT:ETHUSDT' })).toBe(0);
  });
});
