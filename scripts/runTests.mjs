// `npm test`: sets up what the suites need (system packages, the local database engine, the
// app build), then runs every suite against real parts: type-check, lint, Vitest (unit and
// integration, inside a D-Bus session with an unlocked gnome-keyring for the OS keychain),
// and Playwright end-to-end in Debian's Chromium; in CI (or with QUANTDESK_INTEROP=1) also
// the interop suite (a Python producer, Freqtrade trading our signals), whose Python
// environment comes from PyPI, and (or with QUANTDESK_SLOW=1) the slow suite (test/slow).
// Prints the time each stage took, then ends with one line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'build', 'test-results');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  return r.status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Inside the D-Bus session: unlock a fresh keyring, then run Vitest and Playwright. */
function inner() {
  const unlock = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'quantdesk-test-keyring',
    encoding: 'utf8',
  });
  if (unlock.status !== 0) console.error(`gnome-keyring-daemon failed: ${unlock.stderr}`);
  for (const line of (unlock.stdout ?? '').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
  const only = process.env.QUANTDESK_TEST_ONLY;
  if (!only || only === 'vitest')
    run(bin('vitest'), [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${path.join(resultsDir, 'vitest.json')}`,
    ]);
  if (!only || only === 'e2e')
    run(bin('playwright'), ['test'], {
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(resultsDir, 'playwright.json') },
    });
}

/** Wall time of each stage, printed at the end. */
const stages = [];
const started = Date.now();
let stageStart = Date.now();
function stage(name) {
  const now = Date.now();
  stages.push(`${name} ${fmt(now - stageStart)}`);
  stageStart = now;
}
function fmt(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

async function outer() {
  const only = process.env.QUANTDESK_TEST_ONLY;
  fs.rmSync(resultsDir, { recursive: true, force: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  const { ensureSystemDeps } = await import('./systemDeps.mjs');
  const { ensureDbEngine, testPatchedEngine } = await import('./buildDbEngine.mjs');
  const { buildAll } = await import('./build.mjs');
  ensureSystemDeps();
  if (!process.env.MONGO_URL) await ensureDbEngine();
  await buildAll();
  stage('setup');

  const checks = [];
  console.log('\n== type-check (tsc -b)');
  checks.push({ name: 'typecheck', ok: run(bin('tsc'), ['-b']) === 0 });
  console.log('\n== lint (eslint)');
  checks.push({ name: 'lint', ok: run(bin('eslint'), ['.', '--max-warnings=0']) === 0 });
  console.log('\n== format (prettier --check; `npm run format` writes it)');
  checks.push({ name: 'format', ok: run(bin('prettier'), ['--check', '--log-level=warn', '.']) === 0 });
  stage('typecheck+lint+format');
  if (!process.env.MONGO_URL && (!only || only === 'vitest')) {
    console.log("\n== the database engine's own unit tests of the packages our patches change (go test)");
    checks.push({ name: 'engine unit tests', ok: testPatchedEngine() });
    stage('engine tests');
  }

  // A fresh HOME keeps the test keyring away from the user's own.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-test-home-'));
  const interop = process.env.QUANTDESK_INTEROP === '1' || process.env.CI === 'true' || only === 'interop';
  if (interop) {
    const { ensurePythonEnv } = await import('./pythonEnv.mjs');
    ensurePythonEnv();
  }
  console.log('\n== vitest and playwright (inside a D-Bus session with gnome-keyring)');
  run('dbus-run-session', ['--', process.execPath, fileURLToPath(import.meta.url), '--inner'], {
    env: {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CONFIG_HOME: path.join(home, '.config'),
    },
  });
  fs.rmSync(home, { recursive: true, force: true });
  stage('vitest+playwright');
  if (interop) {
    console.log('\n== interop (Python producer, Freqtrade)');
    run(bin('vitest'), [
      'run',
      '--config',
      'vitest.interop.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${path.join(resultsDir, 'interop.json')}`,
    ]);
    stage('interop');
  }
  const slow = process.env.QUANTDESK_SLOW === '1' || process.env.CI === 'true' || only === 'slow';
  if (slow) {
    console.log('\n== slow suite (a year of 1m bars with workers killed, 100,000 outside signals)');
    run(bin('vitest'), [
      'run',
      '--config',
      'vitest.slow.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${path.join(resultsDir, 'slow.json')}`,
    ]);
    stage('slow suite');
  }

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const lines = [];
  for (const c of checks) {
    if (c.ok) passed++;
    else failed++;
    lines.push(`${c.name}: ${c.ok ? 'passed' : 'FAILED'}`);
  }
  const vitest = readJson(path.join(resultsDir, 'vitest.json'));
  if (!only || only === 'vitest') {
    if (vitest) {
      passed += vitest.numPassedTests;
      failed += vitest.numFailedTests + (vitest.success === false && vitest.numFailedTests === 0 ? 1 : 0);
      skipped += vitest.numPendingTests + vitest.numTodoTests;
      lines.push(
        `vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed, ${vitest.numPendingTests} skipped`,
      );
    } else {
      failed++;
      lines.push('vitest: FAILED (no results written)');
    }
  }
  const pw = readJson(path.join(resultsDir, 'playwright.json'));
  if (!only || only === 'e2e') {
    if (pw?.stats) {
      passed += pw.stats.expected + pw.stats.flaky;
      failed += pw.stats.unexpected + (pw.errors?.length ?? 0);
      skipped += pw.stats.skipped;
      lines.push(
        `playwright: ${pw.stats.expected} passed, ${pw.stats.unexpected} failed, ${pw.stats.skipped} skipped${pw.errors?.length ? `, ${pw.errors.length} errors` : ''}`,
      );
    } else {
      failed++;
      lines.push('playwright: FAILED (no results written)');
    }
  }
  /** A Vitest suite run on its own (interop, slow): its counts, or a failure when it wrote no results. */
  const countSuite = (name, ran, skippedWhy) => {
    if (!ran) return lines.push(`${name}: skipped (${skippedWhy})`);
    const r = readJson(path.join(resultsDir, `${name}.json`));
    if (r) {
      passed += r.numPassedTests;
      failed += r.numFailedTests + (r.success === false && r.numFailedTests === 0 ? 1 : 0);
      lines.push(`${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    } else {
      failed++;
      lines.push(`${name}: FAILED (no results written)`);
    }
  };
  countSuite('interop', interop, 'runs in CI, or with QUANTDESK_INTEROP=1');
  countSuite('slow', slow, 'runs in CI, or with QUANTDESK_SLOW=1');
  lines.push(`time: ${stages.join(', ')}; total ${fmt(Date.now() - started)}`);
  console.log('\n' + lines.join('\n'));
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

if (process.argv.includes('--inner')) inner();
else
  outer().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
