import { describe, expect, it } from 'vitest';
import { SyntheticMarket, demoAssets } from '../simulation/syntheticMarket';
import { barsFromTuples } from './bars';
import { findJumps, findZeroVolumeRuns } from './quality';

const MIN = 60_000;
const NOW = Date.UTC(2026, 3, 1);

function fromMarket(n: number) {
  const m = new SyntheticMarket(demoAssets(NOW), 9);
  const rows = m.minutes('BTC/USDT', NOW - n * MIN, NOW - MIN, n);
  return barsFromTuples('DEMO:BTCUSDT', '1m', rows);
}

describe('data quality', () => {
  it('finds nothing suspicious in a clean synthetic series', () => {
    const b = fromMarket(5000);
    expect(findJumps(b)).toEqual([]);
    expect(findZeroVolumeRuns(b)).toEqual([]);
  });

  it('finds a planted price spike (both legs) and a planted zero-volume run', () => {
    const b = fromMarket(5000);
    b.close[2500] = b.close[2499]! * 1.4;
    for (let i = 3000; i < 3012; i++) b.volume[i] = 0;
    b.volume[4000] = 0; // one quiet minute is normal
    const jumps = findJumps(b);
    expect(jumps.map((j) => j.time).sort()).toEqual([b.time[2500], b.time[2501]]);
    expect(jumps[0]!.change).toBeCloseTo(0.4, 5);
    expect(findZeroVolumeRuns(b)).toEqual([{ from: b.time[3000], to: b.time[3011], bars: 12 }]);
  });
});
