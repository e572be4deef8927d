// Stored series as choices for research forms.
import { useEffect, useState } from 'react';
import type { Series } from '../../../../core/api/contract';
import { useDesk } from '../../deskContext';

export const seriesKey = (s: Pick<Series, 'symbol' | 'timeframe'>) => `${s.symbol}|${s.timeframe}`;
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const startOfDay = (day: string) => new Date(`${day}T00:00:00Z`).toISOString();
export const endOfDay = (day: string) => new Date(`${day}T23:59:59.999Z`).toISOString();

export function useStoredSeries(): Series[] | null {
  const { request } = useDesk();
  const [series, setSeries] = useState<Series[] | null>(null);
  useEffect(() => {
    request('market.series', {}, setSeries, () => setSeries([]));
  }, [request]);
  return series;
}
