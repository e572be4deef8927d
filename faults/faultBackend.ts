// A real back end for a fault scenario: its own data folder and database name on the server
// under test, with the worker bundle built inside the repository (so workers find the driver
// and ccxt in node_modules). Stopped with `stop()`, which also removes the data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { startBackend } from '../main/app/backend';

export async function startFaultBackend(uri: string, tag: string) {
  const dbName = `${tag}_${Date.now()}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `qd-${tag}-`));
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ database: { name: dbName } }));
  const workerScript = path.resolve('build', 'faults', tag, 'workerMain.cjs');
  await build({
    entryPoints: ['main/workers/workerMain.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile: workerScript,
    logLevel: 'error',
  });
  const backend = await startBackend({
    mode: 'browser',
    dataDir,
    resourcesDir: 'resources',
    appVersion: 'faults',
    versions: {},
    workerScript,
    env: { MONGO_URI: uri },
  });
  return {
    backend,
    dbName,
    dataDir,
    stop: async () => {
      await backend.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
