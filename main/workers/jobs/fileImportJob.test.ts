// File import against the real test database: every format Freqtrade writes (files made by
// its own data handlers, test/fixtures/freqtrade) and Binance CSVs; bad rows reported with line
// and reason; a re-import counted as new, changed and identical, changed bars replaced only when
// asked; prices stored as doubles; a refused file fails with its reason and lists no series.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CandleFileError } from '../../../core/market/fileFormats';
import type { FromWorker } from '../../../core/workers/protocol';
import { english } from '../../../core/wording/wording';
import { useTestDb } from '../../../test/testDb';
import { createWorkerContext } from '../workerContext';
import { fileImportJob } from './fileImportJob';

const t = useTestDb('fileimport');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 4, 1);
const FIXTURES = path.resolve('test/fixtures/freqtrade');

function run(params: Record<string, unknown>) {
  const messages: FromWorker[] = [];
  const ctx = createWorkerContext((m) => messages.push(m), new AbortController().signal);
  const series = { exchange: 'binance', pair: 'BTC/USDT' };
  return { messages, result: fileImportJob({ uri: t.uri, dbName: t.dbName, series, ...params }, ctx) };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CandleFileError);
  return english((err as CandleFileError).wording);
}

const listed = (symbol: string) => t.db().collection('quantdesk_series').countDocuments({ symbol });

describe('file import job', () => {
  it('stores the good rows of a Binance CSV and reports the bad ones', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `${(T0 + i * MIN) * 1000},100,101,99,100.5,2,0,0,0,0,0,0`);
    lines[10] = `${(T0 + 10 * MIN) * 1000},NaN,101,99,100,1,0,0,0,0,0,0`;
    lines[20] = `${(T0 + 20 * MIN) * 1000},100,90,99,100,1,0,0,0,0,0,0`;
    const file = path.join(dir, 'BTCUSDT-1m-2024-05.csv');
    fs.writeFileSync(file, lines.reverse().join('\n'));
    const { messages, result } = run({ path: file, symbol: 'BINANCE:BTCUSDT', timeframe: '1m' });
    expect(await result).toMatchObject({
      format: 'binance-csv',
      rows: 3000,
      accepted: 2998,
      rejected: 2,
      new: 2998,
      changed: 0,
      identical: 0,
      rejectedSample: 'line 2980: high 90 is below low 99; line 2990: open is not a number',
    });
    expect(messages.some((m) => m.type === 'progress')).toBe(true);
    const bars = t.db().collection('crypto_market_1m');
    expect(await bars.countDocuments({ symbol: 'BINANCE:BTCUSDT' })).toBe(2998);
    // The contract's doubles, whole-number prices included (the driver would write int32).
    for (const f of ['open', 'high', 'low', 'close', 'volume'])
      expect(await bars.countDocuments({ symbol: 'BINANCE:BTCUSDT', [f]: { $type: 'double' } })).toBe(2998);
    expect(await listed('BINANCE:BTCUSDT')).toBe(1);
    const again = run({ path: file, symbol: 'BINANCE:BTCUSDT', timeframe: '1m' });
    expect(await again.result).toMatchObject({ new: 0, changed: 0, identical: 2998 });
  });

  it.each([
    ['feather', 'BTC_USDT-1d.feather'],
    ['parquet', 'BTC_USDT-1d.parquet'],
    ['freqtrade-json', 'BTC_USDT-1d.json'],
    ['freqtrade-jsongz', 'BTC_USDT-1d.json.gz'],
  ])("reads Freqtrade's %s candles, told by their content", async (format, name) => {
    const symbol = `FT${format.replace(/\W/g, '').toUpperCase()}:BTCUSDT`;
    // Named .csv: the content decides, not the name.
    const file = path.join(dir, `${name}.csv`);
    fs.copyFileSync(path.join(FIXTURES, name), file);
    expect(await run({ path: file, symbol, timeframe: '1d' }).result).toMatchObject({
      format,
      rows: 300,
      accepted: 300,
      rejected: 0,
      new: 300,
    });
    const day = await t.db().collection('crypto_market').findOne({ symbol, date: '20260105' });
    expect(day).toMatchObject({ open: 104, high: 106.5, low: 103, close: 104.5, volume: 41 });
  });

  it('counts a corrected file as new, changed and identical, and replaces the changed bars only when asked', async () => {
    const symbol = 'FIX:ETHUSDT';
    const day = (i: number, close: number) => [T0 + i * DAY, 10, 12, 9, close, 100];
    const file = path.join(dir, 'ETH_USDT-1d.json');
    fs.writeFileSync(file, JSON.stringify(Array.from({ length: 30 }, (_, i) => day(i, 10.5))));
    expect(await run({ path: file, symbol, timeframe: '1d' }).result).toMatchObject({ new: 30 });
    // The corrected file: days 5 and 6 fixed, five more days.
    const corrected = Array.from({ length: 35 }, (_, i) => day(i, i === 5 || i === 6 ? 11 : 10.5));
    fs.writeFileSync(file, JSON.stringify(corrected));
    expect(await run({ path: file, symbol, timeframe: '1d' }).result).toMatchObject({
      new: 5,
      changed: 2,
      identical: 28,
      replaced: 0,
    });
    const coll = t.db().collection('crypto_market');
    expect(await coll.findOne({ symbol, date: '20240506' })).toMatchObject({ close: 10.5 });
    expect(await run({ path: file, symbol, timeframe: '1d', replace: true }).result).toMatchObject({
      new: 0,
      changed: 2,
      identical: 33,
      replaced: 2,
    });
    expect(await coll.findOne({ symbol, date: '20240506' })).toMatchObject({ close: 11 });
    expect(await run({ path: file, symbol, timeframe: '1d' }).result).toMatchObject({ changed: 0, identical: 35 });
  });

  it('refuses a file of another timeframe, whole, and lists no series for it', async () => {
    const file = path.join(dir, 'BTC_USDT-1d.feather');
    fs.copyFileSync(path.join(FIXTURES, 'BTC_USDT-1d.feather'), file);
    expect(await refusal(run({ path: file, symbol: 'WRONG:BTCUSDT', timeframe: '1m' }).result)).toBe(
      'This file holds 1d bars, not 1m: import it as 1d',
    );
    expect(await t.db().collection('crypto_market_1m').countDocuments({ symbol: 'WRONG:BTCUSDT' })).toBe(0);
    expect(await listed('WRONG:BTCUSDT')).toBe(0);
  });

  it('fails clearly on a missing file, an unreadable format or a bad symbol, storing nothing', async () => {
    expect(
      await refusal(run({ path: path.join(dir, 'nope.csv'), symbol: 'BINANCE:BTCUSDT', timeframe: '1m' }).result),
    ).toMatch(/^No such file/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '[[1,2');
    expect(await refusal(run({ path: bad, symbol: 'BINANCE:SOLUSDT', timeframe: '1m' }).result)).toMatch(
      /^Not a Freqtrade JSON candle file/,
    );
    const broken = path.join(dir, 'broken.parquet');
    fs.writeFileSync(broken, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7)]));
    expect(await refusal(run({ path: broken, symbol: 'BINANCE:SOLUSDT', timeframe: '1d' }).result)).toMatch(
      /^The file cannot be read as parquet/,
    );
    await expect(run({ path: bad, symbol: 'btc', timeframe: '1m' }).result).rejects.toThrow(/Invalid symbol/);
    expect(await t.db().collection('crypto_market_1m').countDocuments({ symbol: 'BINANCE:SOLUSDT' })).toBe(0);
    expect(await listed('BINANCE:SOLUSDT')).toBe(0);
  });
});
