// The simulator through the real ccxt `binance` client: what ccxt asks, the simulator answers
// the way Binance does, including its errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { SyntheticMarket, demoAssets } from '../../../core/simulation/syntheticMarket';
import { createExchangeClient } from '../ccxtFactory';
import { BinanceSimulator } from './binanceSimulator';

const NOW = Date.UTC(2026, 5, 15, 12, 30, 20);
let clock = NOW;
let wallSkew = 0;
const sim = new BinanceSimulator({
  market: new SyntheticMarket(demoAssets(NOW), 7),
  now: () => clock,
  wallClock: () => Date.now() + wallSkew,
  apiKeys: { key1: 'secret1' },
  balances: { USDT: 10_000, BTC: 0.5 },
});
let url: string;

beforeAll(async () => {
  url = await sim.start();
});
afterAll(() => sim.stop());

const client = (extra: Record<string, string> = {}) =>
  createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey: 'key1', secret: 'secret1', ...extra });

describe('Binance simulator through ccxt', () => {
  it('serves markets with Binance filters that ccxt understands', async () => {
    const ex = client();
    const markets = await ex.loadMarkets();
    expect(Object.keys(markets)).toEqual(expect.arrayContaining(['BTC/USDT', 'ETH/USDT']));
    expect(markets['BTC/USDT']).toMatchObject({
      spot: true,
      active: true,
      base: 'BTC',
      quote: 'USDT',
      precision: { price: 0.01, amount: 0.00001 },
      limits: { cost: { min: 5 } },
    });
    expect(sim.stats.byEndpoint['GET /api/v3/exchangeInfo']).toBeGreaterThanOrEqual(1);
  });

  it('serves aligned, consistent, deterministic klines with pagination by startTime', async () => {
    const ex = client();
    const since = Date.UTC(2026, 5, 14);
    const a = await ex.fetchOHLCV('BTC/USDT', '1m', since, 1000);
    const b = await ex.fetchOHLCV('BTC/USDT', '1m', since + 1000 * 60_000, 1000);
    expect(a).toHaveLength(1000);
    expect(b[0]![0]).toBe(a[999]![0]! + 60_000);
    for (const [t, o, h, l, c, v] of a as number[][]) {
      expect(t! % 60_000).toBe(0);
      expect(h).toBeGreaterThanOrEqual(Math.max(o!, c!));
      expect(l).toBeLessThanOrEqual(Math.min(o!, c!));
      expect(v).toBeGreaterThan(0);
    }
    expect(await client().fetchOHLCV('BTC/USDT', '1m', since, 5)).toEqual(a.slice(0, 5));
    // Nothing from the future: the last bar is the one forming now.
    const recent = await ex.fetchOHLCV('BTC/USDT', '1m', NOW - 10 * 60_000, 1000);
    expect(recent.at(-1)![0]).toBe(Math.floor(NOW / 60_000) * 60_000);
  });

  it('aggregates daily bars from the same minutes', async () => {
    const ex = client();
    const day = Date.UTC(2026, 5, 10);
    const [d] = await ex.fetchOHLCV('ETH/USDT', '1d', day, 1);
    const minutes = [
      ...(await ex.fetchOHLCV('ETH/USDT', '1m', day, 1000)),
      ...(await ex.fetchOHLCV('ETH/USDT', '1m', day + 1000 * 60_000, 440)),
    ];
    expect(minutes).toHaveLength(1440);
    expect(d![1]).toBe(minutes[0]![1]);
    expect(d![4]).toBe(minutes[1439]![4]);
    expect(d![2]).toBe(Math.max(...minutes.map((m) => m[2]!)));
  });

  it("shows the minute still forming only as far as it has got: the last price, its kline and today's bar agree", async () => {
    const ex = client();
    const market = new SyntheticMarket(demoAssets(NOW), 7);
    const minute = Math.floor(NOW / 60_000) * 60_000;
    const full = market.minute('ETH/USDT', minute)!;
    // 20 s into the minute: a third of the way from its open to its close, nothing beyond.
    const ticker = await ex.fetchTicker('ETH/USDT');
    const expected = full[1] + ((full[4] - full[1]) * 20) / 60;
    expect(ticker.last!).toBeCloseTo(expected, 1);
    const forming = (await ex.fetchOHLCV('ETH/USDT', '1m', minute, 5)).find((b) => b[0] === minute)!;
    expect(forming[4]).toBe(ticker.last);
    expect(forming[2]!).toBeLessThanOrEqual(full[2]);
    expect(forming[3]!).toBeGreaterThanOrEqual(full[3]);
    const [today] = await ex.fetchOHLCV('ETH/USDT', '1d', Math.floor(NOW / 86_400_000) * 86_400_000, 1);
    expect(today![4]).toBe(ticker.last);
    // At the minute's end, the bar as it closed.
    clock = minute + 60_000;
    try {
      expect((await ex.fetchOHLCV('ETH/USDT', '1m', minute, 1))[0]![4]).toBeCloseTo(full[4], 6);
    } finally {
      clock = NOW;
    }
  });

  it('serves tickers, order book and the signed account', async () => {
    const ex = client();
    const ticker = await ex.fetchTicker('BTC/USDT');
    expect(ticker.last).toBeGreaterThan(0);
    const book = await ex.fetchOrderBook('BTC/USDT', 10);
    expect(book.bids[0]![0]!).toBeLessThan(book.asks[0]![0]!);
    const balance = await ex.fetchBalance();
    expect(balance.USDT).toMatchObject({ free: 10_000 });
  });

  it('places, finds and cancels orders; a limit order fills when the price trades through', async () => {
    const ex = client();
    const market = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, {
      newClientOrderId: 'qd-test-1',
    });
    expect(market).toMatchObject({ status: 'closed', filled: 0.01, clientOrderId: 'qd-test-1' });
    const found = await ex.fetchOrder(market.id!, 'BTC/USDT');
    expect(found.filled).toBe(0.01);
    const price = (await ex.fetchTicker('BTC/USDT')).last!;
    const limit = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, Math.round(price * 0.5 * 100) / 100);
    expect(limit.status).toBe('open');
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((o) => o.id)).toContain(limit.id);
    const canceled = await ex.cancelOrder(limit.id!, 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    const trades = await ex.fetchMyTrades('BTC/USDT');
    expect(trades.length).toBeGreaterThanOrEqual(1);
    const high = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.001, Math.round(price * 0.98 * 100) / 100);
    clock += 5 * 60_000;
    expect((await ex.fetchOrder(high.id!, 'BTC/USDT')).status).toBe('closed');
  });

  it('answers with Binance errors that ccxt maps to its own classes', async () => {
    await expect(client({ secret: 'wrong' }).fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(client({ apiKey: 'nobody' }).fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(client().createOrder('BTC/USDT', 'market', 'buy', 1000)).rejects.toBeInstanceOf(
      ccxt.InsufficientFunds,
    );
    await expect(client().createOrder('BTC/USDT', 'market', 'buy', 0.000001)).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    const skewed = client();
    skewed.options.adjustForTimeDifference = false;
    wallSkew = 120_000;
    await expect(skewed.fetchBalance()).rejects.toBeInstanceOf(ccxt.InvalidNonce);
    wallSkew = 0;
  });

  it('enforces request weight with 429/-1003 and Retry-After, then recovers the next minute', async () => {
    const tight = new BinanceSimulator({
      market: new SyntheticMarket(demoAssets(NOW), 7),
      now: () => clock,
      weightLimit: 30,
    });
    const tightUrl = await tight.start();
    try {
      const ex = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: tightUrl });
      await ex.loadMarkets(); // weight 20
      let error: unknown = null;
      for (let i = 0; i < 10 && !error; i++)
        await ex.fetchOHLCV('BTC/USDT', '1m', NOW - 3_600_000, 10).catch((e: unknown) => (error = e));
      expect(error).toBeInstanceOf(ccxt.DDoSProtection);
      expect(tight.stats.rejected429).toBe(1);
      clock += 60_000;
      expect(await ex.fetchOHLCV('BTC/USDT', '1m', NOW - 3_600_000, 10)).toHaveLength(10);
    } finally {
      await tight.stop();
    }
  });

  it('injects faults: 5xx, lost replies (order placed), rejections', async () => {
    const ex = client();
    await ex.loadMarkets();
    sim.setFaults({ serverErrorRate: 1 });
    await expect(ex.fetchTicker('ETH/USDT')).rejects.toBeInstanceOf(ccxt.ExchangeNotAvailable);
    sim.setFaults({ lostReplyRate: 1 });
    await expect(
      ex.createOrder('ETH/USDT', 'market', 'buy', 0.01, undefined, { newClientOrderId: 'qd-lost-1' }),
    ).rejects.toBeInstanceOf(ccxt.NetworkError);
    sim.setFaults({});
    const orders = await ex.fetchOrders('ETH/USDT');
    expect(orders.filter((o) => o.clientOrderId === 'qd-lost-1')).toHaveLength(1);
    sim.setFaults({ rejectRate: 1 });
    await expect(ex.createOrder('ETH/USDT', 'market', 'buy', 0.01)).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    sim.setFaults({ partialFillRate: 1 });
    const partial = await ex.createOrder('ETH/USDT', 'market', 'buy', 0.01);
    expect(partial.filled).toBeLessThan(0.01);
    sim.setFaults({});
  });
});
