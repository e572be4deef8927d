// `npm start`: build, make sure the local database engine exists, then open the desktop app,
// or, where the Electron runtime cannot run (not installed and not downloadable, or no
// display), say so in one line and serve the same app in browser mode.
// `npm run serve` (--serve): browser mode on purpose.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { buildAll } from './build.mjs';
import { ensureDbEngine } from './buildDbEngine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serveOnly = process.argv.includes('--serve');

function mongoUriConfigured() {
  if (process.env.MONGO_URI) return true;
  try {
    return Boolean(dotenv.parse(fs.readFileSync(path.join(root, '.env'))).MONGO_URI);
  } catch {
    return false;
  }
}

/** Path of a runnable Electron binary, or a one-line reason why there is none. */
function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const binary = () =>
    fs.existsSync(pathFile) ? path.join(pkg, 'dist', fs.readFileSync(pathFile, 'utf8').trim()) : null;
  let bin = binary();
  if (!bin || !fs.existsSync(bin)) {
    // The electron package fetches its runtime lazily; try once, quietly, with a time limit.
    const fetched = spawnSync(process.execPath, [path.join(pkg, 'install.js')], { stdio: 'ignore', timeout: 90_000 });
    bin = binary();
    if (fetched.status !== 0 || !bin || !fs.existsSync(bin))
      return { reason: 'the Electron runtime is not installed and could not be fetched' };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { reason: 'there is no display to open a window on' };
  return { bin };
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main() {
  await buildAll();
  if (!mongoUriConfigured()) {
    try {
      await ensureDbEngine();
    } catch (err) {
      // The app still starts; its Health panel shows why the database is down.
      console.error(err instanceof Error ? err.message : String(err));
    }
  }
  const serve = () => run(process.execPath, [path.join(root, 'dist', 'main', 'serveMain.cjs')]);
  if (serveOnly) return serve();
  const electron = electronBinary();
  if (electron.bin) return run(electron.bin, [root]);
  console.log(`Desktop window unavailable (${electron.reason}): serving the same app in browser mode instead.`);
  serve();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
