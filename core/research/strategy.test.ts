import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ColumnarBars } from '../market/bars';
import { simulate, newRecord, DEFAULT_BACKTEST_CONFIG } from '../backtest/engine';
import { SyntheticMarket, demoAssets, syntheticColumns } from '../simulation/syntheticMarket';
import { PerpetualMarket } from '../simulation/perpetualMarket';
import { perpetualColumns } from '../simulation/perpetualColumns';
import { StrategyDefinitionSchema, canonicalJson, evaluateStrategy, positionsFromScore } from './strategy';
import { TEMPLATES, buildFromTemplate } from './templates';

/** Daily bars of the seeded market, with its perpetual's funding and prices (for the crypto factors). */
const syntheticDaily = (pair: string, days: number, seed: number): ColumnarBars => {
  const market = new SyntheticMarket(demoAssets(Date.UTC(2026, 0, 1)), seed);
  const bars = syntheticColumns(market, pair, '1d', days);
  bars.crypto = perpetualColumns(new PerpetualMarket(market, seed), pair, bars, ['funding', 'last', 'mark', 'index']);
  return bars;
};

describe('strategy definitions', () => {
  it('every template builds a valid definition from its defaults', () => {
    for (const t of TEMPLATES) {
      const def = buildFromTemplate(t.id, {});
      expect(StrategyDefinitionSchema.parse(def)).toEqual(def);
    }
  });

  it('names what is wrong with a definition or parameters', () => {
    expect(() => buildFromTemplate('trend-ema', { fast: 50, slow: 20 })).toThrow(
      /slow \(20\) must be longer than fast \(50\)/,
    );
    expect(() => buildFromTemplate('trend-ema', { fast: 1 })).toThrow(/fast must be between 2 and 200, got 1/);
    expect(() => buildFromTemplate('trend-ema', { speed: 3 })).toThrow(/no parameter "speed"/);
    expect(() => buildFromTemplate('nope', {})).toThrow(/Unknown strategy template "nope"/);
    const bad = StrategyDefinitionSchema.safeParse({
      name: 'x',
      factors: [{ id: 'a', fn: 'rsi', params: { period: 1.5 } }],
      score: [{ factor: 'b', weight: 1 }],
      entry: 0,
      exit: 1,
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message).join('\n');
    expect(messages).toMatch(/rsi.period must be an integer between 2 and 500, got 1.5/);
    expect(messages).toMatch(/unknown factor "b"/);
    expect(messages).toMatch(/exit level \(1\) must not be above the entry level \(0\)/);
  });

  it('hashes the same definition the same way whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });

  it('hysteresis, minimum hold and cooldown', () => {
    const score = Float64Array.from([Number.NaN, 0, 2, 1, -0.5, -2, 2, 2, 2, -2, 2]);
    const rules = { entry: 1, exit: -1, output: 'binary' as const, minHoldBars: 0, cooldownBars: 0 };
    expect(Array.from(positionsFromScore(score, rules).target)).toEqual([0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1]);
    expect(positionsFromScore(score, rules).warmupBars).toBe(1);
    // Hold at least 5 bars once in: the exit signal at bar 5 (held 3) is ignored, the one at bar 9 taken.
    expect(Array.from(positionsFromScore(score, { ...rules, minHoldBars: 5 }).target)).toEqual([
      0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1,
    ]);
    // Cooldown of 2 bars after an exit.
    expect(Array.from(positionsFromScore(score, { ...rules, cooldownBars: 2 }).target)).toEqual([
      0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0,
    ]);
    // Weight output: 1 at the entry level, scaling to 0 at the exit level.
    expect(
      Array.from(positionsFromScore(Float64Array.from([2, 0, 1, -1]), { ...rules, output: 'weight' }).target),
    ).toEqual([1, 0.5, 1, 0]);
  });

  it('no look-ahead: changing future bars never changes past positions or equity', () => {
    const base = syntheticDaily('ETH/USDT', 300, 9);
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATES.map((t) => t.id)),
        fc.integer({ min: 60, max: 280 }),
        fc.double({ min: 0.5, max: 1.8, noNaN: true }),
        (id, cut, k) => {
          const def = buildFromTemplate(id, {}, { stopLossPct: 8 });
          const changed = {
            ...base,
            time: base.time,
            open: base.open.slice(),
            high: base.high.slice(),
            low: base.low.slice(),
            close: base.close.slice(),
            volume: base.volume.slice(),
          };
          for (let i = cut + 1; i < changed.length; i++) {
            changed.open[i] = changed.open[i]! * k;
            changed.high[i] = changed.high[i]! * k * 1.02;
            changed.low[i] = changed.low[i]! * k * 0.98;
            changed.close[i] = changed.close[i]! * k;
          }
          const a = evaluateStrategy(def, base);
          const b = evaluateStrategy(def, changed);
          const ra = newRecord(base.length);
          const rb = newRecord(base.length);
          simulate(base, a.target, { ...DEFAULT_BACKTEST_CONFIG, stopLossPct: 8 }, ra);
          simulate(changed, b.target, { ...DEFAULT_BACKTEST_CONFIG, stopLossPct: 8 }, rb);
          for (let i = 0; i <= cut; i++) {
            expect(b.target[i]).toBe(a.target[i]);
            expect(rb.equity[i]).toBe(ra.equity[i]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
