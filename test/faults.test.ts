// A short run of the fault suite inside the tests: the executor process SIGKILLed at random
// moments with orders in flight (slow replies, lost replies), restarted until settled.
// `npm run faults` runs the full 50.
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { runFaults } from '../faults/index';

let runner: string;
beforeAll(async () => {
  // Inside the repository, so the runner finds the driver and ccxt in node_modules.
  runner = path.resolve('build', 'test-faults', 'executorRunner.cjs');
  await build({
    entryPoints: ['faults/executorRunner.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile: runner,
    logLevel: 'error',
  });
});

describe('fault suite (short)', () => {
  it('R1/R2: killed executors never duplicate an order or lose a fill, and the account reconciles', async () => {
    const lines = await runFaults(inject('mongoUri'), new Set(['R1', 'R2']), runner, 6);
    const r1 = lines.find((l) => l.id === 'R1')!.values;
    expect(r1).toMatchObject({ runs: 6, settled: 6, duplicate_orders: 0, lost_fills: 0, unreconciled: 0 });
    expect(r1.kills).toBeGreaterThan(0);
    expect(lines.find((l) => l.id === 'R2')!.values).toEqual({ duplicate_orders: 0, found: 1 });
  }, 240_000);
});
