// A script's way into one of our TypeScript modules: bundled by esbuild (its packages left to
// node_modules) into one ES module under build/, then imported.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `entry` and `out` relative to the repository's root. */
export async function importTs(entry, out) {
  const outfile = path.join(root, out);
  await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'error',
    absWorkingDir: root,
  });
  return import(pathToFileURL(outfile).href);
}
