// Small line icons for the navigation (inline SVG: no icon font, nothing fetched).
import type { PageName } from '../router';

const PATHS: Record<PageName, string> = {
  overview: 'M3 12h4l3-8 4 16 3-8h4',
  market: 'M4 6h16M4 12h16M4 18h10M18 15v6m-3-3h6',
  charts: 'M6 4v16M6 8h-2v6h2M12 6v14M12 9h-2v7h2M18 3v14M18 6h-2v5h2',
  research: 'M10 3v6L4 19a1.5 1.5 0 0 0 1.3 2h13.4A1.5 1.5 0 0 0 20 19l-6-10V3M8 3h8',
  signals: 'M2 12h3l2-5 3 10 3-14 3 12 2-3h4',
  trading: 'M7 17 17 7M17 7h-7m7 0v7M4 20h16',
  reconciliation: 'M4 7h12l-3-3M20 17H8l3 3',
  audit: 'M12 7v5l3 2M3 12a9 9 0 1 0 3-6.7M3 4v4h4',
  monitor: 'M3 5h18v11H3zM8 21h8M12 16v5',
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .3-1.5-1.5.3-2-3-1-1 2h-2l-1-2-3 1 .3 2L6.3 7.3 4.3 7l-1 3 2 1v2l-2 1 1 3 2-.3 1.5 1.5-.3 2 3 1 1-2h2l1 2 3-1-.3-2 1.5-1.5 2 .3 1-3-2-1z',
};

export function Icon({ page }: { page: PageName }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[page]} />
    </svg>
  );
}
