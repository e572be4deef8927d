import { describe, expect, it } from 'vitest';
import { slippageBps } from './slippage';

describe('slippage', () => {
  it('is positive when the fill is worse for us, on either side', () => {
    expect(slippageBps('buy', 101, 100)).toBeCloseTo(100, 12); // paid 1 % more
    expect(slippageBps('sell', 99, 100)).toBeCloseTo(100, 12); // got 1 % less
    expect(slippageBps('buy', 99.5, 100)).toBeCloseTo(-50, 12);
    expect(slippageBps('sell', 100.5, 100)).toBeCloseTo(-50, 12);
  });

  it('is unknown without a usable reference', () => {
    expect(slippageBps('buy', 100, null)).toBeNull();
    expect(slippageBps('buy', 100, 0)).toBeNull();
    expect(slippageBps('sell', 100, Number.NaN)).toBeNull();
    expect(slippageBps('sell', Number.NaN, 100)).toBeNull();
  });
});
