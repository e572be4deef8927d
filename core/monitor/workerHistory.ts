// A resident worker's history from the health samples: its state at each sample (null where
// the sample predates it or it was not running yet) and the share of sampled time it was up,
// for the Monitor's availability strip.
import type { WorkerState } from '../api/fields';
import type { z } from 'zod';

type State = z.infer<typeof WorkerState>;
const UP: ReadonlySet<State> = new Set(['running', 'idle']);

export interface WorkerHistory {
  states: (State | null)[];
  /** Share of the samples that saw the worker, in which it was up; null without any. */
  upPct: number | null;
  /** The longest heartbeat age sampled, ms (a worker alive but silent shows here first). */
  worstHeartbeatAgeMs: number | null;
}

export function workerHistory(
  samples: readonly { workers?: readonly { name: string; state: State; heartbeatAgeMs: number | null }[] }[],
  name: string,
): WorkerHistory {
  const states: (State | null)[] = [];
  let seen = 0;
  let up = 0;
  let worst: number | null = null;
  for (const s of samples) {
    const w = s.workers?.find((x) => x.name === name);
    states.push(w?.state ?? null);
    if (!w) continue;
    seen++;
    if (UP.has(w.state)) up++;
    if (w.heartbeatAgeMs !== null) worst = Math.max(worst ?? 0, w.heartbeatAgeMs);
  }
  return { states, upPct: seen ? (100 * up) / seen : null, worstHeartbeatAgeMs: worst };
}
