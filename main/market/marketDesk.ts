// Market data for the desk: the exchanges a trader can import from (the demo exchange first,
// clearly simulated), import jobs run by the importer workers, the series kept up to date on a
// schedule, coverage reports and bars for the chart.
import { savedPort } from '../settings/savedPort';
import type { Db } from 'mongodb';
import type {
  BarsReply,
  CoverageReport,
  ExchangeInfo,
  Series,
  SeriesView,
  SimTrouble,
  WorkerStatus,
} from '../../core/api/contract';
import { ServiceError } from '../../core/api/dispatcher';
import type { Logger } from '../../core/logging/logger';
import { coverageOf, type OhlcvTuple } from '../../core/market/bars';
import { FROM_FILE, type CandleFileFormat } from '../../core/market/fileFormats';
import { findJumps, findZeroVolumeRuns } from '../../core/market/quality';
import { RESOLUTION_MS, resampleBars, resolutionsFor, type Resolution } from '../../core/market/resample';
import { parsePair, parseSymbol, toPair, toSymbol } from '../../core/market/symbols';
import { TIMEFRAME_MS, barOpen, type Timeframe } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { PerpetualMarket } from '../../core/simulation/perpetualMarket';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { probeClock } from '../exchange/clockProbe';
import type { RequestBudgets } from '../exchange/requestBudgets';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import type { BarColumns } from './barColumns';
import { MarketStore } from './marketStore';
import type { JobRunner } from '../../core/ports/jobRunner';
import { COLLECTIONS } from '../../core/db/collections';
import type { BudgetOptions } from '../../core/exchange/requestBudget';
import { BINANCE, VENUES, futuresAccount, type RequestWeights, type Venue } from '../../core/exchange/venues';

/** How often a kept-current series is brought up to date. */
const REFRESH_MS: Record<Timeframe, number> = { '1m': 60_000, '1d': 3_600_000 };

/** Bars per chart request at most (a year of minutes). */
const MAX_CHART_BARS = 600_000;

/** An exchange of this desk: a venue, and whether it is the simulated demo. */
type ExchangeEntry = Venue & { simulated: boolean };

export interface MarketDeskOptions {
  supervisor: JobRunner;
  db: () => Db;
  /** The columnar copy of the bars (absent: bars are read from the database); import workers get its folder. */
  columns?: () => BarColumns;
  connection: () => { uri: string; dbName: string };
  log: Logger;
  budgets: RequestBudgets;
  /** The real exchanges offered beside the demo (VENUES unless given). */
  venues?: readonly Venue[];
  /** Where the demo exchange's port is kept, so a Freqtrade bot pointed at it finds it after a restart. */
  demoPortFile?: string;
}

export class MarketDesk {
  private demo: BinanceSimulator | null = null;
  private exchanges: ExchangeEntry[] = [];
  private scheduler: NodeJS.Timeout | null = null;
  private readonly lastRun = new Map<string, number>();
  private readonly pairsCache = new Map<string, string[]>();

  constructor(private readonly options: MarketDeskOptions) {}

  async start(): Promise<void> {
    // The demo exchange: the simulator on a private port, so a new user can import at once.
    // Its perpetuals (funding, mark and index prices, depth) follow the same seeded market.
    const market = new SyntheticMarket(demoAssets(Date.now()), 42);
    this.demo = new BinanceSimulator({ market, perpetuals: new PerpetualMarket(market, 42) });
    const url = await this.demo.start(
      this.options.demoPortFile ? (await savedPort(this.options.demoPortFile, 0)).port : 0,
    );
    // The demo speaks Binance's API (with its weights and limits) on a local port.
    this.exchanges = [
      {
        ...BINANCE,
        id: 'demo',
        label: 'Demo exchange (simulated)',
        symbolPrefix: 'DEMO',
        apiBaseUrl: url,
        simulated: true,
      },
      ...(this.options.venues ?? VENUES).map((v) => ({ ...v, simulated: false })),
    ];
    this.options.log.info('demo exchange started', { url });
    this.scheduler = setInterval(
      () =>
        void this.refreshSeries().catch((err: Error) =>
          this.options.log.warn('scheduled update failed', { message: err.message }),
        ),
      15_000,
    );
    this.scheduler.unref();
  }

  /** Where the demo exchange answers (Binance's API on a local port). */
  demoApiUrl(): string {
    const demo = this.exchanges.find((e) => e.id === 'demo');
    if (!demo?.apiBaseUrl) throw new ServiceError('UNAVAILABLE', 'The demo exchange has not started yet');
    return demo.apiBaseUrl;
  }

  /**
   * Once the database answers after start (in the background): bars another program wrote past
   * either end of a stored series join its index (and so the charts, research and the columnar
   * copy). One series at a time.
   */
  async adoptOutsideBars(): Promise<void> {
    const failed = (what: string, err: unknown) =>
      this.options.log.warn(
        `adopting bars another program wrote failed (${what}); the quality check of a series adopts them`,
        { message: (err as Error).message },
      );
    let series: Series[];
    try {
      series = await this.series();
    } catch (err) {
      return failed('the list of series', err);
    }
    for (const s of series) {
      try {
        const adopted = await this.store().adoptOutsideEdges(s.symbol, s.timeframe);
        if (adopted > 0)
          this.options.log.info('adopted bars another program wrote', {
            symbol: s.symbol,
            timeframe: s.timeframe,
            bars: adopted,
          });
      } catch (err) {
        failed(`${s.symbol} ${s.timeframe}`, err);
      }
    }
  }

  async stop(): Promise<void> {
    if (this.scheduler) clearInterval(this.scheduler);
    await this.demo?.stop();
  }

  list(): ExchangeInfo[] {
    return this.exchanges.map(({ id, label, ccxtId, simulated, symbolPrefix }) => ({
      id,
      label,
      ccxtId,
      simulated,
      symbolPrefix,
    }));
  }

  /** What each request to an exchange of the desk weighs. */
  weightsOf(exchangeId: string): RequestWeights {
    return this.exchange(exchangeId).weights;
  }

  /** The request budget of an exchange account (each exchange of the desk is one; its futures API another). */
  budgetOf(account: string): BudgetOptions {
    const futures = this.exchanges.find((e) => futuresAccount(e.id) === account)?.futures;
    if (futures) return futures.budget;
    return (this.exchanges.find((e) => e.id === account) ?? BINANCE).budget;
  }

  /** An exchange of the desk by its id (its venue facts and where it answers). */
  venue(id: string): Venue & { simulated: boolean } {
    return this.exchange(id);
  }

  private simulator(id: string): BinanceSimulator {
    const e = this.exchange(id);
    if (!e.simulated || !this.demo)
      throw new ServiceError(
        'BAD_REQUEST',
        `${e.label} is a real exchange: only a simulated one can be told to misbehave`,
      );
    return this.demo;
  }

  trouble(id: string): SimTrouble {
    const f = this.simulator(id).currentFaults();
    return {
      rejectRate: f.rejectRate,
      serverErrorRate: f.serverErrorRate,
      timeoutRate: f.timeoutRate,
      latencyMs: f.latencyMs,
    };
  }

  setTrouble(id: string, trouble: SimTrouble): SimTrouble {
    this.simulator(id).setFaults(trouble);
    this.options.log.warn('simulated exchange trouble set', { exchange: id, ...trouble });
    return this.trouble(id);
  }

  /** Where import workers keep the columnar copy of what they write. */
  private columnsParam(): { columnsDir?: string } {
    const c = this.options.columns?.();
    return c ? { columnsDir: c.dir } : {};
  }

  /** The market store of the desk's database, with the columnar copy of the bars. */
  private store(): MarketStore {
    return new MarketStore(this.options.db(), this.options.columns?.() ?? null);
  }

  private exchange(id: string): ExchangeEntry {
    const e = this.exchanges.find((x) => x.id === id);
    if (!e) throw new ServiceError('BAD_REQUEST', `Unknown exchange "${id}"`);
    return e;
  }

  async pairs(exchangeId: string): Promise<string[]> {
    const e = this.exchange(exchangeId);
    const cached = this.pairsCache.get(e.id);
    if (cached) return cached;
    const client = createExchangeClient({
      exchangeId: e.ccxtId,
      ccxtOptions: e.ccxtOptions,
      ...(e.apiBaseUrl && { apiBaseUrl: e.apiBaseUrl }),
    });
    try {
      await this.options.budgets.acquire(e.id, e.weights.markets, 'ui');
      const markets = await client.loadMarkets();
      const pairs = Object.values(markets)
        .filter((m) => m && m.spot && m.active !== false)
        .map((m) => m!.symbol)
        .filter((s) => /^[A-Z0-9]+\/[A-Z0-9]+$/.test(s))
        .sort();
      this.pairsCache.set(e.id, pairs);
      return pairs;
    } catch (err) {
      throw new ServiceError('UNAVAILABLE', `${e.label} cannot be reached: ${(err as Error).message.slice(0, 200)}`);
    }
  }

  private jobName(symbol: string, tf: Timeframe): string {
    return `import:${symbol}:${tf}`;
  }

  /** Starts (or restarts) the import of one series; remembers it to keep it current. */
  async startImport(req: {
    exchange: string;
    pair: string;
    timeframe: Timeframe;
    from: string;
    to?: string | undefined;
    auto: boolean;
  }): Promise<WorkerStatus> {
    const e = this.exchange(req.exchange);
    try {
      parsePair(req.pair);
    } catch (err) {
      throw new ServiceError('BAD_REQUEST', (err as Error).message);
    }
    const pairs = await this.pairs(e.id);
    if (!pairs.includes(req.pair)) throw new ServiceError('BAD_REQUEST', `${e.label} does not list ${req.pair}`);
    const from = Date.parse(req.from);
    const to = req.to ? Date.parse(req.to) : undefined;
    if (to !== undefined && to < from)
      throw new ServiceError('BAD_REQUEST', 'The end of the range is before its start');
    if (from > Date.now()) throw new ServiceError('BAD_REQUEST', 'The start of the range is in the future');
    const symbol = toSymbol(e.symbolPrefix, req.pair);
    const existing = await this.options
      .db()
      .collection(COLLECTIONS.series)
      .findOne({ symbol, timeframe: req.timeframe });
    if (existing?.deleting)
      throw new ServiceError(
        'BAD_REQUEST',
        `${symbol} ${req.timeframe} is being deleted: import it again once that has finished`,
      );
    const series: Series = {
      symbol,
      timeframe: req.timeframe,
      exchange: e.id,
      pair: req.pair,
      from: barOpen(from, req.timeframe),
      auto: req.auto && to === undefined,
    };
    await this.options
      .db()
      .collection(COLLECTIONS.series)
      .updateOne({ symbol, timeframe: req.timeframe }, { $set: series }, { upsert: true });
    return this.launch(series, to);
  }

  private launch(series: Series, to?: number, refetch = false): WorkerStatus {
    const e = this.exchange(series.exchange);
    const { uri, dbName } = this.options.connection();
    const name = this.jobName(series.symbol, series.timeframe);
    this.lastRun.set(name, Date.now());
    this.options.supervisor.start({
      name,
      job: 'import',
      restart: 'on-failure',
      params: {
        uri,
        dbName,
        ...this.columnsParam(),
        ccxtId: e.ccxtId,
        ccxtOptions: e.ccxtOptions,
        account: e.id,
        ...(e.apiBaseUrl && { apiBaseUrl: e.apiBaseUrl }),
        pageSize: e.klinesPageSize,
        weights: { markets: e.weights.markets, klines: e.weights.klines },
        symbol: series.symbol,
        pair: series.pair,
        timeframe: series.timeframe,
        from: series.from,
        ...(to !== undefined && { to }),
        ...(refetch && { refetch }),
      },
    });
    return this.options.supervisor.get(name)!;
  }

  /** Stops an import; a candle import also stops keeping its series current (a perpetual-data import, `perp:`, resumes with it). */
  async cancel(name: string): Promise<WorkerStatus> {
    if (!/^(import|perp):/.test(name) || !this.options.supervisor.get(name))
      throw new ServiceError('BAD_REQUEST', `No import named "${name}"`);
    if (name.startsWith('perp:')) return this.options.supervisor.stop(name);
    await this.options
      .db()
      .collection(COLLECTIONS.series)
      .updateOne(
        { symbol: name.split(':').slice(1, 3).join(':'), timeframe: name.split(':')[3] },
        { $set: { auto: false } },
      );
    return this.options.supervisor.stop(name);
  }

  async series(): Promise<Series[]> {
    const docs = await this.options
      .db()
      .collection(COLLECTIONS.series)
      .find({}, { projection: { _id: 0 } })
      .sort({ symbol: 1, timeframe: 1 })
      .toArray();
    return docs as unknown as Series[];
  }

  /** The stored series with what each holds, from the index of stored bars (no bar is read). */
  async seriesViews(): Promise<SeriesView[]> {
    const list = await this.series();
    const stored = await this.store().storedSummaries(list);
    return list.map((s) => ({ ...s, stored: stored.get(`${s.symbol}|${s.timeframe}`) ?? null }));
  }

  async seriesView(symbol: string, timeframe: Timeframe): Promise<SeriesView> {
    const v = (await this.seriesViews()).find((s) => s.symbol === symbol && s.timeframe === timeframe);
    if (!v) throw new ServiceError('BAD_REQUEST', `No stored series ${symbol} ${timeframe}`);
    return v;
  }

  /** Keeps a series current while the app runs (an import now, then at every interval), or stops doing so. */
  async keepCurrent(symbol: string, timeframe: Timeframe, on: boolean): Promise<SeriesView> {
    const s = await this.seriesView(symbol, timeframe);
    if (on && s.exchange === FROM_FILE)
      throw new ServiceError('BAD_REQUEST', `${symbol} came from a file: there is no exchange to keep it current from`);
    if (on && s.deleting) throw new ServiceError('BAD_REQUEST', `${symbol} ${timeframe} is being deleted`);
    await this.options
      .db()
      .collection(COLLECTIONS.series)
      .updateOne({ symbol, timeframe }, { $set: { auto: on } });
    if (on) this.launch({ ...s, auto: true });
    this.options.log.info(on ? 'series kept current' : 'series no longer kept current', { symbol, timeframe });
    return { ...s, auto: on };
  }

  /**
   * Deletes a series after the trader typed its symbol: its import stops, the series is
   * marked as being deleted, and a worker removes its bars in batches (with progress), then
   * its index entry, its columnar copy and the series itself.
   */
  async deleteSeries(symbol: string, timeframe: Timeframe, confirm: string): Promise<WorkerStatus> {
    const s = await this.seriesView(symbol, timeframe);
    if (confirm !== symbol)
      throw new ServiceError('BAD_REQUEST', `To delete this series, type its symbol exactly: ${symbol}`);
    const importName = this.jobName(symbol, timeframe);
    if (this.options.supervisor.get(importName)) await this.options.supervisor.stop(importName);
    await this.options
      .db()
      .collection(COLLECTIONS.series)
      .updateOne({ symbol, timeframe }, { $set: { auto: false, deleting: true } });
    const { uri, dbName } = this.options.connection();
    const name = `delete:${symbol}:${timeframe}`;
    this.options.supervisor.start({
      name,
      job: 'deleteSeries',
      restart: 'on-failure',
      params: { uri, dbName, ...this.columnsParam(), symbol, timeframe, expected: s.stored?.bars ?? 0 },
    });
    this.options.log.warn('series deleted by the trader', { symbol, timeframe, bars: s.stored?.bars ?? null });
    return this.options.supervisor.get(name)!;
  }

  /** Brings every kept-current series up to date when its refresh interval has passed and it is not running. */
  private async refreshSeries(): Promise<void> {
    for (const s of await this.series()) {
      if (!s.auto) continue;
      const name = this.jobName(s.symbol, s.timeframe);
      const status = this.options.supervisor.get(name);
      const running = status && ['starting', 'running', 'restarting'].includes(status.state);
      if (running || Date.now() - (this.lastRun.get(name) ?? 0) < REFRESH_MS[s.timeframe]) continue;
      this.launch(s);
    }
  }

  /** Coverage, gaps, suspicious jumps and zero-volume runs, from one read of the series. */
  async coverage(symbol: string, timeframe: Timeframe): Promise<CoverageReport> {
    const store = this.store();
    const started = new Date();
    // from the database itself, which the columnar copy is then rewritten from: the check must see bars another program wrote
    const bars = await store.readBars(symbol, timeframe, 0, Date.now(), { fromDatabase: true });
    // A full read of the series: the index of stored bars is set to what it found (bars another program wrote included).
    await store.resetRanges(symbol, timeframe, bars.time, started);
    const cov = coverageOf(bars.time, timeframe);
    const gaps = [...cov.gaps].sort((a, b) => b.bars - a.bars).slice(0, 500);
    return {
      symbol,
      timeframe,
      first: cov.first,
      last: cov.last,
      bars: cov.bars,
      expected: cov.expected,
      gapCount: cov.gaps.length,
      missingBars: cov.gaps.reduce((n, g) => n + g.bars, 0),
      gaps,
      jumps: findJumps(bars),
      zeroVolumeRuns: findZeroVolumeRuns(bars),
    };
  }

  /**
   * Imports a candle file from disk in a worker; the report arrives as the worker's result.
   * The series is listed by the job once bars are stored: a refused file leaves nothing behind.
   */
  async importFile(req: {
    path: string;
    symbol: string;
    timeframe: Timeframe;
    format: 'auto' | CandleFileFormat;
    replace: boolean;
  }): Promise<WorkerStatus> {
    const { uri, dbName } = this.options.connection();
    const name = `file:${req.symbol}:${req.timeframe}`;
    const prefix = parseSymbol(req.symbol).exchange;
    let pair: string;
    try {
      pair = toPair(req.symbol);
    } catch {
      pair = parseSymbol(req.symbol).ticker;
    }
    const known = this.exchanges.find((e) => e.symbolPrefix === prefix);
    // A bad file fails the same way every time: no restart.
    this.options.supervisor.start({
      name,
      job: 'fileImport',
      restart: 'never',
      params: { uri, dbName, ...this.columnsParam(), ...req, series: { exchange: known?.id ?? FROM_FILE, pair } },
    });
    return this.options.supervisor.get(name)!;
  }

  /** Fetches a range again from the exchange and replaces what is stored there. */
  async refetch(req: { symbol: string; timeframe: Timeframe; from: string; to: string }): Promise<WorkerStatus> {
    const s = (await this.series()).find((x) => x.symbol === req.symbol && x.timeframe === req.timeframe);
    if (!s)
      throw new ServiceError('BAD_REQUEST', `No stored series ${req.symbol} ${req.timeframe}: its exchange is unknown`);
    const from = Date.parse(req.from);
    const to = Date.parse(req.to);
    if (to < from) throw new ServiceError('BAD_REQUEST', 'The end of the range is before its start');
    return this.launch({ ...s, from: barOpen(from, req.timeframe) }, to, true);
  }

  async bars(req: {
    symbol: string;
    timeframe: Timeframe;
    from?: string | undefined;
    to?: string | undefined;
    forming: boolean;
    resolution?: Resolution | undefined;
  }): Promise<BarsReply> {
    const to = req.to ? Date.parse(req.to) : Date.now();
    const from = req.from ? Date.parse(req.from) : to - MAX_CHART_BARS * TIMEFRAME_MS[req.timeframe];
    if ((to - from) / TIMEFRAME_MS[req.timeframe] > MAX_CHART_BARS)
      throw new ServiceError('BAD_REQUEST', `At most ${MAX_CHART_BARS} bars per request`);
    const resolution = req.resolution ?? req.timeframe;
    if (!resolutionsFor(req.timeframe).includes(resolution))
      throw new ServiceError('BAD_REQUEST', `A ${req.timeframe} series cannot be drawn at ${resolution}`);
    const step = RESOLUTION_MS[resolution];
    // A candle is read whole: from the open of the bucket holding `from`.
    const stored = await this.store().readBars(req.symbol, req.timeframe, Math.floor(from / step) * step, to);
    const b = resampleBars(stored, resolution);
    let forming = req.forming ? await this.formingBar(req.symbol, req.timeframe) : null;
    if (forming && resolution !== req.timeframe) {
      const bucket = Math.floor(forming[0] / step) * step;
      const n = b.length - 1;
      forming =
        n >= 0 && b.time[n] === bucket
          ? [
              bucket,
              b.open[n]!,
              Math.max(b.high[n]!, forming[2]),
              Math.min(b.low[n]!, forming[3]),
              forming[4],
              b.volume[n]! + forming[5],
            ]
          : [bucket, forming[1], forming[2], forming[3], forming[4], forming[5]];
    }
    return {
      symbol: req.symbol,
      timeframe: req.timeframe,
      resolution,
      sourceBars: stored.length,
      time: Array.from(b.time),
      open: Array.from(b.open),
      high: Array.from(b.high),
      low: Array.from(b.low),
      close: Array.from(b.close),
      volume: Array.from(b.volume),
      forming,
    };
  }

  private readonly clients = new Map<string, ReturnType<typeof createExchangeClient>>();

  private clientOf(e: ExchangeEntry): ReturnType<typeof createExchangeClient> {
    let client = this.clients.get(e.id);
    if (!client) {
      client = createExchangeClient({
        exchangeId: e.ccxtId,
        ccxtOptions: e.ccxtOptions,
        timeoutMs: 5000,
        ...(e.apiBaseUrl && { apiBaseUrl: e.apiBaseUrl }),
      });
      this.clients.set(e.id, client);
    }
    return client;
  }

  /** Where each exchange is reached and what its requests weigh (for worker processes that build their own clients). */
  endpoints(): {
    id: string;
    ccxtId: string;
    ccxtOptions: Record<string, unknown>;
    symbolPrefix: string;
    apiBaseUrl?: string;
    weights: RequestWeights;
  }[] {
    return this.exchanges.map((e) => ({
      id: e.id,
      ccxtId: e.ccxtId,
      ccxtOptions: e.ccxtOptions,
      symbolPrefix: e.symbolPrefix,
      weights: e.weights,
      ...(e.apiBaseUrl && { apiBaseUrl: e.apiBaseUrl }),
    }));
  }

  /** A ccxt client signed with an account's keys (live trading, the connection test). */
  keyedClient(exchangeId: string, apiKey: string, secret: string): ReturnType<typeof createExchangeClient> {
    const e = this.exchanges.find((x) => x.id === exchangeId);
    if (!e) throw new ServiceError('BAD_REQUEST', `Unknown exchange "${exchangeId}"`);
    // The demo exchange is ours: adding keys opens an account on it.
    if (e.id === 'demo') this.demo?.addApiKey(apiKey, secret);
    return createExchangeClient({
      exchangeId: e.ccxtId,
      ccxtOptions: e.ccxtOptions,
      apiKey,
      secret,
      timeoutMs: 10_000,
      ...(e.apiBaseUrl && { apiBaseUrl: e.apiBaseUrl }),
    });
  }

  /** Round trip and clock skew of an exchange, under the shared request budget. */
  async probe(exchangeId: string): Promise<{ latencyMs: number; skewMs: number } | null> {
    const e = this.exchange(exchangeId);
    try {
      await this.options.budgets.acquire(e.id, e.weights.time, 'ui', AbortSignal.timeout(5000));
    } catch {
      return null; // the budget is taken by imports and trading: not the exchange's fault
    }
    return probeClock(this.clientOf(e), e.label);
  }

  /** The exchange id a stored symbol comes from. */
  exchangeOf(symbol: string): string {
    const prefix = parseSymbol(symbol).exchange;
    const e = this.exchanges.find((x) => x.symbolPrefix === prefix);
    if (!e)
      throw new ServiceError(
        'BAD_REQUEST',
        `No exchange for ${symbol}: its prefix ${prefix} is not an exchange of this desk`,
      );
    return e.id;
  }

  /** The public (key-less) ccxt client of an exchange of the desk: prices and market rules. */
  publicClient(exchangeId: string): ReturnType<typeof createExchangeClient> {
    return this.clientOf(this.exchange(exchangeId));
  }

  /**
   * Fetches the bars that closed since `sinceMs` straight from the series' exchange and
   * stores them (duplicates impossible), for live pipelines that cannot wait for the next
   * scheduled import. Returns the closed bars fetched, oldest first.
   */
  async fetchClosedBars(
    symbol: string,
    timeframe: Timeframe,
    sinceMs: number,
    nowMs = Date.now(),
  ): Promise<OhlcvTuple[]> {
    const s = (await this.series()).find((x) => x.symbol === symbol && x.timeframe === timeframe);
    const e = s && this.exchanges.find((x) => x.id === s.exchange);
    if (!s || !e)
      throw new ServiceError(
        'BAD_REQUEST',
        `No exchange to fetch ${symbol} ${timeframe} from: import the series from an exchange first`,
      );
    const client = this.clientOf(e);
    await this.options.budgets.acquire(e.id, e.weights.markets + e.weights.klines, 'ui', AbortSignal.timeout(5000));
    try {
      await client.loadMarkets();
    } catch (err) {
      this.clients.delete(e.id); // ccxt keeps a failed load: start afresh next time
      throw err;
    }
    const step = TIMEFRAME_MS[timeframe];
    const rows = ((await client.fetchOHLCV(s.pair, timeframe, sinceMs, e.klinesPageSize)) as OhlcvTuple[]).filter(
      (b) => b[0] + step <= nowMs,
    );
    if (rows.length) await this.store().writeBars(symbol, timeframe, rows);
    return rows;
  }

  /** The bar forming now on the series' exchange, or null when it cannot be had. */
  private async formingBar(symbol: string, timeframe: Timeframe): Promise<OhlcvTuple | null> {
    const s = (await this.series()).find((x) => x.symbol === symbol && x.timeframe === timeframe);
    const e = s && this.exchanges.find((x) => x.id === s.exchange);
    if (!s || !e) return null;
    try {
      const client = this.clientOf(e);
      // ccxt loads the markets once per client, then the klines
      await this.options.budgets.acquire(
        e.id,
        (client.markets ? 0 : e.weights.markets) + e.weights.klines,
        'ui',
        AbortSignal.timeout(3000),
      );
      const rows = (await client.fetchOHLCV(s.pair, timeframe, barOpen(Date.now(), timeframe), 1)) as OhlcvTuple[];
      return rows[0] ?? null;
    } catch {
      // ccxt keeps a failed market load: the next request starts with a fresh client
      if (!this.clients.get(e.id)?.markets) this.clients.delete(e.id);
      return null;
    }
  }
}
