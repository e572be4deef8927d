import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatAgo,
  formatBytes,
  formatDateTime,
  formatDuration,
  formatInteger,
  formatNumber,
  formatPercent,
} from './format';

describe('locale formatting', () => {
  it('formats numbers per locale', () => {
    expect(formatNumber('en', 1234567.891)).toBe('1,234,567.89');
    expect(formatNumber('zh-CN', 1234567.891)).toBe('1,234,567.89');
    expect(formatNumber('de', 1234.5, 1)).toBe('1.234,5');
    expect(formatInteger('en', 525600)).toBe('525,600');
    expect(formatPercent('en', 0.1234)).toBe('12.3%');
    expect(formatNumber('en', Number.NaN)).toBe('—');
    expect(formatBytes('en', 3 * 1024 * 1024)).toBe('3.0 MB');
  });

  it('shows a stored UTC time in UTC or in the local zone, always naming the zone', () => {
    const iso = '2026-03-04T05:06:07.000Z';
    const utcEn = formatDateTime('en', iso, 'utc');
    expect(utcEn).toContain('05:06:07');
    expect(utcEn).toContain('UTC');
    expect(formatDateTime('zh-CN', iso, 'utc')).toMatch(/2026\/03\/04.*05:06:07/);
    expect(formatDateTime('en', 'garbage', 'utc')).toBe('—');
    // Local display is the same instant: it parses back to it whatever the machine's zone.
    expect(formatDateTime('en', iso, 'local')).toMatch(/\d{2}:\d{2}:\d{2}/);
  });

  it('formats durations and ages in each language', () => {
    expect(formatDuration('en', 185_000)).toBe('3 min 5 sec');
    expect(formatDuration('zh-CN', 185_000)).toMatch(/3\s*分钟.*5\s*秒/);
    expect(formatDuration('en', 0)).toBe('0 sec');
    const now = new Date('2026-01-01T00:01:00Z');
    expect(formatAge('en', '2026-01-01T00:00:55Z', now)).toBe('5 seconds ago');
    expect(formatAge('zh-CN', '2026-01-01T00:00:55Z', now)).toBe('5秒钟前');
    expect(formatAge('en', '2025-12-31T22:01:00Z', now)).toBe('2 hours ago');
    // Something that has happened never reads as ahead: a heartbeat newer than the page's clock is "now".
    expect(formatAge('en', '2026-01-01T00:01:03Z', now)).toBe('in 3 seconds');
    expect(formatAgo('en', '2026-01-01T00:01:03Z', now)).toBe('now');
    expect(formatAgo('en', '2026-01-01T00:00:55Z', now)).toBe('5 seconds ago');
    expect(formatAgo('en', 'not a time', now)).toBe('—');
  });
});
