// Labels of the time axis. Where a day's own mark would crowd the one before it, the library
// falls back to a mark within that day: under a year of candles a bare "12:00" says nothing,
// so on a range of a week or more such a mark is labelled with its date.
import { TickMarkType } from 'lightweight-charts';

const WEEK_S = 7 * 86_400;

/** The label of a mark at `timeS` (UTC seconds) on a visible range of `spanS` seconds; null keeps the library's own. */
export function tickLabel(timeS: number, type: TickMarkType, spanS: number, locale: string): string | null {
  if (type !== TickMarkType.Time && type !== TickMarkType.TimeWithSeconds) return null;
  if (spanS < WEEK_S) return null;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(timeS * 1000);
}
