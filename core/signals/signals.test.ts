import { readStoredSignal } from './storedSignals';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_CONSUMER_RULES,
  FLAT,
  decide,
  pickSignal,
  type ConsumerRules,
  type ConsumerState,
} from './consumption';
import { MAX_SIGNAL_BATCH, checkSignalBatch, checkSignalRow, type SignalDoc } from './signalRows';

const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const row = (over: Record<string, unknown> = {}) => ({
  ts: new Date(NOW - 10 * MIN),
  timeframe: '1m',
  symbol: 'BINANCE:BTCUSDT',
  pair: 'BTC/USDT',
  action: 'enter_long',
  strategy_id: 's1',
  ...over,
});

describe('signal rows: the contract checked before any write', () => {
  it('accepts seed-shaped rows (Date, epoch ms or ISO ts) and keeps the optional fields', () => {
    const d = checkSignalRow(
      row({
        ts: NOW - 10 * MIN,
        valid_until: new Date(NOW + MIN).toISOString(),
        note: 'n',
        source: 'py',
        version: 2,
        action: undefined,
        weight: 0.7,
      }),
      { now: NOW },
    ) as SignalDoc;
    expect(d).toMatchObject({ timeframe: '1m', pair: 'BTC/USDT', weight: 0.7, note: 'n', source: 'py', version: 2 });
    expect(d.ts).toEqual(new Date(NOW - 10 * MIN));
    expect(d.valid_until).toEqual(new Date(NOW + MIN));
    expect(d).not.toHaveProperty('action');
  });

  it.each([
    [{ action: undefined }, 'needs an action or a score/weight'],
    [{ action: 'buy' }, "action must be 'enter_long' or 'exit_long'"],
    [{ pair: 'ETH/USDT' }, 'pair ETH/USDT does not match symbol BINANCE:BTCUSDT (BTC/USDT)'],
    [{ symbol: 'BTCUSDT' }, 'Invalid symbol "BTCUSDT"'],
    [{ ts: new Date(NOW - 10 * MIN + 5) }, 'is not on a 1m bar boundary'],
    [{ ts: new Date(NOW + MIN) }, 'is in the future'],
    [{ valid_until: new Date(NOW - 20 * MIN) }, 'valid_until 2026-06-01T11:40:00.000Z is not after ts'],
    [{ score: '0.5', action: undefined }, 'score must be a finite number'],
    [{ weight: Number.NaN }, 'weight must be a finite number'],
    [{ timeframe: '5m' }, "timeframe must be '1m' or '1d'"],
    [{ strategy_id: '' }, 'strategy_id must be'],
    [{ ts: 'yesterday' }, 'ts must be a date'],
    [{ version: 1.5 }, 'version must be an integer'],
    [{ $where: 'x' }, 'unknown field "$where"'],
  ])('refuses %j: %s', (over, reason) => {
    expect(checkSignalRow(row(over), { now: NOW })).toContain(reason);
  });

  it('refuses a pair the exchange does not list when its pairs are known', () => {
    expect(
      checkSignalRow(row({ symbol: 'BINANCE:DOGEUSDT', pair: 'DOGE/USDT' }), {
        now: NOW,
        knownPairs: new Set(['BTC/USDT']),
      }),
    ).toMatch(/Unknown symbol "BINANCE:DOGEUSDT"/);
  });

  it('is all or nothing: one bad row or a duplicate key names itself and nothing is kept', () => {
    const ok = checkSignalBatch([row(), row({ ts: new Date(NOW - 11 * MIN) })], { now: NOW });
    expect(ok.errors).toEqual([]);
    expect(ok.docs).toHaveLength(2);
    const bad = checkSignalBatch([row(), row({ ts: new Date(NOW - 11 * MIN) }), row({ action: 'hold' }), row()], {
      now: NOW,
    });
    expect(bad.docs).toEqual([]);
    expect(bad.errors).toEqual([
      { row: 2, reason: "action must be 'enter_long' or 'exit_long', got \"hold\"" },
      { row: 3, reason: 'same strategy_id/pair/timeframe/ts as row 0' },
    ]);
    expect(
      checkSignalBatch({ length: MAX_SIGNAL_BATCH + 1 } as unknown as unknown[], { now: NOW }).errors[0]!.reason,
    ).toMatch(/larger than/);
  });
});

const sig = (minutesAgo: number, over: Partial<SignalDoc> = {}): SignalDoc => ({
  ts: new Date(NOW - minutesAgo * MIN),
  timeframe: '1m',
  symbol: 'BINANCE:BTCUSDT',
  pair: 'BTC/USDT',
  strategy_id: 's1',
  action: 'enter_long',
  ...over,
});

describe('consumption rules', () => {
  const rules = DEFAULT_CONSUMER_RULES;
  it('takes the latest signal within +-1 bar of the bar being decided, ignoring stale and expired ones', () => {
    const bar = NOW - 2 * MIN; // deciding the bar that opened 2 minutes ago (now is 2 min later)
    const p = pickSignal([sig(1), sig(2, { action: 'exit_long' }), sig(3), sig(6)], bar, NOW, rules);
    expect(p.signal?.ts).toEqual(new Date(NOW - MIN));
    expect(p.ignored.map((i) => i.reason)).toEqual(['outside window']);
    // Deciding earlier, the bar of the newest signal has not closed: it does not exist yet.
    const early = pickSignal([sig(1), sig(2, { action: 'exit_long' })], bar, NOW - 30_000, rules);
    expect(early.signal?.action).toBe('exit_long');
    expect(early.ignored.map((i) => i.reason)).toEqual(['not yet closed']);
    expect(pickSignal([sig(5)], NOW - 5 * MIN, NOW, rules).ignored[0]!.reason).toBe('stale'); // closed 4 min ago > 3 bars
    expect(pickSignal([sig(2, { valid_until: new Date(NOW) })], NOW - 2 * MIN, NOW, rules).ignored[0]!.reason).toBe(
      'expired',
    );
  });

  it('maps score/weight through the entry and exit levels', () => {
    const r: ConsumerRules = { ...rules, enterAbove: 0.6, exitBelow: 0.4 };
    const d = (w: number) =>
      decide({ ...FLAT, inPosition: w < 0.5 }, sig(1, { action: undefined, weight: w }), NOW - MIN, r).intent;
    expect([d(0.7), d(0.5), d(0.3)]).toEqual(['enter', null, 'exit']);
  });

  it('never acts on the same signal twice, and debounces with minimum hold and cooldown', () => {
    const r: ConsumerRules = { ...rules, minHoldBars: 3, cooldownBars: 2 };
    const enter = sig(10);
    let s = decide(FLAT, enter, NOW - 10 * MIN, r);
    expect(s.intent).toBe('enter');
    expect(decide(s.state, enter, NOW - 9 * MIN, r).reason).toBe('already acted on');
    expect(decide(s.state, sig(8, { action: 'exit_long' }), NOW - 8 * MIN, r).reason).toBe('minimum hold not reached');
    s = decide(s.state, sig(7, { action: 'exit_long' }), NOW - 7 * MIN, r);
    expect(s.intent).toBe('exit');
    expect(decide(s.state, sig(6), NOW - 6 * MIN, r).reason).toBe('cooldown after the last exit');
    expect(decide(s.state, sig(5), NOW - 5 * MIN, r).intent).toBe('enter');
  });

  it('properties over random signal streams: alternating intents, hold and cooldown respected, order of input irrelevant', () => {
    const stream = fc.array(
      fc.record({
        bar: fc.integer({ min: 0, max: 60 }),
        kind: fc.constantFrom('enter_long', 'exit_long', 'w') as fc.Arbitrary<string>,
        w: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(
        stream,
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 2 }),
        (items, minHold, cooldown, tol) => {
          const r: ConsumerRules = { ...rules, minHoldBars: minHold, cooldownBars: cooldown, toleranceBars: tol };
          const start = NOW - 100 * MIN;
          const byKey = new Map<number, SignalDoc>();
          for (const it of items)
            byKey.set(it.bar, {
              ...sig(0),
              ts: new Date(start + it.bar * MIN),
              action: it.kind === 'w' ? undefined : (it.kind as 'enter_long'),
              weight: it.kind === 'w' ? it.w : undefined,
            });
          const signals = [...byKey.values()];
          const run = (list: SignalDoc[]) => {
            let state: ConsumerState = FLAT;
            const acts: { bar: number; intent: string; ts: number }[] = [];
            for (let b = 0; b <= 62; b++) {
              const barOpen = start + b * MIN;
              // Decided one bar after it closed: now = the next bar's close.
              const p = pickSignal(list, barOpen, barOpen + 2 * MIN, r);
              const d = decide(state, p.signal, barOpen, r);
              if (d.intent) acts.push({ bar: b, intent: d.intent, ts: d.signal!.ts.getTime() });
              state = d.state;
            }
            return acts;
          };
          const acts = run(signals);
          expect(run([...signals].reverse())).toEqual(acts);
          acts.forEach((a, i) => {
            expect(a.intent).toBe(i % 2 === 0 ? 'enter' : 'exit');
            expect(Math.abs(a.ts - (start + a.bar * MIN))).toBeLessThanOrEqual(tol * MIN);
            if (i > 0 && a.intent === 'exit') expect(a.bar - acts[i - 1]!.bar).toBeGreaterThanOrEqual(minHold);
            if (i > 0 && a.intent === 'enter') expect(a.bar - acts[i - 1]!.bar).toBeGreaterThanOrEqual(cooldown);
          });
          expect(new Set(acts.map((a) => a.ts)).size).toBe(acts.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('signal rows from positions', () => {
  it('one row per bar after warm-up with the weight, actions where the position changes', async () => {
    const { signalRowsFromTarget } = await import('./exportRows');
    const { allocBars } = await import('../market/bars');
    const b = allocBars('DEMO:BTCUSDT', '1d', 6);
    b.time.set([0, 1, 2, 3, 4, 5].map((i) => Date.UTC(2026, 0, 1 + i)));
    const rows = signalRowsFromTarget(b, Float64Array.from([0, 0, 1, 1, 0, 0.5]), {
      pair: 'BTC/USDT',
      strategyId: 's',
      warmupBars: 1,
      lastBars: 100,
      source: 'test',
    });
    expect(rows.map((r) => [r.weight, r.action ?? null])).toEqual([
      [0, null],
      [1, 'enter_long'],
      [1, null],
      [0, 'exit_long'],
      [0.5, 'enter_long'],
    ]);
    for (const r of rows) expect(checkSignalRow(r, { now: Date.UTC(2026, 1, 1) })).not.toBeTypeOf('string');
    expect(
      signalRowsFromTarget(b, new Float64Array(6), {
        pair: 'BTC/USDT',
        strategyId: 's',
        warmupBars: 0,
        lastBars: 2,
        source: 't',
      }),
    ).toHaveLength(2);
  });
});

describe('after a protective stop', () => {
  it('refuses entries until the strategy itself exits, as the backtest does', () => {
    const stopped: ConsumerState = {
      inPosition: false,
      enteredAt: NOW - 10 * MIN,
      exitedAt: NOW - 5 * MIN,
      consumed: [],
      stoppedOut: true,
    };
    expect(decide(stopped, sig(3), NOW - 3 * MIN, DEFAULT_CONSUMER_RULES).reason).toMatch(/stopped out/);
    const exit = decide(stopped, sig(2, { action: 'exit_long' }), NOW - 2 * MIN, DEFAULT_CONSUMER_RULES);
    expect(exit.intent).toBeNull();
    expect(exit.state.stoppedOut).toBe(false);
    expect(decide(exit.state, sig(1), NOW - MIN, DEFAULT_CONSUMER_RULES).intent).toBe('enter');
  });
});

describe('a stored document against the rules our export applies', () => {
  const bar = Date.UTC(2026, 0, 1, 12, 0);
  const doc = (over: Record<string, unknown> = {}) => ({
    ts: new Date(bar),
    timeframe: '1m',
    symbol: 'DEMO:ETHUSDT',
    pair: 'ETH/USDT',
    strategy_id: 'outside',
    action: 'enter_long',
    ...over,
  });
  /** What the driver returns for an ObjectId made at `ms`. */
  const idAt = (ms: number) => ({ getTimestamp: () => new Date(Math.floor(ms / 1000) * 1000) });

  it('reads a good one, whatever the case of its symbol, and drops its _id', () => {
    const r = readStoredSignal(doc({ symbol: 'demo:ethusdt', _id: idAt(bar + 61_000) }));
    expect(typeof r).toBe('object');
    expect(r).not.toHaveProperty('_id');
  });

  it('refuses a pair that is not the symbol’s', () => {
    expect(readStoredSignal(doc({ pair: 'BTC/USDT' }))).toBe('pair BTC/USDT does not match symbol DEMO:ETHUSDT');
    expect(readStoredSignal(doc({ pair: 'ETHUSDT' }))).toBe('pair ETHUSDT does not match symbol DEMO:ETHUSDT');
  });

  it('refuses valid_until not after ts', () => {
    expect(readStoredSignal(doc({ valid_until: new Date(bar) }))).toMatch(/^valid_until .* is not after ts$/);
  });

  it('refuses a ts that was in the future when the document was written, by its ObjectId or its export time', () => {
    expect(readStoredSignal(doc({ _id: idAt(bar - 5 * 60_000) }))).toMatch(/was in the future when it was written/);
    expect(readStoredSignal(doc({ audit: { exported_at: new Date(bar - 60_000) } }))).toMatch(/in the future/);
    // Written during its own bar (the forming bar), as our export allows: read (and acted on once it closes).
    expect(typeof readStoredSignal(doc({ _id: idAt(bar + 30_000) }))).toBe('object');
    // An ObjectId keeps whole seconds: a write in the second the bar opened is not called the future.
    expect(typeof readStoredSignal(doc({ _id: idAt(bar - 400) }))).toBe('object');
  });
});
