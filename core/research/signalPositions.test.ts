import { describe, expect, it } from 'vitest';
import { positionsFromSignals } from './signalPositions';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const times = Float64Array.from({ length: 6 }, (_, i) => T0 + i * DAY);

describe('positions from outside signals', () => {
  it('holds each signal from its bar until the next, starting from the last one before the range', () => {
    const { target, used } = positionsFromSignals(times, '1d', [
      { ts: T0 + 3 * DAY, action: 'exit_long' },
      { ts: T0 - 2 * DAY, action: 'enter_long' },
      { ts: T0 + 4 * DAY, weight: 0.5 },
      { ts: T0 + 9 * DAY, action: 'exit_long' },
    ]);
    expect(Array.from(target)).toEqual([1, 1, 1, 0, 0.5, 0.5]);
    expect(used).toBe(3);
  });

  it('refuses what it cannot turn into a position, naming the signal', () => {
    expect(() => positionsFromSignals(times, '1d', [{ ts: T0 + 1000, action: 'enter_long' }])).toThrow(
      /not on a 1d bar boundary/,
    );
    expect(() => positionsFromSignals(times, '1d', [{ ts: T0, weight: 1.5 }])).toThrow(/weight 1.5/);
    expect(() => positionsFromSignals(times, '1d', [{ ts: T0, score: 0.7 }])).toThrow(/only a score/);
    expect(() => positionsFromSignals(times, '1d', [{ ts: T0 }])).toThrow(/neither an action nor a weight/);
  });
});
