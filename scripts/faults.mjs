// `npm run faults [-- R1 R2]`: the fault suite against a fresh local database server (or
// MONGO_URL) and the exchange simulator. Prints one line per scenario; exits non-zero when
// a count that must be zero is not. FAULT_RUNS sets R1's number of runs (default 50).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ensureDbEngine } from './buildDbEngine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = new Set(process.argv.slice(2).filter((a) => /^[A-Z]\d$/.test(a)));
const runs = Number(process.env.FAULT_RUNS ?? 50);
const outDir = path.join(root, 'build', 'faults');
await build({
  entryPoints: [path.join(root, 'faults', 'index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: path.join(outDir, 'faults.mjs'),
  logLevel: 'error',
  absWorkingDir: root,
});
const runner = path.join(outDir, 'executorRunner.cjs');
await build({
  entryPoints: [path.join(root, 'faults', 'executorRunner.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  packages: 'external',
  outfile: runner,
  logLevel: 'error',
  absWorkingDir: root,
});
const { runFaults } = await import(pathToFileURL(path.join(outDir, 'faults.mjs')).href);

let uri = process.env.MONGO_URL;
let stop = async () => undefined;
if (!uri) {
  const binary = await ensureDbEngine({ quiet: true });
  await build({
    stdin: {
      contents:
        "export { LocalDatabaseServer } from './main/database/localDatabase'; export { createMemoryLogger } from './core/logging/memoryLogger';",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: path.join(outDir, 'engine.mjs'),
    logLevel: 'error',
  });
  const { LocalDatabaseServer, createMemoryLogger } = await import(pathToFileURL(path.join(outDir, 'engine.mjs')).href);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-faults-'));
  const server = new LocalDatabaseServer({ kind: 'ferretdb', binary, dataDir: dir, log: createMemoryLogger() });
  await server.start();
  uri = server.uri;
  stop = async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
let failed = false;
try {
  const lines = await runFaults(uri, only, runner, runs);
  for (const l of lines) {
    console.log(
      `${l.id} ${Object.entries(l.values)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    for (const k of l.mustBeZero) if (l.values[k] !== 0) failed = true;
  }
  fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'bench-results', `faults-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    JSON.stringify(lines, null, 2),
  );
} finally {
  await stop();
}
process.exit(failed ? 1 : 0);
