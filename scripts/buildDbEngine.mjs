// Builds the local database engine (FerretDB v1 on SQLite, wrapped by resources/ferretdb)
// into resources/bin/ferretdb with Go. Our patches (resources/ferretdb/patches, applied in
// name order) go onto a copy of the pinned module's source from the Go module cache under
// build/ferretdb-src, which the build uses in place of the module through a generated go.mod.
// Cached: rebuilt only when the pinned versions, our wrapper or a patch change (a stamp
// beside the binary holds their hash).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const moduleDir = path.join(root, 'resources', 'ferretdb');
const patchesDir = path.join(moduleDir, 'patches');
const srcDir = path.join(root, 'build', 'ferretdb-src');
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const ENGINE_PATH = path.join(
  root,
  'resources',
  'bin',
  process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb',
);
const stampPath = `${ENGINE_PATH}.stamp`;

function sourceHash() {
  const h = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) h.update(fs.readFileSync(path.join(moduleDir, f)));
  for (const f of patchFiles()) h.update(f).update(fs.readFileSync(path.join(patchesDir, f)));
  return h.digest('hex');
}

function patchFiles() {
  return fs.existsSync(patchesDir)
    ? fs
        .readdirSync(patchesDir)
        .filter((f) => f.endsWith('.patch'))
        .sort()
    : [];
}

const goEnv = () => ({ ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' });

function run(cmd, args, cwd, what, env = goEnv()) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0)
    throw new Error(
      `${what} failed:\n${`${r.stdout ?? ''}${r.stderr ?? r.error?.message ?? ''}`.split('\n').slice(-20).join('\n')}`,
    );
  return r.stdout;
}

/**
 * Copies the pinned FerretDB module out of the Go module cache, applies our patches to the
 * copy and writes a go.mod that builds against it; returns that go.mod's path.
 */
function patchedModule() {
  const info = JSON.parse(
    run('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${pinnedVersion()}`], moduleDir, 'go mod download'),
  );
  fs.rmSync(srcDir, { recursive: true, force: true });
  const modSrc = path.join(srcDir, 'module');
  fs.cpSync(info.Dir, modSrc, { recursive: true });
  for (const f of walk(modSrc)) fs.chmodSync(f, fs.statSync(f).isDirectory() ? 0o755 : 0o644);
  for (const f of patchFiles()) {
    // outside any repository, `git apply` works as patch(1) does; the ceiling keeps it from finding ours
    run('git', ['apply', '--whitespace=nowarn', path.join(patchesDir, f)], modSrc, `patch ${f}`, {
      ...process.env,
      GIT_CEILING_DIRECTORIES: srcDir,
    });
  }
  const gomod = path.join(srcDir, 'go.mod');
  fs.writeFileSync(
    gomod,
    `${fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf8')}\nreplace ${FERRETDB_MODULE} => ${modSrc}\n`,
  );
  fs.copyFileSync(path.join(moduleDir, 'go.sum'), path.join(srcDir, 'go.sum'));
  return gomod;
}

function* walk(dir) {
  yield dir;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

function pinnedVersion() {
  const m = /github\.com\/FerretDB\/FerretDB (v[\d.]+)/.exec(fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf8'));
  return m ? m[1] : 'unknown';
}

/** Builds the engine unless an up-to-date one exists; returns its path. */
export async function ensureDbEngine({ quiet = false } = {}) {
  const hash = sourceHash();
  if (fs.existsSync(ENGINE_PATH) && fs.existsSync(stampPath) && fs.readFileSync(stampPath, 'utf8').trim() === hash)
    return ENGINE_PATH;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(
      'Cannot build the local database engine: Go is not installed (https://go.dev/dl, or `apt-get install golang`). Alternatively set MONGO_URI to your own MongoDB, or put mongod on PATH.',
    );
  }
  const t0 = Date.now();
  if (!quiet)
    process.stdout.write(
      `building local database engine (FerretDB ${pinnedVersion()} with ${patchFiles().length} patches) with Go... `,
    );
  fs.mkdirSync(path.dirname(ENGINE_PATH), { recursive: true });
  try {
    const gomod = patchedModule();
    run(
      'go',
      ['build', '-trimpath', `-modfile=${gomod}`, '-o', ENGINE_PATH, '.'],
      moduleDir,
      'go build of the local database engine',
    );
  } catch (err) {
    if (!quiet) process.stdout.write('failed\n');
    throw err;
  }
  fs.writeFileSync(stampPath, hash + '\n');
  if (!quiet) process.stdout.write(`done in ${Math.round((Date.now() - t0) / 1000)} s\n`);
  return ENGINE_PATH;
}

/** Patched packages whose tests need servers we do not run (their change is compiled in all the same). */
// the backends' tests run every backend, PostgreSQL's too; the embedding package's tests start one on PostgreSQL
const NEEDS_OTHER_SERVERS = new Set(['./internal/backends/', './ferretdb/']);

/**
 * Runs the engine's own unit tests of every package our patches touch (our Go tests in the
 * patches among them) on the patched source the build left; returns whether they passed.
 */
export function testPatchedEngine() {
  const pkgs = new Set();
  for (const f of patchFiles()) {
    for (const m of fs.readFileSync(path.join(patchesDir, f), 'utf8').matchAll(/^\+\+\+ b\/(\S+)\.go$/gm))
      pkgs.add(`./${path.dirname(m[1])}/`);
  }
  const list = [...pkgs].filter((p) => !NEEDS_OTHER_SERVERS.has(p)).sort();
  const modSrc = path.join(srcDir, 'module');
  // the module's version file is made by its release tooling; its tests need one
  fs.writeFileSync(path.join(modSrc, 'build', 'version', 'version.txt'), `${pinnedVersion()}\n`);
  const r = spawnSync('go', ['test', '-count=1', ...list], {
    cwd: modSrc,
    stdio: 'inherit',
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '' },
  });
  return r.status === 0;
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
