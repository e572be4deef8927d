// Collection names and indexes of the data contract (SPEC.md / the seed), in one place.
// Every writer, reader and the schema setup take them from here.
import { REQUEST_TIMEOUT_MS } from '../api/messages';

export const COLLECTIONS = {
  market1d: 'crypto_market',
  market1m: 'crypto_market_1m',
  signals: 'crypto_signals',
} as const;
export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** Which bars each series has stored (beside the bars; see MarketStore). */
export const SERIES_BARS_COLLECTION = 'quantdesk_series_bars';
/** Our own collections that writers in several processes use at once: made up front, never raced into being. */
export const OWN_COLLECTIONS_UP_FRONT = [SERIES_BARS_COLLECTION] as const;

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
  { collection: COLLECTIONS.signals, name: 'strategy_id_1_pair_1_timeframe_1_ts_1', key: { strategy_id: 1, pair: 1, timeframe: 1, ts: 1 }, unique: true },
  { collection: COLLECTIONS.signals, name: 'ts_ttl', key: { ts: 1 }, expireAfterSeconds: SIGNAL_TTL_SECONDS, optional: true, plainFallback: 'ts_1' },
];

/**
 * Server-side limit (maxTimeMS) of every read (main/store/mongoConnection.ts): half the desk's wait for
 * a reply, so the server gives a query up, and frees its work, before the asker has gone.
 */
export const READ_MAX_TIME_MS = REQUEST_TIMEOUT_MS / 2;
