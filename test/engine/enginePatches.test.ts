// Our patches of the bundled engine (resources/ferretdb/patches), each through the real driver:
// the app's hot queries are answered with the contract's indexes (0001), large deletes work
// (0002), values the engine cannot store are refused with a reason while the connection
// stays up (0003), a whole collection is counted right without reading it (0005), and distinct
// takes a server time limit (0007); large inserts still report duplicates by index (0009). Against a real mongod (MONGO_URL) the same calls must simply
// work.
import { Double, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../core/db/collections';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { ensureSchema } from '../../main/database/schemaSetup';
import { useTestDb } from '../testDb';

const bundled = !process.env.MONGO_URL;
const MIN = 60_000;

describe('bundled engine patches', () => {
  const t = useTestDb('patches');

  it.runIf(bundled)('0001: the hot reads of bars and signals are answered through the contract indexes', async () => {
    await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
    const bars = t.db().collection(COLLECTIONS.market1m);
    const t0 = Date.UTC(2025, 0, 1);
    await bars.insertMany(
      ['DEMO:BTCUSDT', 'DEMO:ETHUSDT'].flatMap((symbol) =>
        Array.from({ length: 500 }, (_, i) => ({
          symbol,
          datetime: new Date(t0 + i * MIN),
          open: new Double(1),
          high: new Double(2),
          low: new Double(0.5),
          close: new Double(1.5),
          volume: new Double(10),
        })),
      ),
    );
    const range = {
      symbol: 'DEMO:ETHUSDT',
      datetime: { $gte: new Date(t0 + 100 * MIN), $lte: new Date(t0 + 159 * MIN) },
    };
    const plan = (await bars.find(range).sort({ datetime: -1 }).limit(5).explain()) as unknown as {
      filterPushdown: boolean;
      sortPushdown: boolean;
      queryPlanner: { Plan: string[] };
    };
    expect(plan.filterPushdown).toBe(true);
    expect(plan.sortPushdown).toBe(true);
    expect(plan.queryPlanner.Plan.join('\n')).toMatch(/USING INDEX .*symbol_1_datetime_1/);
    const newest = await bars.find(range).sort({ datetime: -1 }).limit(5).toArray();
    expect(newest.map((d) => (d.datetime as Date).getTime())).toEqual(
      [159, 158, 157, 156, 155].map((i) => t0 + i * MIN),
    );
    expect(await bars.countDocuments(range)).toBe(60);

    const signals = t.db().collection(COLLECTIONS.signals);
    const window = { strategy_id: { $in: ['a', 'b'] }, ts: { $gte: new Date(t0), $lte: new Date(t0 + 10 * MIN) } };
    const sp = (await signals.find(window).explain()) as unknown as {
      filterPushdown: boolean;
      queryPlanner: { Plan: string[] };
    };
    expect(sp.filterPushdown).toBe(true);
    expect(sp.queryPlanner.Plan.join('\n')).toMatch(/USING INDEX .*strategy_id_1_pair_1_timeframe_1_ts_1/);
  });

  it('0002: a deleteMany of more documents than SQLite takes arguments removes them all', async () => {
    const coll = t.db().collection('big_delete');
    const n = 40_000;
    for (let i = 0; i < n; i += 10_000) await coll.insertMany(Array.from({ length: 10_000 }, (_, j) => ({ i: i + j })));
    const res = await coll.deleteMany({ i: { $lt: n - 5 } });
    expect(res.deletedCount).toBe(n - 5);
    expect(await coll.countDocuments()).toBe(5);
  });

  it('0004: projections keep their meaning on the faster read path (top-level, nested, exclusion, object ids)', async () => {
    const coll = t.db().collection('projected');
    const id = new ObjectId();
    await coll.insertOne({ _id: id, z: 1, a: 'x', n: { x: 1, y: [1, 2] }, arr: [{ k: 1 }, { k: 2 }], b: true });
    expect(await coll.findOne({ _id: id }, { projection: { _id: 0, n: 1, a: 1 } })).toEqual({
      a: 'x',
      n: { x: 1, y: [1, 2] },
    });
    expect(await coll.findOne({ _id: id }, { projection: { a: 1, missing: 1 } })).toEqual({ _id: id, a: 'x' });
    expect(await coll.findOne({ _id: id }, { projection: { n: 0, arr: 0 } })).toEqual({
      _id: id,
      z: 1,
      a: 'x',
      b: true,
    });
    expect(await coll.findOne({ _id: id }, { projection: { 'n.x': 1, _id: 0 } })).toEqual({ n: { x: 1 } });
    expect(Object.keys((await coll.findOne({ _id: id }, { projection: { b: 1, z: 1, a: 1 } }))!)).toEqual([
      '_id',
      'z',
      'a',
      'b',
    ]);
  });

  it('0005: a count of the whole collection agrees with counting the documents, and a filtered count still filters', async () => {
    const coll = t.db().collection('counted');
    expect(await coll.estimatedDocumentCount()).toBe(0);
    await coll.insertMany(Array.from({ length: 1234 }, (_, i) => ({ i, odd: i % 2 === 1 })));
    await coll.deleteMany({ i: { $lt: 34 } });
    expect(await coll.estimatedDocumentCount()).toBe(1200);
    expect(await coll.countDocuments({})).toBe(1200);
    expect(await t.db().command({ count: 'counted' })).toMatchObject({ n: 1200 });
    expect(await t.db().command({ count: 'counted', query: { odd: true } })).toMatchObject({ n: 600 });
    expect(await t.db().command({ count: 'counted', skip: 1000 })).toMatchObject({ n: 200 });
  });

  it('0009: in inserts of thousands of documents, a duplicate or a refused document is reported by its index and only it is left out', async () => {
    const coll = t.db().collection('large_inserts');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertOne({ k: 1700 });
    // unordered: every other document is stored, across the engine's statements
    const docs = Array.from({ length: 2500 }, (_, k) => ({ k }));
    const err = (await coll.insertMany(docs, { ordered: false }).catch((e: unknown) => e)) as {
      insertedCount?: number;
      writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number };
    };
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : err.writeErrors ? [err.writeErrors] : [];
    expect(errors.map((w) => [w.index, w.code])).toEqual([[1700, 11000]]);
    expect(err.insertedCount).toBe(2499);
    expect(await coll.countDocuments({})).toBe(2500);
    // ordered: the insert stops at the duplicate, everything before it stored
    const ordered = t.db().collection('large_inserts_ordered');
    await ordered.createIndex({ k: 1 }, { unique: true });
    await ordered.insertOne({ k: 1234 });
    await expect(ordered.insertMany(docs.map(({ k }) => ({ k })))).rejects.toMatchObject({ code: 11000 });
    expect(await ordered.countDocuments({})).toBe(1235);
    expect(await ordered.countDocuments({ k: { $gt: 1234 } })).toBe(0);
  });

  it('0007: distinct takes maxTimeMS, as find and aggregate do, and still answers', async () => {
    const coll = t.db().collection('distinct_bounded');
    await coll.insertMany(Array.from({ length: 300 }, (_, i) => ({ symbol: `S${i % 3}`, i })));
    expect((await coll.distinct('symbol', { i: { $gte: 0 } }, { maxTimeMS: 5_000 })).sort()).toEqual([
      'S0',
      'S1',
      'S2',
    ]);
  });

  it.runIf(bundled)(
    '0003: NaN, infinity and $ keys are refused with the field named; the connection stays up and the good documents are stored',
    async () => {
      const coll = t.db().collection('bad_values');
      const err = await coll
        .insertMany(
          [
            { k: 1, close: 1 },
            { k: 2, close: NaN },
            { k: 3, v: [1, Infinity] },
            { k: 4, $x: 1 },
            { k: 5, close: 2 },
          ],
          { ordered: false },
        )
        .catch((e: unknown) => e);
      const messages = (
        (err as { writeErrors?: Array<{ errmsg?: string; code?: number; index?: number }> }).writeErrors ?? []
      ).map((w) => [w.index, w.code, w.errmsg]);
      expect(messages).toEqual([
        [1, 2, expect.stringMatching(/"close": NaN.*not allowed/)],
        [2, 2, expect.stringMatching(/"v".*infinity values are not allowed/)],
        [3, 2, expect.stringMatching(/"\$x".*must not start with '\$'/)],
      ]);
      // the same client goes on: nothing was dropped, the good documents are there
      expect(
        (
          await coll
            .find({}, { projection: { _id: 0, k: 1 } })
            .sort({ k: 1 })
            .toArray()
        ).map((d) => d.k),
      ).toEqual([1, 5]);
      const upd = await coll.updateOne({ k: 1 }, { $set: { close: NaN } }).catch((e: unknown) => e);
      expect(upd).toMatchObject({ code: 2, message: expect.stringMatching(/"close": NaN/) });
      expect(await coll.findOne({ k: 1 }, { projection: { _id: 0, close: 1 } })).toEqual({ close: 1 });
    },
  );
});
