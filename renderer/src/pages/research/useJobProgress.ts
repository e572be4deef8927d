// Progress of one research job (a backtest or a sweep), from the back end's events.
import { useEffect, useState } from 'react';
import type { ResearchProgress } from '../../../../core/api/researchContract';
import { useDesk } from '../../deskContext';

export function newJobId(): string {
  return `job-${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

export function useJobProgress(jobId: string | null): ResearchProgress | null {
  const { client } = useDesk();
  const [p, setP] = useState<ResearchProgress | null>(null);
  useEffect(() => {
    setP(null);
    if (!jobId) return;
    return client.on('researchProgress', (e) => {
      if (e.jobId === jobId) setP(e);
    });
  }, [client, jobId]);
  return p;
}
