// Finding the database server binaries: our bundled engine (FerretDB) and a mongod on PATH.
import fs from 'node:fs';
import path from 'node:path';

const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The bundled engine: an explicit override, the packaged app's resources, or the repo's resources/bin. */
export function findEngineBinary(resourcesDir: string, override?: string | null): string | null {
  const candidates = [override, path.join(resourcesDir, 'bin', exe('ferretdb'))];
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged) candidates.push(path.join(packaged, 'bin', exe('ferretdb')));
  for (const c of candidates) if (c && isExecutable(c)) return c;
  return null;
}

/** A `mongod` on PATH, found without a shell. */
export function findMongod(envPath: string | undefined = process.env.PATH): string | null {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe('mongod'));
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}
