// Builds the app: the Node side (main, worker, Electron main and preload) with esbuild into
// dist/main/*.cjs, and the renderer with Vite into dist/renderer/.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildMain() {
  fs.rmSync(path.join(root, 'dist', 'main'), { recursive: true, force: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
  };
  // Node-side bundles keep npm packages as runtime requires (native keyring, the driver).
  await esbuild({
    ...common,
    entryPoints: {
      serveMain: 'main/app/serveMain.ts',
      workerMain: 'main/workers/workerMain.ts',
      electronMain: 'main/electron/electronMain.ts',
    },
    packages: 'external',
  });
  // Sweep threads use pure code only: bundled whole, so they start fast and resolve nothing.
  await esbuild({ ...common, entryPoints: { sweepThread: 'main/research/sweepThread.ts' } });
  // A sandboxed preload may only require 'electron': everything else is bundled in.
  await esbuild({ ...common, entryPoints: { preload: 'main/electron/preload.ts' }, external: ['electron'] });
}

export async function buildRenderer() {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

export async function buildAll() {
  const t0 = Date.now();
  await Promise.all([buildMain(), buildRenderer()]);
  console.log(`built dist/main and dist/renderer in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildAll().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
