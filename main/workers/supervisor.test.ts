// The supervisor with the real worker bundle and the real database job against the test
// database server: progress streams in, a SIGKILLed worker comes back, bad params fail clearly.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WorkerStatus } from '../../core/api/contract';
import { COLLECTIONS, CONTRACT_COLLECTIONS } from '../../core/db/collections';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { Supervisor } from './supervisor';
import { alive, until } from '../../test/waitFor';
import { bundleWorker } from '../../test/workerBundle';

let outDir: string;
let workerScript: string;
const dbName = `sup_${crypto.randomUUID().slice(0, 8)}`;
const uri = inject('mongoUri');

beforeAll(async () => {
  ({ dir: outDir, script: workerScript } = await bundleWorker('qd-worker-'));
});

afterAll(async () => {
  const client = new MongoClient(uri);
  await client
    .db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('Supervisor', () => {
  it('runs the database job in its own process, streams progress, and restarts it after SIGKILL', async () => {
    const log = createMemoryLogger();
    const sup = new Supervisor({ workerScript, log, random: () => 0.5 });
    const seen: WorkerStatus[] = [];
    sup.onChange((s) => seen.push(s));
    sup.start({ name: 'database', job: 'database', params: { uri, dbName, intervalMs: 200 }, restart: 'always' });
    try {
      await until('idle', () => sup.get('database')?.state === 'idle');
      const first = sup.get('database')!;
      expect(first.pid).not.toBe(process.pid);
      expect(first.pid).toBeGreaterThan(0);
      expect(seen.some((s) => s.progress && s.progress.total > 0)).toBe(true);
      expect(['created', 'unsupported']).toContain(first.detail.ttlIndex);

      const client = new MongoClient(uri);
      const names = (await client.db(dbName).listCollections().toArray()).map((c) => c.name);
      await client.close();
      expect(names).toEqual(expect.arrayContaining([...CONTRACT_COLLECTIONS]));

      await until(
        'a heartbeat with counts',
        () => typeof sup.get('database')?.detail[COLLECTIONS.signals] === 'number',
      );

      process.kill(first.pid!, 'SIGKILL');
      await until('crash noticed', () => seen.some((s) => s.state === 'crashed'));
      expect(sup.get('database')?.lastError).toMatch(/SIGKILL/);
      await until(
        'restarted and idle',
        () => sup.get('database')?.state === 'idle' && sup.get('database')?.pid !== first.pid,
        15_000,
      );
      expect(sup.get('database')?.restarts).toBe(1);
      expect(alive(first.pid!)).toBe(false);
    } finally {
      const pid = sup.get('database')?.pid;
      await sup.stopAll();
      if (pid) expect(alive(pid)).toBe(false);
    }
    expect(sup.get('database')?.state).toBe('stopped');
  });

  it('reports a job that fails on bad parameters, with the reason, and retries it with backoff', async () => {
    const sup = new Supervisor({ workerScript, log: createMemoryLogger(), random: () => 0 });
    sup.start({ name: 'bad', job: 'database', params: { dbName }, restart: 'on-failure' });
    try {
      await until('failure recorded', () => (sup.get('bad')?.lastError ?? '').includes('uri'));
      await until('scheduled restart', () => sup.get('bad')?.state === 'restarting');
      expect(sup.get('bad')?.nextRestartAt).not.toBeNull();
    } finally {
      await sup.stopAll();
    }
  });

  it('shows a job that ends with its own reason (a refused file) as failed, with that reason in words, not as a crash', async () => {
    const sup = new Supervisor({ workerScript, log: createMemoryLogger(), random: () => 0 });
    const params = {
      uri,
      dbName,
      path: '/nonexistent/candles.csv',
      symbol: 'BINANCE:BTCUSDT',
      timeframe: '1m',
      series: { exchange: 'binance', pair: 'BTC/USDT' },
    };
    sup.start({ name: 'file', job: 'fileImport', params, restart: 'never' });
    try {
      await until('job ended', () => ['failed', 'crashed'].includes(sup.get('file')?.state ?? ''));
      expect(sup.get('file')).toMatchObject({
        state: 'failed',
        lastError: 'No such file: /nonexistent/candles.csv',
        failure: { code: 'file.notFound', params: { path: '/nonexistent/candles.csv' } },
      });
    } finally {
      await sup.stopAll();
    }
  });

  it('restarts a worker on request and kills a worker that stops sending heartbeats (frozen)', async () => {
    const sup = new Supervisor({
      workerScript,
      log: createMemoryLogger(),
      heartbeatTimeoutMs: 3000,
      random: () => 0.5,
    });
    sup.start({ name: 'frozen', job: 'database', params: { uri, dbName, intervalMs: 60_000 }, restart: 'always' });
    try {
      await until('idle', () => sup.get('frozen')?.state === 'idle');
      const pid = sup.get('frozen')!.pid!;
      // Idle but alive: its heartbeats keep it running past the timeout.
      await new Promise((r) => setTimeout(r, 3500));
      expect(sup.get('frozen')?.pid).toBe(pid);
      process.kill(pid, 'SIGSTOP');
      await until('killed for silence', () => (sup.get('frozen')?.lastError ?? '').includes('no heartbeat'), 10_000);
      await until('back', () => sup.get('frozen')?.state === 'idle' && sup.get('frozen')?.pid !== pid, 15_000);
      expect(alive(pid)).toBe(false);
      const before = sup.get('frozen')!.pid;
      sup.restart('frozen');
      await until(
        'manual restart',
        () => sup.get('frozen')?.state === 'idle' && sup.get('frozen')?.pid !== before,
        15_000,
      );
      expect(() => sup.restart('nope')).toThrow(/no worker/);
    } finally {
      await sup.stopAll();
    }
  });
});
