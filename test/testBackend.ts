// The real back end in browser mode for a test: a data folder of its own whose settings name the
// test's database, workers from a bundle, the database server given by URI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBackend, type Backend } from '../main/app/backend';

/** A fresh data folder whose settings name `dbName` (the caller removes it). */
export function testDataDir(prefix: string, dbName: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ database: { name: dbName } }));
  return dir;
}

export function startTestBackend(o: {
  dataDir: string;
  workerScript: string;
  mongoUri: string;
  sweepScript?: string;
}): Promise<Backend> {
  return startBackend({
    mode: 'browser',
    dataDir: o.dataDir,
    resourcesDir: 'resources',
    appVersion: '1.0.0',
    versions: { node: process.versions.node },
    workerScript: o.workerScript,
    ...(o.sweepScript && { sweepScript: o.sweepScript }),
    env: { MONGO_URI: o.mongoUri },
  });
}
