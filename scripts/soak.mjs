// `npm run soak [-- minutes]`: the desk under a kept-current year of 1m bars (e2e/deskSoak.ts).
// A measurement, not a test: it prints its line and keeps a JSON copy under bench-results/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './importTs.mjs';
import { ensureDbEngine } from './buildDbEngine.mjs';
import { buildAll } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const minutes = Number(process.argv[2] ?? 60);
await ensureDbEngine({ quiet: true });
await buildAll();
const { deskSoak } = await importTs('e2e/deskSoak.ts', 'build/bench/deskSoak.mjs');
const line = await deskSoak(root, minutes);
console.log(
  `${line.id} ${Object.entries(line.values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`,
);
fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench-results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify([line], null, 2),
);
