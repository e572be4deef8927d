import { describe, expect, it } from 'vitest';
import { createSteppedClock } from './steppedClock';

describe('stepped clock', () => {
  it('jumps forward, runs at real speed in between, and never goes back', () => {
    let wall = 1_000;
    const clock = createSteppedClock(60_000, () => wall);
    expect(clock.now()).toBe(60_000);
    wall += 250;
    expect(clock.now()).toBe(60_250);
    clock.jumpTo(120_000);
    expect(clock.now()).toBe(120_000);
    wall += 40;
    expect(clock.now()).toBe(120_040);
    clock.jumpTo(100_000);
    expect(clock.now()).toBe(120_040);
  });
});
