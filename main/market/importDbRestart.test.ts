// A database restart in the middle of an import: the importer waits it out and ends with
// every bar stored exactly once (R5 in docs/ARCHITECTURE.md, for bars).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { TIMEFRAME_MS, barOpen } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { findEngineBinary } from '../database/databaseEngine';
import { LocalDatabaseServer } from '../database/localDatabase';
import { MarketStore } from './marketStore';
import { ensureSchema } from '../database/schemaSetup';
import { importOhlcv } from './ohlcvImporter';

const MIN = TIMEFRAME_MS['1m'];
const BARS = 60_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-dbrestart-'));
const server = new LocalDatabaseServer({
  kind: 'ferretdb',
  binary: findEngineBinary(path.resolve('resources'))!,
  dataDir: dir,
  log: createMemoryLogger(),
  random: () => 0,
});
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 21) });
let client: MongoClient;

beforeAll(async () => {
  const uri = await server.start();
  await sim.start();
  // shorter than the server's restart (1 s backoff and its start): a write while it is down
  // fails in the driver and reaches the importer's own retry
  client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
  await client.connect();
  await ensureSchema(client.db('r5'), createMemoryLogger());
});

afterAll(async () => {
  await client.close();
  await sim.stop();
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('database restart while importing', () => {
  it('reconnects and ends with no lost and no duplicated bars', async () => {
    const to = barOpen(Date.now(), '1d') - MIN;
    const from = to - (BARS - 1) * MIN;
    const log = createMemoryLogger();
    let killed = false;
    // The server is killed a third of the way in, and the next write is sent once it is gone.
    const store = new MarketStore(client.db('r5'));
    const killing = Object.create(store) as MarketStore;
    let writes = 0;
    killing.writeBars = async (...args: Parameters<MarketStore['writeBars']>) => {
      if (++writes === 5) {
        killed = true;
        const gone = new Promise<void>((resolve) => {
          const off = server.onEvent((e) => {
            if (e.type !== 'exited') return;
            off();
            resolve();
          });
        });
        process.kill(server.pid!, 'SIGKILL');
        await gone;
      }
      return store.writeBars(...args);
    };
    const result = await importOhlcv(
      { symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT', timeframe: '1m', from, to },
      {
        exchange: createExchangeClient({ exchangeId: 'binance', apiBaseUrl: sim.url }),
        store: killing,
        log,
      },
    );
    expect(killed).toBe(true);
    expect(result.retries).toBeGreaterThan(0);
    expect(log.lines.some((l) => l.message === 'database write failed; retrying')).toBe(true);
    const cov = await new MarketStore(client.db('r5')).coverage('DEMO:BTCUSDT', '1m');
    expect(cov).toEqual({ first: from, last: to, bars: BARS, expected: BARS, gaps: [] });
    expect(await client.db('r5').collection('crypto_market_1m').countDocuments({})).toBe(BARS);
  }, 120_000);
});
