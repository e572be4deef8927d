// Export into crypto_signals on the real database server: idempotent, replaces on change,
// all-or-nothing batches, and signals written by another program (any Mongo client) read back.
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../test/testDb';
import { SignalBatchError, SignalStore } from './signalStore';

const t = useTestDb('signals');
const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const audit = { exportedBy: 'test', strategyVersion: 'abc123def456', runId: 'run-1' };
const rows = (n: number, over: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({
    ts: new Date(NOW - (n - i) * MIN),
    timeframe: '1m',
    symbol: 'BINANCE:BTCUSDT',
    pair: 'BTC/USDT',
    strategy_id: 'trend',
    weight: i % 2,
    ...over,
  }));

describe('signal export', () => {
  it('inserts new keys, writes nothing on a re-export, and replaces a key whose content changed', async () => {
    const store = new SignalStore(t.db);
    const first = await store.export(rows(300), audit, { now: NOW });
    expect(first).toMatchObject({ inserted: 300, replaced: 0, unchanged: 0 });
    const again = await store.export(rows(300), audit, { now: NOW + MIN });
    expect(again).toMatchObject({ inserted: 0, replaced: 0, unchanged: 300 });
    const changed = rows(300);
    changed[299]!.weight = 0.25;
    const third = await store.export(changed, { ...audit, runId: 'run-2' }, { now: NOW + 2 * MIN });
    expect(third).toMatchObject({ inserted: 0, replaced: 1, unchanged: 299 });
    const coll = t.db().collection('crypto_signals');
    expect(await coll.countDocuments({ strategy_id: 'trend' })).toBe(300);
    const last = await coll.findOne({ strategy_id: 'trend', ts: new Date(NOW - MIN) });
    expect(last).toMatchObject({
      weight: 0.25,
      audit: { run_id: 'run-2', strategy_version: 'abc123def456', exported_by: 'test' },
    });
    expect((last!.audit as { exported_at: Date }).exported_at).toEqual(new Date(NOW + 2 * MIN));
  });

  it('writes none of a batch with a bad row and names the row and the reason', async () => {
    const store = new SignalStore(t.db);
    const batch = rows(50, { strategy_id: 'half' });
    batch[37] = { ...batch[37]!, pair: 'ETH/USDT' };
    const err = await store.export(batch, audit, { now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignalBatchError);
    expect((err as SignalBatchError).message).toBe(
      'Nothing written: 1 bad row(s). row 37: pair ETH/USDT does not match symbol BINANCE:BTCUSDT (BTC/USDT)',
    );
    expect(await t.db().collection('crypto_signals').countDocuments({ strategy_id: 'half' })).toBe(0);
  });

  it('a key another writer stored is replaced by the newer export, never duplicated', async () => {
    const store = new SignalStore(t.db);
    await t
      .db()
      .collection('crypto_signals')
      .insertOne({
        ts: new Date(NOW - 5 * MIN),
        timeframe: '1m',
        symbol: 'BINANCE:BTCUSDT',
        pair: 'BTC/USDT',
        strategy_id: 'race',
        action: 'exit_long',
      });
    const r = await store.export(rows(5, { strategy_id: 'race', weight: undefined, action: 'enter_long' }), audit, {
      now: NOW,
    });
    expect(r.inserted + r.replaced).toBe(5);
    expect(await t.db().collection('crypto_signals').countDocuments({ strategy_id: 'race' })).toBe(5);
    expect(
      await t
        .db()
        .collection('crypto_signals')
        .findOne({ strategy_id: 'race', ts: new Date(NOW - 5 * MIN) }),
    ).toMatchObject({ action: 'enter_long' });
  });
});

describe('a window of signals read once', () => {
  it('answers every key and range exactly as the store does, malformed outside documents included, and reads the store outside the window', async () => {
    const store = new SignalStore(t.db);
    const MIN = 60_000;
    const base = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
    const rows = [];
    for (let i = 0; i < 20; i++)
      for (const [sid, pair] of [
        ['w-a', 'BTC/USDT'],
        ['w-a', 'ETH/USDT'],
        ['w-b', 'BTC/USDT'],
      ] as const)
        rows.push({
          ts: new Date(base + i * MIN),
          timeframe: '1m',
          symbol: `DEMO:${pair.replace('/', '')}`,
          pair,
          strategy_id: sid,
          action: i % 2 ? 'exit_long' : 'enter_long',
        });
    await store.export(rows, { exportedBy: 'test', strategyVersion: null, runId: null });
    // What an outside program might leave: an action we do not know, a weight that is a string.
    await t
      .db()
      .collection('crypto_signals')
      .insertMany([
        {
          strategy_id: 'w-a',
          pair: 'BTC/USDT',
          timeframe: '1m',
          ts: new Date(base + 5 * MIN + 1),
          symbol: 'DEMO:BTCUSDT',
          action: 'buy',
        },
        {
          strategy_id: 'w-b',
          pair: 'BTC/USDT',
          timeframe: '1m',
          ts: new Date(base + 7 * MIN + 1),
          symbol: 'DEMO:BTCUSDT',
          weight: 'all',
        },
      ]);
    const keys = [
      { strategyId: 'w-a', pair: 'BTC/USDT', timeframe: '1m' as const },
      { strategyId: 'w-a', pair: 'ETH/USDT', timeframe: '1m' as const },
      { strategyId: 'w-b', pair: 'BTC/USDT', timeframe: '1m' as const },
    ];
    const window = await store.window(keys, base + 3 * MIN, base + 12 * MIN);
    let skippedSeen = 0;
    for (const k of keys) {
      for (const [from, to] of [
        [base + 3 * MIN, base + 12 * MIN],
        [base + 4 * MIN, base + 8 * MIN],
        [base, base + 19 * MIN],
      ]) {
        const direct: string[] = [];
        const cached: string[] = [];
        const a = await store.forKey(k.strategyId, k.pair, k.timeframe, from!, to!, (r) => direct.push(r));
        const b = await window.forKey(k.strategyId, k.pair, k.timeframe, from!, to!, (r) => cached.push(r));
        expect(b).toEqual(a);
        expect(cached).toEqual(direct);
        skippedSeen += cached.length;
      }
    }
    expect(skippedSeen).toBeGreaterThan(0);
    // A key it was not asked for is read from the store.
    await store.export(
      [
        {
          ts: new Date(base),
          timeframe: '1m',
          symbol: 'DEMO:BTCUSDT',
          pair: 'BTC/USDT',
          strategy_id: 'w-c',
          action: 'enter_long',
        },
      ],
      { exportedBy: 'test', strategyVersion: null, runId: null },
    );
    expect(await window.forKey('w-c', 'BTC/USDT', '1m', base, base)).toHaveLength(1);
  });

  it('the feed lists the newest signals first within its reach of now: long-gone and far-future bars are left out', async () => {
    const store = new SignalStore(t.db);
    const now = Date.UTC(2031, 0, 1);
    const DAY = 86_400_000;
    const doc = (ts: number) => ({
      ts: new Date(ts),
      timeframe: '1m',
      symbol: 'BINANCE:BTCUSDT',
      pair: 'BTC/USDT',
      strategy_id: 'feed',
      weight: 1,
    });
    await store.export([now - 500 * DAY, now - 10 * DAY, now - MIN].map(doc), audit, { now });
    // another program's signal for a bar days ahead (our export refuses those)
    await t
      .db()
      .collection('crypto_signals')
      .insertOne(doc(now + 3 * DAY));
    expect((await store.recent(10, 'feed', now)).map((s) => new Date(s.ts).getTime())).toEqual([
      now - MIN,
      now - 10 * DAY,
    ]);
    expect((await store.recent(1, undefined, now)).map((s) => [s.strategy_id, new Date(s.ts).getTime()])).toEqual([
      ['feed', now - MIN],
    ]);
  });
});
