// Builds the local database engine (FerretDB v1 on SQLite, wrapped by resources/ferretdb)
// into resources/bin/ferretdb with Go. Cached: rebuilt only when the module's pinned
// versions or our wrapper change (a stamp beside the binary holds their hash).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const moduleDir = path.join(root, 'resources', 'ferretdb');
export const ENGINE_PATH = path.join(root, 'resources', 'bin', process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb');
const stampPath = `${ENGINE_PATH}.stamp`;

function sourceHash() {
  const h = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) h.update(fs.readFileSync(path.join(moduleDir, f)));
  return h.digest('hex');
}

function pinnedVersion() {
  const m = /github\.com\/FerretDB\/FerretDB (v[\d.]+)/.exec(fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf8'));
  return m ? m[1] : 'unknown';
}

/** Builds the engine unless an up-to-date one exists; returns its path. */
export async function ensureDbEngine({ quiet = false } = {}) {
  const hash = sourceHash();
  if (fs.existsSync(ENGINE_PATH) && fs.existsSync(stampPath) && fs.readFileSync(stampPath, 'utf8').trim() === hash) return ENGINE_PATH;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('Cannot build the local database engine: Go is not installed (https://go.dev/dl, or `apt-get install golang`). Alternatively set MONGO_URI to your own MongoDB, or put mongod on PATH.');
  }
  const t0 = Date.now();
  if (!quiet) process.stdout.write(`building local database engine (FerretDB ${pinnedVersion()}) with Go... `);
  fs.mkdirSync(path.dirname(ENGINE_PATH), { recursive: true });
  const r = spawnSync('go', ['build', '-trimpath', '-o', ENGINE_PATH, '.'], {
    cwd: moduleDir,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' },
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    if (!quiet) process.stdout.write('failed\n');
    throw new Error(`go build of the local database engine failed:\n${(r.stderr ?? '').split('\n').slice(-20).join('\n')}`);
  }
  fs.writeFileSync(stampPath, hash + '\n');
  if (!quiet) process.stdout.write(`done in ${Math.round((Date.now() - t0) / 1000)} s\n`);
  return ENGINE_PATH;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureDbEngine().then(
    (p) => console.log(p),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
