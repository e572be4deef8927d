// Packaging check without an Electron download: electron-builder --dir with `electronDist`
// pointing at a stub, then the package is opened and checked: the asar holds the built
// main, preload and renderer, and the database engine ships as an extra resource.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPackage } from '@electron/asar';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const REQUIRED_IN_ASAR = [
  '/package.json',
  '/dist/main/electronMain.cjs',
  '/dist/main/preload.cjs',
  '/dist/main/workerMain.cjs',
  '/dist/main/serveMain.cjs',
  '/dist/renderer/index.html',
];

/** Packs into `outDir` and returns the problems found (empty when the package is right). */
export function packCheck(outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-pack-'))) {
  const stub = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-electron-stub-'));
  fs.writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\necho "electron stub"\n', { mode: 0o755 });
  const electronVersion = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
  ).version;
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--dir',
      '--linux',
      '--x64',
      `-c.electronDist=${stub}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${outDir}`,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  fs.rmSync(stub, { recursive: true, force: true });
  const problems = [];
  if (r.status !== 0)
    return {
      outDir,
      problems: [`electron-builder failed (${r.status}):\n${(r.stdout + r.stderr).split('\n').slice(-15).join('\n')}`],
    };
  const resources = path.join(outDir, 'linux-unpacked', 'resources');
  const asar = path.join(resources, 'app.asar');
  if (!fs.existsSync(asar)) return { outDir, problems: [`no app.asar in ${resources}`] };
  const files = new Set(listPackage(asar, { isPack: false }).map((f) => f.split(path.sep).join('/')));
  for (const f of REQUIRED_IN_ASAR) if (!files.has(f)) problems.push(`app.asar lacks ${f}`);
  for (const f of files)
    if (f.endsWith('.map') || f.startsWith('/core/') || f.startsWith('/main/') || f.startsWith('/renderer/'))
      problems.push(`app.asar holds a source or map file: ${f}`);
  if (!fs.existsSync(path.join(resources, 'app.asar.unpacked', 'dist', 'main', 'sweepThread.cjs')))
    problems.push('the sweep thread script is not unpacked next to app.asar');
  const engine = path.join(resources, 'bin', 'ferretdb');
  try {
    fs.accessSync(engine, fs.constants.X_OK);
  } catch {
    problems.push(`the database engine is not shipped as an executable extra resource at ${engine}`);
  }
  return { outDir, problems, files: files.size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outDir, problems, files } = packCheck();
  if (problems.length) {
    console.error(`packaging check FAILED:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log(`packaging check passed: ${files} files in app.asar, database engine in resources/bin (${outDir})`);
}
