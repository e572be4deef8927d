// Entry of `npm run bench`: runs the benchmark groups and prints their lines.
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { LocalDatabaseServer } from '../main/database/localDatabase';
import { marketBench, type BenchLine } from './marketBench';
import { researchBench } from './researchBench';
import { signalBench } from './signalBench';
import { executionBench } from './executionBench';
import { STORAGE_BENCHES, storageBench } from './storageBench';

/** Benchmarks that need the database server. */
export const DB_BENCHES = ['M1', 'M2', 'M3', 'I1', 'S1', 'E1'];

export async function startEngine(binary: string, dir: string): Promise<LocalDatabaseServer & { uri: string }> {
  const server = new LocalDatabaseServer({ kind: 'ferretdb', binary, dataDir: dir, log: createMemoryLogger() });
  await server.start();
  return server;
}

export async function runBenchmarks(
  uri: string | null,
  only: Set<string>,
  bars: number,
  sweepScript: string,
  engineBinary: string | null,
  root: string,
): Promise<BenchLine[]> {
  const print = (group: BenchLine[]) => {
    for (const l of group)
      console.log(
        `${l.id} ${Object.entries(l.values)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
    return group;
  };
  const lines = print(await researchBench(only, bars, sweepScript));
  if (uri) lines.push(...print(await marketBench(uri, only, bars)));
  if (uri) lines.push(...print(await signalBench(uri, only)));
  if (uri) lines.push(...print(await executionBench(uri, only)));
  lines.push(...(await storageBench(only, engineBinary, root, (l) => print([l]))));
  const known = new Set(['B1', 'B2', 'B3', 'U1', ...DB_BENCHES, ...STORAGE_BENCHES]);
  for (const id of only)
    if (!known.has(id)) console.log(`${id} is not a benchmark of this suite (known: ${[...known].join(' ')})`);
  return lines;
}
