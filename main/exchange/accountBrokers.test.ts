// The brokers of the exchange accounts against the simulator through the real ccxt client:
// every request either broker sends first takes its weight from the budget (counted against
// the requests the exchange saw), the live broker follows the keychain's keys, and without
// keys it says what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { BINANCE } from '../../core/exchange/venues';
import { AccountBrokers } from './accountBrokers';
import { createExchangeClient } from './ccxtFactory';
import { BinanceSimulator } from './simulator/binanceSimulator';

const sim = new BinanceSimulator({
  market: new SyntheticMarket(demoAssets(Date.now()), 3),
  apiKeys: { k1: 's1', k2: 's2' },
  balances: { USDT: 10_000 },
});
let url = '';
beforeAll(async () => {
  url = await sim.start();
});
afterAll(() => sim.stop());

function accountBrokers(keys: { current: { apiKey: string; secret: string } | null }) {
  const acquired: { exchange: string; weight: number; priority: string }[] = [];
  const signed: string[] = [];
  const brokers = new AccountBrokers({
    exchangeOf: (symbol) => (symbol.startsWith('DEMO:') ? 'demo' : 'other'),
    weightsOf: () => BINANCE.weights,
    acquire: async (exchange, weight, priority) => void acquired.push({ exchange, weight, priority }),
    publicClient: () => createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, timeoutMs: 2000 }),
    keyedClient: (_exchange, apiKey, secret) => {
      signed.push(apiKey);
      return createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey, secret, timeoutMs: 2000 });
    },
    keys: async () => keys.current,
  });
  return { brokers, acquired, signed };
}

const requests = () => Object.values(sim.stats.byEndpoint).reduce((n, c) => n + c, 0);

describe('account brokers', () => {
  it('takes the weight of every request from the budget before it goes out, one public broker per exchange', async () => {
    const { brokers, acquired } = accountBrokers({ current: null });
    const before = requests();
    const market = brokers.marketData('DEMO:BTCUSDT');
    expect(brokers.marketData('DEMO:ETHUSDT')).toBe(market);
    expect(await market.price('BTC/USDT')).toBeGreaterThan(0);
    expect(await market.rules('ETH/USDT')).toMatchObject({ minNotional: 5 });
    expect(acquired.map((a) => a.exchange)).toEqual(['demo', 'demo']);
    expect(acquired.map((a) => a.weight)).toEqual([BINANCE.weights.ticker, BINANCE.weights.markets]);
    // ccxt loads the markets once (with the first call) and then asks for the ticker: never more requests than grants cover
    expect(requests() - before).toBeLessThanOrEqual(acquired.length + 1);
  });

  it('signs the live broker with the keychain keys and rebuilds it when they change; without keys it says where to add them', async () => {
    const keys: { current: { apiKey: string; secret: string } | null } = { current: null };
    const { brokers, acquired, signed } = accountBrokers(keys);
    await expect(brokers.liveBroker('DEMO:BTCUSDT')).rejects.toThrow(/No API keys for demo .*add them in Settings/);
    keys.current = { apiKey: 'k1', secret: 's1' };
    const first = await brokers.liveBroker('DEMO:BTCUSDT');
    expect(await brokers.liveBroker('DEMO:ETHUSDT')).toBe(first);
    expect((await first.balances()).USDT!.total).toBe(10_000);
    expect(acquired.at(-1)).toEqual({ exchange: 'demo', weight: BINANCE.weights.balances, priority: 'executor' });
    keys.current = { apiKey: 'k2', secret: 's2' };
    const second = await brokers.liveBroker('DEMO:BTCUSDT');
    expect(second).not.toBe(first);
    expect(signed).toEqual(['k1', 'k2']);
  });
});
