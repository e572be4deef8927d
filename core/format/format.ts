// Locale-aware display of numbers and times. Stored times are UTC; the trader chooses to
// see them in local time or UTC. Pure: the locale, the time zone choice and "now" come in.

export type TimeDisplay = 'local' | 'utc';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

export function formatNumber(locale: string, value: number, fractionDigits = 2): string {
  if (!Number.isFinite(value)) return '—';
  return cached(
    `n|${locale}|${fractionDigits}`,
    () =>
      new Intl.NumberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }),
  ).format(value);
}

export function formatInteger(locale: string, value: number): string {
  if (!Number.isFinite(value)) return '—';
  return cached(`i|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })).format(value);
}

export function formatPercent(locale: string, fraction: number, fractionDigits = 1): string {
  if (!Number.isFinite(fraction)) return '—';
  return cached(
    `p|${locale}|${fractionDigits}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'percent',
        minimumFractionDigits: fractionDigits,
        maximumFractionDigits: fractionDigits,
      }),
  ).format(fraction);
}

export function formatBytes(locale: string, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(locale, v, i === 0 ? 0 : 1)} ${units[i]}`;
}

/** Date and time to the second, with the zone named so a screenshot is never ambiguous. */
export function formatDateTime(locale: string, iso: string | Date, display: TimeDisplay): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return '—';
  const f = cached(
    `dt|${locale}|${display}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
        ...(display === 'utc' && { timeZone: 'UTC' }),
      }),
  );
  return f.format(d);
}

/** A UTC day (the date of a 1d bar), e.g. 2026-03-01 / 2026/03/01. */
export function formatDay(locale: string, ms: number): string {
  const f = cached(
    `day|${locale}`,
    () => new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }),
  );
  return Number.isFinite(ms) ? f.format(new Date(ms)) : '—';
}

/** A duration in the largest sensible units, e.g. "3 min 5 s" / "3分钟5秒". */
export function formatDuration(locale: string, ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  const parts: [number, Intl.NumberFormatOptions['unit']][] = [
    [Math.floor(s / 86400), 'day'],
    [Math.floor((s % 86400) / 3600), 'hour'],
    [Math.floor((s % 3600) / 60), 'minute'],
    [s % 60, 'second'],
  ];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2);
  if (shown.length === 0) shown.push([0, 'second']);
  return shown
    .map(([n, unit]) =>
      cached(
        `u|${locale}|${unit}`,
        () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }),
      ).format(n),
    )
    .join(' ');
}

/**
 * How long ago something that has happened did: a time a little ahead of the clock the page
 * last read (a heartbeat that arrived since) reads "now", never "in 3 seconds".
 */
export function formatAgo(locale: string, iso: string, now: Date): string {
  const t = new Date(iso).getTime();
  return formatAge(locale, Number.isFinite(t) ? new Date(Math.min(t, now.getTime())).toISOString() : iso, now);
}

/** How long ago `iso` was, relative to `now`, e.g. "5 seconds ago" / "5秒钟前". */
export function formatAge(locale: string, iso: string, now: Date): string {
  const diffS = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  if (!Number.isFinite(diffS)) return '—';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(diffS);
  if (abs < 60) return rtf.format(diffS, 'second');
  if (abs < 3600) return rtf.format(Math.round(diffS / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diffS / 3600), 'hour');
  return rtf.format(Math.round(diffS / 86400), 'day');
}
