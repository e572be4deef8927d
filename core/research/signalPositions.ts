// Positions from signals another program wrote to crypto_signals: each signal belongs to the
// bar at its `ts` and is acted on from that bar's close; the position holds until the next
// signal. enter_long -> 1, exit_long -> 0, weight -> itself (must be in [0, 1]). A score
// alone has no position meaning without a threshold, so it is refused with that reason.
import { isAligned, type Timeframe } from '../market/timeframes';

export interface SignalRow {
  ts: number;
  action?: 'enter_long' | 'exit_long' | null;
  weight?: number | null;
  score?: number | null;
}

export class SignalSeriesError extends Error {}

function positionOf(s: SignalRow, index: number): number {
  if (s.action === 'enter_long') return 1;
  if (s.action === 'exit_long') return 0;
  if (s.weight !== undefined && s.weight !== null) {
    if (!(s.weight >= 0 && s.weight <= 1))
      throw new SignalSeriesError(
        `Signal ${index} (${new Date(s.ts).toISOString()}) has weight ${s.weight}; a long/flat backtest needs weights in [0, 1]`,
      );
    return s.weight;
  }
  if (s.score !== undefined && s.score !== null)
    throw new SignalSeriesError(
      `Signal ${index} (${new Date(s.ts).toISOString()}) has only a score; a backtest needs an action or a weight in [0, 1]`,
    );
  throw new SignalSeriesError(`Signal ${index} (${new Date(s.ts).toISOString()}) has neither an action nor a weight`);
}

/** One target per bar; the signals may start before the bars (the last earlier one sets the opening position). */
export function positionsFromSignals(
  times: Float64Array,
  tf: Timeframe,
  signals: readonly SignalRow[],
): { target: Float64Array; used: number } {
  const sorted = signals.map((s, i) => ({ s, i })).sort((a, b) => a.s.ts - b.s.ts);
  for (const { s, i } of sorted)
    if (!isAligned(s.ts, tf))
      throw new SignalSeriesError(
        `Signal ${i} has ts ${new Date(s.ts).toISOString()}, which is not on a ${tf} bar boundary`,
      );
  const target = new Float64Array(times.length);
  let k = 0;
  let current = 0;
  let used = 0;
  for (let b = 0; b < times.length; b++) {
    while (k < sorted.length && sorted[k]!.s.ts <= times[b]!) {
      current = positionOf(sorted[k]!.s, sorted[k]!.i);
      k++;
      used++;
    }
    target[b] = current;
  }
  return { target, used };
}
