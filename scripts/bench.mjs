// `npm run bench [-- ID ...]`: runs the benchmarks against a fresh local database server (or
// MONGO_URL), printing one line per figure with its same-run baseline and ratio, and keeping
// a JSON copy under bench-results/. Benchmarks are not tests: nothing here asserts a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ensureDbEngine } from './buildDbEngine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = new Set(process.argv.slice(2).filter((a) => /^[A-Z]\d$/.test(a)));
const bars = Number(process.env.BENCH_BARS ?? 525_600);

const outfile = path.join(root, 'build', 'bench', 'bench.mjs');
await build({
  entryPoints: [path.join(root, 'bench', 'index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile,
  logLevel: 'error',
  absWorkingDir: root,
});
const sweepScript = path.join(root, 'build', 'bench', 'sweepThread.cjs');
await build({
  entryPoints: [path.join(root, 'main', 'research', 'sweepThread.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: sweepScript,
  logLevel: 'error',
  absWorkingDir: root,
});
const { runBenchmarks, DB_BENCHES } = await import(pathToFileURL(outfile).href);

let uri = process.env.MONGO_URL ?? null;
// the storage benchmarks (D1-D4) start the engine on their own kept data folder
const engineBinary = process.env.MONGO_URL ? null : await ensureDbEngine({ quiet: true });
let stop = async () => undefined;
const needsDb = only.size === 0 || DB_BENCHES.some((id) => only.has(id));
if (!uri && needsDb) {
  const binary = await ensureDbEngine({ quiet: true });
  const { startEngine } = await import(pathToFileURL(outfile).href);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-bench-'));
  const server = await startEngine(binary, dir);
  uri = server.uri;
  stop = async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
try {
  const lines = await runBenchmarks(needsDb ? uri : null, only, bars, sweepScript, engineBinary, root);
  // U1 drives the built app in Chromium (its own back end, data folder and database)
  if (only.size === 0 || only.has('U1')) {
    const { buildAll } = await import('./build.mjs');
    await buildAll();
    const uiOut = path.join(root, 'build', 'bench', 'uiBench.mjs');
    await build({
      entryPoints: [path.join(root, 'e2e', 'uiBench.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: uiOut,
      logLevel: 'error',
      absWorkingDir: root,
    });
    const { uiBench } = await import(pathToFileURL(uiOut).href);
    const line = await uiBench(root);
    console.log(
      `${line.id} ${Object.entries(line.values)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    lines.push(line);
  }
  fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    JSON.stringify(lines, null, 2),
  );
} finally {
  await stop();
}
