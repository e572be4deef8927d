// The exchange simulator: a local HTTP server speaking the subset of Binance's spot REST API
// that ccxt's `binance` class uses (markets, klines, tickers, order book, account, orders,
// trades), with Binance's signatures, timestamps, request weights, error codes and headers,
// and switchable faults; and the public USDⓈ-M futures endpoints for perpetual data (funding,
// mark and index prices, depth: futuresRoutes.ts) from the same market. It serves tests, the
// offline demo exchange and paper practice; the product never depends on it (it is one
// exchange among others, reached through ccxt).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TIMEFRAME_MS, barOpen } from '../../../core/market/timeframes';
import { PerpetualMarket } from '../../../core/simulation/perpetualMarket';
import { formingBar, type PriceSource } from '../../../core/simulation/priceSource';
import { FUTURES_WEIGHT_LIMIT, FuturesRoutes } from './futuresRoutes';
import { SimAccount, SimError, type SimOrder } from './simAccount';

export interface SimFaults {
  /** Extra delay before every reply. */
  latencyMs: number;
  /** Share of requests answered 503 (0..1). */
  serverErrorRate: number;
  /** Share of requests never answered (the client times out). */
  timeoutRate: number;
  /** Share of order placements carried out whose reply is then dropped. */
  lostReplyRate: number;
  /** Share of market orders filled only in part. */
  partialFillRate: number;
  /** Share of order placements rejected with -2010 insufficient balance. */
  rejectRate: number;
}

export const NO_FAULTS: SimFaults = {
  latencyMs: 0,
  serverErrorRate: 0,
  timeoutRate: 0,
  lostReplyRate: 0,
  partialFillRate: 0,
  rejectRate: 0,
};

export interface SimulatorOptions {
  market: PriceSource;
  /** The simulated market clock (ms). Real time by default; tests and replays pass a faster one. */
  now?: () => number;
  /** The server's wall clock for signed-request timestamps (ms); real time by default. */
  wallClock?: () => number;
  /** API key -> secret pairs the simulator accepts. */
  apiKeys?: Record<string, string>;
  /** Request weight allowed per minute (Binance: 6000). */
  weightLimit?: number;
  /** The perpetuals the futures endpoints serve (by default, over `market` with seed 1). */
  perpetuals?: PerpetualMarket;
  /** Request weight allowed per minute on the futures endpoints, metered apart (Binance: 2400). */
  futuresWeightLimit?: number;
  faults?: Partial<SimFaults>;
  random?: () => number;
  /** Starting balances of every new account. */
  balances?: Record<string, number>;
}

/** Binance's weights for the endpoints we serve (weight of klines is 2 at any limit). */
const WEIGHTS: Record<string, number> = {
  'GET /api/v3/ping': 1,
  'GET /api/v3/time': 1,
  'GET /api/v3/exchangeInfo': 20,
  'GET /api/v3/klines': 2,
  'GET /api/v3/ticker/price': 2,
  'GET /api/v3/ticker/24hr': 2,
  'GET /api/v3/ticker/bookTicker': 2,
  'GET /api/v3/depth': 5,
  'GET /api/v3/account': 20,
  'POST /api/v3/order': 1,
  'GET /api/v3/order': 4,
  'DELETE /api/v3/order': 1,
  'GET /api/v3/openOrders': 6,
  'GET /api/v3/allOrders': 20,
  'GET /api/v3/myTrades': 20,
};

const SIGNED = new Set([
  'GET /api/v3/account',
  'POST /api/v3/order',
  'GET /api/v3/order',
  'DELETE /api/v3/order',
  'GET /api/v3/openOrders',
  'GET /api/v3/allOrders',
  'GET /api/v3/myTrades',
]);

const INTERVALS: Record<string, '1m' | '1d'> = { '1m': '1m', '1d': '1d' };

interface WeightWindow {
  limit: number;
  minute: number;
  used: number;
}

class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SimulatorStats {
  requests: number;
  byEndpoint: Record<string, number>;
  rejected429: number;
  faultsInjected: number;
  klineBarsServed: number;
}

export class BinanceSimulator {
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly now: () => number;
  private readonly wallClock: () => number;
  private readonly random: () => number;
  private readonly apiKeys: Record<string, string>;
  private faults: SimFaults;
  private readonly spotWeight: WeightWindow;
  private readonly futuresWeight: WeightWindow;
  private readonly futures: FuturesRoutes;
  /** The perpetuals behind the futures endpoints. */
  readonly perpetuals: PerpetualMarket;
  private orderWindow = { tenSeconds: 0, count: 0 };
  private readonly accounts = new Map<string, SimAccount>();
  readonly stats: SimulatorStats = {
    requests: 0,
    byEndpoint: {},
    rejected429: 0,
    faultsInjected: 0,
    klineBarsServed: 0,
  };
  port = 0;

  constructor(private readonly options: SimulatorOptions) {
    this.now = options.now ?? (() => Date.now());
    this.wallClock = options.wallClock ?? (() => Date.now());
    this.random = options.random ?? Math.random;
    this.apiKeys = options.apiKeys ?? {};
    this.spotWeight = { limit: options.weightLimit ?? 6000, minute: 0, used: 0 };
    this.futuresWeight = { limit: options.futuresWeightLimit ?? FUTURES_WEIGHT_LIMIT, minute: 0, used: 0 };
    this.faults = { ...NO_FAULTS, ...options.faults };
    this.perpetuals = options.perpetuals ?? new PerpetualMarket(options.market);
    this.futures = new FuturesRoutes(this.perpetuals, {
      wallClock: this.wallClock,
      weightLimit: this.futuresWeight.limit,
      stats: this.stats,
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get market(): PriceSource {
    return this.options.market;
  }

  /** Opens an account for a key pair (the demo exchange does this when the trader adds keys). */
  addApiKey(apiKey: string, secret: string): void {
    this.apiKeys[apiKey] = secret;
  }

  setFaults(faults: Partial<SimFaults>): void {
    this.faults = { ...NO_FAULTS, ...faults };
  }

  /** The faults switched on now. */
  currentFaults(): SimFaults {
    return { ...this.faults };
  }

  /** The account behind an API key (created with the starting balances on first use). */
  account(apiKey: string): SimAccount {
    let acc = this.accounts.get(apiKey);
    if (!acc) {
      acc = new SimAccount(this.options.balances ?? { USDT: 10_000 });
      this.accounts.set(apiKey, acc);
    }
    return acc;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname}`;
    this.stats.requests++;
    this.stats.byEndpoint[route] = (this.stats.byEndpoint[route] ?? 0) + 1;
    const body = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c: Buffer) => {
        if (data.length < 65_536) data += c.toString();
      });
      req.on('end', () => resolve(data));
    });
    const params = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
    const headers: Record<string, string> = { 'content-type': 'application/json;charset=UTF-8' };

    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    if (this.random() < this.faults.timeoutRate) {
      this.stats.faultsInjected++;
      return; // never answered: the client's own timeout ends it
    }
    if (this.random() < this.faults.serverErrorRate) {
      this.stats.faultsInjected++;
      res
        .writeHead(503, { 'content-type': 'text/html' })
        .end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      return;
    }

    try {
      const futuresWeight = this.futures.weight(route, params);
      const weight = futuresWeight ?? WEIGHTS[route];
      if (weight === undefined) throw new BinanceError(404, -1000, `Unknown endpoint ${route}`);
      this.chargeWeight(weight, headers, futuresWeight !== undefined ? this.futuresWeight : this.spotWeight);
      const apiKey = SIGNED.has(route) ? this.authenticate(req, url.search.slice(1), body, params) : null;
      let lostReply = false;
      if (route === 'POST /api/v3/order') {
        this.countOrder(headers);
        lostReply = this.random() < this.faults.lostReplyRate;
      }
      const result =
        futuresWeight !== undefined
          ? this.futures.answer(route, params, this.now())
          : this.route(route, params, apiKey);
      if (lostReply) {
        // The order was carried out; only its reply is lost on the way back.
        this.stats.faultsInjected++;
        req.socket.destroy();
        return;
      }
      res.writeHead(200, headers).end(JSON.stringify(result));
    } catch (err) {
      const e =
        err instanceof BinanceError
          ? err
          : err instanceof SimError
            ? new BinanceError(400, err.code, err.message)
            : new BinanceError(500, -1000, (err as Error).message);
      if (e.status === 429) {
        this.stats.rejected429++;
        headers['retry-after'] = String(Math.max(1, Math.ceil((60_000 - (this.now() % 60_000)) / 1000)));
      }
      res.writeHead(e.status, headers).end(JSON.stringify({ code: e.code, msg: e.message }));
    }
  }

  /** Charges a request to its API's window (spot and futures are metered apart, as on Binance). */
  private chargeWeight(weight: number, headers: Record<string, string>, window: WeightWindow): void {
    const minute = Math.floor(this.now() / 60_000);
    if (window.minute !== minute) Object.assign(window, { minute, used: 0 });
    if (window.used + weight > window.limit) {
      headers['x-mbx-used-weight'] = headers['x-mbx-used-weight-1m'] = String(window.used);
      throw new BinanceError(
        429,
        -1003,
        `Too much request weight used; current limit is ${window.limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      );
    }
    window.used += weight;
    headers['x-mbx-used-weight'] = headers['x-mbx-used-weight-1m'] = String(window.used);
  }

  private countOrder(headers: Record<string, string>): void {
    const window = Math.floor(this.now() / 10_000);
    if (this.orderWindow.tenSeconds !== window) this.orderWindow = { tenSeconds: window, count: 0 };
    this.orderWindow.count++;
    headers['x-mbx-order-count-10s'] = String(this.orderWindow.count);
    if (this.orderWindow.count > 100)
      throw new BinanceError(429, -1015, 'Too many new orders; current limit is 100 orders per 10 SECOND.');
  }

  /** Binance's signed-request checks: API key, HMAC-SHA256 of query+body, timestamp within recvWindow. */
  private authenticate(req: http.IncomingMessage, query: string, body: string, params: URLSearchParams): string {
    const apiKey = req.headers['x-mbx-apikey'];
    if (typeof apiKey !== 'string' || !apiKey) throw new BinanceError(401, -2014, 'API-key format invalid.');
    const secret = this.apiKeys[apiKey];
    if (!secret) throw new BinanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const signature = params.get('signature');
    if (!signature)
      throw new BinanceError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const payload = [query, body]
      .filter(Boolean)
      .join('&')
      .replace(/&?signature=[^&]*/, '');
    const expected = crypto.createHmac('sha256', secret).update(payload).digest('hex');
    if (
      signature.length !== expected.length ||
      !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
    ) {
      throw new BinanceError(400, -1022, 'Signature for this request is not valid.');
    }
    const timestamp = Number(params.get('timestamp'));
    const recvWindow = Number(params.get('recvWindow') ?? 5000);
    if (!Number.isFinite(timestamp))
      throw new BinanceError(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    const now = this.wallClock();
    if (timestamp > now + 1000 || now - timestamp > recvWindow)
      throw new BinanceError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    return apiKey;
  }

  private pair(symbol: string | null): string {
    const a = this.market.assets.find((x) => x.pair.replace('/', '') === symbol);
    if (!a) throw new BinanceError(400, -1121, 'Invalid symbol.');
    return a.pair;
  }

  private route(route: string, p: URLSearchParams, apiKey: string | null): unknown {
    const now = this.now();
    switch (route) {
      case 'GET /api/v3/ping':
        return {};
      case 'GET /api/v3/time':
        // The server's own clock, the one it checks signed timestamps against.
        return { serverTime: this.wallClock() };
      case 'GET /api/v3/exchangeInfo':
        return this.exchangeInfo(now);
      case 'GET /api/v3/klines':
        return this.klines(p, now);
      case 'GET /api/v3/ticker/price':
        return this.eachSymbol(p, (pair) => ({
          symbol: pair.replace('/', ''),
          price: this.fmt(this.market.price(pair, now) ?? 0),
        }));
      case 'GET /api/v3/ticker/bookTicker':
        return this.eachSymbol(p, (pair) => this.bookTicker(pair, now));
      case 'GET /api/v3/ticker/24hr':
        return this.eachSymbol(p, (pair) => this.ticker24h(pair, now));
      case 'GET /api/v3/depth':
        return this.depth(this.pair(p.get('symbol')), Math.min(5000, Number(p.get('limit') ?? 100)), now);
      case 'GET /api/v3/account':
        return this.account(apiKey!).accountInfo(now);
      case 'POST /api/v3/order':
        return this.placeOrder(apiKey!, p, now);
      case 'GET /api/v3/order':
        return this.orderView(
          this.account(apiKey!).find(
            this.pair(p.get('symbol')),
            Number(p.get('orderId') ?? NaN),
            p.get('origClientOrderId'),
            now,
            this.market,
          ),
        );
      case 'DELETE /api/v3/order':
        return this.orderView(
          this.account(apiKey!).cancel(
            this.pair(p.get('symbol')),
            Number(p.get('orderId') ?? NaN),
            p.get('origClientOrderId'),
            now,
            this.market,
          ),
        );
      case 'GET /api/v3/openOrders': {
        const symbol = p.get('symbol');
        return this.account(apiKey!)
          .open(symbol ? this.pair(symbol) : null, now, this.market)
          .map((o) => this.orderView(o));
      }
      case 'GET /api/v3/allOrders':
        return this.account(apiKey!)
          .all(this.pair(p.get('symbol')), now, this.market)
          .map((o) => this.orderView(o));
      case 'GET /api/v3/myTrades':
        return this.account(apiKey!).trades(
          this.pair(p.get('symbol')),
          Number(p.get('startTime') ?? 0),
          now,
          this.market,
        );
    }
    throw new BinanceError(404, -1000, `Unknown endpoint ${route}`);
  }

  private fmt(x: number): string {
    return Number(x.toPrecision(12)).toString();
  }

  private eachSymbol<T>(p: URLSearchParams, f: (pair: string) => T): T | T[] {
    const symbol = p.get('symbol');
    if (symbol) return f(this.pair(symbol));
    const list = p.get('symbols');
    if (list) return (JSON.parse(list) as string[]).map((s) => f(this.pair(s)));
    return this.market.assets.filter((a) => a.listedAt <= this.now()).map((a) => f(a.pair));
  }

  private exchangeInfo(now: number): unknown {
    return {
      timezone: 'UTC',
      serverTime: now,
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.spotWeight.limit },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      ],
      exchangeFilters: [],
      symbols: this.market.assets.map((a) => {
        const [base, quote] = a.pair.split('/') as [string, string];
        const decimals = (x: number) => Math.max(0, -Math.floor(Math.log10(x)));
        return {
          symbol: base + quote,
          status: a.listedAt <= now ? 'TRADING' : 'BREAK',
          baseAsset: base,
          baseAssetPrecision: 8,
          quoteAsset: quote,
          quotePrecision: 8,
          quoteAssetPrecision: 8,
          baseCommissionPrecision: 8,
          quoteCommissionPrecision: 8,
          orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
          icebergAllowed: true,
          ocoAllowed: true,
          otoAllowed: true,
          quoteOrderQtyMarketAllowed: true,
          allowTrailingStop: true,
          cancelReplaceAllowed: true,
          isSpotTradingAllowed: true,
          isMarginTradingAllowed: false,
          filters: [
            {
              filterType: 'PRICE_FILTER',
              minPrice: a.tickSize.toFixed(decimals(a.tickSize)),
              maxPrice: '1000000.00',
              tickSize: a.tickSize.toFixed(decimals(a.tickSize)),
            },
            {
              filterType: 'LOT_SIZE',
              minQty: a.stepSize.toFixed(decimals(a.stepSize)),
              maxQty: '9000.00000000',
              stepSize: a.stepSize.toFixed(decimals(a.stepSize)),
            },
            {
              filterType: 'NOTIONAL',
              minNotional: '5.00000000',
              applyMinToMarket: true,
              maxNotional: '9000000.00000000',
              applyMaxToMarket: false,
              avgPriceMins: 5,
            },
            { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
          ],
          permissions: [],
          permissionSets: [['SPOT']],
          defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
          allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
        };
      }),
    };
  }

  /** Binance kline rows; the last one may be the bar still forming at `now`. */
  private klines(p: URLSearchParams, now: number): unknown[] {
    const pair = this.pair(p.get('symbol'));
    const tf = INTERVALS[p.get('interval') ?? ''];
    if (!tf) throw new BinanceError(400, -1120, 'Invalid interval.');
    const limitRaw = Number(p.get('limit') ?? 500);
    if (!Number.isInteger(limitRaw) || limitRaw < 1)
      throw new BinanceError(
        400,
        -1100,
        "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.",
      );
    const limit = Math.min(1000, limitRaw);
    const step = TIMEFRAME_MS[tf];
    const end = Math.min(Number(p.get('endTime') ?? now), now);
    const startParam = p.get('startTime');
    const from = startParam !== null ? Number(startParam) : barOpen(end, tf) - (limit - 1) * step;
    const rows: unknown[] = [];
    const push = (b: [number, number, number, number, number, number]) => {
      const volumeQuote = b[5] * b[4];
      rows.push([
        b[0],
        this.fmt(b[1]),
        this.fmt(b[2]),
        this.fmt(b[3]),
        this.fmt(b[4]),
        this.fmt(b[5]),
        b[0] + step - 1,
        this.fmt(volumeQuote),
        Math.max(1, Math.round(b[5] * 7)),
        this.fmt(b[5] / 2),
        this.fmt(volumeQuote / 2),
        '0',
      ]);
    };
    if (tf === '1m') {
      // The minute still forming is shown as far as it has got, like the exchange's own.
      for (const b of this.market.minutes(pair, from, barOpen(end, '1m'), limit)) push(formingBar(b, now));
    } else {
      for (let day = barOpen(from + step - 1, '1d'); day <= end && rows.length < limit; day += step) {
        const b = this.market.daily(pair, day, now);
        if (b) push(b);
      }
    }
    this.stats.klineBarsServed += rows.length;
    return rows;
  }

  private bookTicker(pair: string, now: number): unknown {
    const a = this.market.asset(pair)!;
    const price = this.market.price(pair, now) ?? 0;
    return {
      symbol: pair.replace('/', ''),
      bidPrice: this.fmt(price - a.tickSize),
      bidQty: '1.5',
      askPrice: this.fmt(price + a.tickSize),
      askQty: '1.2',
    };
  }

  private ticker24h(pair: string, now: number): unknown {
    const bars = this.market.minutes(pair, now - 86_400_000, now, 1440).map((b) => formingBar(b, now));
    const last = bars[bars.length - 1];
    const first = bars[0];
    if (!last || !first) throw new BinanceError(400, -1121, 'Invalid symbol.');
    const high = Math.max(...bars.map((b) => b[2]));
    const low = Math.min(...bars.map((b) => b[3]));
    const volume = bars.reduce((n, b) => n + b[5], 0);
    const quoteVolume = bars.reduce((n, b) => n + b[5] * b[4], 0);
    return {
      symbol: pair.replace('/', ''),
      priceChange: this.fmt(last[4] - first[1]),
      priceChangePercent: ((100 * (last[4] - first[1])) / first[1]).toFixed(3),
      weightedAvgPrice: this.fmt(quoteVolume / Math.max(volume, 1e-12)),
      prevClosePrice: this.fmt(first[1]),
      lastPrice: this.fmt(last[4]),
      lastQty: '0.1',
      bidPrice: this.fmt(last[4]),
      askPrice: this.fmt(last[4]),
      openPrice: this.fmt(first[1]),
      highPrice: this.fmt(high),
      lowPrice: this.fmt(low),
      volume: this.fmt(volume),
      quoteVolume: this.fmt(quoteVolume),
      openTime: first[0],
      closeTime: now,
      count: bars.length * 7,
    };
  }

  private depth(pair: string, limit: number, now: number): unknown {
    const a = this.market.asset(pair)!;
    const mid = this.market.price(pair, now) ?? 0;
    const levels = Math.max(1, Math.min(limit, 100));
    const side = (sign: 1 | -1) =>
      Array.from({ length: levels }, (_, i) => [
        this.fmt(mid + sign * (i + 1) * a.tickSize * 5),
        this.fmt(Math.round((a.baseVolume * (0.2 + 0.1 * i)) / a.stepSize) * a.stepSize),
      ]);
    return { lastUpdateId: Math.floor(now / 100), bids: side(-1), asks: side(1) };
  }

  private placeOrder(apiKey: string, p: URLSearchParams, now: number): unknown {
    const pair = this.pair(p.get('symbol'));
    if (this.random() < this.faults.rejectRate) {
      this.stats.faultsInjected++;
      throw new BinanceError(400, -2010, 'Account has insufficient balance for requested action.');
    }
    const order = this.account(apiKey).place(
      {
        pair,
        side: p.get('side') ?? '',
        type: p.get('type') ?? '',
        quantity: p.get('quantity'),
        quoteOrderQty: p.get('quoteOrderQty'),
        price: p.get('price'),
        timeInForce: p.get('timeInForce'),
        clientOrderId: p.get('newClientOrderId'),
      },
      now,
      this.market,
      this.random() < this.faults.partialFillRate,
    );
    return {
      ...this.orderView(order),
      fills: order.fills.map((f) => ({
        price: this.fmt(f.price),
        qty: this.fmt(f.qty),
        commission: this.fmt(f.commission),
        commissionAsset: f.commissionAsset,
        tradeId: f.id,
      })),
    };
  }

  private orderView(o: SimOrder): Record<string, unknown> {
    return {
      symbol: o.pair.replace('/', ''),
      orderId: o.id,
      orderListId: -1,
      clientOrderId: o.clientOrderId,
      transactTime: o.updatedAt,
      price: this.fmt(o.price ?? 0),
      origQty: this.fmt(o.quantity),
      executedQty: this.fmt(o.executedQty),
      cummulativeQuoteQty: this.fmt(o.quoteQty),
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      stopPrice: '0.00000000',
      icebergQty: '0.00000000',
      time: o.createdAt,
      updateTime: o.updatedAt,
      isWorking: o.status === 'NEW' || o.status === 'PARTIALLY_FILLED',
      workingTime: o.createdAt,
      origQuoteOrderQty: '0.00000000',
      selfTradePreventionMode: 'EXPIRE_MAKER',
    };
  }
}
