// Malformed and hostile input against the real back end (R4 in docs/ARCHITECTURE.md): every service fed
// fuzzed requests, signal batches with hostile rows, and hostile documents written straight
// into crypto_signals beside good ones, as any outside program could.
import { word } from '../core/wording/wording';
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services, type HealthSnapshot, type ServiceName } from '../core/api/contract';
import type { ReplyMessage } from '../core/api/messages';
import { DEFAULT_RISK } from '../core/execution/risk';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { lastClosedBarOpen } from '../core/market/timeframes';
import { DEFAULT_CONSUMER_RULES } from '../core/signals/consumption';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import {
  goodRow,
  hostileMessage,
  hostileStoredField,
  paramsFor,
  prototypePolluted,
  replyProblem,
  spoilRow,
} from '../faults/hostileInputs';
import type { Backend } from '../main/app/backend';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../main/exchange/simulator/binanceSimulator';
import { CcxtBroker } from '../main/exchange/ccxtBroker';
import { ExecutionStore } from '../main/execution/executionStore';
import { Executor } from '../main/execution/executor';
import { SignalStore } from '../main/signals/signalStore';
import { useTestDb } from './testDb';
import { bundleWorker } from './workerBundle';
import { startTestBackend, testDataDir } from './testBackend';

const MIN = 60_000;
const t = useTestDb('fuzz');
const sim = new BinanceSimulator({
  market: new SyntheticMarket(demoAssets(Date.now()), 31),
  apiKeys: { fk: 'fs' },
  balances: { USDT: 10_000_000 },
  weightLimit: 1_000_000,
});
let backend: Backend;
let broker: CcxtBroker;
const dirs: string[] = [];
let seq = 0;

/** A reply, or a note that none came: a hang is a failure like a crash. */
async function dispatch(raw: unknown): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('no reply within 20 s'), 20_000)));
  try {
    return await Promise.race([backend.dispatch(raw, 'fuzz'), hung]);
  } finally {
    clearTimeout(timer);
  }
}
const call = (method: string, params: unknown) =>
  dispatch({ type: 'request', id: ++seq, method, params }) as Promise<ReplyMessage>;
const countSignals = () => t.db().collection('crypto_signals').countDocuments({});

beforeAll(async () => {
  const { dir: workerDir, script: workerScript } = await bundleWorker('qd-fuzz-worker-');
  const dataDir = testDataDir('qd-fuzz-', t.dbName);
  dirs.push(workerDir, dataDir);
  backend = await startTestBackend({ dataDir, workerScript, mongoUri: t.uri });
  // The database worker has laid out the collections and their unique keys.
  for (let i = 0; ; i++) {
    const r = await call('health.get', {});
    const h = r.ok ? (r.value as HealthSnapshot) : null;
    if (h?.database.state === 'connected' && h.workers.some((w) => w.name === 'database' && w.state === 'idle')) break;
    if (i > 300) throw new Error('back end did not get ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  broker = new CcxtBroker(
    createExchangeClient({
      exchangeId: 'binance',
      apiBaseUrl: await sim.start(),
      apiKey: 'fk',
      secret: 'fs',
      timeoutMs: 5000,
    }),
  );
}, 90_000);

afterAll(async () => {
  await backend?.stop();
  await sim.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('API dispatcher under fuzzed requests', () => {
  it('every service answers hostile params with a value that matches the contract or a refusal with a reason', async () => {
    for (const method of Object.keys(services) as ServiceName[]) {
      await fc.assert(
        fc.asyncProperty(paramsFor(method), async (params) => {
          expect(replyProblem(method, await call(method, params))).toBeNull();
        }),
        { numRuns: 8 },
      );
    }
  }, 300_000);

  it('unknown names, broken envelopes and hostile messages are refused, the back end keeps serving, nothing is polluted', async () => {
    await fc.assert(
      fc.asyncProperty(hostileMessage, async ({ method, raw }) => {
        expect(replyProblem(method, await dispatch(raw))).toBeNull();
      }),
      { numRuns: 300 },
    );
    expect(prototypePolluted()).toBe(false);
    expect(await call('app.info', {})).toMatchObject({ ok: true });
    expect(await call('nope.nothing', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  }, 300_000);
});

describe('signal export with hostile rows', () => {
  it('refuses the whole batch naming the bad row, and crypto_signals is left exactly as it was', async () => {
    const lastBar = lastClosedBarOpen(Date.now(), '1m');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.nat(), spoilRow, async (n, at, spoil) => {
        const sid = `fz-export-${++seq}`;
        const rows: unknown[] = Array.from({ length: n }, (_, i) => goodRow(sid, lastBar, i));
        const bad = at % (n + 1);
        rows.splice(bad, 0, spoil(goodRow(sid, lastBar, n)));
        const before = await countSignals();
        const refused = await call('signals.export', { rows, exportedBy: 'fuzz' });
        expect(refused).toMatchObject({
          ok: false,
          error: { code: 'BAD_REQUEST', message: expect.stringContaining(`row ${bad}:`) },
        });
        expect(await countSignals()).toBe(before);
        // The same batch without the bad row goes in whole: the count above would have seen a partial write.
        rows.splice(bad, 1);
        expect(await call('signals.export', { rows, exportedBy: 'fuzz' })).toMatchObject({
          ok: true,
          value: { inserted: n },
        });
        expect(await countSignals()).toBe(before + n);
      }),
      { numRuns: 40 },
    );
    expect(prototypePolluted()).toBe(false);
  }, 300_000);
});

describe('hostile documents written straight into crypto_signals', () => {
  it('the executor skips them with a logged reason and trades the good signal beside them; the desk still lists signals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileStoredField, { minLength: 1, maxLength: 2 }), async (spoils) => {
        const sid = `fz-exec-${++seq}`;
        const now = Date.now();
        const bar = lastClosedBarOpen(now, '1m');
        const base = {
          timeframe: '1m',
          symbol: 'DEMO:ETHUSDT',
          pair: 'ETH/USDT',
          strategy_id: sid,
          action: 'enter_long',
        };
        const coll = t.db().collection('crypto_signals');
        // The good signal one bar back; hostile ones on the newer bars of the window, where they would win the pick.
        await coll.insertOne({ ...base, ts: new Date(bar - MIN) });
        // Each one the server accepts (FerretDB refuses Infinity, MongoDB stores it).
        let stored = 0;
        for (const [i, [k, v]] of spoils.entries())
          stored += await coll.insertOne({ ...base, ts: new Date(bar + i * MIN), [k]: v }).then(
            () => 1,
            () => 0,
          );
        // Others the executor's query never matches: wrong types where the key is.
        await coll.insertMany([
          { ...base, ts: new Date(bar).toISOString() },
          { ...base, ts: bar + 7 },
          { ...base, ts: new Date(bar + 11), timeframe: 5 },
          { ...base, ts: new Date(bar + 13), strategy_id: seq },
          { ...base, ts: new Date(bar + 86_400_000), note: 'x'.repeat(100_000) },
          { nothing: true },
        ]);
        const log = createMemoryLogger();
        const executor = new Executor({
          store: new ExecutionStore(t.db),
          signals: new SignalStore(t.db),
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
        const out = await executor.step(run);
        expect(out.kind).toBe('ordered');
        if (out.kind === 'ordered') expect(out.order.signalTs.getTime()).toBe(bar - MIN);
        const skipped = log.lines.filter(
          (l) => l.level === 'warn' && l.message === 'signal skipped' && l.fields?.strategyId === sid,
        );
        expect(skipped).toHaveLength(stored);
        for (const s of skipped) expect(String(s.fields?.reason)).toMatch(/must be|needs/);
        // The same signal is not traded twice.
        expect(await executor.step(run)).toEqual({ kind: 'none', reason: word('decision.alreadyActed') });
        // The desk's views read past them too.
        expect(replyProblem('signals.recent', await call('signals.recent', { strategyId: sid }))).toBeNull();
        expect(await call('signals.recent', { strategyId: sid })).toMatchObject({
          ok: true,
          value: expect.arrayContaining([expect.objectContaining({ ts: bar - MIN })]),
        });
        const range = {
          symbol: 'DEMO:ETHUSDT',
          timeframe: '1m',
          from: new Date(bar - 5 * MIN).toISOString(),
          to: new Date(bar + 5 * MIN).toISOString(),
        };
        expect(replyProblem('signals.forSeries', await call('signals.forSeries', range))).toBeNull();
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
