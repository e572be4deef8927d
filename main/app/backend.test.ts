// The composed back end against the real test database server, driven through `dispatch`
// exactly as both transports drive it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HealthSnapshot, SettingsView } from '../../core/api/contract';
import type { EventMessage, ReplyMessage } from '../../core/api/messages';
import type { Backend } from './backend';
import { bundleWorker } from '../../test/workerBundle';
import { startTestBackend, testDataDir } from '../../test/testBackend';

const uri = inject('mongoUri');
let workerDir: string;
let workerScript: string;
const dirs: string[] = [];

beforeAll(async () => {
  ({ dir: workerDir, script: workerScript } = await bundleWorker('qd-backend-worker-'));
});

afterAll(() => {
  for (const d of [workerDir, ...dirs]) fs.rmSync(d, { recursive: true, force: true });
});

function dataDirWith(dbName: string): string {
  const dir = testDataDir('qd-backend-', dbName);
  dirs.push(dir);
  return dir;
}

async function call(backend: Backend, method: string, params: unknown = {}): Promise<ReplyMessage> {
  return backend.dispatch({ type: 'request', id: 1, method, params }, 'test');
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('backend', () => {
  it('connects to the configured server, runs the database worker, and serves health, settings and workers', async () => {
    const dbName = `be_${crypto.randomUUID().slice(0, 8)}`;
    const dataDir = dataDirWith(dbName);
    const backend = await startTestBackend({ dataDir, workerScript, mongoUri: uri });
    const events: EventMessage[] = [];
    backend.subscribe((e) => events.push(e));
    try {
      const health = (await until(
        'db connected and worker idle',
        async () => (await call(backend, 'health.get')) as ReplyMessage,
        (r) => {
          if (!r.ok) return false;
          const h = r.value as HealthSnapshot;
          return h.database.state === 'connected' && h.workers.some((w) => w.name === 'database' && w.state === 'idle');
        },
      )) as Extract<ReplyMessage, { ok: true }>;
      const h = health.value as HealthSnapshot;
      expect(h.database).toMatchObject({ server: 'external', managed: false, dbName });
      expect(h.database.version).toMatch(/^\d+\.\d+/);
      expect(h.app).toMatchObject({ name: 'Quantdesk', version: '1.0.0', mode: 'browser', dataDir });
      expect(['created', 'unsupported']).toContain(h.database.ttlIndex);
      expect(events.some((e) => e.name === 'healthChanged')).toBe(true);
      expect(events.some((e) => e.name === 'workerChanged')).toBe(true);

      const client = new MongoClient(uri);
      const indexes = await client.db(dbName).collection('crypto_signals').indexes();
      await client.close();
      expect(indexes.map((i) => i.name)).toContain('strategy_id_1_pair_1_timeframe_1_ts_1');

      const updated = await call(backend, 'settings.update', { language: 'zh-CN', server: { port: 8123 } });
      expect(updated.ok).toBe(true);
      const view = (updated as Extract<ReplyMessage, { ok: true }>).value as SettingsView;
      expect(view.settings.language).toBe('zh-CN');
      expect(view.restartRequired).toEqual(['server.port']);
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({
        language: 'zh-CN',
      });
      expect(events.some((e) => e.name === 'settingsChanged')).toBe(true);

      const bad = await call(backend, 'settings.update', { language: 'fr' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect((await call(backend, 'workers.restart', { name: 'nope' })).ok).toBe(false);
      expect((await call(backend, 'workers.list')).ok).toBe(true);

      // The executor worker killed: an alert says so, and the supervisor brings it back.
      const executor = await until(
        'executor worker idle',
        async () =>
          ((await call(backend, 'workers.list')) as Extract<ReplyMessage, { ok: true }>).value as {
            name: string;
            state: string;
            pid: number | null;
            restarts: number;
          }[],
        (ws) => ws.some((w) => w.name === 'executor' && w.state === 'idle' && w.pid !== null),
      );
      process.kill(executor.find((w) => w.name === 'executor')!.pid!, 'SIGKILL');
      await until(
        'worker-crashed alert',
        async () =>
          events.filter((e) => e.name === 'alertRaised').map((e) => e.payload as { kind: string; message: string }),
        (as) => as.some((a) => a.kind === 'worker-crashed' && /executor/.test(a.message)),
      );
      await until(
        'executor back',
        async () =>
          ((await call(backend, 'workers.list')) as Extract<ReplyMessage, { ok: true }>).value as {
            name: string;
            state: string;
            restarts: number;
          }[],
        (ws) => ws.some((w) => w.name === 'executor' && w.state === 'idle' && w.restarts === 1),
      );
    } finally {
      await backend.stop();
    }
    // Every line of the log is JSON; the file exists where the Settings page says.
    const logText = fs.readFileSync(path.join(dataDir, 'logs', 'quantdesk.log'), 'utf8');
    expect(
      logText
        .trim()
        .split('\n')
        .every((l) => JSON.parse(l) && true),
    ).toBe(true);
  });

  it('stays up and reports the database down when the configured server is unreachable, never logging its password', async () => {
    const dataDir = dataDirWith('unreachable');
    const password = `pw-${crypto.randomUUID()}`;
    const backend = await startTestBackend({
      dataDir,
      workerScript,
      mongoUri: `mongodb://trader:${password}@127.0.0.1:9/`,
    });
    try {
      const reply = await until(
        'db down',
        async () => call(backend, 'health.get'),
        (r) => r.ok && (r.value as HealthSnapshot).database.state === 'down',
        20_000,
      );
      const h = (reply as Extract<ReplyMessage, { ok: true }>).value as HealthSnapshot;
      expect(h.database.uri).not.toContain(password);
      expect(h.database.lastError).toBeTruthy();
      const settings = (await call(backend, 'settings.get')) as Extract<ReplyMessage, { ok: true }>;
      expect(JSON.stringify(settings.value)).not.toContain(password);
      expect((await call(backend, 'app.info')).ok).toBe(true);
    } finally {
      await backend.stop();
    }
    const logs = fs
      .readdirSync(path.join(dataDir, 'logs'))
      .map((f) => fs.readFileSync(path.join(dataDir, 'logs', f), 'utf8'))
      .join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(password);
  });
});
