// The simulator's USDⓈ-M futures side: the public /fapi/v1 endpoints ccxt's `binanceusdm` (or
// `binance` with defaultType 'future') calls for perpetual data (markets, klines of the last,
// mark, index and premium prices, the premium index, funding history, depth, tickers),
// answered in Binance's shapes from the perpetual model over the simulator's market. Weights
// are Binance's published ones, metered apart from spot's as Binance does.
import { TIMEFRAME_MS, barOpen } from '../../../core/market/timeframes';
import type { OhlcvTuple } from '../../../core/market/bars';
import { formingBar } from '../../../core/simulation/priceSource';
import {
  FUNDING_RULES,
  type FundingSettlement,
  type PerpPrice,
  type PerpetualMarket,
} from '../../../core/simulation/perpetualMarket';
import { SimError } from './simAccount';

/** Binance's request weight allowed per minute on USDⓈ-M futures. */
export const FUTURES_WEIGHT_LIMIT = 2400;

const limitOf = (p: URLSearchParams, fallback: number) => Number(p.get('limit') ?? fallback);
const byKlineLimit = (p: URLSearchParams) => {
  const limit = limitOf(p, 500);
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
};
const bySymbol = (one: number, all: number) => (p: URLSearchParams) => (p.has('symbol') ? one : all);

/** Binance's weights for the futures endpoints we serve; klines and depth weigh by their limit. */
const WEIGHTS: Record<string, (p: URLSearchParams) => number> = {
  'GET /fapi/v1/ping': () => 1,
  'GET /fapi/v1/time': () => 1,
  'GET /fapi/v1/exchangeInfo': () => 1,
  'GET /fapi/v1/klines': byKlineLimit,
  'GET /fapi/v1/markPriceKlines': byKlineLimit,
  'GET /fapi/v1/indexPriceKlines': byKlineLimit,
  'GET /fapi/v1/premiumIndexKlines': byKlineLimit,
  'GET /fapi/v1/premiumIndex': bySymbol(1, 10),
  // Binance also holds this one to 500 requests per 5 minutes (shared with fundingInfo); not metered here.
  'GET /fapi/v1/fundingRate': () => 1,
  'GET /fapi/v1/depth': (p) => {
    const limit = limitOf(p, 500);
    return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
  },
  'GET /fapi/v1/ticker/price': bySymbol(1, 2),
  'GET /fapi/v1/ticker/bookTicker': bySymbol(2, 5),
  'GET /fapi/v1/ticker/24hr': bySymbol(1, 40),
};

const KLINES: Record<string, PerpPrice> = {
  'GET /fapi/v1/klines': 'last',
  'GET /fapi/v1/markPriceKlines': 'mark',
  'GET /fapi/v1/indexPriceKlines': 'index',
  'GET /fapi/v1/premiumIndexKlines': 'premium',
};

const INTERVALS: Record<string, '1m' | '1d'> = { '1m': '1m', '1d': '1d' };
const DEPTHS = [5, 10, 20, 50, 100, 500, 1000];
/** Binance's delivery date for perpetuals (2100-12-25). */
const PERPETUAL_DELIVERY = 4133404800000;

const fmt = (x: number) => Number(x.toPrecision(12)).toString();
const decimals = (step: number) => Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));

export class FuturesRoutes {
  constructor(
    private readonly perps: PerpetualMarket,
    private readonly server: {
      /** The server's own clock (what /time answers). */
      wallClock: () => number;
      /** The weight allowed per minute, as exchangeInfo states it. */
      weightLimit: number;
      stats: { klineBarsServed: number };
    },
  ) {}

  /** Binance's weight of a futures request, or undefined if it is not one we serve. */
  weight(route: string, p: URLSearchParams): number | undefined {
    return WEIGHTS[route]?.(p);
  }

  answer(route: string, p: URLSearchParams, now: number): unknown {
    const kind = KLINES[route];
    if (kind) return this.klines(kind, p, now);
    switch (route) {
      case 'GET /fapi/v1/ping':
        return {};
      case 'GET /fapi/v1/time':
        return { serverTime: this.server.wallClock() };
      case 'GET /fapi/v1/exchangeInfo':
        return this.exchangeInfo(now);
      case 'GET /fapi/v1/premiumIndex':
        return this.eachSymbol(p, now, (pair) => this.premiumIndex(pair, now));
      case 'GET /fapi/v1/fundingRate':
        return this.fundingRates(p, now);
      case 'GET /fapi/v1/depth':
        return this.depth(this.pair(p.get('symbol')), p, now);
      case 'GET /fapi/v1/ticker/price':
        return this.eachSymbol(p, now, (pair) => ({
          symbol: pair.replace('/', ''),
          price: fmt(this.perps.price('last', pair, now) ?? 0),
          time: now,
        }));
      case 'GET /fapi/v1/ticker/bookTicker':
        return this.eachSymbol(p, now, (pair) => {
          const book = this.perps.orderBook(pair, now, 1);
          return {
            symbol: pair.replace('/', ''),
            bidPrice: fmt(book?.bids[0]?.[0] ?? 0),
            bidQty: fmt(book?.bids[0]?.[1] ?? 0),
            askPrice: fmt(book?.asks[0]?.[0] ?? 0),
            askQty: fmt(book?.asks[0]?.[1] ?? 0),
            time: now,
          };
        });
      case 'GET /fapi/v1/ticker/24hr':
        return this.eachSymbol(p, now, (pair) => this.ticker24h(pair, now));
    }
    throw new SimError(-1000, `Unknown endpoint ${route}`);
  }

  private pair(symbol: string | null, param = 'symbol'): string {
    if (!symbol)
      throw new SimError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`);
    const c = this.perps.contracts().find((x) => x.pair.replace('/', '') === symbol);
    if (!c) throw new SimError(-1121, 'Invalid symbol.');
    return c.pair;
  }

  /** One answer for `symbol`, or a list over every listed perpetual when none is given. */
  private eachSymbol<T>(p: URLSearchParams, now: number, f: (pair: string) => T): T | T[] {
    const symbol = p.get('symbol');
    if (symbol) return f(this.pair(symbol));
    return this.listed(now).map(f);
  }

  private listed(now: number): string[] {
    return this.perps
      .contracts()
      .filter((c) => c.listedAt <= now)
      .map((c) => c.pair);
  }

  private exchangeInfo(now: number): unknown {
    return {
      timezone: 'UTC',
      serverTime: now,
      futuresType: 'U_MARGINED',
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.server.weightLimit },
        { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
      ],
      exchangeFilters: [],
      assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
      symbols: this.perps.contracts().map((c) => {
        const [base, quote] = c.pair.split('/') as [string, string];
        const tick = c.tickSize.toFixed(decimals(c.tickSize));
        const step = c.stepSize.toFixed(decimals(c.stepSize));
        return {
          symbol: base + quote,
          pair: base + quote,
          contractType: 'PERPETUAL',
          deliveryDate: PERPETUAL_DELIVERY,
          onboardDate: c.listedAt,
          status: c.listedAt <= now ? 'TRADING' : 'PENDING_TRADING',
          maintMarginPercent: '2.5000',
          requiredMarginPercent: '5.0000',
          baseAsset: base,
          quoteAsset: quote,
          marginAsset: quote,
          pricePrecision: decimals(c.tickSize),
          quantityPrecision: decimals(c.stepSize),
          baseAssetPrecision: 8,
          quotePrecision: 8,
          underlyingType: 'COIN',
          underlyingSubType: [],
          settlePlan: 0,
          triggerProtect: '0.0500',
          liquidationFee: '0.012500',
          marketTakeBound: '0.05',
          maxMoveOrderLimit: 10000,
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: '4529764', tickSize: tick },
            { filterType: 'LOT_SIZE', minQty: step, maxQty: '1000', stepSize: step },
            { filterType: 'MARKET_LOT_SIZE', minQty: step, maxQty: '120', stepSize: step },
            { filterType: 'MAX_NUM_ORDERS', limit: 200 },
            { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
            { filterType: 'MIN_NOTIONAL', notional: '5' },
            { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
          ],
          orderTypes: [
            'LIMIT',
            'MARKET',
            'STOP',
            'STOP_MARKET',
            'TAKE_PROFIT',
            'TAKE_PROFIT_MARKET',
            'TRAILING_STOP_MARKET',
          ],
          timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
        };
      }),
    };
  }

  /**
   * Kline rows of one price; the last may be the bar still forming at `now`. Mark, index and
   * premium rows carry no volume, as Binance's do (their count is the seconds sampled).
   */
  private klines(kind: PerpPrice, p: URLSearchParams, now: number): unknown[] {
    const pair = kind === 'index' ? this.pair(p.get('pair'), 'pair') : this.pair(p.get('symbol'));
    const tf = INTERVALS[p.get('interval') ?? ''];
    if (!tf) throw new SimError(-1120, 'Invalid interval.');
    const limitRaw = limitOf(p, 500);
    if (!Number.isInteger(limitRaw) || limitRaw < 1)
      throw new SimError(-1100, "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.");
    const limit = Math.min(1500, limitRaw);
    const step = TIMEFRAME_MS[tf];
    const end = Math.min(Number(p.get('endTime') ?? now), now);
    const startParam = p.get('startTime');
    const from = startParam !== null ? Number(startParam) : barOpen(end, tf) - (limit - 1) * step;
    const bars: OhlcvTuple[] = [];
    if (tf === '1m') {
      for (const b of this.perps.minutes(kind, pair, from, barOpen(end, '1m'), limit)) bars.push(formingBar(b, now));
    } else {
      for (let day = barOpen(from + step - 1, '1d'); day <= end && bars.length < limit; day += step) {
        const b = this.perps.daily(kind, pair, day, now);
        if (b) bars.push(b);
      }
    }
    this.server.stats.klineBarsServed += bars.length;
    return bars.map(([t, o, h, l, c, v]) => {
      const head = [t, fmt(o), fmt(h), fmt(l), fmt(c)];
      if (kind !== 'last')
        return [...head, '0', t + step - 1, '0', Math.round((Math.min(t + step, now) - t) / 1000), '0', '0', '0'];
      const quote = v * c;
      return [
        ...head,
        fmt(v),
        t + step - 1,
        fmt(quote),
        Math.max(1, Math.round(v * 50)),
        fmt(v / 2),
        fmt(quote / 2),
        '0',
      ];
    });
  }

  private premiumIndex(pair: string, now: number): unknown {
    const view = this.perps.premiumIndex(pair, now);
    if (!view) throw new SimError(-1121, 'Invalid symbol.');
    return {
      symbol: pair.replace('/', ''),
      markPrice: fmt(view.markPrice),
      indexPrice: fmt(view.indexPrice),
      estimatedSettlePrice: fmt(view.indexPrice),
      lastFundingRate: view.predictedRate.toFixed(8),
      interestRate: view.interestRate.toFixed(8),
      nextFundingTime: view.nextFundingTime,
      time: now,
    };
  }

  /**
   * Funding history, oldest first, as Binance pages it: from startTime on when given, else the
   * most recent `limit` (default 100, at most 1000) up to endTime; never past `now`.
   */
  private fundingRates(p: URLSearchParams, now: number): unknown[] {
    const symbol = p.get('symbol');
    const pairs = symbol ? [this.pair(symbol)] : this.listed(now);
    const limit = Math.min(1000, Math.max(1, limitOf(p, 100)));
    const end = Math.min(Number(p.get('endTime') ?? now), now);
    const startParam = p.get('startTime');
    const from = startParam !== null ? Number(startParam) : end - limit * FUNDING_RULES.intervalMs;
    const rows: (FundingSettlement & { symbol: string })[] = [];
    for (const pair of pairs)
      for (const s of this.perps.fundingHistory(pair, from, end, startParam !== null ? limit : Infinity))
        rows.push({ ...s, symbol: pair.replace('/', '') });
    rows.sort((a, b) => a.time - b.time || a.symbol.localeCompare(b.symbol));
    const page = startParam !== null ? rows.slice(0, limit) : rows.slice(-limit);
    return page.map((s) => ({
      symbol: s.symbol,
      fundingTime: s.time,
      fundingRate: s.rate.toFixed(8),
      markPrice: s.markPrice === null ? '' : fmt(s.markPrice),
    }));
  }

  /** The book at `now`; a depth Binance does not offer is rounded up to the next it does. */
  private depth(pair: string, p: URLSearchParams, now: number): unknown {
    const asked = limitOf(p, 500);
    if (!Number.isInteger(asked) || asked < 1)
      throw new SimError(-1100, "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.");
    const levels = DEPTHS.find((d) => d >= asked) ?? 1000;
    const book = this.perps.orderBook(pair, now, levels);
    if (!book) throw new SimError(-1121, 'Invalid symbol.');
    const side = (levels: [number, number][]) => levels.map(([price, qty]) => [fmt(price), fmt(qty)]);
    return { lastUpdateId: Math.floor(now / 100), E: now, T: now, bids: side(book.bids), asks: side(book.asks) };
  }

  private ticker24h(pair: string, now: number): unknown {
    const bars = this.perps.minutes('last', pair, now - 86_400_000, now, 1440).map((b) => formingBar(b, now));
    const first = bars[0];
    const last = bars[bars.length - 1];
    if (!first || !last) throw new SimError(-1121, 'Invalid symbol.');
    const volume = bars.reduce((n, b) => n + b[5], 0);
    const quoteVolume = bars.reduce((n, b) => n + b[5] * b[4], 0);
    const count = Math.max(1, Math.round(volume * 50));
    return {
      symbol: pair.replace('/', ''),
      priceChange: fmt(last[4] - first[1]),
      priceChangePercent: ((100 * (last[4] - first[1])) / first[1]).toFixed(3),
      weightedAvgPrice: fmt(quoteVolume / Math.max(volume, 1e-12)),
      lastPrice: fmt(last[4]),
      lastQty: '0.010',
      openPrice: fmt(first[1]),
      highPrice: fmt(Math.max(...bars.map((b) => b[2]))),
      lowPrice: fmt(Math.min(...bars.map((b) => b[3]))),
      volume: fmt(volume),
      quoteVolume: fmt(quoteVolume),
      openTime: first[0],
      closeTime: now,
      firstId: 1,
      lastId: count,
      count,
    };
  }
}
