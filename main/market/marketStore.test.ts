// The index of stored bars beside the bars, on the real database server: built once from the
// bars already there (another program's included), kept by every write, serialised between
// concurrent writers of a series, never listing a bar that was refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { OhlcvTuple } from '../../core/market/bars';
import { useTestDb } from '../../test/testDb';
import { SERIES_BARS_COLLECTION } from '../../core/db/collections';
import { BarColumns } from './barColumns';
import { MarketStore } from './marketStore';
import { ensureSchema } from '../database/schemaSetup';

const t = useTestDb('store');
const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1);
const bar = (k: number, close = 1.5): OhlcvTuple => [T0 + k * MIN, 1, 2, 0.5, close, 10];

describe('stored-bar index', () => {
  it('is built once from the bars already stored, then kept by each write', async () => {
    await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
    // Written by another program, straight into the contract's collection.
    await t
      .db()
      .collection('crypto_market_1m')
      .insertMany(
        [0, 1, 2, 5].map((k) => ({
          datetime: new Date(T0 + k * MIN),
          symbol: 'EXT:ETHUSDT',
          open: 1,
          high: 2,
          low: 0.5,
          close: 1.5,
          volume: 1,
        })),
      );
    const store = new MarketStore(t.db());
    expect(await store.storedRanges('EXT:ETHUSDT', '1m')).toEqual([
      [T0, T0 + 2 * MIN],
      [T0 + 5 * MIN, T0 + 5 * MIN],
    ]);
    expect(await t.db().collection(SERIES_BARS_COLLECTION).countDocuments({ symbol: 'EXT:ETHUSDT' })).toBe(1);
    // A bar refused for its values is not listed; the good ones, new or already there, are.
    const r = await store.writeBars('EXT:ETHUSDT', '1m', [bar(2), bar(3), bar(4, -1), bar(9)]);
    expect(r).toMatchObject({ inserted: 2, existing: 1, rejected: [{ time: T0 + 4 * MIN }] });
    expect(await store.storedRanges('EXT:ETHUSDT', '1m')).toEqual([
      [T0, T0 + 3 * MIN],
      [T0 + 5 * MIN, T0 + 5 * MIN],
      [T0 + 9 * MIN, T0 + 9 * MIN],
    ]);
    expect(await store.lastBarTime('EXT:ETHUSDT', '1m')).toBe(T0 + 9 * MIN);
    expect(await store.lastBarTime('NONE:XYZUSDT', '1m')).toBeNull();
  });

  it('loses no bar when writers of one series race', async () => {
    const store = new MarketStore(t.db());
    await store.writeBars('RACE:BTCUSDT', '1m', [bar(0)]);
    // Eight writers at once, each its own stretch: every stretch ends up listed.
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        new MarketStore(t.db()).writeBars(
          'RACE:BTCUSDT',
          '1m',
          Array.from({ length: 10 }, (_, i) => bar(1 + w * 20 + i)),
        ),
      ),
    );
    const ranges = await store.storedRanges('RACE:BTCUSDT', '1m');
    const times = await store.barTimes('RACE:BTCUSDT', '1m');
    expect(times.length).toBe(81);
    // What the index lists is exactly what a scan of the bars finds.
    const listed: number[] = [];
    for (const [a, b] of ranges) for (let x = a; x <= b; x += MIN) listed.push(x);
    expect(listed).toEqual([...times]);
  });

  it('is reset by a full read of the series (the quality check), bars deleted behind its back included', async () => {
    const store = new MarketStore(t.db());
    await store.writeBars(
      'DEL:SOLUSDT',
      '1m',
      [0, 1, 2, 3].map((k) => bar(k)),
    );
    await t
      .db()
      .collection('crypto_market_1m')
      .deleteOne({ symbol: 'DEL:SOLUSDT', datetime: new Date(T0 + 2 * MIN) });
    expect(await store.storedRanges('DEL:SOLUSDT', '1m')).toEqual([[T0, T0 + 3 * MIN]]); // not yet known
    expect((await store.coverage('DEL:SOLUSDT', '1m')).gaps).toEqual([
      { from: T0 + 2 * MIN, to: T0 + 2 * MIN, bars: 1 },
    ]);
    expect(await store.storedRanges('DEL:SOLUSDT', '1m')).toEqual([
      [T0, T0 + MIN],
      [T0 + 3 * MIN, T0 + 3 * MIN],
    ]);
  });
});

describe('columnar copy of the bars', () => {
  const dirs: string[] = [];
  const withColumns = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-store-columns-'));
    dirs.push(dir);
    return { dir, store: new MarketStore(t.db(), new BarColumns(dir)) };
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const same = async (store: MarketStore, symbol: string, from: number, to: number) => {
    const fromDb = await store.readBars(symbol, '1m', from, to, { fromDatabase: true });
    const read = await store.readBars(symbol, '1m', from, to);
    expect(Array.from(read.time)).toEqual(Array.from(fromDb.time));
    expect(Array.from(read.close)).toEqual(Array.from(fromDb.close));
    return read;
  };

  it('is written with each write and serves reads that agree with the database', async () => {
    await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
    const { dir, store } = withColumns();
    await store.writeBars(
      'COL:BTCUSDT',
      '1m',
      [0, 1, 2, 3, 10, 11].map((k) => bar(k)),
    );
    // a bar already there keeps its stored values; a replace overwrites them in both places
    await store.writeBars('COL:BTCUSDT', '1m', [bar(2, 0.9), bar(4, 1.2)]);
    await store.writeBars('COL:BTCUSDT', '1m', [bar(3, 1.9)], { replace: true });
    expect(fs.existsSync(path.join(dir, 'COL_BTCUSDT', '1m', '2026-03.arrow'))).toBe(true);
    const b = await same(store, 'COL:BTCUSDT', T0, T0 + 20 * MIN);
    expect(Array.from(b.close)).toEqual([1.5, 1.5, 1.5, 1.9, 1.2, 1.5, 1.5]);
    await same(store, 'COL:BTCUSDT', T0 + 2 * MIN, T0 + 10 * MIN);
  });

  it('reads a daily series by UTC day, as the database does, whatever the time of day asked', async () => {
    const { store } = withColumns();
    const D = 86_400_000;
    await store.writeBars(
      'COL:BTCUSDT',
      '1d',
      [0, 1, 2, 3].map((k): OhlcvTuple => [T0 + k * D, 1, 2, 0.5, 1.5, 10]),
    );
    for (const [from, to] of [
      [T0 + D / 2, T0 + 3 * D - 1],
      [T0 - 1, T0 + 2 * D + 5],
      [T0 + 3 * D + 1, T0 + 9 * D],
    ]) {
      const fromDb = await store.readBars('COL:BTCUSDT', '1d', from!, to!, { fromDatabase: true });
      await store.readBars('COL:BTCUSDT', '1d', from!, to!);
      expect(Array.from((await store.readBars('COL:BTCUSDT', '1d', from!, to!)).time)).toEqual(Array.from(fromDb.time));
    }
  });

  it('a deleted or damaged file, or a write it missed, is rebuilt from the database on the next read', async () => {
    const { dir, store } = withColumns();
    await store.writeBars(
      'COL:ETHUSDT',
      '1m',
      [0, 1, 2, 3].map((k) => bar(k)),
    );
    const file = path.join(dir, 'COL_ETHUSDT', '1m', '2026-03.arrow');
    fs.rmSync(file);
    await same(store, 'COL:ETHUSDT', T0, T0 + 5 * MIN);
    expect(fs.existsSync(file)).toBe(true);
    fs.writeFileSync(file, 'not an arrow file');
    await same(store, 'COL:ETHUSDT', T0, T0 + 5 * MIN);
    // another process wrote bars without a copy (or lost the race to rename its file)
    await new MarketStore(t.db()).writeBars('COL:ETHUSDT', '1m', [bar(4), bar(5)]);
    expect((await same(store, 'COL:ETHUSDT', T0, T0 + 5 * MIN)).length).toBe(6);
  });

  it('bars another program writes into the collection appear once the index has been reset from the database (the quality check)', async () => {
    const { store } = withColumns();
    await store.writeBars(
      'COL:SOLUSDT',
      '1m',
      [0, 1].map((k) => bar(k)),
    );
    await t
      .db()
      .collection('crypto_market_1m')
      .insertOne({
        datetime: new Date(T0 + 2 * MIN),
        symbol: 'COL:SOLUSDT',
        open: 1,
        high: 2,
        low: 0.5,
        close: 1.8,
        volume: 1,
      });
    expect((await store.readBars('COL:SOLUSDT', '1m', T0, T0 + 5 * MIN)).length).toBe(2);
    await store.coverage('COL:SOLUSDT', '1m');
    expect(Array.from((await same(store, 'COL:SOLUSDT', T0, T0 + 5 * MIN)).close)).toEqual([1.5, 1.5, 1.8]);
  });

  it('bars another program writes past either end of a series are adopted (as at start), in the middle only by the quality check', async () => {
    const { store } = withColumns();
    await store.writeBars(
      'COL:BNBUSDT',
      '1m',
      [3, 4, 5].map((k) => bar(k)),
    );
    expect(await store.adoptOutsideEdges('COL:BNBUSDT', '1m')).toBe(0);
    const outside = (k: number, close: number) => ({
      datetime: new Date(T0 + k * MIN),
      symbol: 'COL:BNBUSDT',
      open: 1,
      high: 2,
      low: 0.5,
      close,
      volume: 1,
    });
    await t
      .db()
      .collection('crypto_market_1m')
      .insertMany([outside(1, 1.1), outside(7, 1.7), outside(8, 1.8)]);
    expect(await store.adoptOutsideEdges('COL:BNBUSDT', '1m')).toBe(3);
    expect(Array.from((await same(store, 'COL:BNBUSDT', T0, T0 + 9 * MIN)).close)).toEqual([
      1.1, 1.5, 1.5, 1.5, 1.7, 1.8,
    ]);
    expect(await store.adoptOutsideEdges('COL:BNBUSDT', '1m')).toBe(0);
    // inside the listed span: left to the full read of the quality check
    await t.db().collection('crypto_market_1m').insertOne(outside(6, 1.6));
    expect(await store.adoptOutsideEdges('COL:BNBUSDT', '1m')).toBe(0);
    await store.coverage('COL:BNBUSDT', '1m');
    expect((await same(store, 'COL:BNBUSDT', T0, T0 + 9 * MIN)).length).toBe(7);
  });
});

describe('series summaries and deletion', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-delete-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('summarises every series from the index in one read, and deletes one series whole (bars, index, copy) in batches', async () => {
    await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
    const columns = new BarColumns(dir, createMemoryLogger());
    const store = new MarketStore(t.db(), columns);
    // 25,000 minutes with a hole (more than two delete batches), a daily series of the same symbol, another symbol.
    const minutes = Array.from({ length: 25_000 }, (_, k) => bar(k < 100 ? k : k + 10));
    await store.writeBars('DEL:BTCUSDT', '1m', minutes);
    await store.writeBars('DEL:BTCUSDT', '1d', [[T0, 1, 2, 0.5, 1.5, 10]]);
    await store.writeBars('DEL:ETHUSDT', '1m', [bar(0), bar(1)]);
    const s = await store.storedSummaries([
      { symbol: 'DEL:BTCUSDT', timeframe: '1m' },
      { symbol: 'DEL:ETHUSDT', timeframe: '1m' },
      { symbol: 'DEL:NONE', timeframe: '1m' },
    ]);
    expect(s.get('DEL:BTCUSDT|1m')).toEqual({
      bars: 25_000,
      first: T0,
      last: T0 + 25_009 * MIN,
      gaps: 1,
      missingBars: 10,
    });
    expect(s.get('DEL:ETHUSDT|1m')).toMatchObject({ bars: 2 });
    expect(s.get('DEL:NONE|1m')).toBeNull();
    expect(fs.existsSync(path.join(dir, 'DEL_BTCUSDT', '1m'))).toBe(true);

    const progress: number[] = [];
    expect(await store.deleteSeries('DEL:BTCUSDT', '1m', (n) => progress.push(n))).toBe(25_000);
    expect(progress).toEqual([10_000, 20_000, 25_000]);
    expect(await t.db().collection('crypto_market_1m').countDocuments({ symbol: 'DEL:BTCUSDT' })).toBe(0);
    expect(
      await t
        .db()
        .collection(SERIES_BARS_COLLECTION)
        .countDocuments({ _id: 'DEL:BTCUSDT|1m' } as never),
    ).toBe(0);
    expect(fs.existsSync(path.join(dir, 'DEL_BTCUSDT', '1m'))).toBe(false);
    // the other timeframe and the other symbol are untouched
    expect((await store.readBars('DEL:BTCUSDT', '1d', T0, T0)).length).toBe(1);
    expect((await store.readBars('DEL:ETHUSDT', '1m', T0, T0 + MIN)).length).toBe(2);
    // run again (after a crash): nothing left, nothing else touched
    expect(await store.deleteSeries('DEL:BTCUSDT', '1m')).toBe(0);
  });
});
