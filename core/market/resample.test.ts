import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barsFromTuples, type OhlcvTuple } from './bars';
import { AUTO_MAX_CANDLES, RESOLUTIONS, RESOLUTION_MS, autoResolution, resampleBars, resolutionsFor } from './resample';

const MIN = 60_000;
const DAY = 86_400_000;

/** Independent reference: group by the UTC calendar fields of each bar, then fold each group. */
function reference(rows: OhlcvTuple[], step: number): OhlcvTuple[] {
  const groups = new Map<string, OhlcvTuple[]>();
  for (const r of rows) {
    const d = new Date(r[0]);
    const minutesOfDay = d.getUTCHours() * 60 + d.getUTCMinutes();
    const stepMin = step / MIN;
    const key =
      step >= DAY
        ? d.toISOString().slice(0, 10)
        : `${d.toISOString().slice(0, 10)}|${Math.floor(minutesOfDay / stepMin)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const d = new Date(g[0]![0]);
    const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    const open = step >= DAY ? dayStart : dayStart + Math.floor((g[0]![0] - dayStart) / step) * step;
    return [
      open,
      g[0]![1],
      Math.max(...g.map((x) => x[2])),
      Math.min(...g.map((x) => x[3])),
      g.at(-1)![4],
      g.reduce((s, x) => s + x[5], 0),
    ];
  });
}

const minuteBars = fc
  .tuple(
    fc.integer({ min: 0, max: 3 * 1440 }),
    fc.array(
      fc.tuple(
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
      ),
      { maxLength: 300 },
    ),
  )
  .map(([startMin, steps]) => {
    let t = Date.UTC(2026, 0, 1) + startMin * MIN;
    return steps.map(([gap, price, vol]): OhlcvTuple => {
      t += gap * MIN;
      return [t, price, price * 1.01, price * 0.99, price * 1.001, vol];
    });
  });

describe('resampleBars', () => {
  it('matches a calendar-grouping reference for every resolution, gaps included', () => {
    fc.assert(
      fc.property(minuteBars, fc.constantFrom(...RESOLUTIONS), (rows, res) => {
        const out = resampleBars(barsFromTuples('DEMO:BTCUSDT', '1m', rows), res);
        const ref = reference(rows, RESOLUTION_MS[res]);
        expect(out.length).toBe(ref.length);
        ref.forEach((r, i) => {
          expect([out.time[i], out.open[i], out.high[i], out.low[i], out.close[i]]).toEqual(r.slice(0, 5));
          expect(out.volume[i]).toBeCloseTo(r[5], 6);
        });
      }),
    );
  });

  it('gives the stored bars back when the resolution is the stored timeframe', () => {
    const b = barsFromTuples('DEMO:BTCUSDT', '1m', [[Date.UTC(2026, 0, 1), 1, 2, 0.5, 1.5, 10]]);
    expect(resampleBars(b, '1m')).toBe(b);
  });
});

describe('resolutions', () => {
  it('never draws a series finer than it is stored', () => {
    expect(resolutionsFor('1d')).toEqual(['1d']);
    expect(resolutionsFor('1m')).toEqual([...RESOLUTIONS]);
  });

  it('picks the finest resolution that keeps a span within the candle budget', () => {
    expect(autoResolution('1m', 7 * DAY)).toBe('1m');
    expect(autoResolution('1m', 30 * DAY)).toBe('5m');
    expect(autoResolution('1m', 365 * DAY)).toBe('1h');
    expect(autoResolution('1m', 3 * 365 * DAY)).toBe('4h');
    expect(autoResolution('1m', 40 * 365 * DAY)).toBe('1d');
    expect(autoResolution('1d', 10 * 365 * DAY)).toBe('1d');
    for (const span of [DAY, 40 * DAY, 400 * DAY, 5000 * DAY])
      expect(span / RESOLUTION_MS[autoResolution('1m', span)]).toBeLessThanOrEqual(
        Math.max(AUTO_MAX_CANDLES, span / DAY),
      );
  });
});
