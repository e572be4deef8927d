import { describe, expect, it } from 'vitest';
import { importCost } from './importCost';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 6, 12, 30, 15);

describe('importCost', () => {
  it('counts the closed bars from the start to now and prices a year of minutes on the bundled engine', () => {
    const c = importCost('1m', now - 365 * DAY, now, 'ferretdb');
    expect(c.bars).toBe(365 * 1440);
    expect(c.diskBytes! / 1e6).toBeCloseTo(298.5, 0);
    expect(c.seconds).toBeCloseTo(17.5, 0);
    expect(c.large).toBe(true);
  });

  it('does not warn for small imports or guess another server’s disk use', () => {
    expect(importCost('1m', now - 30 * DAY, now, 'ferretdb').large).toBe(false);
    expect(importCost('1d', now - 3000 * DAY, now, 'ferretdb')).toMatchObject({ bars: 3000, large: false });
    const ext = importCost('1m', now - 365 * DAY, now, 'external');
    expect(ext).toMatchObject({ diskBytes: null, large: false });
    expect(ext.seconds).toBeCloseTo(10.5, 0);
  });

  it('is nothing for a start in the future', () => {
    expect(importCost('1m', now + DAY, now, 'ferretdb')).toMatchObject({ bars: 0, diskBytes: 0, large: false });
  });
});
