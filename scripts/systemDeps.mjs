// System packages the test suites need (Debian/Ubuntu names): Chromium for the end-to-end
// tests, gnome-keyring under a D-Bus session for the OS keychain, CJK fonts so Chinese
// screenshots are readable. Installed with apt-get when missing and we may (root or sudo).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const SYSTEM_PACKAGES = ['chromium', 'gnome-keyring', 'dbus', 'dbus-x11', 'libsecret-1-0', 'fonts-noto-cjk'];

const CHECKS = [
  { what: 'Chromium', path: '/usr/bin/chromium' },
  { what: 'gnome-keyring', path: '/usr/bin/gnome-keyring-daemon' },
  { what: 'dbus-run-session', path: '/usr/bin/dbus-run-session' },
  { what: 'CJK fonts', path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc' },
];

export function missingSystemDeps() {
  return CHECKS.filter((c) => !fs.existsSync(c.path)).map((c) => c.what);
}

export function ensureSystemDeps() {
  const missing = missingSystemDeps();
  if (missing.length === 0) return;
  if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `Missing ${missing.join(', ')}; install them (Debian/Ubuntu packages: ${SYSTEM_PACKAGES.join(' ')}).`,
    );
  }
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!root && !sudo)
    throw new Error(`Missing ${missing.join(', ')}. Run: sudo apt-get install -y ${SYSTEM_PACKAGES.join(' ')}`);
  const prefix = root ? [] : ['sudo', '-n'];
  console.log(`installing system packages for the tests (${missing.join(', ')} missing)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    const [cmd, ...rest] = [...prefix, ...args];
    const r = spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed with code ${r.status}`);
  };
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...SYSTEM_PACKAGES]);
  const still = missingSystemDeps();
  if (still.length) throw new Error(`Still missing after apt-get: ${still.join(', ')}`);
}
