import { describe, expect, it } from 'vitest';
import { baseChange, feeInQuote, isFlat, openCost, pnlOf, positionOf, quoteChange } from './positions';

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

  it('keeps the open position at average cost: sales take their share away, a sold-out position starts again', () => {
    const buy = (amount: number, price: number, fee = 0) =>
      ({ pair: 'ETH/USDT', side: 'buy', amount, price, fee, feeCurrency: 'USDT' }) as const;
    const sell = (amount: number, price: number) => ({ pair: 'ETH/USDT', side: 'sell', amount, price }) as const;
    // a brute-force reference: every unit bought is a lot at its own cost; sales draw evenly from all lots
    expect(openCost([buy(1, 100, 1), buy(1, 200, 1)])).toEqual({ held: 2, cost: 302, entryPrice: 150 });
    const half = openCost([buy(1, 100, 1), buy(1, 200, 1), sell(1, 300)]);
    expect(half.held).toBe(1);
    expect(half.cost).toBeCloseTo(151, 10);
    expect(half.entryPrice).toBeCloseTo(150, 10);
    expect(openCost([buy(1, 100), sell(1, 150), buy(2, 120)])).toEqual({ held: 2, cost: 240, entryPrice: 120 });
    expect(openCost([buy(1, 100), sell(1, 150)])).toEqual({ held: 0, cost: 0, entryPrice: null });
    // a base-asset fee leaves less held for the same cost; the entry price is the fill's
    const baseFee = openCost([
      { pair: 'ETH/USDT', side: 'buy', amount: 1, price: 100, fee: 0.001, feeCurrency: 'ETH' },
    ]);
    expect(baseFee.held).toBeCloseTo(0.999, 12);
    expect(baseFee.entryPrice).toBe(100);
    expect(baseFee.cost).toBe(100);
  });
});
