// A real back end for a fault scenario: its own data folder and database name on the server
// under test, workers started from the bundle the app ships, ready once its database worker has
// laid out the collections. `stop()` also drops its database and removes its folders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { HealthSnapshot } from '../core/api/contract';
import { startBackend } from '../main/app/backend';
import { bundleWorker } from '../test/workerBundle';

export async function startFaultBackend(uri: string, tag: string) {
  const dbName = `${tag}_${Date.now()}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `qd-${tag}-`));
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ database: { name: dbName } }));
  const worker = await bundleWorker(`qd-${tag}-worker-`);
  const backend = await startBackend({
    mode: 'browser',
    dataDir,
    resourcesDir: 'resources',
    appVersion: 'faults',
    versions: {},
    workerScript: worker.script,
    env: { MONGO_URI: uri },
  });
  const stop = async () => {
    await backend.stop();
    const client = new MongoClient(uri);
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    for (const dir of [dataDir, worker.dir]) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      const r = (await backend.dispatch(
        { type: 'request', id: 1_000_000 + i, method: 'health.get', params: {} },
        'faults',
      )) as {
        ok: boolean;
        value?: HealthSnapshot;
      };
      const h = r.ok ? r.value : null;
      if (h?.database.state === 'connected' && h.workers.some((w) => w.name === 'database' && w.state === 'idle'))
        break;
      if (i > 300) throw new Error('back end did not get ready');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { backend, dbName, stop };
}
