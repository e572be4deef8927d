// The managed server with the real engine: data on disk, restart after SIGKILL, clean stop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { findEngineBinary } from './databaseEngine';
import { LocalDatabaseServer, type LocalDatabaseEvent } from './localDatabase';
import { alive, until } from '../../test/waitFor';

let dir: string;
const binary = findEngineBinary(path.resolve('resources'));

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-localdb-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function withClient<T>(uri: string, fn: (c: MongoClient) => Promise<T>): Promise<T> {
  const c = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

describe('LocalDatabaseServer (bundled engine)', () => {
  it('has a built engine to test (npm test builds it)', () => {
    expect(binary).not.toBeNull();
  });

  it('keeps data on disk across a stop and a start in the same folder', async () => {
    const dataDir = path.join(dir, 'persist');
    const first = new LocalDatabaseServer({ kind: 'ferretdb', binary: binary!, dataDir, log: createMemoryLogger() });
    const uri = await first.start();
    expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    await withClient(uri, (c) => c.db('keep').collection('bars').insertOne({ date: '20260101', close: 42 }));
    const pid = first.pid!;
    await first.stop();
    expect(alive(pid)).toBe(false);
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith('keep'))).toBe(true);

    const second = new LocalDatabaseServer({ kind: 'ferretdb', binary: binary!, dataDir, log: createMemoryLogger() });
    const uri2 = await second.start();
    try {
      expect(
        await withClient(uri2, (c) => c.db('keep').collection('bars').findOne({ date: '20260101' })),
      ).toMatchObject({ close: 42 });
    } finally {
      await second.stop();
    }
  });

  it('restarts by itself after SIGKILL, on the same port, with the data still there', async () => {
    const log = createMemoryLogger();
    const server = new LocalDatabaseServer({
      kind: 'ferretdb',
      binary: binary!,
      dataDir: path.join(dir, 'restart'),
      log,
      random: () => 0,
    });
    const events: LocalDatabaseEvent[] = [];
    server.onEvent((e) => events.push(e));
    const uri = await server.start();
    try {
      await withClient(uri, (c) => c.db('r').collection('x').insertOne({ n: 1 }));
      const pid = server.pid!;
      process.kill(pid, 'SIGKILL');
      await until('exit reported', () => events.some((e) => e.type === 'exited'));
      expect(events.find((e) => e.type === 'exited')).toMatchObject({ why: 'killed by SIGKILL' });
      await until('restarted', () => events.filter((e) => e.type === 'started').length >= 2);
      expect(server.pid).not.toBe(pid);
      expect(server.uri).toBe(uri);
      expect(await withClient(uri, (c) => c.db('r').collection('x').countDocuments())).toBe(1);
    } finally {
      const pid = server.pid;
      await server.stop();
      if (pid) expect(alive(pid)).toBe(false);
    }
  });

  it('fails start-up with a clear error when the engine cannot run', async () => {
    const server = new LocalDatabaseServer({
      kind: 'ferretdb',
      binary: '/bin/false',
      dataDir: path.join(dir, 'bad'),
      log: createMemoryLogger(),
    });
    await expect(server.start()).rejects.toThrow(/ferretdb exited during start-up/);
  });
});
