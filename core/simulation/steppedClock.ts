// A clock for accelerated runs: it jumps to the moments a run cares about (each bar's close)
// and runs at real speed in between, so the time the chain takes to handle a bar is still
// measured on it. Three simulated days pass in minutes while latencies stay honest.

export interface SteppedClock {
  now(): number;
  /** Moves the clock forward to `t` (never back: a jump into the past is ignored). */
  jumpTo(t: number): void;
}

/** `wall` is the real clock the time between jumps is measured on (injected: core reads no clock itself). */
export function createSteppedClock(start: number, wall: () => number): SteppedClock {
  let base = start;
  let anchor = wall();
  const now = () => base + (wall() - anchor);
  return {
    now,
    jumpTo(t: number) {
      const current = now();
      base = Math.max(t, current);
      anchor = wall();
    },
  };
}
