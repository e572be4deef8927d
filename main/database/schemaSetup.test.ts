// Against the real test server: the contract's collections and indexes, exactly and idempotently.
import { describe, expect, it } from 'vitest';
import { CONTRACT_COLLECTIONS, INDEXES, OWN_COLLECTIONS_UP_FRONT } from '../../core/db/collections';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { useTestDb } from '../../test/testDb';
import { ensureSchema } from './schemaSetup';

const t = useTestDb('schema');

async function isFerret(): Promise<boolean> {
  const info = await t.client().db('admin').command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}

describe('ensureSchema', () => {
  it('creates the three collections and every index exactly as the contract says, with progress', async () => {
    const log = createMemoryLogger();
    const progress: [number, number][] = [];
    const report = await ensureSchema(t.db(), log, (done, total) => progress.push([done, total]));

    const names = (await t.db().listCollections().toArray()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining([...CONTRACT_COLLECTIONS, ...OWN_COLLECTIONS_UP_FRONT]));
    const total = CONTRACT_COLLECTIONS.length + OWN_COLLECTIONS_UP_FRONT.length + INDEXES.length;
    expect(progress.at(-1)).toEqual([total, total]);

    const market1d = await t.db().collection('crypto_market').indexes();
    expect(market1d.find((i) => i.name === 'symbol_1_date_1')).toMatchObject({
      key: { symbol: 1, date: 1 },
      unique: true,
    });
    const market1m = await t.db().collection('crypto_market_1m').indexes();
    expect(market1m.find((i) => i.name === 'symbol_1_datetime_1')).toMatchObject({
      key: { symbol: 1, datetime: 1 },
      unique: true,
    });
    const signals = await t.db().collection('crypto_signals').indexes();
    expect(signals.find((i) => i.name === 'strategy_id_1_pair_1_timeframe_1_ts_1')).toMatchObject({
      key: { strategy_id: 1, pair: 1, timeframe: 1, ts: 1 },
      unique: true,
    });

    // every index that is not optional, on our own collections too
    for (const spec of INDEXES.filter((i) => !i.optional)) {
      const found = (await t.db().collection(spec.collection).indexes()).find((i) => i.name === spec.name);
      expect(found, `${spec.collection} ${spec.name}`).toMatchObject({ key: spec.key });
    }

    // The TTL index: made where the server can, reported (and logged once) where it cannot.
    const ttl = signals.find((i) => i.name === 'ts_ttl');
    if (await isFerret()) {
      expect(report.ttlIndex).toBe('unsupported');
      expect(ttl).toBeUndefined();
      expect(log.lines.filter((l) => l.level === 'warn' && l.message.includes('TTL'))).toHaveLength(1);
      // reads by time (the signal feed, the expiry) still have an index on ts
      expect(signals.find((i) => i.name === 'ts_1')).toMatchObject({ key: { ts: 1 } });
      expect(signals.find((i) => i.name === 'ts_1')?.expireAfterSeconds).toBeUndefined();
    } else {
      expect(report.ttlIndex).toBe('created');
      expect(ttl).toMatchObject({ key: { ts: 1 }, expireAfterSeconds: expect.any(Number) });
      expect(signals.find((i) => i.name === 'ts_1')).toBeUndefined();
    }
  });

  it('for a least-privilege account, touches only the collections that account writes', async () => {
    const other = t.client().db(`${t.dbName}_research`);
    try {
      const report = await ensureSchema(other, createMemoryLogger(), undefined, { quiet: true, writer: 'research' });
      expect(report.created.filter((c) => !c.includes('.')).sort()).toEqual([
        'crypto_funding',
        'crypto_market',
        'crypto_market_1m',
        'crypto_perp_market',
        'crypto_perp_market_1m',
        'crypto_signals',
        'quantdesk_series_bars',
      ]);
      expect(report.created.some((c) => c.startsWith('quantdesk_orders') || c.startsWith('quantdesk_fills'))).toBe(
        false,
      );
    } finally {
      await other.dropDatabase();
    }
  });

  it('is idempotent: a second run creates nothing and fails nothing', async () => {
    const again = await ensureSchema(t.db(), createMemoryLogger());
    expect(again.created).toEqual([]);
    expect(again.existing.length).toBeGreaterThanOrEqual(3);
  });

  it('makes duplicates impossible: the unique index refuses a second bar for the same symbol and day', async () => {
    const bars = t.db().collection('crypto_market');
    await bars.insertOne({
      date: '20260101',
      symbol: 'BINANCE:BTCUSDT',
      open: 1,
      high: 2,
      low: 0.5,
      close: 1.5,
      volume: 10,
    });
    await expect(
      bars.insertOne({ date: '20260101', symbol: 'BINANCE:BTCUSDT', open: 9, high: 9, low: 9, close: 9, volume: 9 }),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await bars.countDocuments({ symbol: 'BINANCE:BTCUSDT' })).toBe(1);
  });

  it('refuses to pass over an index of the same name with different options, naming it', async () => {
    const db = t.client().db(`${t.dbName}_clash`);
    try {
      await db.collection('crypto_market').createIndex({ symbol: 1, date: 1 }, { name: 'symbol_1_date_1' });
      await expect(ensureSchema(db, createMemoryLogger())).rejects.toThrow(
        /crypto_market\.symbol_1_date_1 exists with different options/,
      );
    } finally {
      await db.dropDatabase();
    }
  });
});
