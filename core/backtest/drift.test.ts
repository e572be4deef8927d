import { describe, expect, it } from 'vitest';
import { barsFromTuples } from '../market/bars';
import { fillsAgainstBacktest } from './drift';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const bars = barsFromTuples(
  'DEMO:ETHUSDT',
  '1m',
  [0, 1, 2, 4].map((k) => [T0 + k * MIN, 100 + k, 110, 90, 101 + k, 1]),
);

describe('fills against the backtest', () => {
  it('prices each fill against the open after its signal bar, worse positive for both sides', () => {
    const out = fillsAgainstBacktest(
      [
        { time: T0 + MIN + 5_000, side: 'buy', amount: 1, price: 101.101, signalTs: T0 },
        { time: T0 + 2 * MIN + 5_000, side: 'sell', amount: 1, price: 101.9, signalTs: T0 + MIN },
      ],
      bars,
      MIN,
    );
    expect(out.map((f) => f.backtestPrice)).toEqual([101, 102]);
    expect(out[0]!.diffBps).toBeCloseTo(10, 9); // paid 10 bps more than the backtest
    expect(out[1]!.diffBps).toBeCloseTo((0.1 / 102) * 10_000, 9); // sold below it
  });

  it('has no backtest price while the bar after the signal is not stored', () => {
    const [f] = fillsAgainstBacktest(
      [{ time: T0 + 3 * MIN, side: 'buy', amount: 1, price: 100, signalTs: T0 + 2 * MIN }],
      bars,
      MIN,
    );
    expect(f).toMatchObject({ backtestPrice: null, diffBps: null });
  });
});
