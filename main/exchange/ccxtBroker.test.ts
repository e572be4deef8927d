// The live broker against the exchange simulator through the real ccxt client: orders,
// lookups by client order id, error kinds, and the sender's recovery from lost replies (R2)
// and 5xx/timeout storms (R3) without ever duplicating an order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { createExchangeClient } from './ccxtFactory';
import { BinanceSimulator } from './simulator/binanceSimulator';
import { CcxtBroker } from './ccxtBroker';
import { sendMarketOrder } from '../execution/orderSender';

const sim = new BinanceSimulator({
  market: new SyntheticMarket(demoAssets(Date.now()), 3),
  apiKeys: { k: 's' },
  balances: { USDT: 10_000 },
});
let broker: CcxtBroker;
const noWait = { sleep: async () => undefined, random: () => 0.5 };

beforeAll(async () => {
  const url = await sim.start();
  broker = new CcxtBroker(
    createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey: 'k', secret: 's', timeoutMs: 1500 }),
  );
});
afterAll(() => sim.stop());

describe('ccxt broker on the simulator', () => {
  it('reads the market rules, places a market order and finds it again by its client order id', async () => {
    expect(await broker.rules('BTC/USDT')).toEqual({
      minNotional: 5,
      amountStep: 0.00001,
      minAmount: expect.any(Number),
    });
    const o = await broker.placeMarket({ pair: 'BTC/USDT', side: 'buy', amount: 0.01, clientOrderId: 'qd-test-1' });
    expect(o).toMatchObject({ clientOrderId: 'qd-test-1', status: 'closed', filled: 0.01 });
    expect(o.fills.length).toBeGreaterThan(0);
    const again = await broker.orderByClientId('BTC/USDT', 'qd-test-1');
    expect(again).toMatchObject({ id: o.id, filled: 0.01 });
    expect(again!.fills.map((f) => f.id)).toEqual(o.fills.map((f) => f.id));
    expect(await broker.orderByClientId('BTC/USDT', 'qd-never-sent')).toBeNull();
    // The simulator, like Binance, takes a buyer's fee in the base asset.
    const baseFees = o.fills.filter((f) => f.feeCurrency === 'BTC').reduce((n, f) => n + f.fee, 0);
    expect(baseFees).toBeGreaterThan(0);
    expect((await broker.balances()).BTC!.total).toBeCloseTo(0.01 - baseFees, 10);
  });

  it('never retries a refusal: insufficient balance and invalid orders', async () => {
    await expect(
      broker.placeMarket({ pair: 'BTC/USDT', side: 'buy', amount: 50, clientOrderId: 'qd-too-big' }),
    ).rejects.toMatchObject({ kind: 'insufficient' });
    await expect(
      sendMarketOrder(broker, { pair: 'BTC/USDT', side: 'buy', amount: 0.00000001, clientOrderId: 'qd-tiny' }, noWait),
    ).rejects.toMatchObject({ kind: 'rejected' });
  });

  it('R2: a placed order whose reply is lost is found by its client order id, not sent twice', async () => {
    sim.setFaults({ lostReplyRate: 1 });
    const before = sim.stats.byEndpoint['POST /api/v3/order'] ?? 0;
    const r = await sendMarketOrder(
      broker,
      { pair: 'ETH/USDT', side: 'buy', amount: 0.1, clientOrderId: 'qd-lost-1' },
      noWait,
    );
    sim.setFaults({});
    expect(r.recovered).toBe(true);
    expect(r.order).toMatchObject({ clientOrderId: 'qd-lost-1', filled: 0.1 });
    expect((sim.stats.byEndpoint['POST /api/v3/order'] ?? 0) - before).toBe(1);
    expect((await broker.balances()).ETH!.total).toBeCloseTo(0.1 * 0.999, 10);
  });

  it('R3: through a storm of 5xx errors the retries stay bounded and nothing is sent twice', async () => {
    sim.setFaults({ serverErrorRate: 0.6 });
    const retries: number[] = [];
    const placed: string[] = [];
    for (let i = 0; i < 8; i++) {
      try {
        const r = await sendMarketOrder(
          broker,
          { pair: 'SOL/USDT', side: 'buy', amount: 1, clientOrderId: `qd-storm-${i}` },
          { ...noWait, maxAttempts: 6, onRetry: (a) => retries.push(a) },
        );
        placed.push(r.order.clientOrderId);
      } catch (err) {
        // Retries exhausted: a bounded failure, reported as retryable (it may be looked up again later).
        expect(err).toMatchObject({ kind: 'retryable' });
      }
    }
    sim.setFaults({});
    expect(Math.max(0, ...retries)).toBeLessThanOrEqual(6);
    // Each client order id exists at most once on the exchange, and every reported one exists.
    const all = await broker.trades('SOL/USDT', 0);
    const perOrder = new Map<string, number>();
    for (const t of all) perOrder.set(t.orderId, (perOrder.get(t.orderId) ?? 0) + t.amount);
    for (const id of placed) expect(await broker.orderByClientId('SOL/USDT', id)).not.toBeNull();
    expect(placed.length).toBeGreaterThan(0);
    expect([...perOrder.values()].every((a) => Math.abs(a - 1) < 1e-9)).toBe(true);
    expect((await broker.balances()).SOL!.total).toBeCloseTo(0.999 * perOrder.size, 8);
  });
});

describe('clock skew', () => {
  it('resynchronises with the exchange clock after a -1021 and places the order once', async () => {
    const skewed = new BinanceSimulator({
      market: new SyntheticMarket(demoAssets(Date.now()), 3),
      apiKeys: { k: 's' },
      balances: { USDT: 10_000 },
      wallClock: () => Date.now() + 90_000,
    });
    const url = await skewed.start();
    try {
      const b = new CcxtBroker(
        createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey: 'k', secret: 's', timeoutMs: 1500 }),
      );
      const retries: string[] = [];
      const r = await sendMarketOrder(
        b,
        { pair: 'BTC/USDT', side: 'buy', amount: 0.001, clientOrderId: 'qd-skew-1' },
        { ...noWait, onRetry: (_a, e) => retries.push(e.message) },
      );
      expect(retries[0]).toMatch(/clock skew against the exchange, resynchronised/);
      expect(r.order).toMatchObject({ clientOrderId: 'qd-skew-1', status: 'closed' });
      expect(skewed.stats.byEndpoint['POST /api/v3/order']).toBe(2); // refused for the timestamp, then placed
      expect((await b.trades('BTC/USDT', 0)).length).toBe(1);
    } finally {
      await skewed.stop();
    }
  });
});

describe('a failed market load', () => {
  it('is retried for real on the next call (ccxt would keep the rejected promise)', async () => {
    const flaky = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 3) });
    const url = await flaky.start();
    try {
      const b = new CcxtBroker(createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, timeoutMs: 1500 }));
      flaky.setFaults({ serverErrorRate: 1 });
      await expect(b.price('BTC/USDT')).rejects.toMatchObject({ kind: 'retryable' });
      flaky.setFaults({});
      expect(await b.price('BTC/USDT')).toBeGreaterThan(0);
    } finally {
      await flaky.stop();
    }
  });
});
