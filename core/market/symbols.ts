// The one home of symbol naming. Our stored symbol is `EXCHANGE:BASEQUOTE` (the contract's
// `BINANCE:BTCUSDT`); ccxt and Freqtrade speak pairs (`BTC/USDT`). The mapping needs to
// know where base ends and quote begins, which only the exchange's markets can tell for
// certain, so pairs are the source of truth and symbols are derived from them.

/** Exchange ids as stored in symbols (upper case) <-> ccxt ids (lower case). */
const EXCHANGE_ALIASES: Record<string, string> = {
  BINANCE: 'binance',
  BINANCEUS: 'binanceus',
  OKX: 'okx',
  BYBIT: 'bybit',
  KRAKEN: 'kraken',
  COINBASE: 'coinbase',
  KUCOIN: 'kucoin',
  BITGET: 'bitget',
  GATE: 'gate',
  HTX: 'htx',
  MEXC: 'mexc',
};

/** Quote currencies tried, longest first, when a symbol must be split without the exchange's markets. */
export const KNOWN_QUOTES = [
  'FDUSD',
  'USDT',
  'USDC',
  'TUSD',
  'BUSD',
  'DAI',
  'EUR',
  'TRY',
  'BRL',
  'GBP',
  'JPY',
  'USD',
  'BTC',
  'ETH',
  'BNB',
] as const;

export class SymbolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SymbolError';
  }
}

const ID = /^[A-Z0-9]{2,20}$/;
const ASSET = /^[A-Z0-9]{1,20}$/;

export function exchangeToCcxt(exchange: string): string {
  const key = exchange.toUpperCase();
  if (!ID.test(key)) throw new SymbolError(`Invalid exchange id "${exchange}"`);
  return EXCHANGE_ALIASES[key] ?? key.toLowerCase();
}

export function ccxtToExchange(ccxtId: string): string {
  if (!/^[a-z0-9]{2,20}$/.test(ccxtId)) throw new SymbolError(`Invalid ccxt exchange id "${ccxtId}"`);
  const found = Object.entries(EXCHANGE_ALIASES).find(([, v]) => v === ccxtId);
  return found ? found[0] : ccxtId.toUpperCase();
}

export interface ParsedPair {
  base: string;
  quote: string;
}

export function parsePair(pair: string): ParsedPair {
  const m = /^([A-Z0-9]{1,20})\/([A-Z0-9]{1,20})$/.exec(pair);
  if (!m) throw new SymbolError(`Invalid pair "${pair}": expected BASE/QUOTE in capitals, e.g. BTC/USDT`);
  return { base: m[1]!, quote: m[2]! };
}

/** `binance`, `BTC/USDT` -> `BINANCE:BTCUSDT`. */
export function toSymbol(exchange: string, pair: string): string {
  const { base, quote } = parsePair(pair);
  return `${ccxtToExchange(exchangeToCcxt(exchange))}:${base}${quote}`;
}

export interface ParsedSymbol {
  exchange: string;
  /** BASEQUOTE as stored, e.g. BTCUSDT. */
  ticker: string;
}

export function parseSymbol(symbol: string): ParsedSymbol {
  const m = /^([A-Z0-9]{2,20}):([A-Z0-9]{2,40})$/.exec(symbol);
  if (!m) throw new SymbolError(`Invalid symbol "${symbol}": expected EXCHANGE:BASEQUOTE, e.g. BINANCE:BTCUSDT`);
  return { exchange: m[1]!, ticker: m[2]! };
}

/**
 * `BINANCE:BTCUSDT` -> `BTC/USDT`. With the exchange's pairs given, the split is exact;
 * without them, the longest known quote currency that ends the ticker is used.
 */
export function toPair(symbol: string, knownPairs?: Iterable<string>): string {
  const { ticker } = parseSymbol(symbol);
  if (knownPairs) {
    for (const pair of knownPairs)
      if (pair.replace('/', '') === ticker && ASSET.test(pair.split('/')[0] ?? '')) return pair;
    throw new SymbolError(`Unknown symbol "${symbol}": the exchange lists no such pair`);
  }
  for (const quote of KNOWN_QUOTES) {
    if (ticker.endsWith(quote) && ticker.length > quote.length) return `${ticker.slice(0, -quote.length)}/${quote}`;
  }
  throw new SymbolError(`Cannot split "${symbol}" into base and quote without the exchange's markets`);
}

/** The ccxt exchange id of a stored symbol. */
export function symbolExchange(symbol: string): string {
  return exchangeToCcxt(parseSymbol(symbol).exchange);
}
