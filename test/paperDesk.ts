// An execution desk that trades on paper only, on the prices of one exchange client (the
// simulator's): what the tests and benchmarks of the trading loop run.
import type { Exchange } from 'ccxt';
import type { Db } from 'mongodb';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { CcxtBroker } from '../main/exchange/ccxtBroker';
import { ExecutionDesk } from '../main/execution/executionDesk';
import { SignalStore } from '../main/signals/signalStore';
import { MarketStore } from '../main/market/marketStore';

export function paperDesk(
  db: () => Db,
  exchange: Exchange,
  options: { tickMs: number; now?: () => number },
): ExecutionDesk {
  return new ExecutionDesk({
    db,
    bars: () => new MarketStore(db()),
    log: createMemoryLogger(),
    signals: new SignalStore(db),
    marketData: () => new CcxtBroker(exchange),
    liveBroker: async () => {
      throw new Error('paper only');
    },
    exchangeOf: () => 'sim',
    onChanged: () => undefined,
    onAlert: () => undefined,
    ...options,
  });
}
