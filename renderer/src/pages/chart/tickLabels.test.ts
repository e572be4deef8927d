import { TickMarkType } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { tickLabel } from './tickLabels';

const DAY = 86_400;
const noonMarch1 = Date.UTC(2026, 2, 1, 12) / 1000;

describe('tickLabel', () => {
  it('labels a mark within a day with its date on a range of a week or more', () => {
    expect(tickLabel(noonMarch1, TickMarkType.Time, 365 * DAY, 'en-US')).toBe('Mar 1');
    expect(tickLabel(noonMarch1, TickMarkType.Time, 365 * DAY, 'zh-CN')).toBe('3月1日');
    expect(tickLabel(noonMarch1, TickMarkType.TimeWithSeconds, 7 * DAY, 'en-US')).toBe('Mar 1');
  });

  it("keeps the library's labels for shorter ranges and for day, month and year marks", () => {
    expect(tickLabel(noonMarch1, TickMarkType.Time, 2 * DAY, 'en-US')).toBeNull();
    for (const type of [TickMarkType.Year, TickMarkType.Month, TickMarkType.DayOfMonth])
      expect(tickLabel(noonMarch1, type, 365 * DAY, 'en-US')).toBeNull();
  });
});
