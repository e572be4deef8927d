// Vitest global setup: one real MongoDB wire-protocol server for the run. With MONGO_URL set
// (a real mongod, Atlas, ...) the suites use that; otherwise the bundled FerretDB engine is
// started on a random port with a temporary data folder, and removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { LocalDatabaseServer } from '../main/database/localDatabase';
// @ts-expect-error -- plain ESM build script without type declarations
import { ensureDbEngine } from '../scripts/buildDbEngine.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.MONGO_URL) {
    project.provide('mongoUri', process.env.MONGO_URL);
    return async () => undefined;
  }
  const binary = (await ensureDbEngine({ quiet: true })) as string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-testdb-'));
  const server = new LocalDatabaseServer({ kind: 'ferretdb', binary, dataDir: dir, log: createMemoryLogger() });
  project.provide('mongoUri', await server.start());
  return async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
