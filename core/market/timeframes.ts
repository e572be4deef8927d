// Timeframe math, all in UTC. A 1d bar is the UTC day from 00:00 and is stored with
// `date` = YYYYMMDD; a 1m bar is stored with `datetime` = its open time.

export const TIMEFRAMES = ['1m', '1d'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const TIMEFRAME_MS: Record<Timeframe, number> = { '1m': 60_000, '1d': 86_400_000 };

export function isTimeframe(v: unknown): v is Timeframe {
  return typeof v === 'string' && (TIMEFRAMES as readonly string[]).includes(v);
}

/** Open time of the bar containing `ms`. */
export function barOpen(ms: number, tf: Timeframe): number {
  const step = TIMEFRAME_MS[tf];
  return Math.floor(ms / step) * step;
}

export function isAligned(ms: number, tf: Timeframe): boolean {
  return Number.isInteger(ms) && ms % TIMEFRAME_MS[tf] === 0;
}

/** Open time of the last bar that has closed at `nowMs` (a bar closes at open + step). */
export function lastClosedBarOpen(nowMs: number, tf: Timeframe): number {
  return barOpen(nowMs, tf) - TIMEFRAME_MS[tf];
}

/** Number of bars with open time in [fromMs, toMs] (both aligned), i.e. inclusive. */
export function barCount(fromMs: number, toMs: number, tf: Timeframe): number {
  if (toMs < fromMs) return 0;
  return Math.floor((toMs - fromMs) / TIMEFRAME_MS[tf]) + 1;
}

/** `YYYYMMDD` of the UTC day containing `ms`. */
export function toDateKey(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Invalid time ${ms}`);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** UTC midnight of a `YYYYMMDD` key. */
export function fromDateKey(key: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(key);
  if (!m) throw new RangeError(`Invalid date "${key}": expected YYYYMMDD`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (toDateKey(ms) !== key) throw new RangeError(`Invalid date "${key}": no such day`);
  return ms;
}
