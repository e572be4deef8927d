// A Freqtrade bot's configuration for trading our signals: the shipped template
// (resources/freqtrade/config.json) with the bot running from its start, market orders as our
// executor sends them, no websockets, the pairs and timeframe of the strategy, and the
// exchange: a real one by name, or the demo exchange (Binance's API on a local port).
import ccxt from 'ccxt';
import type { Timeframe } from '../../core/market/timeframes';

export type FreqtradeExchange = { kind: 'demo'; apiUrl: string } | { kind: 'binance' };

export interface FreqtradeConfigOptions {
  timeframe: Timeframe;
  pairs: readonly string[];
  exchange: FreqtradeExchange;
  /** Quote currency per trade, or 'unlimited' (the template's). */
  stakeAmount?: number | 'unlimited';
  maxOpenTrades?: number;
  /** Where the bot keeps its trades (default: Freqtrade's own file in its working folder). */
  dbUrl?: string;
  /** Seconds between the bot's passes (the template's 5 s unless given). */
  throttleSecs?: number;
  /** The bot's REST API on the loopback, for the desk to watch it. */
  apiServer?: { port: number; username: string; password: string; jwtSecret: string };
}

/** ccxt's Binance endpoints, moved to the demo exchange's local origin. */
function demoCcxtConfig(apiUrl: string): Record<string, unknown> {
  const origin = new URL(apiUrl).origin;
  const move = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replace(/^https?:\/\/[^/]+/, origin)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, move(x)]))
        : v;
  return {
    urls: { api: move(new ccxt.binance().urls.api) },
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
  };
}

export function freqtradeConfig(template: Record<string, unknown>, o: FreqtradeConfigOptions): Record<string, unknown> {
  const { $schema: _schema, ...base } = structuredClone(template) as Record<string, unknown> & {
    exchange: Record<string, unknown>;
    entry_pricing: Record<string, unknown>;
    exit_pricing: Record<string, unknown>;
    internals?: Record<string, unknown>;
  };
  const ccxtConfig = o.exchange.kind === 'demo' ? demoCcxtConfig(o.exchange.apiUrl) : {};
  return {
    ...base,
    dry_run: true,
    // running from the start: a bot that waits for a /start it never gets trades nothing
    initial_state: 'running',
    timeframe: o.timeframe,
    ...(o.stakeAmount !== undefined && { stake_amount: o.stakeAmount }),
    ...(o.maxOpenTrades !== undefined && { max_open_trades: o.maxOpenTrades }),
    ...(o.dbUrl && { db_url: o.dbUrl }),
    // no fiat conversion: it asks a web service the bot may not reach (undefined: left out of the file)
    fiat_display_currency: undefined,
    // market orders at the other side, as our executor trades
    order_types: { entry: 'market', exit: 'market', stoploss: 'market', stoploss_on_exchange: false },
    entry_pricing: { ...base.entry_pricing, price_side: 'other' },
    exit_pricing: { ...base.exit_pricing, price_side: 'other' },
    internals: { ...base.internals, ...(o.throttleSecs !== undefined && { process_throttle_secs: o.throttleSecs }) },
    ...(o.apiServer && {
      api_server: {
        enabled: true,
        listen_ip_address: '127.0.0.1',
        listen_port: o.apiServer.port,
        username: o.apiServer.username,
        password: o.apiServer.password,
        jwt_secret_key: o.apiServer.jwtSecret,
        CORS_origins: [],
        enable_openapi: false,
      },
    }),
    exchange: {
      ...base.exchange,
      name: 'binance',
      ccxt_config: ccxtConfig,
      ccxt_async_config: ccxtConfig,
      pair_whitelist: [...o.pairs],
      // the demo exchange has no websocket feed; REST polling serves every exchange
      enable_ws: false,
    },
  };
}
