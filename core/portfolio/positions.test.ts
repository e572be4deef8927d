import { describe, expect, it } from 'vitest';
import { baseChange, feeInQuote, isFlat, pnlOf, positionOf, quoteChange } from './positions';

const buy = { pair: 'BTC/USDT', side: 'buy' as const, amount: 0.01, price: 60_000, fee: 0.00001, feeCurrency: 'BTC' };
const sell = {
  pair: 'BTC/USDT',
  side: 'sell' as const,
  amount: 0.00999,
  price: 61_000,
  fee: 0.609,
  feeCurrency: 'USDT',
};

describe('positions from fills', () => {
  it('takes a base-asset fee off what is held and a quote-asset fee off the cash', () => {
    expect(baseChange(buy)).toBeCloseTo(0.00999, 12);
    expect(quoteChange(buy)).toBeCloseTo(-600, 9);
    expect(baseChange(sell)).toBeCloseTo(-0.00999, 12);
    expect(quoteChange(sell)).toBeCloseTo(609.39 - 0.609, 9);
    expect(isFlat(positionOf([buy, sell]))).toBe(true);
  });

  it('prices a round trip: the sale proceeds less what was paid, fees in either asset included', () => {
    const { pnl, position } = pnlOf([buy, sell], 61_000);
    expect(position).toBeCloseTo(0, 12);
    expect(pnl).toBeCloseTo(0.00999 * 61_000 - 0.609 - 600, 9);
    // open: the position is worth the price given
    expect(pnlOf([buy], 62_000).pnl).toBeCloseTo(0.00999 * 62_000 - 600, 9);
  });

  it('counts fees in quote: a base-asset fee at the fill price, others as given', () => {
    expect(feeInQuote(buy)).toBeCloseTo(0.6, 9);
    expect(feeInQuote(sell)).toBeCloseTo(0.609, 9);
    expect(feeInQuote({ ...buy, fee: 0.002, feeCurrency: 'BNB' })).toBe(0.002);
    expect(feeInQuote({ ...buy, fee: undefined, feeCurrency: null })).toBe(0);
  });
});
