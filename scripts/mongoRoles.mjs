// `npm run db:roles -- <admin MONGO_URI> [dbName]`: least-privilege accounts for a MongoDB
// server (main/database/mongoRoles.ts). Prints each user's generated password once (store them
// in your secret manager or the workers' environment); never writes them anywhere.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [uri, dbName = 'quantdesk'] = process.argv.slice(2);
if (!uri) {
  console.error('usage: npm run db:roles -- <admin MONGO_URI> [dbName]');
  process.exit(2);
}
const out = path.join(root, 'build', 'scripts', 'mongoRoles.mjs');
await build({
  entryPoints: [path.join(root, 'main', 'database', 'mongoRoles.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: out,
  logLevel: 'error',
  absWorkingDir: root,
});
const { setupRoles } = await import(pathToFileURL(out).href);
try {
  await setupRoles(uri, dbName);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
