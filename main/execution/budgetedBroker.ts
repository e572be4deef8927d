// A broker whose every exchange request first takes its weight from the account's shared
// request budget at the executor's priority, so trading is served before imports and the
// account never goes over the exchange's limit whoever is asking.
import type { Priority } from '../../core/exchange/requestBudget';
import type { Broker } from '../../core/ports/broker';

/** Binance request weights of what each broker call sends (markets are loaded once, weight 20). */
const WEIGHTS: Record<Exclude<keyof Broker, 'mode'>, number> = {
  rules: 20,
  price: 2,
  barClose: 2,
  balances: 20,
  placeMarket: 1,
  orderByClientId: 24,
  openOrders: 6,
  trades: 20,
  cancel: 1,
};

export function budgeted(broker: Broker, acquire: (weight: number, priority: Priority) => Promise<void>): Broker {
  const take = (name: Exclude<keyof Broker, 'mode'>) => acquire(WEIGHTS[name], 'executor');
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
