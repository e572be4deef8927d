// Replays an audit day: the state at the day's start, with every event up to a moment
// applied in order. Pure, so the desk's slider and the tests compute it the same way.
import type { AuditDay, Position, ReplayState, StrategyState } from '../api/auditContract';
import { baseChange, isFlat } from '../portfolio/positions';

const positionKey = (p: Pick<Position, 'mode' | 'strategyId' | 'pair'>) => `${p.mode}|${p.strategyId}|${p.pair}`;

/** The state after every event at or before `t` (ms, UTC). */
export function replayAt(day: Pick<AuditDay, 'start' | 'events'>, t: number): ReplayState {
  const strategies = new Map<string, StrategyState>(day.start.strategies.map((s) => [s.configId, s]));
  const positions = new Map<string, Position>(day.start.positions.map((p) => [positionKey(p), p]));
  let killSwitch = day.start.killSwitch;
  for (const e of day.events) {
    if (Date.parse(e.at) > t) break;
    if (e.killSwitch) killSwitch = e.killSwitch.after;
    if (e.strategy) {
      if (e.strategy.after) strategies.set(e.strategy.configId, e.strategy.after);
      else strategies.delete(e.strategy.configId);
    }
    if (e.fill) {
      const key = positionKey(e.fill);
      const held = positions.get(key)?.amount ?? 0;
      positions.set(key, {
        mode: e.fill.mode,
        strategyId: e.fill.strategyId,
        pair: e.fill.pair,
        amount: held + baseChange(e.fill),
      });
    }
  }
  return {
    killSwitch,
    strategies: [...strategies.values()].sort(
      (a, b) => a.strategyId.localeCompare(b.strategyId) || a.pair.localeCompare(b.pair),
    ),
    positions: [...positions.values()]
      .filter((p) => !isFlat(p.amount))
      .sort((a, b) => positionKey(a).localeCompare(positionKey(b))),
  };
}
