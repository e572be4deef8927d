// Signals against a bot's trades (a Freqtrade bot trading our signals): the consumption rules
// replayed over the signals of one strategy and pair give the entries and exits it should
// have made, each known by its tag (`qd:enter:<ts>`, `qd:exit:<ts>`, as ExternalSignalStrategy
// carries them); every signal is then traded, explained by the rule that set it aside, still
// open to a decision, or missing, and every tagged trade the rules do not give is unexpected.
import { TIMEFRAME_MS, lastClosedBarOpen } from '../market/timeframes';
import {
  DEFAULT_CONSUMER_RULES,
  FLAT,
  decide,
  pickSignal,
  signalIntent,
  type ConsumerRules,
  type DecisionCode,
  type Intent,
} from '../signals/consumption';
import type { SignalDoc } from '../signals/signalRows';

export interface BotTrade {
  tradeId: number;
  enterTag: string | null;
  exitReason: string | null;
  /** When it opened and closed (null: still open), ms. */
  openedAt: number;
  closedAt: number | null;
}

export type SignalOutcome =
  /** The bot made the trade the rules give for it. */
  | 'traded'
  /** The rules set it aside (the decision's code says why). */
  | 'explained'
  /** Its window is still open: the bot may yet act on it. */
  | 'pending'
  /** The rules give a trade the bot did not make. */
  | 'missing';

export interface SignalRow {
  ts: number;
  intent: Intent | null;
  outcome: SignalOutcome;
  /** Why it was set aside (explained), or the decision that should have traded it (missing). */
  code: DecisionCode | null;
  tradeId: number | null;
}

export interface BotReconciliation {
  signals: SignalRow[];
  /** Trades tagged with a signal the rules do not act on. */
  unexpected: { tradeId: number; tag: string }[];
}

export const tagOf = (intent: Intent, ts: number) => `qd:${intent}:${ts}`;

/**
 * Replays the rules bar by bar (each bar decided once its half-bar export budget has passed, as
 * a bot decides it live) over one strategy's signals of one pair, and matches the trades. The
 * replay follows the bot: its position is the bot's own at each decision, and a trade the bot
 * did not make leaves it where it was (the signal may still be acted on later, as the bot would).
 */
export function reconcileBotTrades(
  signals: readonly SignalDoc[],
  trades: readonly BotTrade[],
  now: number,
  rules: ConsumerRules = DEFAULT_CONSUMER_RULES,
): BotReconciliation {
  const sorted = [...signals].sort((a, b) => a.ts.getTime() - b.ts.getTime());
  if (!sorted.length) return { signals: [], unexpected: [] };
  const tf = sorted[0]!.timeframe;
  const step = TIMEFRAME_MS[tf];
  const byTag = new Map<string, number>();
  for (const t of trades) {
    if (t.enterTag) byTag.set(t.enterTag, t.tradeId);
    if (t.exitReason) byTag.set(t.exitReason, t.tradeId);
  }
  const acted = new Map<number, { code: DecisionCode; bar: number }>();
  const missed = new Map<number, DecisionCode>();
  const setAside = new Map<number, DecisionCode>();
  const expected = new Set<string>();
  const holds = (at: number) => trades.some((t) => t.openedAt <= at && (t.closedAt === null || t.closedAt > at));
  let state = FLAT;
  const last = lastClosedBarOpen(now, tf);
  for (let bar = sorted[0]!.ts.getTime() - rules.toleranceBars * step; bar <= last; bar += step) {
    const at = Math.min(now, bar + step + step / 2);
    const pick = pickSignal(sorted, bar, at, rules);
    // the bot's position as the bar closed, before anything it does on this bar
    const d = decide({ ...state, inPosition: holds(bar + step) }, pick.signal, bar, rules);
    if (!pick.signal) continue;
    const ts = pick.signal.ts.getTime();
    if (!d.intent) {
      if (!acted.has(ts)) setAside.set(ts, d.code);
      state = d.state;
      continue;
    }
    const tag = tagOf(d.intent, ts);
    if (byTag.has(tag) || at >= now) {
      acted.set(ts, { code: d.code, bar });
      expected.add(tag);
      state = d.state;
    } else missed.set(ts, d.code); // the bot did not act: it stays where it was
  }
  const rows: SignalRow[] = sorted.map((s) => {
    const ts = s.ts.getTime();
    const intent = signalIntent(s, rules);
    const tradeId = intent ? (byTag.get(tagOf(intent, ts)) ?? null) : null;
    const a = acted.get(ts);
    // The bot has until the half-bar budget after the bar it should act on.
    if (a) {
      const due = a.bar + step + step / 2 <= now;
      return { ts, intent, outcome: tradeId !== null ? 'traded' : due ? 'missing' : 'pending', code: a.code, tradeId };
    }
    if (missed.has(ts)) return { ts, intent, outcome: 'missing', code: missed.get(ts)!, tradeId };
    // Closed too recently for every bar that may still act on it.
    if (ts + (rules.toleranceBars + 1) * step + step / 2 > now)
      return { ts, intent, outcome: 'pending', code: null, tradeId };
    return { ts, intent, outcome: 'explained', code: setAside.get(ts) ?? 'noSignal', tradeId };
  });
  const unexpected = [...byTag.entries()]
    .filter(([tag]) => tag.startsWith('qd:') && !expected.has(tag))
    .map(([tag, tradeId]) => ({ tradeId, tag }));
  return { signals: rows, unexpected };
}
