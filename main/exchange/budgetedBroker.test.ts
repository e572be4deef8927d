// The executor's broker takes each request's weight from the shared budget at the executor's
// priority, before the request goes out.
import { describe, expect, it } from 'vitest';
import type { Broker } from '../../core/ports/broker';
import { BINANCE } from '../../core/exchange/venues';
import { budgeted } from './budgetedBroker';

describe('budgeted broker', () => {
  it('acquires the weight of each call at executor priority before calling through', async () => {
    const log: string[] = [];
    const inner = {
      mode: 'live',
      price: async () => (log.push('price'), 100),
      placeMarket: async () => (
        log.push('place'),
        {
          id: '1',
          clientOrderId: 'c',
          pair: 'BTC/USDT',
          side: 'buy',
          amount: 1,
          filled: 1,
          average: 100,
          status: 'closed',
          fills: [],
        }
      ),
    } as unknown as Broker;
    const b = budgeted(
      inner,
      BINANCE.weights,
      async (weight, priority) => void log.push(`acquire ${weight} ${priority}`),
    );
    expect(await b.price('BTC/USDT')).toBe(100);
    await b.placeMarket({ pair: 'BTC/USDT', side: 'buy', amount: 1, clientOrderId: 'c' });
    expect(log).toEqual(['acquire 2 executor', 'price', 'acquire 1 executor', 'place']);
    expect(b.mode).toBe('live');
  });
});
