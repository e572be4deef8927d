// Every collection the app uses, its indexes, and which account writes it, in one place.
// Every writer, reader, the schema setup and the least-privilege roles take them from here;
// a test checks no other source file names a collection.
import { REQUEST_TIMEOUT_MS } from '../api/messages';

export const COLLECTIONS = {
  // The data contract (shared with outside programs)
  market1d: 'crypto_market',
  market1m: 'crypto_market_1m',
  signals: 'crypto_signals',
  // Perpetual-futures data beside the spot bars, in the contract's conventions (symbol plus
  // market_type, UTC times, a unique key per row): funding settlements, the perpetual's last,
  // mark and index price bars, and order-book depth per 1m bar.
  funding: 'crypto_funding',
  perp1d: 'crypto_perp_market',
  perp1m: 'crypto_perp_market_1m',
  depth1m: 'crypto_depth_1m',
  // Market data and research
  seriesBars: 'quantdesk_series_bars',
  series: 'quantdesk_series',
  backtests: 'quantdesk_backtests',
  pipelines: 'quantdesk_pipelines',
  signalLatency: 'quantdesk_signal_latency',
  exportLog: 'quantdesk_export_log',
  // Execution
  orders: 'quantdesk_orders',
  fills: 'quantdesk_fills',
  execState: 'quantdesk_exec_state',
  execConfigs: 'quantdesk_exec_configs',
  execSettings: 'quantdesk_exec_settings',
  execDayStart: 'quantdesk_exec_daystart',
  equity: 'quantdesk_equity',
  balances: 'quantdesk_balances',
  paperAccounts: 'quantdesk_paper_accounts',
  paperOrders: 'quantdesk_paper_orders',
  recon: 'quantdesk_recon',
  reconIgnored: 'quantdesk_recon_ignored',
  alerts: 'quantdesk_alerts',
  /** Documents of crypto_signals the executor could not read, with the reason (listed on the Signals page). */
  signalSkips: 'quantdesk_signal_skips',
  // The desk's own records
  alertChannels: 'quantdesk_alert_channels',
  healthSamples: 'quantdesk_health_samples',
  audit: 'quantdesk_audit',
  acceptance: 'quantdesk_acceptance',
  // A Freqtrade bot's trades and orders, as its REST API reported them (write-back for reports)
  freqtradeTrades: 'freqtrade_trades',
  freqtradeOrders: 'freqtrade_orders',
} as const;
export type CollectionKey = keyof typeof COLLECTIONS;
export type CollectionName = (typeof COLLECTIONS)[CollectionKey];

/** The contract's collections: made up front with their indexes, counted for the Monitor. */
export const CONTRACT_COLLECTIONS = [COLLECTIONS.market1d, COLLECTIONS.market1m, COLLECTIONS.signals] as const;

/** Which bars each series has stored (beside the bars; see MarketStore). */
export const SERIES_BARS_COLLECTION = COLLECTIONS.seriesBars;
/** Our own collections made up front: those writers in several processes use at once (never raced into being), and those with indexes. */
export const OWN_COLLECTIONS_UP_FRONT = [
  SERIES_BARS_COLLECTION,
  COLLECTIONS.funding,
  COLLECTIONS.perp1d,
  COLLECTIONS.perp1m,
  COLLECTIONS.depth1m,
  COLLECTIONS.orders,
  COLLECTIONS.fills,
  COLLECTIONS.equity,
  COLLECTIONS.signalSkips,
] as const;

/**
 * The least-privilege account (`npm run db:roles`) that writes each collection: research (the
 * import workers, research and signal export), execution (the executor), or the desk itself
 * on the app's own connection. The ui account reads them all; execution also reads the bars
 * and signals it trades.
 */
export type CollectionWriter = 'research' | 'execution' | 'desk';

/** The account that writes a collection, by its name. */
export function writerOf(name: CollectionName): CollectionWriter {
  return COLLECTION_WRITER[(Object.keys(COLLECTIONS) as CollectionKey[]).find((k) => COLLECTIONS[k] === name)!];
}
export const COLLECTION_WRITER: Record<CollectionKey, CollectionWriter> = {
  market1d: 'research',
  market1m: 'research',
  signals: 'research',
  funding: 'research',
  perp1d: 'research',
  perp1m: 'research',
  // sampled by the desk while it runs
  depth1m: 'desk',
  seriesBars: 'research',
  series: 'research',
  backtests: 'research',
  pipelines: 'research',
  signalLatency: 'research',
  exportLog: 'research',
  orders: 'execution',
  fills: 'execution',
  execState: 'execution',
  execConfigs: 'execution',
  execSettings: 'execution',
  execDayStart: 'execution',
  equity: 'execution',
  balances: 'execution',
  paperAccounts: 'execution',
  paperOrders: 'execution',
  recon: 'execution',
  reconIgnored: 'execution',
  alerts: 'execution',
  signalSkips: 'execution',
  alertChannels: 'desk',
  healthSamples: 'desk',
  audit: 'desk',
  acceptance: 'desk',
  freqtradeTrades: 'desk',
  freqtradeOrders: 'desk',
};

export interface IndexSpec {
  collection: CollectionName;
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  /** TTL index: optional, created only where the server supports it. */
  expireAfterSeconds?: number;
  optional?: boolean;
  /** Where the server refuses the TTL option: a plain index of this name on the same key (reads by time still use one). */
  plainFallback?: string;
}

/** Default lifetime of a signal document (the TTL index's, and the retention setting's default). */
export const DEFAULT_SIGNAL_RETENTION_DAYS = 30;
export const SIGNAL_TTL_SECONDS = DEFAULT_SIGNAL_RETENTION_DAYS * 24 * 3600;

export const INDEXES: readonly IndexSpec[] = [
  { collection: COLLECTIONS.market1d, name: 'symbol_1_date_1', key: { symbol: 1, date: 1 }, unique: true },
  { collection: COLLECTIONS.market1m, name: 'symbol_1_datetime_1', key: { symbol: 1, datetime: 1 }, unique: true },
  {
    collection: COLLECTIONS.signals,
    name: 'strategy_id_1_pair_1_timeframe_1_ts_1',
    key: { strategy_id: 1, pair: 1, timeframe: 1, ts: 1 },
    unique: true,
  },
  {
    collection: COLLECTIONS.signals,
    name: 'ts_ttl',
    key: { ts: 1 },
    expireAfterSeconds: SIGNAL_TTL_SECONDS,
    optional: true,
    plainFallback: 'ts_1',
  },
  {
    collection: COLLECTIONS.funding,
    name: 'symbol_1_market_type_1_ts_1',
    key: { symbol: 1, market_type: 1, ts: 1 },
    unique: true,
  },
  {
    collection: COLLECTIONS.perp1d,
    name: 'symbol_1_market_type_1_price_1_date_1',
    key: { symbol: 1, market_type: 1, price: 1, date: 1 },
    unique: true,
  },
  {
    collection: COLLECTIONS.perp1m,
    name: 'symbol_1_market_type_1_price_1_datetime_1',
    key: { symbol: 1, market_type: 1, price: 1, datetime: 1 },
    unique: true,
  },
  {
    collection: COLLECTIONS.depth1m,
    name: 'symbol_1_market_type_1_datetime_1',
    key: { symbol: 1, market_type: 1, datetime: 1 },
    unique: true,
  },
  // The executor's reads at every tick, and the Trading, Audit and Monitor pages' reads by time.
  { collection: COLLECTIONS.orders, name: 'status_1', key: { status: 1 } },
  { collection: COLLECTIONS.orders, name: 'createdAt_1', key: { createdAt: 1 } },
  { collection: COLLECTIONS.fills, name: 'strategyId_1_pair_1', key: { strategyId: 1, pair: 1 } },
  { collection: COLLECTIONS.fills, name: 'time_1', key: { time: 1 } },
  { collection: COLLECTIONS.equity, name: 't_1', key: { t: 1 } },
  { collection: COLLECTIONS.signalSkips, name: 'lastSeen_1', key: { lastSeen: 1 } },
];

/**
 * Server-side limit (maxTimeMS) of every read (main/database/mongoConnection.ts): half the desk's wait for
 * a reply, so the server gives a query up, and frees its work, before the asker has gone.
 */
export const READ_MAX_TIME_MS = REQUEST_TIMEOUT_MS / 2;
