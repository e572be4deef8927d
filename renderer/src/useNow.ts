import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms`, for "5 seconds ago" style labels. */
export function useNow(ms = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}
