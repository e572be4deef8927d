// The executor worker: trades the enabled strategies every second and reconciles every
// minute, in a process of its own, so a crash (or a SIGKILL) of it loses nothing: the
// supervisor restarts it and it settles the orders whose outcome it did not learn before
// sending anything new. What it does reaches the desk as events through the supervisor.
import { english } from '../../../core/wording/wording';
import crypto from 'node:crypto';
import { boundedDb, createMongoClient } from '../../database/mongoConnection';
import { z } from 'zod';
import { parseSymbol } from '../../../core/market/symbols';
import { createExchangeClient } from '../../exchange/ccxtFactory';
import { ExchangeKeys } from '../../exchange/exchangeKeys';
import { AccountBrokers } from '../../exchange/accountBrokers';
import { ExecutionDesk } from '../../execution/executionDesk';
import { KeychainSecretStore } from '../../secrets/keychainSecretStore';
import { EncryptedFileSecretStore } from '../../secrets/encryptedFileSecretStore';
import { SignalStore } from '../../signals/signalStore';
import { SignalSkips } from '../../signals/signalSkips';
import type { Job } from '../workerContext';
import { RequestWeightsSchema } from '../../../core/exchange/venues';
import { MarketStore } from '../../market/marketStore';

const Params = z.object({
  uri: z.string().min(1),
  dbName: z.string().min(1),
  exchanges: z.array(
    z.object({
      id: z.string(),
      ccxtId: z.string(),
      ccxtOptions: z.record(z.string(), z.unknown()).optional(),
      symbolPrefix: z.string(),
      apiBaseUrl: z.string().optional(),
      weights: RequestWeightsSchema,
    }),
  ),
  tickMs: z.number().int().positive().default(1000),
  /** Without an OS keychain: the unlocked secrets file and its derived key (from the desk, over this worker's pipe). */
  secretsFile: z.string().optional(),
  secretsKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

export const executorJob: Job = async (raw, ctx) => {
  const p = Params.parse(raw);
  const client = createMongoClient(p.uri, 'quantdesk-worker-executor');
  const bounded = boundedDb(client.db(p.dbName));
  await client.connect();
  const db = () => bounded;
  const endpoint = (id: string) => p.exchanges.find((e) => e.id === id);
  const exchangeOf = (symbol: string) => {
    const prefix = parseSymbol(symbol).exchange;
    const e = p.exchanges.find((x) => x.symbolPrefix === prefix);
    if (!e) throw new Error(`No exchange for ${symbol}`);
    return e.id;
  };
  const clientFor = (id: string, apiKey?: string, secret?: string) => {
    const e = endpoint(id);
    if (!e) throw new Error(`Unknown exchange "${id}"`);
    return createExchangeClient({
      exchangeId: e.ccxtId,
      ...(e.ccxtOptions && { ccxtOptions: e.ccxtOptions }),
      timeoutMs: 10_000,
      ...(apiKey && secret && { apiKey, secret }),
      ...(e.apiBaseUrl && { apiBaseUrl: e.apiBaseUrl }),
    });
  };
  const secrets =
    p.secretsFile && p.secretsKey
      ? EncryptedFileSecretStore.withKey(p.secretsFile, Buffer.from(p.secretsKey, 'hex'))
      : new KeychainSecretStore();
  const keys = new ExchangeKeys(secrets, () => p.exchanges.map((e) => e.id), clientFor, ctx.log);
  // Every request takes its weight from the account's budget shared with the whole app, executor first.
  const brokers = new AccountBrokers({
    exchangeOf,
    weightsOf: (id) => endpoint(id)!.weights,
    acquire: (id, weight, priority) => ctx.acquire(id, weight, priority),
    publicClient: (id) => clientFor(id),
    keyedClient: clientFor,
    keys: (id) => keys.keys(id),
  });
  const desk = new ExecutionDesk({
    db,
    bars: () => new MarketStore(db()),
    log: ctx.log,
    signals: new SignalStore(db),
    skips: new SignalSkips(db),
    exchangeOf,
    marketData: (symbol) => brokers.marketData(symbol),
    liveBroker: (symbol) => brokers.liveBroker(symbol),
    onChanged: (v) => ctx.event('executionChanged', v),
    onAlert: (a) =>
      ctx.event('alertRaised', {
        id: crypto.randomUUID(),
        strategy_id: null,
        pair: null,
        timeframe: null,
        kind: a.kind,
        severity: a.severity,
        ...(a.strategy_id !== undefined && { strategy_id: a.strategy_id }),
        ...(a.pair !== undefined && { pair: a.pair }),
        ...(a.timeframe !== undefined && { timeframe: a.timeframe }),
        message: english(a.text),
        wording: a.text,
        at: new Date().toISOString(),
      }),
    onReconciled: (r) => ctx.event('reconciled', r),
    tickMs: p.tickMs,
  });
  try {
    // Orders left unsettled by a previous run (a crash) are looked up before anything new.
    for (const mode of ['paper', 'live'] as const) {
      for (const c of (await desk.list()).filter((x) => x.mode === mode && x.enabled))
        await desk
          .settle(c.id)
          .catch((err: Error) =>
            ctx.log.warn('settling after restart failed', { strategyId: c.strategyId, message: err.message }),
          );
    }
    desk.start();
    ctx.idle({ trading: 'on' });
    await new Promise<void>((resolve) =>
      ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  } finally {
    desk.stop();
    await client.close().catch(() => undefined);
  }
};
