// R6: secrets never leave the keychain. Keys and a webhook token are planted through the API
// exactly as the desk sends them; then the database (every collection), the data folder
// (settings, logs) and all API traffic (replies and events) are scanned: none may hold them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventMessage, ReplyMessage } from '../../core/api/messages';
import { bundleWorker } from '../../test/workerBundle';
import { startTestBackend, testDataDir } from '../../test/testBackend';

const uri = inject('mongoUri');
let workerScript: string;
const dirs: string[] = [];

beforeAll(async () => {
  const bundle = await bundleWorker('qd-scan-worker-');
  dirs.push(bundle.dir);
  workerScript = bundle.script;
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? (e.name === 'db' ? [] : filesUnder(path.join(dir, e.name))) : [path.join(dir, e.name)],
    );
}

describe('R6: secrets scan', () => {
  it('finds no planted key, secret or webhook token in the database, the data folder or the API traffic', async () => {
    const plant = {
      key: `PLANTKEY${crypto.randomBytes(8).toString('hex')}`,
      secret: `PLANTSECRET${crypto.randomBytes(8).toString('hex')}`,
      token: `PLANTTOKEN${crypto.randomBytes(8).toString('hex')}`,
    };
    const dbName = `scan_${crypto.randomUUID().slice(0, 8)}`;
    const dataDir = testDataDir('qd-scan-', dbName);
    dirs.push(dataDir);
    const backend = await startTestBackend({ dataDir, workerScript, mongoUri: uri });
    const traffic: string[] = [];
    backend.subscribe((e: EventMessage) => traffic.push(JSON.stringify(e)));
    const call = async (method: string, params: unknown): Promise<ReplyMessage> => {
      const r = await backend.dispatch({ type: 'request', id: 1, method, params }, 'test');
      traffic.push(JSON.stringify(r));
      return r;
    };
    try {
      for (
        let i = 0;
        i < 100 &&
        !(
          ((await call('health.get', {})) as { value?: { database: { state: string } } }).value?.database.state ===
          'connected'
        );
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      const set = await call('keys.set', { exchange: 'demo', apiKey: plant.key, secret: plant.secret });
      expect(set).toMatchObject({ ok: true, value: { hasKeys: true } });
      expect(await call('keys.test', { exchange: 'demo' })).toMatchObject({ ok: true, value: { ok: true } });
      expect(await call('keys.list', {})).toMatchObject({ ok: true });
      const ch = await call('alerts.addChannel', {
        name: 'scan',
        format: 'json',
        url: `http://127.0.0.1:9/hook/${plant.token}`,
        chatId: null,
      });
      expect(ch).toMatchObject({ ok: true });
      await call('execution.kill', { on: true }); // an alert, delivered (and failing) through the channel
      await new Promise((r) => setTimeout(r, 1500));
      await call('alerts.list', { includeAcknowledged: true });
      await call('alerts.channels', {});
      // Bad requests carrying the secret are refused without echoing it.
      await call('keys.set', { exchange: 'nope', apiKey: plant.key, secret: plant.secret });
      await call('execution.kill', { on: false });
      await call('keys.remove', { exchange: 'demo' });
    } finally {
      await backend.stop();
    }
    const client = new MongoClient(uri);
    await client.connect();
    const db = client.db(dbName);
    const places: { where: string; text: string }[] = [];
    for (const c of await db.listCollections().toArray())
      places.push({ where: `db:${c.name}`, text: JSON.stringify(await db.collection(c.name).find({}).toArray()) });
    await db.dropDatabase();
    await client.close();
    for (const f of filesUnder(dataDir)) places.push({ where: f, text: fs.readFileSync(f, 'utf8') });
    places.push({ where: 'api traffic', text: traffic.join('\n') });
    expect(places.length).toBeGreaterThan(5);
    // The audit trail was written (key and channel changes) and is among the places scanned.
    const auditText = places.find((p) => p.where === 'db:quantdesk_audit')?.text ?? '';
    for (const action of ['"keySet"', '"keyRemove"', '"channelAdd"', '"killSwitch"'])
      expect(auditText).toContain(action);
    const leaks = places
      .filter((p) => [plant.key, plant.secret, plant.token].some((s) => p.text.includes(s)))
      .map((p) => p.where);
    expect(leaks).toEqual([]);
  }, 60_000);
});
