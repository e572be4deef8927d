// Every page of the desk, once: its place in the navigation, its icon and its component. The
// router holds the names (so a link can be made anywhere without importing the pages); the
// type makes an entry here required for each.
import type { ComponentType } from 'react';
import type { PageName } from '../router';
import { AuditPage } from './AuditPage';
import { ChartPage } from './ChartPage';
import { MarketPage } from './MarketPage';
import { MonitorPage } from './MonitorPage';
import { OverviewPage } from './OverviewPage';
import { ReconciliationPage } from './ReconciliationPage';
import { ResearchPage } from './ResearchPage';
import { SettingsPage } from './SettingsPage';
import { SignalsPage } from './SignalsPage';
import { TradingPage } from './TradingPage';

/** Navigation groups, in order (their titles are `nav.<group>` texts); the overview stands above them. */
export const NAV_GROUPS = ['groupData', 'groupExecution', 'groupSystem'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export interface PageEntry {
  group: NavGroup | null;
  /** A 24x24 line icon (an SVG path: no icon font, nothing fetched). */
  icon: string;
  Page: ComponentType;
}

export const PAGE_REGISTRY: Record<PageName, PageEntry> = {
  overview: { group: null, icon: 'M3 12h4l3-8 4 16 3-8h4', Page: OverviewPage },
  market: { group: 'groupData', icon: 'M4 6h16M4 12h16M4 18h10M18 15v6m-3-3h6', Page: MarketPage },
  charts: { group: 'groupData', icon: 'M6 4v16M6 8h-2v6h2M12 6v14M12 9h-2v7h2M18 3v14M18 6h-2v5h2', Page: ChartPage },
  research: {
    group: 'groupData',
    icon: 'M10 3v6L4 19a1.5 1.5 0 0 0 1.3 2h13.4A1.5 1.5 0 0 0 20 19l-6-10V3M8 3h8',
    Page: ResearchPage,
  },
  signals: { group: 'groupData', icon: 'M2 12h3l2-5 3 10 3-14 3 12 2-3h4', Page: SignalsPage },
  trading: { group: 'groupExecution', icon: 'M7 17 17 7M17 7h-7m7 0v7M4 20h16', Page: TradingPage },
  reconciliation: { group: 'groupExecution', icon: 'M4 7h12l-3-3M20 17H8l3 3', Page: ReconciliationPage },
  audit: { group: 'groupExecution', icon: 'M12 7v5l3 2M3 12a9 9 0 1 0 3-6.7M3 4v4h4', Page: AuditPage },
  monitor: { group: 'groupSystem', icon: 'M3 5h18v11H3zM8 21h8M12 16v5', Page: MonitorPage },
  settings: {
    group: 'groupSystem',
    icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .3-1.5-1.5.3-2-3-1-1 2h-2l-1-2-3 1 .3 2L6.3 7.3 4.3 7l-1 3 2 1v2l-2 1 1 3 2-.3 1.5 1.5-.3 2 3 1 1-2h2l1 2 3-1-.3-2 1.5-1.5 2 .3 1-3-2-1z',
    Page: SettingsPage,
  },
};
