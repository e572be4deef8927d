// The engine's own unit tests of every package our patches touch still pass on the patched
// source (build/ferretdb-src, made by the engine build): the patches change behaviour only
// where they mean to.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const source = path.join(root, 'build', 'ferretdb-src', 'module');
const patches = path.join(root, 'resources', 'ferretdb', 'patches');

/** Patched packages whose tests need servers we do not run (their change is compiled in all the same). */
const NEEDS_OTHER_SERVERS = new Set(['./internal/backends/']); // its tests run every backend, PostgreSQL's too

/** The Go packages the patches change, from their diff headers. */
function patchedPackages(): string[] {
  const dirs = new Set<string>();
  for (const f of fs.readdirSync(patches).filter((x) => x.endsWith('.patch'))) {
    for (const m of fs.readFileSync(path.join(patches, f), 'utf8').matchAll(/^\+\+\+ b\/(\S+)\.go$/gm)) dirs.add(`./${path.dirname(m[1]!)}/`);
  }
  return [...dirs].filter((d) => !NEEDS_OTHER_SERVERS.has(d)).sort();
}

describe.runIf(!process.env.MONGO_URL)('engine patches against the engine’s own tests', () => {
  it('go test of every patched package passes', () => {
    const pkgs = patchedPackages();
    expect(pkgs).toContain('./internal/backends/sqlite/');
    // the module's version file is made by its release tooling; its tests need one
    fs.writeFileSync(path.join(source, 'build', 'version', 'version.txt'), 'v1.24.2\n');
    const r = spawnSync('go', ['test', '-count=1', ...pkgs], { cwd: source, encoding: 'utf8', env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '' } });
    const out = `${r.stdout}${r.stderr}`;
    expect(out, out).not.toMatch(/^(FAIL|panic)/m);
    expect(r.status, out).toBe(0);
    for (const p of pkgs) expect(out).toMatch(new RegExp(`^(ok|\\?)\\s+github.com/FerretDB/FerretDB/${p.slice(2, -1)}\\s`, 'm'));
  }, 600_000);
});
