// The executor as a process of its own, trading one strategy on one live account until its
// signal is settled: what the fault suite kills with SIGKILL at random moments, with orders
// in flight, and starts again. Arguments: mongoUri dbName apiBaseUrl apiKey secret strategyId pair.
import { boundedDb, createMongoClient } from '../main/database/mongoConnection';
import { DEFAULT_RISK } from '../core/execution/risk';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { DEFAULT_CONSUMER_RULES } from '../core/signals/consumption';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { SignalStore } from '../main/signals/signalStore';
import { CcxtBroker } from '../main/exchange/ccxtBroker';
import { ExecutionStore } from '../main/execution/executionStore';
import { Executor } from '../main/execution/executor';

async function main(): Promise<void> {
  const [uri, dbName, apiBaseUrl, apiKey, secret, strategyId, pair] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const client = createMongoClient(uri, 'quantdesk-executor-runner');
  const bounded = boundedDb(client.db(dbName));
  await client.connect();
  const db = () => bounded;
  const store = new ExecutionStore(db);
  const broker = new CcxtBroker(
    createExchangeClient({ exchangeId: 'binance', apiBaseUrl, apiKey, secret, timeoutMs: 2000 }),
  );
  const executor = new Executor({
    store,
    signals: new SignalStore(db),
    broker: () => broker,
    log: createMemoryLogger(),
    send: { maxAttempts: 8 },
  });
  const run = {
    strategyId,
    symbol: `SIM:${pair.replace('/', '')}`,
    pair,
    timeframe: '1m' as const,
    mode: 'live' as const,
    risk: { ...DEFAULT_RISK, stake: { kind: 'quote' as const, amount: 50 }, maxOpenPositions: 1000 },
    rules: DEFAULT_CONSUMER_RULES,
    feeRate: 0.001,
  };
  for (let i = 0; i < 200; i++) {
    await executor.recover('live');
    const out = await executor.step(run);
    const pending = await store.pending('live');
    if (
      out.kind === 'none' &&
      out.reason.code === 'decision.alreadyActed' &&
      pending.every((o) => o.strategyId !== strategyId)
    )
      break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await client.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
