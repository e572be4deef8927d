// R7 inside the tests (docs/ARCHITECTURE.md): the corpus of outside inputs, candle files through
// a real back end's file import and documents straight into crypto_signals stepped by the
// executor, each case with its expected outcome in faults/r7OutsideInputs.ts.
import { describe, expect, inject, it } from 'vitest';
import { runR7 } from '../faults/r7OutsideInputs';

describe('outside inputs at the edges (R7)', () => {
  it('stores nothing wrong, skips nothing without a word, and never crashes', async () => {
    const { line, problems } = await runR7(inject('mongoUri'));
    console.log('R7', JSON.stringify(line.values)); // the figures in the CI log, pass or fail
    expect(problems).toEqual([]);
    expect(line.values).toMatchObject({ stored_wrong: 0, silent_skips: 0, crashes: 0 });
    expect(line.values.cases).toBeGreaterThanOrEqual(40);
  }, 240_000);
});
