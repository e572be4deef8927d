import { describe, expect, it } from 'vitest';
import { allocBars, barsFromTuples, type ColumnarBars } from '../market/bars';
import { ReplayMarket } from './replayMarket';
import { createSimClock } from './simClock';
import { SyntheticMarket, demoAssets } from './syntheticMarket';

const DAY0 = Date.UTC(2026, 0, 10);

function fromSynthetic(pair: string, from: number, count: number): ColumnarBars {
  const syn = new SyntheticMarket(demoAssets(DAY0 + 30 * 86_400_000), 3);
  return barsFromTuples(
    `SIM:${pair.replace('/', '')}`,
    '1m',
    syn.minutes(pair, from, from + (count - 1) * 60_000, count),
  );
}

describe('replay market', () => {
  const bars = fromSynthetic('BTC/USDT', DAY0, 2 * 1440);
  const replay = new ReplayMarket(new Map([['BTC/USDT', bars]]));

  it('serves the stored minutes unchanged and derives the daily bar from them', () => {
    const m = replay.minutes('BTC/USDT', DAY0 + 60_000, DAY0 + 10 * 60_000, 5);
    expect(m).toHaveLength(5);
    expect(m[0]).toEqual([bars.time[1], bars.open[1], bars.high[1], bars.low[1], bars.close[1], bars.volume[1]]);
    const d = replay.daily('BTC/USDT', DAY0)!;
    expect(d[1]).toBe(bars.open[0]);
    expect(d[4]).toBe(bars.close[1439]);
    expect(d[2]).toBe(Math.max(...bars.high.subarray(0, 1440)));
    // A forming day aggregates the minutes so far, the last one as far as it has got (30 s of 60).
    const i = 1440 + 59;
    expect(replay.daily('BTC/USDT', DAY0 + 86_400_000, DAY0 + 86_400_000 + 59 * 60_000 + 30_000)![4]).toBeCloseTo(
      bars.open[i]! + (bars.close[i]! - bars.open[i]!) / 2,
      9,
    );
    expect(replay.price('BTC/USDT', DAY0 + 86_400_000 + 59 * 60_000 + 30_000)).toBeCloseTo(
      bars.open[i]! + (bars.close[i]! - bars.open[i]!) / 2,
      9,
    );
  });

  it('holds the last price through a gap and has none before the first bar', () => {
    const gappy = allocBars('X:BTCUSDT', '1m', 2);
    gappy.time.set([DAY0, DAY0 + 10 * 60_000]);
    gappy.open.set([100, 110]); // flat minutes: the price within them is the close
    gappy.close.set([100, 110]);
    const r = new ReplayMarket(new Map([['BTC/USDT', gappy]]));
    expect(r.price('BTC/USDT', DAY0 - 1)).toBeNull();
    expect(r.price('BTC/USDT', DAY0 + 5 * 60_000 + 123)).toBe(100);
    expect(r.price('BTC/USDT', DAY0 + 10 * 60_000 + 5)).toBe(110);
  });

  it('refuses bars it cannot replay, with the reason', () => {
    const daily = { ...allocBars('X:BTCUSDT', '1d', 1) };
    expect(() => new ReplayMarket(new Map([['BTC/USDT', daily]]))).toThrow(/needs 1m bars/);
    expect(() => new ReplayMarket(new Map([['BTC/USDT', allocBars('X:BTCUSDT', '1m', 0)]]))).toThrow(/No bars/);
    const unordered = allocBars('X:BTCUSDT', '1m', 2);
    unordered.time.set([DAY0 + 60_000, DAY0]);
    expect(() => new ReplayMarket(new Map([['BTC/USDT', unordered]]))).toThrow(/not in time order at index 1/);
  });
});

describe('simulator clock', () => {
  it('runs faster than the wall, changes speed without jumping, and pauses', () => {
    let wall = 1_000;
    const clock = createSimClock({ start: DAY0, speed: 60, wall: () => wall });
    wall += 1_000;
    expect(clock.now()).toBe(DAY0 + 60_000);
    clock.setSpeed(0);
    wall += 5_000;
    expect(clock.now()).toBe(DAY0 + 60_000);
    clock.setSpeed(1);
    wall += 250;
    expect(clock.now()).toBe(DAY0 + 60_250);
    expect(() => clock.setSpeed(-1)).toThrow(/between 0/);
    expect(() => clock.setSpeed(Number.NaN)).toThrow(/between 0/);
  });
});
