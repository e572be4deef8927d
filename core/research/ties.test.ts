// Ties on a single level (entry === exit) hold the position; the crossover entry rule; and the
// versions of definitions written before `entryOn` existed.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest/backtest';
import { DEFAULT_BACKTEST_CONFIG } from '../backtest/engine';
import { allocBars, type ColumnarBars } from '../market/bars';
import { TIMEFRAME_MS } from '../market/timeframes';
import { DEFAULT_CONSUMER_RULES, FLAT, decide, signalIntent, type ConsumerState } from '../signals/consumption';
import type { SignalDoc } from '../signals/signalRows';
import { strategyVersion } from './runSettings';
import { StrategyDefinitionSchema, canonicalJson, evaluateStrategy, positionsFromScore } from './strategy';
import { TEMPLATES, buildFromTemplate } from './templates';

const DAY = TIMEFRAME_MS['1d'];
const T0 = Date.UTC(2026, 0, 1);

/** Daily bars whose open, high, low and close are all the given close. */
function barsOf(closes: readonly number[]): ColumnarBars {
  const b = allocBars('DEMO:BTCUSDT', '1d', closes.length);
  closes.forEach((c, i) => {
    b.time[i] = T0 + i * DAY;
    b.open[i] = c;
    b.high[i] = c;
    b.low[i] = c;
    b.close[i] = c;
    b.volume[i] = 1;
  });
  return b;
}

/** Bars after warm-up where the target differs from the bar before (the first such bar counts against flat). */
function changesAfterWarmup(target: Float64Array, warmupBars: number): number {
  let n = 0;
  for (let i = warmupBars; i < target.length; i++) if (target[i] !== (i > 0 ? target[i - 1]! : 0)) n++;
  return n;
}

const binary = { output: 'binary' as const, minHoldBars: 0, cooldownBars: 0 };

describe('a score exactly on the one level (entry === exit) holds the position', () => {
  it('holds flat and holds long on a tie', () => {
    const rules = { ...binary, entry: 0, exit: 0 };
    expect(Array.from(positionsFromScore(Float64Array.from([0, 0, 0, 0, 0]), rules).target)).toEqual([0, 0, 0, 0, 0]);
    // Strictly above enters, a tie holds long, strictly below exits, a tie holds flat.
    expect(Array.from(positionsFromScore(Float64Array.from([0, 1, 0, 0, -1, 0, 0, 2]), rules).target)).toEqual([
      0, 1, 1, 1, 0, 0, 0, 1,
    ]);
    // The same with weight output (span 0: full size while long).
    expect(
      Array.from(positionsFromScore(Float64Array.from([0, 1, 0, -1, 0]), { ...rules, output: 'weight' }).target),
    ).toEqual([0, 1, 1, 0, 0]);
    // Any level, not only 0.
    expect(
      Array.from(
        positionsFromScore(Float64Array.from([2.5, 3, 2.5, 2.5, 2, 2.5]), { ...rules, entry: 2.5, exit: 2.5 }).target,
      ),
    ).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it('a score crossing strictly above then strictly below still enters and exits', () => {
    const rules = { ...binary, entry: 0, exit: 0 };
    expect(Array.from(positionsFromScore(Float64Array.from([-1, 0.001, 0.5, -0.001, -2, 1]), rules).target)).toEqual([
      0, 1, 1, 0, 0, 1,
    ]);
  });

  it('hysteresis (exit < entry) is unchanged: at entry enters, at exit exits', () => {
    const rules = { ...binary, entry: 1, exit: -1 };
    expect(Array.from(positionsFromScore(Float64Array.from([0, 1, 0, -1, 0, 1, 1, -1]), rules).target)).toEqual([
      0, 1, 1, 0, 0, 1, 1, 0,
    ]);
    expect(
      Array.from(positionsFromScore(Float64Array.from([1, 0, -1]), { ...rules, output: 'weight' }).target),
    ).toEqual([1, 0.5, 0]);
  });

  it('a flat market never trades: trend-ema band 0, momentum-roc threshold 0, trend-ema-cross band 0', () => {
    const defs = [
      buildFromTemplate('trend-ema', { fast: 5, slow: 20, band: 0 }),
      buildFromTemplate('trend-ema-cross', { fast: 5, slow: 20, band: 0 }),
      buildFromTemplate('momentum-roc', { period: 10, threshold: 0, minHold: 0 }),
      buildFromTemplate('momentum-roc', { period: 10, threshold: 0 }),
    ];
    const bars = barsOf(Array.from({ length: 200 }, () => 100));
    for (const def of defs) {
      expect(def.entry === def.exit).toBe(true); // 0 and -0
      const out = evaluateStrategy(def, bars);
      expect(out.warmupBars).toBeGreaterThan(0);
      expect(out.warmupBars).toBeLessThan(30);
      // The premise: the score sits exactly on the level on every bar after warm-up.
      for (let i = out.warmupBars; i < bars.length; i++) expect(out.score[i] === def.entry).toBe(true);
      expect(changesAfterWarmup(out.target, out.warmupBars)).toBe(0);
      const bt = runBacktest(bars, out.target, { ...DEFAULT_BACKTEST_CONFIG, stopLossPct: null }, out);
      expect(bt.fills).toHaveLength(0);
      expect(bt.trades).toHaveLength(0);
      expect(bt.metrics.trades).toBe(0);
      expect(bt.equity[bars.length - 1]).toBe(DEFAULT_BACKTEST_CONFIG.initialCash);
    }
  });
});

/** Rises `up` bars by 1 from 100, then alternates falls and rises of the given lengths (2 a bar). */
function zigzag(up: number, legs: readonly number[]): number[] {
  const c = [100];
  for (let i = 1; i < up; i++) c.push(c[i - 1]! + 1);
  legs.forEach((n, k) => {
    for (let i = 0; i < n; i++) c.push(c[c.length - 1]! + (k % 2 === 0 ? -2 : 2));
  });
  return c;
}

/** Bars where the score goes from below `level` to at or above it (from the bar before). */
function upCrosses(score: Float64Array, from: number, level: number): number[] {
  const out: number[] = [];
  for (let i = from + 1; i < score.length; i++) if (score[i - 1]! < level && score[i]! >= level) out.push(i);
  return out;
}

describe('trend EMA: level rule and crossover rule', () => {
  const params = { fast: 3, slow: 10, band: 0.2 };
  const level = buildFromTemplate('trend-ema', params);
  const cross = buildFromTemplate('trend-ema-cross', params);

  it('builds and validates the crossover template', () => {
    expect(cross.entryOn).toBe('cross');
    expect(StrategyDefinitionSchema.parse(cross)).toEqual(cross);
    expect({ ...cross, entryOn: undefined, name: level.name }).toEqual({ ...level, entryOn: undefined });
    expect('entryOn' in level).toBe(false);
    expect(TEMPLATES.map((t) => t.id).slice(0, 2)).toEqual(['trend-ema', 'trend-ema-cross']);
    expect(() => buildFromTemplate('trend-ema-cross', { fast: 50, slow: 20 })).toThrow(/must be longer than fast/);
    expect(StrategyDefinitionSchema.safeParse({ ...cross, entryOn: 'sideways' }).success).toBe(false);
  });

  it('a rising series, fast already above slow at the end of warm-up: level long from there, cross flat', () => {
    const bars = barsOf(Array.from({ length: 60 }, (_, i) => 100 + i));
    const a = evaluateStrategy(level, bars);
    const b = evaluateStrategy(cross, bars);
    expect(a.warmupBars).toBe(b.warmupBars);
    expect(a.score[a.warmupBars]).toBeGreaterThan(params.band);
    for (let i = 0; i < bars.length; i++) {
      expect(a.target[i]).toBe(i >= a.warmupBars ? 1 : 0);
      expect(b.target[i]).toBe(0);
    }
  });

  it('a dip and recovery: cross enters on the bar of the cross up and exits on the cross down', () => {
    // Up 30, down 15, up 25, down 15, up 10.
    const bars = barsOf(zigzag(30, [15, 25, 15, 10]));
    const a = evaluateStrategy(level, bars);
    const b = evaluateStrategy(cross, bars);
    const w = b.warmupBars;
    // Flat through the first rise (no cross yet), however far above the fast EMA is.
    for (let i = 0; i < 30; i++) expect(b.target[i]).toBe(0);
    const ups = upCrosses(b.score, w, params.band);
    expect(ups.length).toBe(2);
    const [firstUp, secondUp] = ups as [number, number];
    expect(firstUp).toBeGreaterThan(45); // in the recovery
    expect(firstUp).toBeLessThan(70);
    const firstDown = b.score.findIndex((s, i) => i > firstUp && s <= -params.band);
    expect(firstDown).toBeGreaterThan(70); // in the second fall
    for (let i = 0; i < bars.length; i++) {
      const want = (i >= firstUp && i < firstDown) || i >= secondUp ? 1 : 0;
      expect(b.target[i], `bar ${i}`).toBe(want);
    }
    // Entries on the cross bar exactly: flat the bar before.
    expect(b.target[firstUp - 1]).toBe(0);
    expect(b.target[firstDown - 1]).toBe(1);
    // The level rule was long from warm-up; once it has been flat, both rules agree.
    expect(a.target[w]).toBe(1);
    const levelFlat = a.target.findIndex((t, i) => i >= w && t === 0);
    expect(levelFlat).toBeGreaterThan(30);
    for (let i = levelFlat; i < bars.length; i++) expect(a.target[i], `bar ${i}`).toBe(b.target[i]);
    // A backtest of the crossover trades twice in, once out.
    const bt = runBacktest(bars, b.target, { ...DEFAULT_BACKTEST_CONFIG, stopLossPct: null }, b);
    expect(bt.fills.map((f) => Math.sign(f.qty))).toEqual([1, -1, 1]);
  });

  it('cross rule on raw scores: needs a fresh cross from below; a cross during a cooldown is missed', () => {
    const rules = { ...binary, entry: 1, exit: -1, entryOn: 'cross' as const };
    const score = Float64Array.from([Number.NaN, 2, 2, -2, 0.5, 2, 2, -1, 3]);
    expect(Array.from(positionsFromScore(score, { ...rules, entryOn: undefined }).target)).toEqual([
      0, 1, 1, 0, 0, 1, 1, 0, 1,
    ]);
    expect(Array.from(positionsFromScore(score, rules).target)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 1]);
    // Exactly at entry after being below is a cross; at entry and then above is not.
    expect(Array.from(positionsFromScore(Float64Array.from([0, 1, 2, 0, 1, 1]), rules).target)).toEqual([
      0, 1, 1, 1, 1, 1,
    ]);
    expect(Array.from(positionsFromScore(Float64Array.from([1, 2, 0.5, 3]), rules).target)).toEqual([0, 0, 0, 1]);
    // Cooldown of 2 after the exit at bar 2: the cross at bar 3 is missed; the next one (bar 7) is taken.
    expect(
      Array.from(
        positionsFromScore(Float64Array.from([-2, 2, -2, 2, 2, 2, -2, 2]), { ...rules, cooldownBars: 2 }).target,
      ),
    ).toEqual([0, 1, 0, 0, 0, 0, 0, 1]);
    // With one level (entry === exit) a tie holds, and a cross through the level by way of a tie counts.
    expect(
      Array.from(
        positionsFromScore(Float64Array.from([1, 0, -1, 0, 1, 0, -1]), { ...rules, entry: 0, exit: 0 }).target,
      ),
    ).toEqual([0, 0, 0, 0, 1, 1, 0]);
  });
});

describe('versions of definitions', () => {
  it('definitions without entryOn keep the versions they had before it existed', () => {
    // Recorded with the code before `entryOn` was added.
    const before: Record<string, string> = {
      'trend-ema': '985683ecac6d',
      'mean-reversion-rsi': '4ba797b962c7',
      'breakout-donchian': '715068125607',
      'bollinger-reversion': 'ad5fba391eac',
      'momentum-roc': '4dcdd7aeae9e',
    };
    for (const [id, version] of Object.entries(before)) {
      const def = buildFromTemplate(id, {});
      expect('entryOn' in def).toBe(false);
      expect(strategyVersion(def), id).toBe(version);
    }
    expect(strategyVersion(buildFromTemplate('trend-ema', { band: 0 }, { name: 'x', stopLossPct: 5 }))).toBe(
      'e92ea757f3f9',
    );
  });

  it('spelling out the default entryOn changes nothing; the crossover has its own version', () => {
    const def = buildFromTemplate('trend-ema', {});
    const spelled = StrategyDefinitionSchema.parse({ ...def, entryOn: 'level' });
    expect(spelled).toEqual(def);
    expect('entryOn' in spelled).toBe(false);
    expect(canonicalJson(spelled)).toBe(canonicalJson(def));
    expect(strategyVersion(spelled)).toBe(strategyVersion(def));
    const crossDef = buildFromTemplate('trend-ema-cross', {}, { name: 'trend-ema' });
    expect(strategyVersion(crossDef)).not.toBe(strategyVersion(def));
  });
});

describe('signal consumption with enterAbove === exitBelow (checked, unchanged)', () => {
  const rules = { ...DEFAULT_CONSUMER_RULES, enterAbove: 0.5, exitBelow: 0.5 };
  const signal = (weight: number, day: number): SignalDoc => ({
    ts: new Date(T0 + day * DAY),
    timeframe: '1d',
    symbol: 'DEMO:BTCUSDT',
    pair: 'BTC/USDT',
    strategy_id: 's',
    weight,
  });

  it('a weight exactly on the level is an entry, never an exit: no flip-flop', () => {
    expect(DEFAULT_CONSUMER_RULES.enterAbove).toBe(DEFAULT_CONSUMER_RULES.exitBelow);
    expect(signalIntent({ weight: 0.5 }, rules)).toBe('enter');
    expect(signalIntent({ weight: 0.5000001 }, rules)).toBe('enter');
    expect(signalIntent({ weight: 0.4999999 }, rules)).toBe('exit');
    // Long: a tie holds (already in a position). Flat: a tie enters (once), then holds.
    let state: ConsumerState = { ...FLAT, inPosition: true, enteredAt: T0 - DAY };
    for (let d = 0; d < 5; d++) {
      const r = decide(state, signal(0.5, d), T0 + (d + 1) * DAY, rules);
      expect(r.intent).toBeNull();
      expect(r.code).toBe('inPosition');
      state = r.state;
    }
    let flat = FLAT;
    const intents: (string | null)[] = [];
    for (let d = 0; d < 5; d++) {
      const r = decide(flat, signal(0.5, d), T0 + (d + 1) * DAY, rules);
      intents.push(r.intent);
      flat = r.state;
    }
    expect(intents).toEqual(['enter', null, null, null, null]);
  });
});
