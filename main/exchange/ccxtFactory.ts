// The one way ccxt exchange clients are made. Quirks are data (core/exchange/venues.ts), not
// branches: which markets to load, and (for a local endpoint such as the simulator) where the API lives.
import ccxt, { type Exchange } from 'ccxt';
import { venueOfCcxt } from '../../core/exchange/venues';

export interface ExchangeClientOptions {
  /** ccxt id, e.g. 'binance'. */
  exchangeId: string;
  /** Replace the exchange's API host in every URL (local simulator, a testnet). */
  apiBaseUrl?: string;
  apiKey?: string;
  secret?: string;
  timeoutMs?: number;
  /** The venue's ccxt options (the first venue of this ccxt class when not given). */
  ccxtOptions?: Record<string, unknown>;
  /**
   * Which markets the client loads and defaults to: the venue's (spot, by default), or its
   * USDⓈ-M perpetuals and futures ('future': FUTURES_OPTIONS).
   */
  marketType?: 'spot' | 'future';
}

/**
 * ccxt options for a USDⓈ-M client of the Binance family (`binance` or `binanceusdm`): load only
 * the linear markets (fapi exchangeInfo) and default to them, and skip the discovery calls a
 * futures client does not need and a futures-only endpoint (the simulator) does not serve: the
 * wallet's currencies (sapi capital config, made whenever keys are set) and margin pairs.
 */
const FUTURES_OPTIONS: Record<string, unknown> = {
  fetchMarkets: { types: ['linear'] },
  defaultType: 'future',
  fetchCurrencies: false,
  fetchMargins: false,
};

export function supportedExchanges(): string[] {
  return ccxt.exchanges as string[];
}

export function createExchangeClient(options: ExchangeClientOptions): Exchange {
  const Ctor = (ccxt as unknown as Record<string, new (config: Record<string, unknown>) => Exchange>)[
    options.exchangeId
  ];
  if (!Ctor || !supportedExchanges().includes(options.exchangeId))
    throw new Error(`Unknown exchange "${options.exchangeId}"`);
  const client = new Ctor({
    // Pacing is ours: every request takes its weight from the account's budget shared by all
    // processes (requestBudgets.ts). ccxt's own throttle, per client, would also queue one
    // process's requests behind each other (E1: p99 8 s with it, under 1 s without).
    enableRateLimit: false,
    timeout: options.timeoutMs ?? 10_000,
    options: {
      ...(options.ccxtOptions ?? venueOfCcxt(options.exchangeId)?.ccxtOptions),
      ...(options.marketType === 'future' && FUTURES_OPTIONS),
    },
    ...(options.apiKey && { apiKey: options.apiKey }),
    ...(options.secret && { secret: options.secret }),
  });
  if (options.apiBaseUrl) pointAt(client, options.apiBaseUrl);
  return client;
}

/** Rewrites every API URL of a client to another origin, keeping the paths. */
function pointAt(client: Exchange, base: string): void {
  const origin = new URL(base).origin;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/^https?:\/\/[^/]+/, origin);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  const urls = client.urls as Record<string, unknown>;
  urls.api = rewrite(urls.api);
}
