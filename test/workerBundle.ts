// The worker entry bundled into a temporary folder (beside a link to node_modules), as the
// app ships it: what tests start real workers from under the real supervisor.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

/** The sweep's thread script bundled into `dir` (a sweep on real worker threads). */
export async function bundleSweepThread(dir: string): Promise<string> {
  const script = path.join(dir, 'sweepThread.cjs');
  await build({
    entryPoints: ['main/research/sweepThread.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: script,
    logLevel: 'error',
  });
  return script;
}

export async function bundleWorker(prefix: string): Promise<{ dir: string; script: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const script = path.join(dir, 'workerMain.cjs');
  await build({
    entryPoints: ['main/workers/workerMain.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile: script,
    logLevel: 'error',
  });
  fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
  return { dir, script };
}
