// The desk's pages as a user reaches them (nav-<page> opens page-<page>), written out here
// on purpose: the specs check the app against this list rather than against its own.
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
