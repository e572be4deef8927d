// R4: malformed and hostile payloads against a real back end. Fuzzed requests to every
// service, signal batches with one hostile row, and hostile documents written straight into
// crypto_signals beside a good one that the executor must still trade. Counts, never asserts.
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { services, type ServiceName } from '../core/api/contract';
import type { ReplyMessage } from '../core/api/messages';
import { DEFAULT_RISK } from '../core/execution/risk';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { lastClosedBarOpen } from '../core/market/timeframes';
import { DEFAULT_CONSUMER_RULES } from '../core/signals/consumption';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import { startFaultBackend } from './faultBackend';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../main/exchange/simulator/binanceSimulator';
import { CcxtBroker } from '../main/exchange/ccxtBroker';
import { ExecutionStore } from '../main/execution/executionStore';
import { Executor } from '../main/execution/executor';
import { SignalStore } from '../main/signals/signalStore';
import {
  goodRow,
  hostileMessage,
  hostileStoredField,
  paramsFor,
  prototypePolluted,
  replyProblem,
  spoilRow,
} from './hostileInputs';
import { COLLECTIONS } from '../core/db/collections';

const MIN = 60_000;
const HANG_MS = 20_000;

export interface R4Counts {
  cases: number;
  crashes: number;
  half_written: number;
  unclear: number;
  missed_good: number;
  internal: number;
  skipped_docs: number;
}

export async function runR4(
  uri: string,
  perService = 10,
  seed = Date.now() % 2 ** 31,
): Promise<{ counts: R4Counts; problems: string[] }> {
  const counts: R4Counts = {
    cases: 0,
    crashes: 0,
    half_written: 0,
    unclear: 0,
    missed_good: 0,
    internal: 0,
    skipped_docs: 0,
  };
  const problems: string[] = [];
  const note = (key: 'crashes' | 'half_written' | 'unclear' | 'missed_good', what: string) => {
    counts[key]++;
    if (problems.length < 20) problems.push(`${key}: ${what}`);
  };
  const { backend, dbName, stop } = await startFaultBackend(uri, 'r4');
  const client = new MongoClient(uri);
  const sim = new BinanceSimulator({
    market: new SyntheticMarket(demoAssets(Date.now()), 41),
    apiKeys: { rk: 'rs' },
    balances: { USDT: 10_000_000 },
    weightLimit: 1_000_000,
  });
  let seq = 0;
  const dispatch = async (raw: unknown): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        backend.dispatch(raw, 'faults'),
        new Promise((resolve) => (timer = setTimeout(() => resolve('HUNG'), HANG_MS))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  /** One case: a thrown dispatch or no reply is a crash, a reply without a clear reason is unclear. */
  const judge = async (method: string, raw: unknown): Promise<ReplyMessage | null> => {
    counts.cases++;
    let reply: unknown;
    try {
      reply = await dispatch(raw);
    } catch (err) {
      note('crashes', `${method} threw ${(err as Error).message}`);
      return null;
    }
    if (reply === 'HUNG') {
      note('crashes', `${method}: no reply within ${HANG_MS} ms`);
      return null;
    }
    const problem = replyProblem(method, reply);
    if (problem) note('unclear', problem);
    const r = reply as ReplyMessage;
    if (!r.ok && r.error.code === 'INTERNAL') counts.internal++;
    return r;
  };
  const call = (method: string, params: unknown) => judge(method, { type: 'request', id: ++seq, method, params });
  try {
    await client.connect();
    const db = () => client.db(dbName);

    // Every service, then whole messages (unknown names, broken envelopes).
    for (const method of Object.keys(services) as ServiceName[]) {
      for (const params of fc.sample(paramsFor(method), { numRuns: perService, seed: seed + seq }))
        await call(method, params);
    }
    for (const { method, raw } of fc.sample(hostileMessage, { numRuns: perService * 30, seed }))
      await judge(method, raw);

    // Signal batches with one hostile row: refused whole, naming the row, nothing written.
    const lastBar = lastClosedBarOpen(Date.now(), '1m');
    const signals = db().collection(COLLECTIONS.signals);
    for (const [n, at, spoil] of fc.sample(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.nat(), spoilRow), {
      numRuns: perService * 6,
      seed,
    })) {
      const sid = `r4-export-${++seq}`;
      const rows: unknown[] = Array.from({ length: n }, (_, i) => goodRow(sid, lastBar, i));
      const bad = at % (n + 1);
      rows.splice(bad, 0, spoil(goodRow(sid, lastBar, n)));
      const before = await signals.countDocuments({});
      const r = await call('signals.export', { rows, exportedBy: 'faults' });
      if (r && (r.ok || r.error.code !== 'BAD_REQUEST' || !r.error.message.includes(`row ${bad}:`)))
        note('unclear', `signals.export: hostile row ${bad} not refused by name: ${JSON.stringify(r).slice(0, 200)}`);
      const after = await signals.countDocuments({});
      if (after !== before)
        note('half_written', `signals.export wrote ${after - before} document(s) of a refused batch`);
    }

    // Hostile documents beside a good signal, written as an outside program could.
    const broker = new CcxtBroker(
      createExchangeClient({
        exchangeId: 'binance',
        apiBaseUrl: await sim.start(),
        apiKey: 'rk',
        secret: 'rs',
        timeoutMs: 5000,
      }),
    );
    for (const spoils of fc.sample(fc.array(hostileStoredField, { minLength: 1, maxLength: 2 }), {
      numRuns: perService * 2,
      seed,
    })) {
      counts.cases++;
      const sid = `r4-exec-${++seq}`;
      const now = Date.now();
      const bar = lastClosedBarOpen(now, '1m');
      const base = {
        timeframe: '1m',
        symbol: 'DEMO:ETHUSDT',
        pair: 'ETH/USDT',
        strategy_id: sid,
        action: 'enter_long',
      };
      await signals.insertOne({ ...base, ts: new Date(bar - MIN) });
      for (const [i, [k, v]] of spoils.entries())
        await signals.insertOne({ ...base, ts: new Date(bar + i * MIN), [k]: v }).catch(() => undefined);
      const log = createMemoryLogger();
      const executor = new Executor({
        store: new ExecutionStore(db),
        signals: new SignalStore(db),
        broker: () => broker,
        log,
        now: () => now,
        send: { sleep: async () => undefined },
      });
      const run = {
        strategyId: sid,
        symbol: 'DEMO:ETHUSDT',
        pair: 'ETH/USDT',
        timeframe: '1m' as const,
        mode: 'live' as const,
        risk: { ...DEFAULT_RISK, stake: { kind: 'quote' as const, amount: 20 }, maxOpenPositions: 1_000_000 },
        rules: DEFAULT_CONSUMER_RULES,
        feeRate: 0.001,
      };
      try {
        const out = await executor.step(run);
        if (out.kind !== 'ordered' || out.order.signalTs.getTime() !== bar - MIN)
          note('missed_good', `${JSON.stringify(spoils)}: ${JSON.stringify(out).slice(0, 200)}`);
      } catch (err) {
        note('crashes', `executor step threw on ${JSON.stringify(spoils)}: ${(err as Error).message}`);
      }
      counts.skipped_docs += log.lines.filter((l) => l.message === 'signal skipped').length;
      await call('signals.recent', { strategyId: sid });
    }
    if (prototypePolluted()) note('crashes', 'Object.prototype was polluted');
    const alive = await call('app.info', {});
    if (!alive?.ok) note('crashes', 'the back end stopped answering');
  } finally {
    await stop();
    await sim.stop();
    await client.close();
  }
  return { counts, problems };
}
