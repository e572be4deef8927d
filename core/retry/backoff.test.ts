import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WORKER_RESTART_BACKOFF, backoffDelayMs } from './backoff';

describe('backoff', () => {
  it('doubles from the base and caps at the maximum (no jitter at random=0.5)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, WORKER_RESTART_BACKOFF, 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  it('stays within +-jitter of the nominal delay and never goes negative (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const nominal = Math.min(30_000, 1000 * 2 ** (attempt - 1));
          const d = backoffDelayMs(attempt, WORKER_RESTART_BACKOFF, random);
          expect(d).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
          expect(d).toBeLessThanOrEqual(Math.ceil(nominal * 1.2));
        },
      ),
    );
  });
});
