// The bundled engine's filter and sort pushdown (resources/ferretdb/patches/0001) keeps MongoDB's
// semantics: random documents of mixed types (strings, numbers of each BSON type, dates of
// several digit counts, null, missing, arrays, nested documents) and random filters and sorts
// give the same results with pushdown on, with it off, and from a small reference evaluator.
// Against a real mongod (MONGO_URL) the same queries are checked against the reference only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { Double, Int32, Long, MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { LocalDatabaseServer } from '../../main/database/localDatabase';
// @ts-expect-error -- plain ESM build script without type declarations
import { ENGINE_PATH } from '../../scripts/buildDbEngine.mjs';
import { compareValues, referenceFind, sortKey, toQuery, type Cond, type Doc, type Filter } from './referenceQuery';

const bundled = !process.env.MONGO_URL;
const DAY = 86_400_000;

// Scalars of each field, chosen so that filters built from the same values match often.
const strings = [
  'a',
  'ab',
  'abc',
  'b',
  'a"b',
  'a<b',
  'a\\b',
  ' a',
  'a ',
  'é',
  'Z',
  '20240101',
  '20241231',
  '2024123',
  '',
];
const stringArb = fc.constantFrom(...strings);
const numberArb = fc.oneof(
  fc.integer({ min: -5, max: 20 }).map((n) => new Int32(n)),
  fc.integer({ min: -5, max: 20 }).map((n) => new Double(n)),
  fc.integer({ min: 0, max: 40 }).map((n) => new Double(n / 4)),
  fc.integer({ min: 90, max: 12_000 }).map((n) => new Int32(n)),
  fc.integer({ min: 0, max: 5 }).map((n) => Long.fromNumber(2 ** 40 + n)),
  fc.integer({ min: 0, max: 5 }).map((n) => new Double(2 ** 40 + n)),
);
const dateArb = fc.oneof(
  fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * DAY)), // 13 digits
  fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(1999, 0, 1) + n * DAY)), // 12 digits
  fc.integer({ min: 1, max: 5 }).map((n) => new Date(-n * DAY)), // before 1970
);
const anyScalarArb = fc.oneof(stringArb, numberArb, dateArb, fc.boolean());

/** A field's values; with `arrays` off it never holds an array (the index form is used then). */
function fieldArb(scalar: fc.Arbitrary<unknown>, other: fc.Arbitrary<unknown>, arrays: boolean): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: scalar },
    { weight: arrays ? 1 : 0, arbitrary: fc.array(scalar, { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: other },
  );
}

const FIELDS = {
  s: { scalar: stringArb, other: numberArb },
  n: { scalar: numberArb, other: stringArb },
  d: { scalar: dateArb, other: numberArb },
  m: { scalar: anyScalarArb, other: fc.record({ x: numberArb }) },
} as const;
type Field = keyof typeof FIELDS;

/** Documents whose fields in `withArrays` may hold arrays. */
function docArb(withArrays: Field[]): fc.Arbitrary<Record<Field, unknown>> {
  return fc.record(
    Object.fromEntries(
      Object.entries(FIELDS).map(([k, f]) => [k, fieldArb(f.scalar, f.other, withArrays.includes(k as Field))]),
    ) as Record<Field, fc.Arbitrary<unknown>>,
  );
}

function condArb(field: Field): fc.Arbitrary<Cond[]> {
  const v = FIELDS[field].scalar;
  return fc.oneof(
    v.map((value) => [{ op: '$eq' as const, value }]),
    fc.array(v, { minLength: 1, maxLength: 3 }).map((value) => [{ op: '$in' as const, value }]),
    fc.tuple(fc.constantFrom('$gt', '$gte'), v).map(([op, value]) => [{ op, value } as Cond]),
    fc.tuple(fc.constantFrom('$lt', '$lte'), v).map(([op, value]) => [{ op, value } as Cond]),
    fc
      .tuple(fc.constantFrom('$gt', '$gte'), v, fc.constantFrom('$lt', '$lte'), v)
      .map(([a, x, b, y]) => [{ op: a, value: x } as Cond, { op: b, value: y } as Cond]),
  );
}

const queryArb = fc.record({
  filter: fc
    .subarray(Object.keys(FIELDS) as Field[], { minLength: 0, maxLength: 3 })
    .chain((fields) => fc.tuple(...fields.map((f) => condArb(f).map((c) => [f, c] as const))))
    .map((pairs) => Object.fromEntries(pairs) as Filter),
  sort: fc.option(fc.record({ field: fc.constantFrom('s', 'n', 'd'), dir: fc.constantFrom(1 as const, -1 as const) }), {
    nil: undefined,
  }),
  limit: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
});

type Query = { filter: Filter; sort?: { field: string; dir: 1 | -1 }; limit?: number };

async function run(coll: Collection, q: Query): Promise<Doc[]> {
  let cursor = coll.find(toQuery(q.filter));
  if (q.sort) cursor = cursor.sort({ [q.sort.field]: q.sort.dir });
  if (q.limit) cursor = cursor.limit(q.limit);
  return cursor.toArray();
}

/** The engine's answer agrees with the reference: same documents, or with a sort the same sequence of sort keys. */
function expectSame(got: Doc[], docs: Doc[], q: Query, label: string): void {
  const want = referenceFind(docs, q.filter, q.sort, q.limit);
  const all = new Set(referenceFind(docs, q.filter).map((d) => d._id));
  const what = `${label}: ${JSON.stringify(toQuery(q.filter))} sort ${JSON.stringify(q.sort)} limit ${q.limit}`;
  expect(got.length, what).toBe(want.length);
  for (const d of got) expect(all.has(d._id), `${what}: _id ${String(d._id)} does not match`).toBe(true);
  if (q.sort) {
    const { field, dir } = q.sort;
    const byId = new Map(docs.map((d) => [d._id, d]));
    got.forEach((d, i) =>
      expect(
        compareValues(sortKey(byId.get(d._id)!, field, dir), sortKey(want[i]!, field, dir)),
        `${what}: position ${i}`,
      ).toBe(0),
    );
  } else if (!q.limit) {
    expect(new Set(got.map((d) => d._id)), what).toEqual(new Set(want.map((d) => d._id)));
  }
}

describe('engine pushdown: same results as without it and as the reference', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-nopushdown-'));
  const off = new LocalDatabaseServer({
    kind: 'ferretdb',
    binary: ENGINE_PATH as string,
    dataDir: dir,
    log: createMemoryLogger(),
    env: { FERRETDB_SQLITE_PUSHDOWN: 'off' },
  });
  const clients: MongoClient[] = [];
  const dbName = `pushdown_${process.pid}`;
  let on: Collection;
  let plain: Collection | null = null;

  beforeAll(async () => {
    const a = new MongoClient(inject('mongoUri'));
    clients.push(a);
    on = a.db(dbName).collection('docs');
    if (bundled) {
      const b = new MongoClient(await off.start());
      clients.push(b);
      plain = b.db(dbName).collection('docs');
    }
  });
  afterAll(async () => {
    await clients[0]
      ?.db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    for (const c of clients) await c.close();
    await off.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const dataSets: Array<[number, Field[]]> = [
    [1, ['s', 'n', 'd', 'm']],
    [2, ['m']],
    [3, []],
    [4, ['d']],
  ];
  for (const [seed, withArrays] of dataSets) {
    it(`data set ${seed} (arrays in ${withArrays.join(', ') || 'no field'}): 150 random queries`, async () => {
      const docs = fc.sample(docArb(withArrays), { seed, numRuns: 250 }).map((d, i) => {
        const doc: Doc = { _id: i };
        for (const [k, v] of Object.entries(d)) if (v !== undefined) doc[k] = v;
        return doc;
      });
      for (const coll of [on, plain]) {
        if (!coll) continue;
        await coll.drop().catch(() => undefined);
        await coll.createIndex({ s: 1, d: 1 });
        await coll.createIndex({ n: 1 });
        await coll.createIndex({ d: -1 });
        await coll.createIndex({ m: 1, n: 1 });
        await coll.insertMany(docs);
      }
      await fc.assert(
        fc.asyncProperty(queryArb, async (q) => {
          expectSame(await run(on, q), docs, q, bundled ? 'pushdown on' : 'server');
          if (plain) expectSame(await run(plain, q), docs, q, 'pushdown off');
        }),
        { numRuns: 150, seed },
      );
    }, 120_000);
  }
});
