// Stored series as choices for research forms.
import { useCallback, useEffect } from 'react';
import type { Series } from '../../../../core/api/contract';
import { useDesk } from '../../deskContext';
import { useLoaded } from '../../useLoaded';

export const seriesKey = (s: Pick<Series, 'symbol' | 'timeframe'>) => `${s.symbol}|${s.timeframe}`;
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const startOfDay = (day: string) => new Date(`${day}T00:00:00Z`).toISOString();
export const endOfDay = (day: string) => new Date(`${day}T23:59:59.999Z`).toISOString();

/** The stored series, or why they could not be read (null series: not known yet, never "none"). */
export function useStoredSeries(): { series: Series[] | null; error: string | null; retry(): void } {
  const { request } = useDesk();
  const loaded = useLoaded<Series[]>();
  const { ok, fail } = loaded;
  const retry = useCallback(() => request('market.series', {}, ok, fail), [request, ok, fail]);
  useEffect(retry, [retry]);
  return { series: loaded.data, error: loaded.error, retry };
}
