// A broker whose every exchange request first takes its weight from the account's shared
// request budget at the executor's priority, so trading is served before imports and the
// account never goes over the exchange's limit whoever is asking.
import type { Priority } from '../../core/exchange/requestBudget';
import type { RequestWeights } from '../../core/exchange/venues';
import type { Broker } from '../../core/ports/broker';

/** The request each broker call sends (the market rules come with loading the markets). */
const SENDS: Record<Exclude<keyof Broker, 'mode'>, keyof RequestWeights> = {
  rules: 'markets',
  price: 'ticker',
  barClose: 'klines',
  balances: 'balances',
  placeMarket: 'placeOrder',
  orderByClientId: 'orderLookup',
  openOrders: 'openOrders',
  trades: 'trades',
  cancel: 'cancel',
};

export function budgeted(
  broker: Broker,
  weights: RequestWeights,
  acquire: (weight: number, priority: Priority) => Promise<void>,
): Broker {
  const take = (name: Exclude<keyof Broker, 'mode'>) => acquire(weights[SENDS[name]], 'executor');
  return {
    mode: broker.mode,
    rules: async (pair) => (await take('rules'), broker.rules(pair)),
    price: async (pair) => (await take('price'), broker.price(pair)),
    barClose: async (pair, tf, at) => (await take('barClose'), broker.barClose(pair, tf, at)),
    balances: async () => (await take('balances'), broker.balances()),
    placeMarket: async (req) => (await take('placeMarket'), broker.placeMarket(req)),
    orderByClientId: async (pair, id) => (await take('orderByClientId'), broker.orderByClientId(pair, id)),
    openOrders: async (pair) => (await take('openOrders'), broker.openOrders(pair)),
    trades: async (pair, since) => (await take('trades'), broker.trades(pair, since)),
    cancel: async (pair, id) => (await take('cancel'), broker.cancel(pair, id)),
  };
}
