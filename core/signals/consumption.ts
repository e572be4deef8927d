// How a consumer turns crypto_signals into decisions: the contract's rules, used by our executor
// and mirrored line by line in resources/freqtrade/ExternalSignalStrategy.py.
//
// For the bar being decided (its open time), per strategy/pair/timeframe:
//  1. candidates are signals whose ts lies within +-toleranceBars of that bar;
//  2. a candidate is ignored when its bar has not closed yet (in a replay it would be a
//     signal from the future), when stale (its bar closed more than maxStalenessBars ago) or
//     past its valid_until;
//  3. the latest remaining candidate wins;
//  4. a signal already acted on is not acted on again (de-duplication; a rewrite of the same
//     key that says something else counts as a new signal);
//  5. debounce: no entry while in a position or within cooldownBars of the last exit, no exit
//     while flat or before minHoldBars have passed since the entry; after a protective stop,
//     no entry until the strategy's own exit signal (the backtest engine's rule). A deferred signal stays a
//     candidate while it is inside the window.
// A score/weight becomes an entry at >= enterAbove and an exit at < exitBelow.
import { TIMEFRAME_MS } from '../market/timeframes';
import { signalBarClose, signalKey, type SignalDoc } from './signalRows';

export interface ConsumerRules {
  toleranceBars: number;
  maxStalenessBars: number;
  enterAbove: number;
  exitBelow: number;
  minHoldBars: number;
  cooldownBars: number;
}

export const DEFAULT_CONSUMER_RULES: ConsumerRules = {
  toleranceBars: 1,
  maxStalenessBars: 3,
  enterAbove: 0.5,
  exitBelow: 0.5,
  minHoldBars: 0,
  cooldownBars: 0,
};

export interface ConsumerState {
  inPosition: boolean;
  /** Bar open of the last entry / exit, ms. */
  enteredAt: number | null;
  exitedAt: number | null;
  /** Keys of the signals acted on (most recent last; trimmed). */
  consumed: string[];
  /** A protective stop closed the position: no entry until the strategy itself says exit (as in the backtest). */
  stoppedOut?: boolean;
}

export const FLAT: ConsumerState = { inPosition: false, enteredAt: null, exitedAt: null, consumed: [] };

export type Intent = 'enter' | 'exit';

export function signalIntent(s: Pick<SignalDoc, 'action' | 'score' | 'weight'>, rules: ConsumerRules): Intent | null {
  if (s.action === 'enter_long') return 'enter';
  if (s.action === 'exit_long') return 'exit';
  const v = s.weight ?? s.score;
  if (v === undefined) return null;
  if (v >= rules.enterAbove) return 'enter';
  if (v < rules.exitBelow) return 'exit';
  return null;
}

export interface SignalPick {
  signal: SignalDoc | null;
  ignored: { signal: SignalDoc; reason: 'outside window' | 'not yet closed' | 'stale' | 'expired' }[];
}

/** Steps 1-3: the signal that speaks for this bar, if any, and why the others do not. */
export function pickSignal(
  signals: readonly SignalDoc[],
  barOpenMs: number,
  nowMs: number,
  rules: ConsumerRules,
): SignalPick {
  const tf = signals[0]?.timeframe;
  const out: SignalPick = { signal: null, ignored: [] };
  if (!tf) return out;
  const step = TIMEFRAME_MS[tf];
  for (const s of signals) {
    const ts = s.ts.getTime();
    if (Math.abs(ts - barOpenMs) > rules.toleranceBars * step)
      out.ignored.push({ signal: s, reason: 'outside window' });
    else if (signalBarClose(s) > nowMs) out.ignored.push({ signal: s, reason: 'not yet closed' });
    else if (nowMs - signalBarClose(s) > rules.maxStalenessBars * step)
      out.ignored.push({ signal: s, reason: 'stale' });
    else if (s.valid_until && s.valid_until.getTime() <= nowMs) out.ignored.push({ signal: s, reason: 'expired' });
    else if (!out.signal || ts > out.signal.ts.getTime()) out.signal = s;
  }
  return out;
}

/**
 * Why a step decided what it did, as a code the desk words in the trader's language (the
 * English `reason` beside it is for logs and outside readers).
 */
export const DECISION_REASONS = {
  noSignal: 'no signal for this bar',
  alreadyActed: 'already acted on',
  betweenLevels: 'score/weight between the exit and entry levels',
  inPosition: 'already in a position',
  stoppedOut: 'stopped out: waiting for the strategy to exit before entering again',
  cooldown: 'cooldown after the last exit',
  enter: 'enter',
  exitAfterStop: 'exit after a stop: entries allowed again',
  notInPosition: 'not in a position',
  minHold: 'minimum hold not reached',
  exit: 'exit',
} as const;
export type DecisionCode = keyof typeof DECISION_REASONS;

export interface Decision {
  intent: Intent | null;
  code: DecisionCode;
  reason: string;
  state: ConsumerState;
  signal: SignalDoc | null;
}

const KEEP_CONSUMED = 64;

/** Steps 4-5 for one bar: what to do, why, and the state after doing it. */
export function decide(
  state: ConsumerState,
  signal: SignalDoc | null,
  barOpenMs: number,
  rules: ConsumerRules,
): Decision {
  const none = (code: DecisionCode): Decision => ({
    intent: null,
    code,
    reason: DECISION_REASONS[code],
    state,
    signal,
  });
  if (!signal) return none('noSignal');
  const intent = signalIntent(signal, rules);
  // A signal is its key and what it says: a newer write of the same key that says
  // something else (an entry replaced by an exit) is a new decision.
  const key = `${signalKey(signal)}|${intent}`;
  if (state.consumed.includes(key)) return none('alreadyActed');
  if (!intent) return none('betweenLevels');
  const step = TIMEFRAME_MS[signal.timeframe];
  const consumed = [...state.consumed, key].slice(-KEEP_CONSUMED);
  if (intent === 'enter') {
    if (state.inPosition) return none('inPosition');
    if (state.stoppedOut) return none('stoppedOut');
    if (state.exitedAt !== null && (barOpenMs - state.exitedAt) / step < rules.cooldownBars) return none('cooldown');
    return {
      intent,
      code: 'enter',
      reason: DECISION_REASONS.enter,
      signal,
      state: { inPosition: true, enteredAt: barOpenMs, exitedAt: state.exitedAt, consumed },
    };
  }
  if (!state.inPosition) {
    // The strategy's own exit after a stop: nothing to sell, and entries are allowed again.
    if (state.stoppedOut)
      return {
        intent: null,
        code: 'exitAfterStop',
        reason: DECISION_REASONS.exitAfterStop,
        signal,
        state: { ...state, stoppedOut: false, consumed },
      };
    return none('notInPosition');
  }
  if (state.enteredAt !== null && (barOpenMs - state.enteredAt) / step < rules.minHoldBars) return none('minHold');
  return {
    intent,
    code: 'exit',
    reason: DECISION_REASONS.exit,
    signal,
    state: { inPosition: false, enteredAt: state.enteredAt, exitedAt: barOpenMs, consumed },
  };
}

export function checkRules(r: ConsumerRules): string | null {
  if (!(Number.isInteger(r.toleranceBars) && r.toleranceBars >= 0 && r.toleranceBars <= 10))
    return 'toleranceBars must be an integer 0-10';
  if (!(r.maxStalenessBars > 0 && r.maxStalenessBars <= 1000)) return 'maxStalenessBars must be in (0, 1000]';
  if (!(r.exitBelow <= r.enterAbove)) return 'exitBelow must not be above enterAbove';
  if (!(Number.isInteger(r.minHoldBars) && r.minHoldBars >= 0)) return 'minHoldBars must be a non-negative integer';
  if (!(Number.isInteger(r.cooldownBars) && r.cooldownBars >= 0)) return 'cooldownBars must be a non-negative integer';
  return null;
}
