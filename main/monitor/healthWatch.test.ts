// The health watch against the real database and the exchange simulator through real ccxt:
// a clock out of step, an exchange that stops answering, a kept-current series that fell
// behind or has holes, and an enabled strategy without signals each become an alert; every
// round is kept as a sample for the Monitor's history.
import { english } from '../../core/wording/wording';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Series, WorkerStatus } from '../../core/api/contract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { probeClock } from '../exchange/clockProbe';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';

import { SignalStore } from '../signals/signalStore';
import { MarketStore } from '../market/marketStore';
import { HealthWatchDesk } from './healthWatch';
import { COLLECTIONS } from '../../core/db/collections';

const t = useTestDb('health');
const MIN = 60_000;
let skew = 0;
const sim = new BinanceSimulator({
  market: new SyntheticMarket(demoAssets(Date.now()), 3),
  wallClock: () => Date.now() + skew,
});
let url = '';
const alerts: AlertInput[] = [];
const now = Math.floor(Date.now() / MIN) * MIN + 30_000;
const series: Series[] = [
  {
    symbol: 'DEMO:BTCUSDT',
    timeframe: '1m',
    exchange: 'demo',
    pair: 'BTC/USDT',
    from: now - 3 * 3_600_000,
    auto: true,
  },
  {
    symbol: 'DEMO:ETHUSDT',
    timeframe: '1m',
    exchange: 'demo',
    pair: 'ETH/USDT',
    from: now - 3 * 3_600_000,
    auto: true,
  },
];
// The supervisor's view of its resident workers: the executor beating, the database job just crashed.
const worker = (name: string, state: WorkerStatus['state'], heartbeatAgo: number | null): WorkerStatus => ({
  name,
  job: name,
  state,
  pid: null,
  restarts: 0,
  startedAt: null,
  lastHeartbeat: heartbeatAgo === null ? null : new Date(now - heartbeatAgo).toISOString(),
  lastError: null,
  nextRestartAt: null,
  progress: null,
  detail: {},
});
const workers = [worker('executor', 'running', 4000), worker('database', 'crashed', null)];
const watch = () =>
  new HealthWatchDesk({
    db: t.db,
    bars: () => new MarketStore(t.db()),
    log: createMemoryLogger(),
    series: async () => series,
    probe: (id) => probeClock(createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, timeoutMs: 1500 }), id),
    exchangeOf: () => 'demo',
    dbLatencyMs: () => 1.5,
    workers: () => workers,
    raise: (a) => alerts.push(a),
    now: () => now,
  });

beforeAll(async () => {
  url = await sim.start();
  const store = new MarketStore(t.db());
  const bar = (time: number): [number, number, number, number, number, number] => [time, 1, 1, 1, 1, 1];
  const closed = now - 30_000 - MIN;
  // BTC is current but misses two bars an hour ago; ETH stopped ten bars ago.
  const btc = [];
  for (let time = closed - 120 * MIN; time <= closed; time += MIN)
    if (time !== closed - 60 * MIN && time !== closed - 61 * MIN) btc.push(bar(time));
  await store.writeBars('DEMO:BTCUSDT', '1m', btc);
  const eth = [];
  for (let time = closed - 120 * MIN; time <= closed - 10 * MIN; time += MIN) eth.push(bar(time));
  await store.writeBars('DEMO:ETHUSDT', '1m', eth);
  await t
    .db()
    .collection(COLLECTIONS.execConfigs)
    .insertMany([
      {
        _id: 'c1' as never,
        strategyId: 'fresh',
        symbol: 'DEMO:BTCUSDT',
        pair: 'BTC/USDT',
        timeframe: '1m',
        enabled: true,
      },
      {
        _id: 'c2' as never,
        strategyId: 'silent',
        symbol: 'DEMO:BTCUSDT',
        pair: 'BTC/USDT',
        timeframe: '1m',
        enabled: true,
      },
      {
        _id: 'c3' as never,
        strategyId: 'off',
        symbol: 'DEMO:BTCUSDT',
        pair: 'BTC/USDT',
        timeframe: '1m',
        enabled: false,
      },
      {
        _id: 'c4' as never,
        strategyId: 'stale',
        symbol: 'DEMO:BTCUSDT',
        pair: 'BTC/USDT',
        timeframe: '1m',
        enabled: true,
      },
      {
        _id: 'c5' as never,
        strategyId: 'garbled',
        symbol: 'DEMO:BTCUSDT',
        pair: 'BTC/USDT',
        timeframe: '1m',
        enabled: true,
      },
    ]);
  // 'garbled' has a signal, written by another program with its ts as a string: nothing to act on.
  await t
    .db()
    .collection('crypto_signals')
    .insertOne({
      ts: new Date(closed - MIN).toISOString(),
      timeframe: '1m',
      symbol: 'DEMO:BTCUSDT',
      pair: 'BTC/USDT',
      strategy_id: 'garbled',
      action: 'enter_long',
    });
  // 'stale' last had a signal ten bars ago (and one before that, on another pair that does not count).
  await new SignalStore(t.db).export(
    [
      {
        ts: new Date(closed - 10 * MIN),
        timeframe: '1m',
        symbol: 'DEMO:BTCUSDT',
        pair: 'BTC/USDT',
        strategy_id: 'stale',
        action: 'enter_long',
      },
      {
        ts: new Date(closed - MIN),
        timeframe: '1m',
        symbol: 'DEMO:ETHUSDT',
        pair: 'ETH/USDT',
        strategy_id: 'stale',
        action: 'enter_long',
      },
    ],
    { exportedBy: 'test', strategyVersion: null, runId: null },
    { now },
  );
  await new SignalStore(t.db).export(
    [
      {
        ts: new Date(closed - MIN),
        timeframe: '1m',
        symbol: 'DEMO:BTCUSDT',
        pair: 'BTC/USDT',
        strategy_id: 'fresh',
        action: 'enter_long',
      },
    ],
    { exportedBy: 'test', strategyVersion: null, runId: null },
    { now },
  );
});
afterAll(() => sim.stop());

describe('health watch', () => {
  it('measures freshness and holes per series, and alerts on gaps and missing signals', async () => {
    const w = watch();
    const s = await w.check();
    expect(s.exchanges).toEqual([
      { id: 'demo', ok: true, latencyMs: expect.any(Number), skewMs: expect.any(Number), error: null },
    ]);
    expect(Math.abs(s.exchanges[0]!.skewMs!)).toBeLessThan(1000);
    expect(s.freshness).toEqual([
      {
        symbol: 'DEMO:BTCUSDT',
        timeframe: '1m',
        auto: true,
        lastBar: now - 30_000 - MIN,
        behindBars: 0,
        missingRecent: 2,
      },
      {
        symbol: 'DEMO:ETHUSDT',
        timeframe: '1m',
        auto: true,
        lastBar: now - 30_000 - 11 * MIN,
        behindBars: 10,
        missingRecent: 0,
      },
    ]);
    expect(alerts.map((a) => [a.kind, a.pair, a.strategy_id ?? null]).sort()).toEqual([
      ['data-gap', 'BTC/USDT', null],
      ['data-gap', 'ETH/USDT', null],
      ['signal-missing', 'BTC/USDT', 'garbled'],
      ['signal-missing', 'BTC/USDT', 'silent'],
      ['signal-missing', 'BTC/USDT', 'stale'],
    ]);
    const about = (pair: string, kind: string) => english(alerts.find((a) => a.pair === pair && a.kind === kind)!.text);
    expect(about('BTC/USDT', 'data-gap')).toMatch(/2 bar\(s\) missing/);
    expect(about('ETH/USDT', 'data-gap')).toMatch(/no new bar for 10 bars/);
    const missing = alerts.filter((a) => a.kind === 'signal-missing').map((a) => english(a.text));
    expect(missing).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/silent BTC\/USDT 1m is enabled but has no signal at all/),
        expect.stringMatching(
          /garbled BTC\/USDT 1m is enabled but has no signal it can act on: 1 document\(s\) written for it were skipped \(“ts must be a date, got the string/,
        ),
        expect.stringMatching(/stale BTC\/USDT 1m is enabled but has had no signal for 10 bars \(last /),
      ]),
    );
    const kept = await w.watch(1);
    expect(kept.latest).toMatchObject({ at: now, dbLatencyMs: 1.5 });
    expect(kept.history).toHaveLength(1);
    // Each resident worker's state and heartbeat age is part of the history the worker tiles draw.
    const sampled = [
      { name: 'executor', state: 'running', heartbeatAgeMs: 4000 },
      { name: 'database', state: 'crashed', heartbeatAgeMs: null },
    ];
    expect(s.workers).toEqual(sampled);
    expect(kept.history[0]!.workers).toEqual(sampled);
  });

  it('alerts on a clock out of step, and on an exchange that stops answering twice in a row', async () => {
    const w = watch();
    alerts.length = 0;
    skew = 4000;
    const s = await w.check();
    skew = 0;
    expect(s.exchanges[0]!.skewMs).toBeGreaterThan(3000);
    expect(alerts.filter((a) => a.kind === 'clock-skew')).toHaveLength(1);
    await sim.stop();
    alerts.length = 0;
    expect((await w.check()).exchanges[0]).toMatchObject({ ok: false, latencyMs: null });
    expect(alerts.filter((a) => a.kind === 'exchange-down')).toHaveLength(0);
    await w.check();
    expect(alerts.filter((a) => a.kind === 'exchange-down')).toHaveLength(1);
    expect(alerts.find((a) => a.kind === 'exchange-down')!.severity).toBe('critical');
  });

  it('confirms trouble against the bars before alerting: bars another program wrote are not a gap', async () => {
    const store = new MarketStore(t.db());
    const closed = now - 30_000 - MIN;
    // Our importer stored up to 20 bars ago (the index knows that far) ...
    const ours = [];
    for (let time = closed - 60 * MIN; time <= closed - 20 * MIN; time += MIN)
      ours.push([time, 1, 1, 1, 1, 1] as [number, number, number, number, number, number]);
    await store.writeBars('DEMO:SOLUSDT', '1m', ours);
    expect(await store.lastBarTime('DEMO:SOLUSDT', '1m')).toBe(closed - 20 * MIN);
    // ... and another program wrote the rest straight into the collection.
    const theirs = [];
    for (let time = closed - 19 * MIN; time <= closed; time += MIN)
      theirs.push({ datetime: new Date(time), symbol: 'DEMO:SOLUSDT', open: 1, high: 1, low: 1, close: 1, volume: 1 });
    await t.db().collection('crypto_market_1m').insertMany(theirs);
    const own: AlertInput[] = [];
    const w = new HealthWatchDesk({
      db: t.db,
      bars: () => new MarketStore(t.db()),
      log: createMemoryLogger(),
      series: async () => [
        {
          symbol: 'DEMO:SOLUSDT',
          timeframe: '1m',
          exchange: 'demo',
          pair: 'SOL/USDT',
          from: closed - 60 * MIN,
          auto: true,
        },
      ],
      probe: async () => ({ latencyMs: 1, skewMs: 0 }),
      exchangeOf: () => 'demo',
      dbLatencyMs: () => 1,
      workers: () => [],
      raise: (a) => own.push(a),
      now: () => now,
    });
    const s = await w.check();
    expect(s.freshness).toEqual([
      { symbol: 'DEMO:SOLUSDT', timeframe: '1m', auto: true, lastBar: closed, behindBars: 0, missingRecent: 0 },
    ]);
    expect(own.filter((a) => a.kind === 'data-gap')).toEqual([]);
    // The read reset the index: the next check needs no confirmation.
    expect(await store.lastBarTime('DEMO:SOLUSDT', '1m')).toBe(closed);
  });
});
