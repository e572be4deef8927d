// The strategy version against Node's own SHA-256 (an independent implementation).
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { strategyVersion, toConfig } from '../core/research/runSettings';
import { canonicalJson, type StrategyDefinition } from '../core/research/strategy';

describe('strategy version', () => {
  it('is the first 12 hex digits of the SHA-256 of the canonical definition, whatever the key order', () => {
    const def = {
      kind: 'template',
      template: 'ma_cross',
      params: { fast: 10, slow: 30 },
    } as unknown as StrategyDefinition;
    const reordered = {
      params: { slow: 30, fast: 10 },
      template: 'ma_cross',
      kind: 'template',
    } as unknown as StrategyDefinition;
    const expected = crypto.createHash('sha256').update(canonicalJson(def)).digest('hex').slice(0, 12);
    expect(strategyVersion(def)).toBe(expected);
    expect(strategyVersion(reordered)).toBe(expected);
    const unicode = { name: '均线 ✓', n: 1 } as unknown as StrategyDefinition;
    expect(strategyVersion(unicode)).toBe(
      crypto.createHash('sha256').update(canonicalJson(unicode)).digest('hex').slice(0, 12),
    );
  });

  it('turns percent settings into the backtest configuration', () => {
    expect(
      toConfig({ initialCash: 1000, feePct: 0.1, slippageBps: 5, fillAt: 'next_open', stopLossPct: null } as never),
    ).toMatchObject({ initialCash: 1000, feeRate: 0.001, slippageBps: 5, fillAt: 'next_open', stopLossPct: null });
  });
});
