import type { Wording } from '../wording/wording';

// What can go wrong, by name: every alert has one of these kinds, so rules, de-duplication
// (kind + strategy + pair) and the desk's wording all key on the same list.

export const ALERT_KINDS = [
  'signal-latency',
  'signal-missing',
  'pipeline-failed',
  'export-rejected',
  'order-rejected',
  'rejections-in-a-row',
  'insufficient-balance',
  'slippage',
  'rate-limited',
  'clock-skew',
  'exchange-down',
  'bot-unreachable',
  'database-down',
  'stop-hit',
  'stop-refused',
  'kill-switch',
  'mode-switch',
  'reconciliation',
  'data-gap',
  'worker-crashed',
  'execution',
  'test',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertSeverity = 'warning' | 'critical';

/** An alert as raised, before de-duplication and delivery. */
export interface AlertInput {
  kind: AlertKind;
  severity: AlertSeverity;
  /** What happened, worded on the desk in the user's language; kept and sent in English as `message`. */
  text: Wording;
  strategy_id?: string | null;
  pair?: string | null;
  timeframe?: '1m' | '1d' | null;
  /** What else tells one trouble from another of the same kind (e.g. which exchange): part of the de-duplication key only. */
  subject?: string | null;
}
