// File import against the real test database: accepted rows stored, bad rows reported with
// line and reason, a second import stores nothing new.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FromWorker } from '../../../core/workers/protocol';
import { useTestDb } from '../../../test/testDb';
import { createWorkerContext } from '../workerContext';
import { fileImportJob } from './fileImportJob';

const t = useTestDb('fileimport');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1);

function run(params: Record<string, unknown>) {
  const messages: FromWorker[] = [];
  const ctx = createWorkerContext((m) => messages.push(m), new AbortController().signal);
  return { messages, result: fileImportJob({ uri: t.uri, dbName: t.dbName, ...params }, ctx) };
}

describe('file import job', () => {
  it('stores the good rows of a Binance CSV and reports the bad ones', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `${(T0 + i * MIN) * 1000},100,101,99,100.5,2,0,0,0,0,0,0`);
    lines[10] = `${(T0 + 10 * MIN) * 1000},NaN,101,99,100,1,0,0,0,0,0,0`;
    lines[20] = `${(T0 + 20 * MIN) * 1000},100,90,99,100,1,0,0,0,0,0,0`;
    const file = path.join(dir, 'BTCUSDT-1m-2024-05.csv');
    fs.writeFileSync(file, lines.join('\n'));
    const { messages, result } = run({ path: file, symbol: 'BINANCE:BTCUSDT', timeframe: '1m' });
    expect(await result).toMatchObject({
      format: 'binance-csv',
      rows: 3000,
      accepted: 2998,
      rejected: 2,
      stored: 2998,
      existing: 0,
      rejectedSample: 'line 11: open is not a number; line 21: high 90 is below low 99',
    });
    expect(messages.some((m) => m.type === 'progress')).toBe(true);
    expect(await t.db().collection('crypto_market_1m').countDocuments({ symbol: 'BINANCE:BTCUSDT' })).toBe(2998);
    const again = run({ path: file, symbol: 'BINANCE:BTCUSDT', timeframe: '1m' });
    expect(await again.result).toMatchObject({ stored: 0, existing: 2998 });
  });

  it('stores Freqtrade JSON daily candles', async () => {
    const file = path.join(dir, 'ETH_USDT-1d.json');
    fs.writeFileSync(
      file,
      JSON.stringify(Array.from({ length: 30 }, (_, i) => [T0 + i * 86_400_000, 10, 11, 9, 10.5, 100])),
    );
    expect(await run({ path: file, symbol: 'BINANCE:ETHUSDT', timeframe: '1d' }).result).toMatchObject({
      format: 'freqtrade-json',
      accepted: 30,
      stored: 30,
    });
    expect(
      await t.db().collection('crypto_market').findOne({ symbol: 'BINANCE:ETHUSDT', date: '20240501' }),
    ).toMatchObject({ close: 10.5 });
  });

  it('fails clearly on a missing file, an unreadable format or a bad symbol, storing nothing', async () => {
    await expect(
      run({ path: path.join(dir, 'nope.csv'), symbol: 'BINANCE:BTCUSDT', timeframe: '1m' }).result,
    ).rejects.toThrow(/No such file/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '[[1,2');
    await expect(run({ path: bad, symbol: 'BINANCE:SOLUSDT', timeframe: '1m' }).result).rejects.toThrow(
      /Not a Freqtrade JSON candle file/,
    );
    await expect(run({ path: bad, symbol: 'btc', timeframe: '1m' }).result).rejects.toThrow(/Invalid symbol/);
    expect(await t.db().collection('crypto_market_1m').countDocuments({ symbol: 'BINANCE:SOLUSDT' })).toBe(0);
  });
});
