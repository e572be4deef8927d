// The simulator's USDⓈ-M futures endpoints through the real ccxt client: markets, funding,
// mark / index / last klines and depth come back as the perpetual model has them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ccxt, { type Exchange } from 'ccxt';
import { FUNDING_RULES, PerpetualMarket } from '../../../core/simulation/perpetualMarket';
import { SyntheticMarket, demoAssets } from '../../../core/simulation/syntheticMarket';
import { createExchangeClient } from '../ccxtFactory';
import { BinanceSimulator } from './binanceSimulator';

const NOW = Date.UTC(2026, 5, 15, 12, 30, 20);
const H8 = FUNDING_RULES.intervalMs;
const BTC = 'BTC/USDT:USDT';
let clock = NOW;
const spot = new SyntheticMarket(demoAssets(NOW), 7);
const sim = new BinanceSimulator({
  market: spot,
  perpetuals: new PerpetualMarket(spot, 7),
  now: () => clock,
  apiKeys: { key1: 'secret1' },
});
// The same model built apart: what the simulator serves must be what the seed gives.
const model = new PerpetualMarket(new SyntheticMarket(demoAssets(NOW), 7), 7);
let url: string;

beforeAll(async () => {
  url = await sim.start();
});
afterAll(() => sim.stop());

const futures = (exchangeId = 'binance', keys = false): Exchange =>
  createExchangeClient({
    exchangeId,
    apiBaseUrl: url,
    marketType: 'future',
    ...(keys && { apiKey: 'key1', secret: 'secret1' }),
  });

describe('Binance USDⓈ-M futures on the simulator, through ccxt', () => {
  it('loads the perpetuals as swap markets from fapi alone, for binance and binanceusdm, keys or not', async () => {
    const before = { ...sim.stats.byEndpoint };
    const markets = await futures().loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BNB/USDT:USDT', 'BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT']);
    expect(markets[BTC]).toMatchObject({
      id: 'BTCUSDT',
      type: 'swap',
      swap: true,
      spot: false,
      linear: true,
      contract: true,
      settle: 'USDT',
      active: true,
      contractSize: 1,
      precision: { price: 0.1, amount: 0.001 },
      limits: { cost: { min: 5 } },
    });
    const calls = (route: string) => (sim.stats.byEndpoint[route] ?? 0) - (before[route] ?? 0);
    expect(calls('GET /fapi/v1/exchangeInfo')).toBe(1);
    expect(calls('GET /api/v3/exchangeInfo')).toBe(0);
    for (const [id, keys] of [
      ['binanceusdm', true],
      ['binance', true],
      ['binanceusdm', false],
    ] as const)
      expect(Object.keys(await futures(id, keys).loadMarkets())).toContain(BTC);
    expect(Object.keys(sim.stats.byEndpoint).filter((r) => r.includes('/sapi/') || r.includes('/dapi/'))).toEqual([]);
  });

  it('serves funding history at the 8-hour settlements as the model has it, paged by since, no duplicates', async () => {
    const ex = futures();
    const since = Date.UTC(2026, 4, 1, 3);
    const page = await ex.fetchFundingRateHistory(BTC, since, 50);
    const expected = model.fundingHistory('BTC/USDT', since, NOW, 50);
    expect(page).toHaveLength(50);
    expect(page[0]!.timestamp).toBe(Date.UTC(2026, 4, 1, 8));
    page.forEach((r, i) => {
      expect(r.symbol).toBe(BTC);
      expect(r.timestamp! % H8).toBe(0);
      expect(r.timestamp).toBe(expected[i]!.time);
      expect(r.fundingRate).toBe(expected[i]!.rate);
    });
    const all: typeof page = [];
    for (let from = since; ;) {
      const next = await ex.fetchFundingRateHistory(BTC, from, 40);
      all.push(...next);
      if (next.length < 40) break;
      from = next.at(-1)!.timestamp! + 1;
    }
    const times = all.map((r) => r.timestamp!);
    expect(new Set(times).size).toBe(times.length);
    expect(times).toEqual(model.fundingHistory('BTC/USDT', since, NOW).map((s) => s.time));
    // Nothing from the future; without since, the most recent 100 up to now.
    expect(times.at(-1)).toBe(Math.floor(NOW / H8) * H8);
    const recent = await ex.fetchFundingRateHistory(BTC);
    expect(recent).toHaveLength(100);
    expect(recent.map((r) => r.timestamp)).toEqual(times.slice(-100));
    const until = await ex.fetchFundingRateHistory(BTC, since, undefined, { until: Date.UTC(2026, 4, 3) });
    expect(until.map((r) => r.timestamp)).toEqual(times.filter((t) => t <= Date.UTC(2026, 4, 3)));
  });

  it('serves last, mark, index and premium klines, 1m and 1d, as the model has them', async () => {
    const ex = futures();
    const since = Date.UTC(2026, 5, 13, 22, 15);
    const day = Date.UTC(2026, 5, 1);
    const kinds = [
      [{}, 'last'],
      [{ price: 'mark' }, 'mark'],
      [{ price: 'index' }, 'index'],
      [{ price: 'premiumIndex' }, 'premium'],
    ] as const;
    for (const [params, kind] of kinds) {
      const minutes = await ex.fetchOHLCV(BTC, '1m', since, 300, params);
      expect(minutes).toEqual(model.minutes(kind, 'BTC/USDT', since, NOW, 300));
      const days = await ex.fetchOHLCV(BTC, '1d', day, 10, params);
      expect(days).toEqual(Array.from({ length: 10 }, (_, i) => model.daily(kind, 'BTC/USDT', day + i * 86_400_000)));
    }
    expect(sim.stats.byEndpoint['GET /fapi/v1/indexPriceKlines']).toBeGreaterThanOrEqual(2);
    // The index is the spot market, and the last bar is the one forming now.
    const [spotDay] = await createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url }).fetchOHLCV(
      'BTC/USDT',
      '1d',
      day,
      1,
    );
    const [indexDay] = await ex.fetchOHLCV(BTC, '1d', day, 1, { price: 'index' });
    expect(indexDay!.slice(1, 5)).toEqual(spotDay!.slice(1, 5));
    const recent = await ex.fetchOHLCV(BTC, '1m', NOW - 10 * 60_000, 100, { price: 'mark' });
    expect(recent.at(-1)![0]).toBe(Math.floor(NOW / 60_000) * 60_000);
  });

  it('serves the premium index: mark, index, the rate forming and the next funding time', async () => {
    const ex = futures();
    const view = model.premiumIndex('BTC/USDT', NOW)!;
    const rate = await ex.fetchFundingRate(BTC);
    expect(rate).toMatchObject({
      symbol: BTC,
      fundingTimestamp: Date.UTC(2026, 5, 15, 16),
      fundingRate: view.predictedRate,
      interestRate: FUNDING_RULES.interestRate,
      timestamp: NOW,
    });
    expect(rate.markPrice!).toBeCloseTo(view.markPrice, 6);
    expect(rate.indexPrice!).toBeCloseTo(view.indexPrice, 6);
    expect(Math.abs(rate.markPrice! / rate.indexPrice! - 1)).toBeLessThan(0.01);
    const rates = await ex.fetchFundingRates();
    expect(Object.keys(rates).sort()).toEqual(['BNB/USDT:USDT', 'BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT']);
  });

  it('serves a sorted order book around the mark, the model’s, and tickers', async () => {
    const ex = futures();
    const book = await ex.fetchOrderBook(BTC, 10);
    const expected = model.orderBook('BTC/USDT', NOW, 10)!;
    expect(book.bids).toEqual(expected.bids);
    expect(book.asks).toEqual(expected.asks);
    expect(book.timestamp).toBe(NOW);
    for (let i = 1; i < 10; i++) {
      expect(book.bids[i]![0]!).toBeLessThan(book.bids[i - 1]![0]!);
      expect(book.asks[i]![0]!).toBeGreaterThan(book.asks[i - 1]![0]!);
    }
    const mark = model.price('mark', 'BTC/USDT', NOW)!;
    expect(book.bids[0]![0]!).toBeLessThanOrEqual(mark);
    expect(book.asks[0]![0]!).toBeGreaterThanOrEqual(mark);
    expect(book.asks[0]![0]! - book.bids[0]![0]!).toBeLessThan(mark * 0.001);
    // A depth Binance does not offer is rounded up to one it does (25 -> 50).
    expect((await ex.fetchOrderBook(BTC, 25)).bids).toHaveLength(50);
    const ticker = await ex.fetchTicker(BTC);
    expect(ticker.last!).toBeCloseTo(model.price('last', 'BTC/USDT', NOW)!, 6);
    expect(ticker.quoteVolume!).toBeGreaterThan(0);
  });

  it("meters futures weight apart from spot's with Binance's weights, and answers Binance's errors", async () => {
    const tight = new BinanceSimulator({ market: spot, now: () => clock, futuresWeightLimit: 12 });
    const tightUrl = await tight.start();
    try {
      const ex = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: tightUrl, marketType: 'future' });
      await ex.loadMarkets(); // weight 1
      await ex.fetchOHLCV(BTC, '1m', undefined, 500); // weight 5
      await ex.fetchOrderBook(BTC, 20); // weight 2
      await expect(ex.fetchOHLCV(BTC, '1m', undefined, 500)).rejects.toBeInstanceOf(ccxt.DDoSProtection);
      // Spot's window is its own.
      const spotClient = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: tightUrl });
      expect(await spotClient.fetchOHLCV('BTC/USDT', '1m', undefined, 5)).toHaveLength(5);
      clock += 60_000;
      expect(await ex.fetchOHLCV(BTC, '1m', undefined, 10)).toHaveLength(10);
    } finally {
      clock = NOW;
      await tight.stop();
    }
    const ex = futures();
    await expect(ex.fapiPublicGetFundingRate({ symbol: 'XRPUSDT' })).rejects.toBeInstanceOf(ccxt.BadSymbol);
    await expect(ex.fapiPublicGetKlines({ symbol: 'BTCUSDT', interval: '7m' })).rejects.toBeInstanceOf(ccxt.BadRequest);
  });
});
