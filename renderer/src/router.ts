// Hash routes, so every page is deep-linkable in both app://desk and browser mode.
import { useEffect, useState } from 'react';

export const PAGES = [
  'overview',
  'market',
  'charts',
  'research',
  'signals',
  'trading',
  'reconciliation',
  'audit',
  'monitor',
  'settings',
] as const;
export type PageName = (typeof PAGES)[number];

function current(): PageName {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (PAGES as readonly string[]).includes(name) ? (name as PageName) : 'overview';
}

export function usePage(): PageName {
  const [page, setPage] = useState<PageName>(current);
  useEffect(() => {
    const on = () => setPage(current());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return page;
}

export const href = (page: PageName) => `#/${page}`;

/** Query parameters of the current hash route, e.g. `#/charts?symbol=DEMO:BTCUSDT`. */
export function hashParams(): URLSearchParams {
  const q = window.location.hash.indexOf('?');
  return new URLSearchParams(q >= 0 ? window.location.hash.slice(q + 1) : '');
}
