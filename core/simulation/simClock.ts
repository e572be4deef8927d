// The simulator's clock: real time, or faster (a replay of last month at 60x shows an hour
// of trading per minute). Speed changes keep the simulated time continuous.

export interface SimClock {
  now(): number;
  readonly speed: number;
  setSpeed(speed: number): void;
}

/** `wall` is the real clock the simulated one runs against (injected: core reads no clock itself). */
export function createSimClock(options: { start?: number; speed?: number; wall: () => number }): SimClock {
  const wall = options.wall;
  let anchorWall = wall();
  let anchorSim = options.start ?? anchorWall;
  let speed = checkSpeed(options.speed ?? 1);
  return {
    now: () => anchorSim + (wall() - anchorWall) * speed,
    get speed() {
      return speed;
    },
    setSpeed(next: number) {
      const w = wall();
      anchorSim += (w - anchorWall) * speed;
      anchorWall = w;
      speed = checkSpeed(next);
    },
  };
}

function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed < 0 || speed > 100_000)
    throw new Error(`Clock speed must be between 0 (paused) and 100000, got ${speed}`);
  return speed;
}
