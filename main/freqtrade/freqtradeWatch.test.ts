// The bot's fills judged against the prices it asked for: worse than the limit is said.
import { describe, expect, it } from 'vitest';
import { botSlippages } from './freqtradeWatch';

describe('a Freqtrade bot’s slippage', () => {
  it('finds a buy above and a sell below the asked price by more than the limit, and nothing within it', () => {
    expect(
      botSlippages({ open_rate: 100.6, open_rate_requested: 100, close_rate: 99.4, close_rate_requested: 100 }),
    ).toEqual([
      { side: 'buy', bps: expect.closeTo(60, 6), price: 100.6, requested: 100 },
      { side: 'sell', bps: expect.closeTo(60, 6), price: 99.4, requested: 100 },
    ]);
    // better than asked, or within 50 bps: nothing
    expect(
      botSlippages({ open_rate: 99, open_rate_requested: 100, close_rate: 100.4, close_rate_requested: 100 }),
    ).toEqual([]);
    // an open trade, or one without what it asked for: only what can be judged
    expect(
      botSlippages({ open_rate: 101, open_rate_requested: 100, close_rate: null, close_rate_requested: null }),
    ).toEqual([{ side: 'buy', bps: expect.closeTo(100, 6), price: 101, requested: 100 }]);
    expect(botSlippages({ open_rate: 101, open_rate_requested: null })).toEqual([]);
    expect(botSlippages({ open_rate: 100.3, open_rate_requested: 100 }, 20)).toHaveLength(1);
  });
});
