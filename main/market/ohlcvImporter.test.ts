// The importer with real parts: ccxt's binance class against the simulator, the real store
// on the test database server.
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { TIMEFRAME_MS, barCount } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { ensureSchema } from '../database/schemaSetup';
import { MarketStore } from './marketStore';
import { ImportCancelled, importOhlcv, type ImportProgress } from './ohlcvImporter';

const MIN = TIMEFRAME_MS['1m'];
const NOW = Date.UTC(2026, 6, 1, 12, 0, 30);
const t = useTestDb('importer');
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(NOW), 3), now: () => NOW });
let store: MarketStore;

beforeAll(async () => {
  await sim.start();
  await ensureSchema(t.db(), createMemoryLogger());
  store = new MarketStore(t.db());
});
afterAll(() => sim.stop());

const exchange = () => createExchangeClient({ exchangeId: 'binance', apiBaseUrl: sim.url });
const noSleep = async () => undefined;

describe('importOhlcv', () => {
  it('imports a range of closed 1m bars, page by page, with progress at every write; a re-import writes nothing new', async () => {
    const from = NOW - 12_000 * MIN;
    const progress: ImportProgress[] = [];
    const result = await importOhlcv(
      { symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT', timeframe: '1m', from },
      { exchange: exchange(), store, log: createMemoryLogger(), now: () => NOW, onProgress: (p) => progress.push(p) },
    );
    const expected = barCount(Math.floor(from / MIN) * MIN, Math.floor(NOW / MIN) * MIN - MIN, '1m');
    expect(result).toMatchObject({ expected, stored: expected, done: expected, rejected: 0 });
    expect(result.requests).toBe(Math.ceil(expected / 1000));
    expect(progress.at(-1)).toMatchObject({ done: expected, expected });
    // the stored count first, then one report per write of five pages (5,000, 10,000, the rest), then the end
    expect(progress.map((p) => p.stored)).toEqual([0, 5000, 10_000, expected, expected]);
    const cov = await store.coverage('DEMO:BTCUSDT', '1m');
    expect(cov).toMatchObject({ bars: expected, gaps: [] });
    // The bar forming at NOW is not stored.
    expect(cov.last).toBe(Math.floor(NOW / MIN) * MIN - MIN);

    const againProgress: ImportProgress[] = [];
    const again = await importOhlcv(
      { symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT', timeframe: '1m', from },
      {
        exchange: exchange(),
        store,
        log: createMemoryLogger(),
        now: () => NOW,
        onProgress: (p) => againProgress.push(p),
      },
    );
    expect(again).toMatchObject({ stored: 0, requests: 0, done: expected });
    // a refresh says from its first word that nothing is missing (never "0 / N")
    expect(againProgress[0]).toMatchObject({ done: expected, expected });
  });

  it('keeps several pages in flight, each through the request budget; a short page drops the guesses ahead and nothing is missed', async () => {
    const real = exchange();
    await real.loadMarkets();
    const from = Math.floor((NOW - 9000 * MIN) / MIN) * MIN;
    const shortAt = from + 2000 * MIN; // the third page comes back with half its bars
    let inFlight = 0;
    let mostInFlight = 0; // while the pages come back full (the dropped guesses still run out after)
    let short = false;
    const asked: number[] = [];
    const ex = {
      markets: real.markets,
      loadMarkets: () => real.loadMarkets(),
      fetchOHLCV: async (pair: string, tf: string, since?: number, limit?: number) => {
        asked.push(since!);
        if (!short) mostInFlight = Math.max(mostInFlight, inFlight + 1);
        inFlight++;
        try {
          const page = await real.fetchOHLCV(pair, tf, since, limit);
          if (since !== shortAt) return page;
          short = true;
          return page.slice(0, 500);
        } finally {
          inFlight--;
        }
      },
    } as unknown as Parameters<typeof importOhlcv>[1]['exchange'];
    let weight = 0;
    const result = await importOhlcv(
      { symbol: 'DEMO:ETHUSDT', pair: 'ETH/USDT', timeframe: '1m', from },
      {
        exchange: ex,
        store,
        log: createMemoryLogger(),
        now: () => NOW,
        acquire: async (w) => {
          weight += w;
        },
      },
    );
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(5);
    // every request asked the budget for a page's weight (2 on Binance), the dropped guesses too
    expect(weight).toBe(2 * asked.length);
    expect(result.requests).toBe(asked.length);
    // after the short page the next one is asked where it really ends
    expect(asked).toContain(shortAt + 500 * MIN);
    expect(result).toMatchObject({ stored: result.expected, done: result.expected });
    expect(await store.coverage('DEMO:ETHUSDT', '1m')).toMatchObject({ bars: result.expected, gaps: [] });
  });

  it('writes two batches at a time after the first, and reports progress in order when a later write lands first', async () => {
    const from = Math.floor((NOW - 12_000 * MIN) / MIN) * MIN;
    let writing = 0;
    const overlap: number[] = []; // writes running as each one starts
    let calls = 0;
    const paced = Object.create(store) as MarketStore;
    paced.writeBars = async (...args: Parameters<MarketStore['writeBars']>) => {
      overlap.push(++writing);
      const call = ++calls;
      try {
        // the second write is slow: the third one, running beside it, lands first
        if (call === 2) await new Promise((r) => setTimeout(r, 300));
        return await store.writeBars(...args);
      } finally {
        writing--;
      }
    };
    const progress: ImportProgress[] = [];
    const result = await importOhlcv(
      // a series of its own (the ETH pair's bars under another name)
      { symbol: 'DEMO:ADAUSDT', pair: 'ETH/USDT', timeframe: '1m', from },
      {
        exchange: exchange(),
        store: paced,
        log: createMemoryLogger(),
        now: () => NOW,
        writeSize: 2000,
        onProgress: (p) => progress.push(p),
      },
    );
    expect(overlap[0]).toBe(1);
    expect(Math.max(...overlap)).toBe(2);
    const stored = progress.map((p) => p.stored);
    expect(stored).toEqual([...stored].sort((a, b) => a - b));
    expect(stored.slice(1, 4)).toEqual([2000, 4000, 6000]);
    expect(result).toMatchObject({ stored: result.expected, done: result.expected });
    expect(await store.coverage('DEMO:ADAUSDT', '1m')).toMatchObject({ bars: result.expected, gaps: [] });
  });

  it('finds and fills gaps left in the middle of stored data', async () => {
    const coll = t.db().collection('crypto_market_1m');
    const aligned = Math.floor(NOW / MIN) * MIN;
    const holeFrom = new Date(aligned - 2000 * MIN);
    const holeTo = new Date(aligned - 1500 * MIN);
    const removed = (await coll.deleteMany({ symbol: 'DEMO:BTCUSDT', datetime: { $gte: holeFrom, $lte: holeTo } }))
      .deletedCount;
    expect(removed).toBe(501);
    // Deleted behind the store's back: its index of stored bars still lists them until the
    // quality check reads the series, which finds the hole and resets the index.
    expect((await store.coverage('DEMO:BTCUSDT', '1m')).gaps).toEqual([
      { from: holeFrom.getTime(), to: holeTo.getTime(), bars: 501 },
    ]);
    const result = await importOhlcv(
      { symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT', timeframe: '1m', from: NOW - 3000 * MIN },
      { exchange: exchange(), store, log: createMemoryLogger(), now: () => NOW },
    );
    expect(result.stored).toBe(501);
    expect((await store.coverage('DEMO:BTCUSDT', '1m')).gaps).toEqual([]);
  });

  it('re-fetches a range and replaces a corrupted stored bar', async () => {
    const coll = t.db().collection('crypto_market_1m');
    const aligned = Math.floor(NOW / MIN) * MIN;
    const at = new Date(aligned - 1000 * MIN);
    const good = await coll.findOne({ symbol: 'DEMO:BTCUSDT', datetime: at });
    await coll.updateOne(
      { symbol: 'DEMO:BTCUSDT', datetime: at },
      { $set: { close: good!.close * 3, high: good!.close * 3 } },
    );
    const result = await importOhlcv(
      {
        symbol: 'DEMO:BTCUSDT',
        pair: 'BTC/USDT',
        timeframe: '1m',
        from: at.getTime() - 10 * MIN,
        to: at.getTime() + 10 * MIN,
        refetch: true,
      },
      { exchange: exchange(), store, log: createMemoryLogger(), now: () => NOW },
    );
    // MongoDB counts only the changed bar as modified; FerretDB counts every replaced one.
    expect(result.stored).toBeGreaterThanOrEqual(1);
    expect(await coll.findOne({ symbol: 'DEMO:BTCUSDT', datetime: at }, { projection: { _id: 0 } })).toEqual({
      datetime: at,
      symbol: 'DEMO:BTCUSDT',
      open: good!.open,
      high: good!.high,
      low: good!.low,
      close: good!.close,
      volume: good!.volume,
    });
    expect(
      await coll.countDocuments({
        symbol: 'DEMO:BTCUSDT',
        datetime: { $gte: new Date(at.getTime() - 10 * MIN), $lte: new Date(at.getTime() + 10 * MIN) },
      }),
    ).toBe(21);
  });

  it('imports daily bars keyed by UTC date, and the readers return them as columns', async () => {
    const from = Date.UTC(2026, 0, 1);
    const result = await importOhlcv(
      { symbol: 'DEMO:ETHUSDT', pair: 'ETH/USDT', timeframe: '1d', from },
      { exchange: exchange(), store, log: createMemoryLogger(), now: () => NOW },
    );
    expect(result.stored).toBe(barCount(from, Date.UTC(2026, 5, 30), '1d'));
    const doc = await t.db().collection('crypto_market').findOne({ symbol: 'DEMO:ETHUSDT', date: '20260315' });
    expect(doc).toMatchObject({
      date: '20260315',
      symbol: 'DEMO:ETHUSDT',
      open: expect.any(Number),
      volume: expect.any(Number),
    });
    const bars = await store.readBars('DEMO:ETHUSDT', '1d', Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 31));
    expect(bars.length).toBe(31);
    expect(bars.time[0]).toBe(Date.UTC(2026, 2, 1));
    expect(bars.close).toBeInstanceOf(Float64Array);
  });

  it('retries network errors and 5xx with backoff, then completes', async () => {
    // Its own simulator with a fixed fault sequence (each request draws for a timeout, then
    // for a 5xx): every second request fails with 503, the same way every run.
    const draws = [0.9, 0.9, 0.9, 0.1];
    let n = 0;
    const random = () => draws[n++ % draws.length]!;
    const flaky = new BinanceSimulator({
      market: new SyntheticMarket(demoAssets(NOW), 3),
      now: () => NOW,
      random,
      faults: { serverErrorRate: 0.3 },
    });
    await flaky.start();
    const sleeps: number[] = [];
    try {
      const result = await importOhlcv(
        { symbol: 'DEMO:SOLUSDT', pair: 'SOL/USDT', timeframe: '1m', from: NOW - 5000 * MIN },
        {
          exchange: createExchangeClient({ exchangeId: 'binance', apiBaseUrl: flaky.url }),
          store,
          log: createMemoryLogger(),
          now: () => NOW,
          sleep: async (ms) => void sleeps.push(ms),
          random: () => 0.5,
        },
      );
      expect(flaky.stats.faultsInjected).toBeGreaterThan(0);
      expect(result.retries).toBe(flaky.stats.faultsInjected);
      expect(sleeps.length).toBe(result.retries);
      expect((await store.coverage('DEMO:SOLUSDT', '1m')).gaps).toEqual([]);
    } finally {
      await flaky.stop();
    }
  });

  it('gives up with the exchange error after bounded retries, and names a bad symbol at once', async () => {
    sim.setFaults({ serverErrorRate: 1 });
    const ex = exchange();
    try {
      await expect(
        importOhlcv(
          { symbol: 'DEMO:BNBUSDT', pair: 'BNB/USDT', timeframe: '1m', from: NOW - 100 * MIN },
          { exchange: ex, store, log: createMemoryLogger(), now: () => NOW, sleep: noSleep },
        ),
      ).rejects.toBeInstanceOf(ccxt.ExchangeNotAvailable);
    } finally {
      sim.setFaults({});
    }
    const ok = exchange();
    await ok.loadMarkets();
    await expect(
      importOhlcv(
        { symbol: 'DEMO:XYZUSDT', pair: 'XYZ/USDT', timeframe: '1m', from: NOW - 100 * MIN },
        { exchange: ok, store, log: createMemoryLogger(), now: () => NOW, sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(ccxt.BadSymbol);
  });

  it('stops cleanly on cancel, and the next run resumes where it stopped', async () => {
    const controller = new AbortController();
    const from = NOW - 12_000 * MIN;
    let storedAtCancel = 0;
    await expect(
      importOhlcv(
        { symbol: 'DEMO:BNBUSDT', pair: 'BNB/USDT', timeframe: '1m', from },
        {
          exchange: exchange(),
          store,
          log: createMemoryLogger(),
          now: () => NOW,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.stored === 0) return;
            storedAtCancel = p.stored;
            controller.abort();
          },
        },
      ),
    ).rejects.toBeInstanceOf(ImportCancelled);
    // what was written before the cancel is kept (one write of several pages), nothing after it
    const partial = await store.coverage('DEMO:BNBUSDT', '1m');
    expect(storedAtCancel).toBe(5000);
    expect(partial.bars).toBe(storedAtCancel);
    const rest = await importOhlcv(
      { symbol: 'DEMO:BNBUSDT', pair: 'BNB/USDT', timeframe: '1m', from },
      { exchange: exchange(), store, log: createMemoryLogger(), now: () => NOW },
    );
    expect(rest.stored).toBe(rest.expected - storedAtCancel);
    expect((await store.coverage('DEMO:BNBUSDT', '1m')).gaps).toEqual([]);
  });
});
