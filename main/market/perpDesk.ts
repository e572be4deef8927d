// Perpetual-futures data for the desk's spot series: imports of funding and the perpetual's
// last/mark/index bars (a worker per series, kept current with the series), order-book depth
// sampled while the app runs (summarised per 1m bar), what is stored, and the chart's panes.
import type { Db } from 'mongodb';
import type { PerpCoverage, PerpPanes, SeriesView, WorkerStatus } from '../../core/api/contract';
import { ServiceError } from '../../core/api/dispatcher';
import type { JobRunner } from '../../core/ports/jobRunner';
import type { BarSource } from '../../core/ports/barSource';
import type { Logger } from '../../core/logging/logger';
import { futuresAccount, type FuturesVenue } from '../../core/exchange/venues';
import {
  DEPTH_SAMPLE_MS,
  bookDepth,
  depthBar,
  perpPairOf,
  type CryptoPart,
  type DepthSample,
  type PerpPriceKind,
} from '../../core/market/derivatives';
import type { OhlcvTuple } from '../../core/market/bars';
import { basisAnnualised, depthImbalance, markBasisAnnualised, spreadBp } from '../../core/research/cryptoFactors';
import { TIMEFRAME_MS, barOpen, type Timeframe } from '../../core/market/timeframes';
import { createExchangeClient } from '../exchange/ccxtFactory';
import type { RequestBudgets } from '../exchange/requestBudgets';
import { DerivativesStore } from './derivativesStore';
import { word } from '../../core/wording/wording';
import type { MarketDesk } from './marketDesk';
import { COLLECTIONS } from '../../core/db/collections';
import { FROM_FILE, type CandleFileFormat } from '../../core/market/fileFormats';
import { parseSymbol } from '../../core/market/symbols';

/** How often a kept-current series' perpetual data is brought up to date, and how far back that looks for gaps. */
const REFRESH_MS: Record<Timeframe, number> = { '1m': 60_000, '1d': 3_600_000 };
const REFRESH_LOOKBACK_MS = 2 * 86_400_000;
/** Points a pane holds at most (the chart reads a year of minutes as fewer candles too). */
const MAX_PANE_POINTS = 5000;
/** Bars the panes are computed over at most: a month of minutes. */
const MAX_PANE_BARS = 30 * 1440;

export interface PerpDeskOptions {
  market: MarketDesk;
  supervisor: JobRunner;
  db: () => Db;
  bars: () => BarSource;
  connection: () => { uri: string; dbName: string };
  log: Logger;
  budgets: RequestBudgets;
}

export class PerpDesk {
  private timer: NodeJS.Timeout | null = null;
  private readonly clients = new Map<string, ReturnType<typeof createExchangeClient>>();
  private readonly lastRefresh = new Map<string, number>();
  /** The minute being sampled per symbol, and its snapshots so far. */
  private readonly minutes = new Map<string, { time: number; samples: DepthSample[] }>();
  private ticking = false;

  constructor(private readonly o: PerpDeskOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = true;
      void this.tick()
        .catch((err: Error) => this.o.log.warn('perpetual data update failed', { message: err.message }))
        .finally(() => (this.ticking = false));
    }, DEPTH_SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private store(): DerivativesStore {
    return new DerivativesStore(this.o.db());
  }

  /** The exchange of a series and its futures API, or a clear refusal. */
  private async futuresOf(
    s: SeriesView,
  ): Promise<{ id: string; futures: FuturesVenue; apiBaseUrl?: string; ccxtId: string }> {
    let e;
    try {
      e = this.o.market.venue(s.exchange);
    } catch {
      throw new ServiceError('BAD_REQUEST', word('perp.fromFile', { symbol: s.symbol }));
    }
    if (!e.futures) throw new ServiceError('BAD_REQUEST', word('perp.noFutures', { exchange: e.label }));
    const client = this.client(e.id, e.ccxtId, e.apiBaseUrl);
    if (!client.markets) {
      await this.o.budgets.acquire(futuresAccount(e.id), e.futures.weights.markets, 'ui', AbortSignal.timeout(10_000));
      try {
        await client.loadMarkets();
      } catch (err) {
        this.clients.delete(e.id);
        throw new ServiceError(
          'UNAVAILABLE',
          word('perp.unreachable', { exchange: e.label, error: (err as Error).message.slice(0, 200) }),
        );
      }
    }
    if (!client.markets?.[perpPairOf(s.pair)])
      throw new ServiceError('BAD_REQUEST', word('perp.none', { pair: s.pair }));
    return { id: e.id, futures: e.futures, ccxtId: e.ccxtId, ...(e.apiBaseUrl && { apiBaseUrl: e.apiBaseUrl }) };
  }

  private client(id: string, ccxtId: string, apiBaseUrl?: string): ReturnType<typeof createExchangeClient> {
    let c = this.clients.get(id);
    if (!c) {
      c = createExchangeClient({
        exchangeId: ccxtId,
        marketType: 'future',
        timeoutMs: 5000,
        ...(apiBaseUrl && { apiBaseUrl }),
      });
      this.clients.set(id, c);
    }
    return c;
  }

  private jobName(symbol: string, tf: Timeframe): string {
    return `perp:${symbol}:${tf}`;
  }

  /** Imports the series' perpetual data over its whole range, and keeps it current with the series from now on. */
  async startImport(symbol: string, timeframe: Timeframe): Promise<WorkerStatus> {
    const s = await this.o.market.seriesView(symbol, timeframe);
    if (s.deleting) throw new ServiceError('BAD_REQUEST', `${symbol} ${timeframe} is being deleted`);
    const venue = await this.futuresOf(s);
    await this.o
      .db()
      .collection(COLLECTIONS.series)
      .updateOne({ symbol, timeframe }, { $set: { perp: true } });
    this.o.log.info('perpetual data import asked', { symbol, timeframe });
    return this.launch(s, venue, s.stored?.first ?? s.from);
  }

  private launch(s: SeriesView, venue: Awaited<ReturnType<PerpDesk['futuresOf']>>, from: number): WorkerStatus {
    const { uri, dbName } = this.o.connection();
    const name = this.jobName(s.symbol, s.timeframe);
    this.lastRefresh.set(name, Date.now());
    this.o.supervisor.start({
      name,
      job: 'derivativesImport',
      restart: 'on-failure',
      params: {
        uri,
        dbName,
        ccxtId: venue.ccxtId,
        account: futuresAccount(venue.id),
        ...(venue.apiBaseUrl && { apiBaseUrl: venue.apiBaseUrl }),
        symbol: s.symbol,
        pair: s.pair,
        timeframe: s.timeframe,
        from,
        futures: venue.futures,
      },
    });
    return this.o.supervisor.get(name)!;
  }

  /**
   * Imports a file of perpetual data for a symbol in a worker (Freqtrade's funding_rate files, or
   * the perpetual's last/mark/index bars); the report arrives as the worker's result.
   */
  importFile(req: {
    path: string;
    symbol: string;
    timeframe: Timeframe;
    kind: 'funding' | PerpPriceKind;
    format: 'auto' | CandleFileFormat;
  }): WorkerStatus {
    const { uri, dbName } = this.o.connection();
    const name = `file:${req.kind}:${req.symbol}:${req.timeframe}`;
    // A bad file fails the same way every time: no restart.
    this.o.supervisor.start({
      name,
      job: 'fileImport',
      restart: 'never',
      params: {
        uri,
        dbName,
        path: req.path,
        symbol: req.symbol,
        timeframe: req.timeframe,
        format: req.format,
        data: req.kind,
        series: { exchange: FROM_FILE, pair: parseSymbol(req.symbol).ticker },
      },
    });
    return this.o.supervisor.get(name)!;
  }

  /** Starts or stops sampling the series' perpetual order book. */
  async setDepth(symbol: string, timeframe: Timeframe, on: boolean): Promise<SeriesView> {
    const s = await this.o.market.seriesView(symbol, timeframe);
    if (on) await this.futuresOf(s);
    await this.o
      .db()
      .collection(COLLECTIONS.series)
      .updateOne({ symbol, timeframe }, { $set: { depth: on } });
    this.o.log.info(on ? 'order-book depth recorded' : 'order-book depth no longer recorded', { symbol, timeframe });
    return { ...s, depth: on };
  }

  /**
   * The perpetual data `parts` closed since `sinceMs`, fetched from the series' exchange now and
   * stored (a live pipeline cannot wait for the next scheduled import). Returns the open time of
   * the newest bar every needed price kind has stored (null: none yet), or the newest
   * settlement when only funding is needed.
   */
  async fetchClosed(
    symbol: string,
    timeframe: Timeframe,
    sinceMs: number,
    parts: readonly CryptoPart[],
    nowMs = Date.now(),
  ): Promise<number | null> {
    const s = await this.o.market.seriesView(symbol, timeframe);
    const venue = await this.futuresOf(s);
    const client = this.client(venue.id, venue.ccxtId, venue.apiBaseUrl);
    const perp = perpPairOf(s.pair);
    const store = this.store();
    const account = futuresAccount(venue.id);
    const step = TIMEFRAME_MS[timeframe];
    // The newest time stored of each needed part: what the pipeline's last bar can rely on.
    const newest: (number | null)[] = [];
    for (const part of parts) {
      if (part === 'depth') continue; // sampled, never fetched back
      if (part === 'funding') {
        await this.o.budgets.acquire(account, venue.futures.weights.funding, 'ui', AbortSignal.timeout(5000));
        const rows = (await client.fetchFundingRateHistory(perp, sinceMs - 86_400_000, venue.futures.fundingPageSize))
          .filter((r) => r.timestamp !== undefined && r.timestamp <= nowMs)
          .map((r) => ({ time: r.timestamp!, rate: Number(r.fundingRate), markPrice: null }));
        await store.writeFunding(symbol, rows);
        continue;
      }
      await this.o.budgets.acquire(account, venue.futures.weights.klines, 'ui', AbortSignal.timeout(5000));
      const page = (await client.fetchOHLCV(
        perp,
        timeframe,
        sinceMs,
        venue.futures.klinesPageSize,
        part === 'last' ? {} : { price: part },
      )) as OhlcvTuple[];
      const bars = page.filter((b) => b[0] + step <= nowMs);
      await store.writePerpBars(symbol, timeframe, part, bars);
      newest.push(bars.length ? bars[bars.length - 1]![0] : null);
    }
    if (newest.includes(null)) return null;
    return newest.length ? Math.min(...(newest as number[])) : barOpen(nowMs, timeframe) - step;
  }

  async coverage(): Promise<PerpCoverage[]> {
    const symbols = [...new Set((await this.o.market.series()).filter((s) => s.perp || s.depth).map((s) => s.symbol))];
    return this.store().coverage(symbols);
  }

  /** Funding, basis and depth over the chart's range, computed by the factors' own code. */
  async panes(req: {
    symbol: string;
    timeframe: Timeframe;
    from?: string | undefined;
    to?: string | undefined;
  }): Promise<PerpPanes> {
    const to = req.to ? Date.parse(req.to) : Date.now();
    // At most the latest month of minutes: each price kind of a year of 1m is a read of half a
    // million documents (seconds on the bundled engine); the reply says where the panes start.
    const from = Math.max(
      req.from ? Date.parse(req.from) : to - 1000 * TIMEFRAME_MS[req.timeframe],
      to - MAX_PANE_BARS * TIMEFRAME_MS[req.timeframe],
    );
    const bars = await this.o.bars().readBars(req.symbol, req.timeframe, from, to);
    const store = this.store();
    const funding = await store.readFunding(req.symbol, from, to);
    bars.crypto = {
      last: await store.readPerpCloses(req.symbol, req.timeframe, 'last', from, to),
      mark: await store.readPerpCloses(req.symbol, req.timeframe, 'mark', from, to),
      index: await store.readPerpCloses(req.symbol, req.timeframe, 'index', from, to),
      depth: await store.readDepth(req.symbol, from, to),
    };
    const basis = basisAnnualised(bars);
    const mark = markBasisAnnualised(bars);
    const depth = bars.crypto.depth!;
    // Depth is drawn per 1m bar as sampled (on a 1d chart too); the imbalance is the 0.1 % band's.
    const depthBars = { ...bars, timeframe: '1m' as const, length: depth.time.length, time: depth.time };
    const imbalance = depthImbalance(depthBars, 10);
    const spread = spreadBp(depthBars);
    const every = (n: number) => Math.max(1, Math.ceil(n / MAX_PANE_POINTS));
    const thin = (time: ArrayLike<number>, ...cols: ArrayLike<number>[]) => {
      const k = every(time.length);
      const keep: number[] = [];
      // the last point of each run of k: the newest value is always drawn
      for (let i = time.length - 1; i >= 0; i -= k) keep.unshift(i);
      const value = (x: number) => (Number.isFinite(x) ? x : null);
      return { time: keep.map((i) => time[i]!), cols: cols.map((c) => keep.map((i) => value(c[i]!))) };
    };
    const b = thin(bars.time, basis, mark);
    const d = thin(depth.time, imbalance, spread);
    return {
      symbol: req.symbol,
      timeframe: req.timeframe,
      from,
      funding: { time: Array.from(funding.time), rateBp: Array.from(funding.value, (r) => r * 10_000) },
      basis: { time: b.time, perpPct: b.cols[0]!, markPct: b.cols[1]! },
      depth: { time: d.time, imbalance: d.cols[0]!, spreadBp: d.cols[1]! },
    };
  }

  /** Every DEPTH_SAMPLE_MS: a book for each recorded series; a perpetual refresh for kept-current ones when due. */
  private async tick(): Promise<void> {
    const series = await this.o.market.series();
    for (const s of series) {
      if (s.deleting) continue;
      const name = this.jobName(s.symbol, s.timeframe);
      if (s.perp && s.auto && Date.now() - (this.lastRefresh.get(name) ?? 0) >= REFRESH_MS[s.timeframe]) {
        const status = this.o.supervisor.get(name);
        if (!status || !['starting', 'running', 'restarting'].includes(status.state)) {
          this.lastRefresh.set(name, Date.now());
          const view = await this.o.market.seriesView(s.symbol, s.timeframe);
          const venue = await this.futuresOf(view).catch((err: Error) => {
            this.o.log.warn('perpetual data not brought up to date', { symbol: s.symbol, message: err.message });
            return null;
          });
          if (venue) this.launch(view, venue, Math.max(s.from, Date.now() - REFRESH_LOOKBACK_MS));
        }
      }
    }
    // One book per symbol, whichever of its series asked for it.
    const recorded = new Map(series.filter((s) => s.depth && !s.deleting).map((s) => [s.symbol, s]));
    for (const s of recorded.values())
      await this.sample(s).catch((err: Error) =>
        this.o.log.warn('order book not sampled', { symbol: s.symbol, message: err.message }),
      );
  }

  private async sample(s: { symbol: string; pair: string; exchange: string }): Promise<void> {
    const e = this.o.market.venue(s.exchange);
    if (!e.futures) return;
    const client = this.client(e.id, e.ccxtId, e.apiBaseUrl);
    await this.o.budgets.acquire(
      futuresAccount(e.id),
      e.futures.weights.depth + (client.markets ? 0 : e.futures.weights.markets),
      'importer',
      AbortSignal.timeout(DEPTH_SAMPLE_MS),
    );
    const book = await client.fetchOrderBook(perpPairOf(s.pair), e.futures.depthLevels);
    const at = book.timestamp ?? Date.now();
    const snapshot = bookDepth(book.bids as [number, number][], book.asks as [number, number][]);
    if (!snapshot) {
      this.o.log.warn('order book skipped: crossed or one-sided', { symbol: s.symbol, at: new Date(at).toISOString() });
      return;
    }
    const minute = barOpen(at, '1m');
    let m = this.minutes.get(s.symbol);
    if (!m || m.time !== minute) {
      m = { time: minute, samples: [] };
      this.minutes.set(s.symbol, m);
    }
    m.samples.push(snapshot);
    // Written at every sample: the minute's row holds what has been seen of it so far.
    await this.store().writeDepth(s.symbol, depthBar(minute, m.samples)!);
  }
}
