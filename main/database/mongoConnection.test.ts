// Every read through the app's connection carries a server-side time limit, and the server
// enforces it: against the run's real database server.
import type { CommandStartedEvent, Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_MAX_TIME_MS } from '../../core/db/collections';
import { useTestDb } from '../../test/testDb';
import { boundedDb, createMongoClient } from './mongoConnection';

const t = useTestDb('bounded');
const client = createMongoClient(t.uri, 'quantdesk-test', { monitorCommands: true });
const started: CommandStartedEvent[] = [];
let db: Db;

beforeAll(async () => {
  await client.connect();
  client.on('commandStarted', (e) => started.push(e));
  db = boundedDb(client.db(t.dbName));
  await db.collection('items').insertMany(Array.from({ length: 50 }, (_, i) => ({ i, group: i % 5 })));
});
afterAll(() => client.close());

const limitOf = async (read: () => Promise<unknown>) => {
  started.length = 0;
  await read();
  const cmd = started.find((e) => ['find', 'aggregate', 'count', 'distinct'].includes(e.commandName));
  return cmd ? ((cmd.command.maxTimeMS as number | undefined) ?? null) : 'no read command';
};

describe('bounded reads', () => {
  it('adds the time limit to every kind of read, with or without a filter or options', async () => {
    const items = db.collection('items');
    expect(await limitOf(() => items.find().toArray())).toBe(READ_MAX_TIME_MS);
    expect(
      await limitOf(() =>
        items
          .find({ group: 1 }, { projection: { _id: 0 } })
          .sort({ i: 1 })
          .toArray(),
      ),
    ).toBe(READ_MAX_TIME_MS);
    expect(await limitOf(() => items.findOne({ i: 3 }))).toBe(READ_MAX_TIME_MS);
    expect(await limitOf(() => items.countDocuments())).toBe(READ_MAX_TIME_MS);
    expect(await limitOf(() => items.countDocuments({ group: 2 }))).toBe(READ_MAX_TIME_MS);
    expect(await limitOf(() => items.aggregate([{ $match: { group: 3 } }]).toArray())).toBe(READ_MAX_TIME_MS);
    expect(await limitOf(() => items.distinct('group'))).toBe(READ_MAX_TIME_MS);
    expect(await limitOf(() => items.estimatedDocumentCount())).toBe(READ_MAX_TIME_MS);
  });

  it('keeps a limit a read sets itself, and gives the same answers as the plain database', async () => {
    expect(await limitOf(() => db.collection('items').find({}, { maxTimeMS: 1234 }).toArray())).toBe(1234);
    const plain = client.db(t.dbName).collection('items');
    expect(await db.collection('items').find({ group: 4 }).sort({ i: -1 }).toArray()).toEqual(
      await plain.find({ group: 4 }).sort({ i: -1 }).toArray(),
    );
    expect(await db.collection('items').countDocuments({ group: 4 })).toBe(10);
    expect(await db.collection('items').distinct('group')).toEqual([0, 1, 2, 3, 4]);
  });

  it('leaves writes unbounded', async () => {
    started.length = 0;
    await db.collection('items').updateOne({ i: 1 }, { $set: { seen: true } });
    const update = started.find((e) => e.commandName === 'update')!;
    expect(update.command.maxTimeMS).toBeUndefined();
  });

  it('is enforced by the server: a read over its limit ends with MaxTimeMSExpired', async () => {
    const big = client.db(t.dbName).collection('big');
    await big.insertMany(Array.from({ length: 40_000 }, (_, i) => ({ i, pad: 'x'.repeat(200) })));
    const tight = boundedDb(client.db(t.dbName), 1);
    await expect(
      tight
        .collection('big')
        .find({ pad: { $regex: 'y' } })
        .toArray(),
    ).rejects.toMatchObject({ code: 50 });
    await expect(
      tight
        .collection('big')
        .aggregate([{ $match: { pad: { $regex: 'y' } } }])
        .toArray(),
    ).rejects.toMatchObject({ code: 50 });
    await expect(tight.collection('big').distinct('i', { pad: { $regex: 'y' } })).rejects.toMatchObject({ code: 50 });
    // the connection stays usable
    expect(await big.countDocuments({ i: { $lt: 10 } })).toBe(10);
  });
});
