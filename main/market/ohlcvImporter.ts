// Imports exchange candles through ccxt into the market collections: resumes from what is
// stored, fills every gap in the requested range, stores closed bars only, never a duplicate,
// retries network and rate-limit errors with backoff and jitter, stops cleanly on cancel, and
// reports progress (bars done/expected, rate, ETA).
import ccxt, { type Exchange } from 'ccxt';
import type { OhlcvTuple } from '../../core/market/bars';
import { gapsIn } from '../../core/market/barRanges';
import type { Logger } from '../../core/logging/logger';
import { backoffDelayMs, type BackoffPolicy } from '../../core/retry/backoff';
import { TIMEFRAME_MS, barCount, barOpen, lastClosedBarOpen, type Timeframe } from '../../core/market/timeframes';
import type { MarketStore } from './marketStore';
import { BINANCE, type RequestWeights } from '../../core/exchange/venues';

export interface ImportRequest {
  symbol: string;
  pair: string;
  timeframe: Timeframe;
  /** First bar wanted (aligned down); through the last closed bar unless `to` is given. */
  from: number;
  to?: number;
  /** Fetch every bar of the range again and replace what is stored. */
  refetch?: boolean;
}

export interface ImportProgress {
  done: number;
  expected: number;
  /** Bars stored per second over this run. */
  rate: number;
  etaSeconds: number | null;
  stored: number;
  requests: number;
}

export interface ImportResult extends ImportProgress {
  rejected: number;
  retries: number;
  /** Ranges the exchange had no bars for (before listing, trading halts). */
  exchangeGaps: number;
}

export interface ImporterDeps {
  exchange: Pick<Exchange, 'fetchOHLCV' | 'loadMarkets' | 'markets'>;
  store: MarketStore;
  log: Logger;
  now?: () => number;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Bars per request (the venue's page; Binance serves up to 1000). */
  pageSize?: number;
  /** Bars written to the database together (five pages when absent). */
  writeSize?: number;
  /** What loading the markets and a page of klines weigh on the venue (Binance's when absent). */
  weights?: Pick<RequestWeights, 'markets' | 'klines'>;
  retry?: BackoffPolicy & { maxAttempts: number };
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Waits for request weight on the exchange account's shared budget. */
  acquire?: (weight: number) => Promise<void>;
}

export const IMPORT_RETRY: BackoffPolicy & { maxAttempts: number } = {
  baseMs: 500,
  maxMs: 30_000,
  jitter: 0.25,
  maxAttempts: 8,
};

/** Exchange errors worth retrying: the network, the exchange being away, or rate limits. */
export function isRetryable(err: unknown): boolean {
  return err instanceof ccxt.NetworkError;
}

/** Database errors worth retrying: the server restarting or briefly unreachable. */
export function isDatabaseTransient(err: unknown): boolean {
  const e = err as {
    name?: string;
    message?: string;
    errorLabels?: string[];
    errorLabelSet?: Set<string>;
    writeErrors?: unknown;
    cause?: unknown;
  };
  // A driver error that failed as a whole (no per-document errors) on a lost connection; a
  // server killed mid-write ends the socket ("ended by the other party").
  const lostConnection =
    typeof e?.name === 'string' &&
    e.name.startsWith('Mongo') &&
    (!e.writeErrors || (Array.isArray(e.writeErrors) && e.writeErrors.length === 0)) &&
    /ECONNREFUSED|ECONNRESET|EPIPE|connection .*closed|timed out|socket has been ended|socket hang up/i.test(
      e.message ?? '',
    );
  return (
    lostConnection ||
    (e?.cause !== undefined && e.cause !== err && isDatabaseTransient(e.cause)) ||
    Boolean(e?.errorLabelSet?.has('RetryableError')) ||
    e?.name === 'MongoNetworkError' ||
    e?.name === 'MongoServerSelectionError' ||
    e?.name === 'MongoNotConnectedError' ||
    e?.name === 'MongoTopologyClosedError' ||
    Boolean(e?.errorLabelSet?.has('RetryableWriteError') || e?.errorLabels?.includes('RetryableWriteError'))
  );
}

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled');
    this.name = 'ImportCancelled';
  }
}

/**
 * Runs an action again after a retryable failure, with backoff and jitter, until it succeeds,
 * fails for good or the import is cancelled (every importer of exchange data shares it).
 */
export function retrier(o: {
  signal?: AbortSignal | undefined;
  retry: BackoffPolicy & { maxAttempts: number };
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  log: Logger;
  onRetry: () => void;
}) {
  return async <T>(what: string, action: () => Promise<T>, retryable: (err: unknown) => boolean): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      if (o.signal?.aborted) throw new ImportCancelled();
      try {
        return await action();
      } catch (err) {
        if (!retryable(err) || attempt >= o.retry.maxAttempts) throw err;
        o.onRetry();
        const delay = backoffDelayMs(attempt, o.retry, o.random());
        o.log.warn(`${what} failed; retrying`, { attempt, delayMs: delay, error: (err as Error).message });
        await o.sleep(delay, o.signal);
      }
    }
  };
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function importOhlcv(req: ImportRequest, deps: ImporterDeps): Promise<ImportResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const retry = deps.retry ?? IMPORT_RETRY;
  const pageSize = deps.pageSize ?? BINANCE.klinesPageSize;
  const writeSize = deps.writeSize ?? 5 * pageSize;
  const weights = deps.weights ?? BINANCE.weights;
  const step = TIMEFRAME_MS[req.timeframe];
  const log = deps.log.child({ symbol: req.symbol, timeframe: req.timeframe });

  const from = barOpen(req.from, req.timeframe);
  const lastClosed = lastClosedBarOpen(now(), req.timeframe);
  const to = Math.min(req.to !== undefined ? barOpen(req.to, req.timeframe) : lastClosed, lastClosed);
  const expected = barCount(from, to, req.timeframe);

  const started = now();
  let done = 0;
  let stored = 0;
  let requests = 0;
  let rejected = 0;
  let retries = 0;
  let exchangeGaps = 0;
  const report = () => {
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? stored / elapsed : 0;
    const left = expected - done;
    deps.onProgress?.({
      done,
      expected,
      rate,
      etaSeconds: rate > 0 ? left / rate : left === 0 ? 0 : null,
      stored,
      requests,
    });
  };
  // (the first progress comes once what is stored is known: a refresh of a stored year reads
  // "525,990 / 526,000", never "0 / 526,000")
  log.info('import started', { from: new Date(from).toISOString(), to: new Date(to).toISOString(), expected });

  const withRetry = retrier({ ...deps, retry, sleep, random, log, onRetry: () => retries++ });

  const fetchPage = (since: number): Promise<OhlcvTuple[]> =>
    withRetry(
      'exchange request',
      async () => {
        requests++;
        // ccxt keeps a failed market load as a rejected promise: force a fresh one on retry.
        if (!deps.exchange.markets) {
          await deps.acquire?.(weights.markets);
          await deps.exchange.loadMarkets(true);
        }
        await deps.acquire?.(weights.klines);
        return (await deps.exchange.fetchOHLCV(req.pair, req.timeframe, since, pageSize)) as OhlcvTuple[];
      },
      isRetryable,
    );

  // What is stored, from the series' index of stored bars (never a scan of the bars), then
  // fetch only what is missing.
  const gaps = req.refetch
    ? to >= from
      ? [{ from, to, bars: expected }]
      : []
    : gapsIn(await deps.store.storedRanges(req.symbol, req.timeframe), req.timeframe, from, to);
  done = expected - gaps.reduce((n, g) => n + g.bars, 0);
  report();
  // The next pages are fetched while these are written (the exchange and the database work at
  // once), as many as one write takes, each within the account's request budget: asked for
  // where full pages would start, used only where the next page does start.
  const depth = Math.max(2, Math.ceil(writeSize / pageSize));
  let ahead: { since: number; page: Promise<OhlcvTuple[]> }[] = [];
  const pageAt = (since: number): Promise<OhlcvTuple[]> => {
    const first = ahead[0];
    if (first?.since === since) return ahead.shift()!.page;
    ahead = []; // the guesses went wrong (a short page): their answers are dropped
    return fetchPage(since);
  };
  const fetchAhead = (next: number, to: number) => {
    let since = ahead.length ? ahead[ahead.length - 1]!.since + pageSize * step : next;
    // (with the page in hand, `depth` in all)
    while (ahead.length < depth - 1 && since <= to && !deps.signal?.aborted) {
      const page = fetchPage(since);
      page.catch(() => undefined); // a failure surfaces when (and if) the page is used
      ahead.push({ since, page });
      since += pageSize * step;
    }
  };
  // Pages are written a few at a time: one database write, one update of the series' index and
  // one rewrite of the columnar copy's month serve several pages (each costs about as much for
  // one page as for five).
  let batch: OhlcvTuple[] = [];
  let batchSpan = 0; // bars of the range the batch covers
  // Two writes at a time (the engine reads one while it stores the other); progress is counted
  // in order. The first write of an import runs alone: it may build the series' index.
  let writing = null as Promise<void> | null;
  let wrote = false;
  const write = async () => {
    if (batch.length === 0) return;
    const bars = batch;
    const span = batchSpan;
    batch = [];
    batchSpan = 0;
    const before = writing;
    const mine = (async () => {
      // A database restart mid-import is waited out; the write is idempotent, so a retry after
      // a write that did land stores nothing twice.
      const result = await withRetry(
        'database write',
        () => deps.store.writeBars(req.symbol, req.timeframe, bars, { replace: req.refetch === true }),
        isDatabaseTransient,
      );
      await before;
      rejected += result.rejected.length;
      if (result.rejected.length)
        log.warn('exchange sent bars that fail validation; skipped', {
          count: result.rejected.length,
          first: result.rejected[0],
        });
      stored += result.inserted + result.replaced;
      done += span;
      report();
    })();
    mine.catch(() => undefined); // surfaces where it is awaited
    writing = mine;
    if (!wrote) {
      wrote = true;
      await mine;
    } else if (before) await before;
  };
  const settle = async () => {
    const last = writing;
    writing = null;
    await last;
  };
  try {
    for (const gap of gaps) {
      let since = gap.from;
      while (since <= gap.to) {
        if (deps.signal?.aborted) {
          await settle();
          throw new ImportCancelled();
        }
        const page = await pageAt(since);
        if (page.length >= pageSize) fetchAhead(page[page.length - 1]![0] + step, gap.to);
        // Only closed bars inside this gap: the forming bar and anything beyond are left for later.
        const closed = page.filter(
          (b) => b[0] >= since && b[0] <= gap.to && b[0] <= lastClosedBarOpen(now(), req.timeframe),
        );
        if (closed.length === 0) {
          // Nothing here on the exchange (before listing, a halt): skip one page's span.
          const skipTo = Math.min(gap.to + step, since + pageSize * step);
          const skipped = (skipTo - since) / step;
          exchangeGaps++;
          done += skipped;
          since = skipTo;
          report();
          continue;
        }
        for (const b of closed) batch.push(b);
        const next = closed[closed.length - 1]![0] + step;
        batchSpan += (next - since) / step;
        since = next;
        if (batch.length >= writeSize) await write();
      }
      await write();
    }
    await settle();
  } finally {
    // a failure leaves no write running behind it
    await writing?.catch(() => undefined);
  }
  done = expected;
  report();
  const elapsed = (now() - started) / 1000;
  const out: ImportResult = {
    done,
    expected,
    rate: elapsed > 0 ? stored / elapsed : 0,
    etaSeconds: 0,
    stored,
    requests,
    rejected,
    retries,
    exchangeGaps,
  };
  log.info('import finished', { ...out });
  return out;
}
