// Each test file gets its own database on the run's server, dropped afterwards.
import crypto from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, inject } from 'vitest';

export function useTestDb(prefix = 't'): { uri: string; dbName: string; db: () => Db; client: () => MongoClient } {
  const uri = inject('mongoUri');
  const dbName = `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let client: MongoClient | null = null;
  beforeAll(async () => {
    client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
  });
  afterAll(async () => {
    await client
      ?.db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client?.close();
  });
  return {
    uri,
    dbName,
    db: () => client!.db(dbName),
    client: () => client!,
  };
}
