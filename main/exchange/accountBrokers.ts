// The brokers of every exchange account, built one way wherever trading runs (the desk's back
// end and the executor worker): one public broker per exchange for prices and market rules,
// and one live broker per exchange signed with the keychain's keys (rebuilt when the keys
// change). Every request either sends takes its weight from the account's shared budget
// first, so nothing the executor or the desk asks goes around it.
import type { Exchange } from 'ccxt';
import type { Priority } from '../../core/exchange/requestBudget';
import type { RequestWeights } from '../../core/exchange/venues';
import type { Broker } from '../../core/ports/broker';
import { budgeted } from './budgetedBroker';
import { CcxtBroker } from './ccxtBroker';

export interface AccountBrokersOptions {
  /** The exchange (account) a stored symbol comes from. */
  exchangeOf(symbol: string): string;
  weightsOf(exchange: string): RequestWeights;
  /** Takes a request's weight from the exchange account's shared budget (waits for it). */
  acquire(exchange: string, weight: number, priority: Priority): Promise<void>;
  /** The exchange's client without keys. */
  publicClient(exchange: string): Exchange;
  /** A client signed with these keys. */
  keyedClient(exchange: string, apiKey: string, secret: string): Exchange;
  /** The exchange's keys from the OS keychain, or null. */
  keys(exchange: string): Promise<{ apiKey: string; secret: string } | null>;
}

export class AccountBrokers {
  private readonly publicBrokers = new Map<string, Broker>();
  private readonly liveBrokers = new Map<string, { keys: string; broker: Broker }>();

  constructor(private readonly o: AccountBrokersOptions) {}

  private underBudget(exchange: string, broker: Broker): Broker {
    return budgeted(broker, this.o.weightsOf(exchange), (weight, priority) =>
      this.o.acquire(exchange, weight, priority),
    );
  }

  /** Public prices and market rules of the exchange a symbol comes from. */
  marketData(symbol: string): Broker {
    const exchange = this.o.exchangeOf(symbol);
    let b = this.publicBrokers.get(exchange);
    if (!b)
      this.publicBrokers.set(exchange, (b = this.underBudget(exchange, new CcxtBroker(this.o.publicClient(exchange)))));
    return b;
  }

  /** The live broker of the exchange a symbol comes from; throws with the reason when the keychain has no keys for it. */
  async liveBroker(symbol: string): Promise<Broker> {
    const exchange = this.o.exchangeOf(symbol);
    const k = await this.o.keys(exchange);
    if (!k) throw new Error(`No API keys for ${exchange} in the OS keychain: add them in Settings`);
    const signedWith = `${k.apiKey}\n${k.secret}`;
    const cached = this.liveBrokers.get(exchange);
    if (cached?.keys === signedWith) return cached.broker;
    const broker = this.underBudget(exchange, new CcxtBroker(this.o.keyedClient(exchange, k.apiKey, k.secret)));
    this.liveBrokers.set(exchange, { keys: signedWith, broker });
    return broker;
  }
}
