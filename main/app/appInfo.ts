// Facts about the installed app that both entries need.
import fs from 'node:fs';
import path from 'node:path';

/** The folder holding package.json: two up from dist/main in the bundle, or the working folder. */
export function repoRoot(): string {
  const candidates = [typeof __dirname === 'string' ? path.resolve(__dirname, '..', '..') : null, process.cwd()];
  for (const dir of candidates) if (dir && fs.existsSync(path.join(dir, 'package.json'))) return dir;
  return process.cwd();
}

export function appVersion(root = repoRoot()): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
