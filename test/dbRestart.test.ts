// A short R5 (docs/ARCHITECTURE.md): the database server killed and started again twice while the
// importer stores 1m bars and the executor trades arriving signals against the simulator.
// `npm run faults -- R5` runs the longer version.
import { describe, expect, it } from 'vitest';
import { runR5 } from '../faults/r5DbRestart';

describe('database restart while importing and trading', () => {
  it('the clients reconnect by themselves; no bar, signal or order is lost or duplicated', async () => {
    const line = await runR5({ bars: 40_000, restarts: 2, downMs: 3000, maxSignals: 20 });
    console.log('R5', JSON.stringify(line.values)); // the figures in the CI log, pass or fail
    expect(line.values).toMatchObject({
      restarts: 2,
      bars: 40_000,
      bars_stored: 40_000,
      not_reconnected: 0,
      lost: 0,
      duplicated: 0,
    });
    // Signals kept arriving through the outages, and each became exactly one order on each side.
    expect(line.values.signals).toBeGreaterThan(0);
    expect(line.values.orders).toBe(line.values.signals);
    expect(line.values.exchange_orders).toBe(line.values.signals);
  }, 300_000);
});
