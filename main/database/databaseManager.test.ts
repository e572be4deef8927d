// Health as the desk sees it: connected, down within 5 s when the server dies (managed or
// external), and connected again by itself when it is back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHealth } from '../../core/api/contract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { findEngineBinary } from './databaseEngine';
import { DatabaseManager, type DatabaseManagerOptions } from './databaseManager';
import { freePort } from '../settings/savedPort';
import { LocalDatabaseServer } from './localDatabase';
import { until } from '../../test/waitFor';

let dir: string;
const binary = findEngineBinary(path.resolve('resources'))!;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-dbman-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('DatabaseManager', () => {
  it('starts the bundled engine when no MONGO_URI is set, and reports down at once when it dies, then recovers', async () => {
    const states: DatabaseHealth['state'][] = [];
    const managed = (): DatabaseManagerOptions => ({
      mongoUri: null,
      preferMongod: false,
      dbName: 'm',
      dataDir: path.join(dir, 'managed'),
      resourcesDir: path.resolve('resources'),
      log: createMemoryLogger(),
      searchPath: '',
    });
    const manager = new DatabaseManager(managed());
    manager.onChange((h) => states.push(h.state));
    await manager.start();
    try {
      expect(manager.health()).toMatchObject({
        state: 'connected',
        server: 'ferretdb',
        managed: true,
        engine: expect.stringMatching(/^FerretDB v1\.24\.2/),
      });
      expect(manager.health().uri).toBe(manager.uri);
      const pid = manager.health().pid!;
      process.kill(pid, 'SIGKILL');
      const downMs = await until('down', () => manager.health().state === 'down');
      expect(downMs).toBeLessThan(5000);
      expect(manager.health().lastError).toMatch(/SIGKILL/);
      await until('connected again', () => manager.health().state === 'connected' && manager.health().pid !== pid);
      expect(states).toEqual(expect.arrayContaining(['connected', 'down']));
    } finally {
      await manager.stop();
    }
    // The next start finds the server where outside programs found it: on the same port.
    const again = new DatabaseManager({ ...managed(), preferredPort: 0 });
    await again.start();
    try {
      expect(again.uri).toBe(manager.uri);
    } finally {
      await again.stop();
    }
  });

  it('uses an external MONGO_URI without starting anything: down within 5 s when it dies, connected when it is back', async () => {
    const port = await freePort();
    const external = new LocalDatabaseServer({
      kind: 'ferretdb',
      binary,
      dataDir: path.join(dir, 'external'),
      log: createMemoryLogger(),
      port,
    });
    const uri = await external.start();
    const manager = new DatabaseManager({
      mongoUri: uri,
      preferMongod: true,
      dbName: 'e',
      dataDir: path.join(dir, 'unused'),
      resourcesDir: path.resolve('resources'),
      log: createMemoryLogger(),
    });
    await manager.start();
    try {
      expect(manager.health()).toMatchObject({ state: 'connected', server: 'external', managed: false, pid: null });
      expect(fs.existsSync(path.join(dir, 'unused'))).toBe(false);
      await external.stop();
      expect(await until('down', () => manager.health().state === 'down')).toBeLessThan(5000);
      await external.start();
      await until('connected again', () => manager.health().state === 'connected');
    } finally {
      await manager.stop();
      await external.stop();
    }
  });

  it('names the way out when there is no server at all', async () => {
    const manager = new DatabaseManager({
      mongoUri: null,
      preferMongod: true,
      dbName: 'x',
      dataDir: path.join(dir, 'none'),
      resourcesDir: path.join(dir, 'no-resources'),
      log: createMemoryLogger(),
      searchPath: '',
    });
    await expect(manager.start()).rejects.toThrow(/npm run db:build.*Go.*mongod.*MONGO_URI/);
    expect(manager.health()).toMatchObject({ state: 'down', lastError: expect.stringContaining('MONGO_URI') });
    await manager.stop();
  });
});
