// A bot's trades against the signals it traded: what the rules give, matched by tag.
import { describe, expect, it } from 'vitest';
import { TIMEFRAME_MS } from '../market/timeframes';
import type { SignalDoc } from '../signals/signalRows';
import { reconcileBotTrades } from './botReconcile';

const MIN = TIMEFRAME_MS['1m'];
const A = Date.UTC(2026, 11, 6, 9, 0);
const sig = (ts: number, action: 'enter_long' | 'exit_long'): SignalDoc =>
  ({
    ts: new Date(ts),
    timeframe: '1m',
    symbol: 'DEMO:BTCUSDT',
    pair: 'BTC/USDT',
    action,
    strategy_id: 's',
  }) as SignalDoc;
const signals = [
  sig(A - MIN, 'exit_long'),
  sig(A, 'enter_long'),
  sig(A + MIN, 'exit_long'),
  sig(A + 2 * MIN, 'enter_long'),
];
const now = A + 10 * MIN;
const trade = (
  tradeId: number,
  enterTag: string,
  openedAt: number,
  exitReason: string | null,
  closedAt: number | null,
) => ({
  tradeId,
  enterTag,
  exitReason,
  openedAt,
  closedAt,
});

describe('signals against a bot’s trades', () => {
  it('finds each signal traded, or set aside with the rule that did it', () => {
    const r = reconcileBotTrades(
      signals,
      [
        trade(1, `qd:enter:${A}`, A + MIN + 5_000, `qd:exit:${A + MIN}`, A + 2 * MIN + 3_000),
        trade(2, `qd:enter:${A + 2 * MIN}`, A + 3 * MIN + 21_000, null, null),
      ],
      now,
    );
    expect(r.signals.map((s) => [s.ts - A, s.outcome, s.code, s.tradeId])).toEqual([
      [-MIN, 'explained', 'notInPosition', null],
      [0, 'traded', 'enter', 1],
      [MIN, 'traded', 'exit', 1],
      [2 * MIN, 'traded', 'enter', 2],
    ]);
    expect(r.unexpected).toEqual([]);
  });

  it('says what is missing, what is still pending, and a trade the rules do not give', () => {
    const r = reconcileBotTrades(
      signals,
      [
        // still open: the exit the rules give for A+1 was not made
        trade(1, `qd:enter:${A}`, A + MIN + 5_000, null, null),
        trade(7, `qd:enter:${A - 5 * MIN}`, A - 4 * MIN, null, A - 3 * MIN),
      ],
      A + 3 * MIN + 10_000,
    );
    expect(r.signals.map((s) => [s.ts - A, s.outcome, s.code])).toEqual([
      [-MIN, 'explained', 'notInPosition'],
      [0, 'traded', 'enter'],
      [MIN, 'missing', 'exit'],
      // its bar closed 10 s ago: the bot may still act on it
      [2 * MIN, 'pending', null],
    ]);
    expect(r.unexpected).toEqual([{ tradeId: 7, tag: `qd:enter:${A - 5 * MIN}` }]);
  });

  it('follows the bot: an entry it could not make is missing, and a later signal it traded is traded', () => {
    const r = reconcileBotTrades(
      [sig(A, 'enter_long'), sig(A + MIN, 'enter_long')],
      [trade(1, `qd:enter:${A + MIN}`, A + 2 * MIN + 8_000, null, null)],
      now,
    );
    expect(r.signals.map((s) => [s.ts - A, s.outcome, s.tradeId])).toEqual([
      [0, 'missing', null],
      [MIN, 'traded', 1],
    ]);
    expect(r.unexpected).toEqual([]);
  });

  it('follows the bot out of a position it left on its own: nothing to exit', () => {
    const r = reconcileBotTrades(
      [sig(A, 'enter_long'), sig(A + MIN, 'exit_long')],
      [trade(1, `qd:enter:${A}`, A + MIN + 5_000, 'stop_loss', A + MIN + 40_000)],
      now,
    );
    expect(r.signals.map((s) => [s.ts - A, s.outcome, s.code])).toEqual([
      [0, 'traded', 'enter'],
      [MIN, 'explained', 'notInPosition'],
    ]);
  });

  it('has nothing to say without signals', () => {
    expect(reconcileBotTrades([], [trade(1, 'x', A, null, null)], now)).toEqual({
      signals: [],
      unexpected: [],
    });
  });
});
