// The Python environment of the interop suite: a virtual environment in build/pyenv with
// Freqtrade and pymongo from PyPI (resources/freqtrade/requirements.txt), made once and
// remade when the requirements change.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PYENV = path.join(root, 'build', 'pyenv');
const requirements = path.join(root, 'resources', 'freqtrade', 'requirements.txt');

export function pythonBin(name = 'python') {
  return path.join(PYENV, process.platform === 'win32' ? 'Scripts' : 'bin', name);
}

export function ensurePythonEnv() {
  const hash = crypto.createHash('sha256').update(fs.readFileSync(requirements)).digest('hex');
  const stamp = path.join(PYENV, '.requirements-hash');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash && fs.existsSync(pythonBin('freqtrade'))) return;
  const python = ['python3.11', 'python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) throw new Error('Python 3.11+ is needed for the interop suite (Freqtrade, pymongo)');
  console.log(
    `setting up ${path.relative(root, PYENV)} (Freqtrade and pymongo from PyPI; a few minutes the first time)...`,
  );
  const t0 = Date.now();
  fs.rmSync(PYENV, { recursive: true, force: true });
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed with code ${r.status}`);
  };
  run(python, ['-m', 'venv', PYENV]);
  run(pythonBin(), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  fs.writeFileSync(stamp, hash);
  console.log(`python environment ready in ${Math.round((Date.now() - t0) / 1000)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensurePythonEnv();
