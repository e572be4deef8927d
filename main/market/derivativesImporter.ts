// Imports a spot series' perpetual-futures data through ccxt: funding-rate history (from a
// month before the series, for the factors' warm-up) and the perpetual's last, mark and index
// price bars of the series' timeframe. Like the candle
// importer it fetches only what is missing (from what is stored), stores closed bars only,
// never a row twice, retries network and database trouble, stops on cancel and reports progress.
import type { Exchange } from 'ccxt';
import { gapsIn, runsOf } from '../../core/market/barRanges';
import type { OhlcvTuple } from '../../core/market/bars';
import { FUNDING_LOOKBACK_MS, PERP_PRICES, perpPairOf, type PerpPriceKind } from '../../core/market/derivatives';
import type { FuturesVenue } from '../../core/exchange/venues';
import type { Logger } from '../../core/logging/logger';
import { english, word, type Wording } from '../../core/wording/wording';
import type { BackoffPolicy } from '../../core/retry/backoff';
import { TIMEFRAME_MS, barOpen, lastClosedBarOpen, type Timeframe } from '../../core/market/timeframes';
import type { DerivativesStore, FundingRow } from './derivativesStore';
import {
  IMPORT_RETRY,
  ImportCancelled,
  defaultSleep,
  isDatabaseTransient,
  isRetryable,
  retrier,
} from './ohlcvImporter';

export interface DerivativesRequest {
  symbol: string;
  /** The spot pair (BTC/USDT); its linear perpetual (BTC/USDT:USDT) is what is fetched. */
  pair: string;
  timeframe: Timeframe;
  from: number;
  to?: number;
}

export interface DerivativesProgress {
  done: number;
  expected: number;
  /** What is being fetched: funding, or a price kind's bars. */
  stage: 'funding' | PerpPriceKind;
}

export interface DerivativesResult {
  /** Rows stored, by kind. */
  stored: Record<'funding' | PerpPriceKind, number>;
  requests: number;
  retries: number;
  rejected: number;
}

export interface DerivativesDeps {
  exchange: Pick<Exchange, 'fetchOHLCV' | 'fetchFundingRateHistory' | 'loadMarkets' | 'markets'>;
  store: DerivativesStore;
  log: Logger;
  futures: Pick<FuturesVenue, 'weights' | 'klinesPageSize' | 'fundingPageSize'>;
  now?: () => number;
  signal?: AbortSignal;
  onProgress?: (p: DerivativesProgress) => void;
  retry?: BackoffPolicy & { maxAttempts: number };
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Waits for request weight on the futures API's shared budget. */
  acquire?: (weight: number) => Promise<void>;
}

/** The spot pair has no perpetual on the exchange: said in words (the job's failure reason). */
export class NoPerpetual extends Error {
  readonly wording: Wording;
  constructor(pair: string) {
    const wording = word('perp.none', { pair });
    super(english(wording));
    this.wording = wording;
    this.name = 'NoPerpetual';
  }
}

/** The settlement interval when too little is stored to tell it (Binance's usual 8 hours). */
const FUNDING_INTERVAL_MS = 8 * 3_600_000;

/**
 * The windows of [from, to] that may hold settlements not stored: before the first stored one,
 * between two stored ones further apart than the usual interval, and after the last.
 */
export function fundingWindows(stored: readonly number[], from: number, to: number): [number, number][] {
  if (stored.length === 0) return to >= from ? [[from, to]] : [];
  let interval = Number.POSITIVE_INFINITY;
  for (let i = 1; i < stored.length; i++) interval = Math.min(interval, stored[i]! - stored[i - 1]!);
  if (!Number.isFinite(interval)) interval = FUNDING_INTERVAL_MS;
  const out: [number, number][] = [];
  if (stored[0]! - from >= interval) out.push([from, stored[0]! - 1]);
  for (let i = 1; i < stored.length; i++)
    if (stored[i]! - stored[i - 1]! > interval * 1.5) out.push([stored[i - 1]! + 1, stored[i]! - 1]);
  if (to - stored[stored.length - 1]! >= interval) out.push([stored[stored.length - 1]! + 1, to]);
  return out;
}

export async function importDerivatives(req: DerivativesRequest, deps: DerivativesDeps): Promise<DerivativesResult> {
  const now = deps.now ?? Date.now;
  const tf = req.timeframe;
  const step = TIMEFRAME_MS[tf];
  const log = deps.log.child({ symbol: req.symbol, timeframe: tf, data: 'perpetual' });
  const perp = perpPairOf(req.pair);
  const from = barOpen(req.from, tf);
  const lastClosed = lastClosedBarOpen(now(), tf);
  const to = Math.min(req.to !== undefined ? barOpen(req.to, tf) : lastClosed, lastClosed);
  // Funding from a month earlier: the warm-up its rolling statistics need at the first bar.
  const fundingFrom = from - FUNDING_LOOKBACK_MS;
  const fundingTo = Math.min(req.to ?? now(), now());
  const result: DerivativesResult = {
    stored: { funding: 0, last: 0, mark: 0, index: 0 },
    requests: 0,
    retries: 0,
    rejected: 0,
  };
  const withRetry = retrier({
    signal: deps.signal,
    retry: deps.retry ?? IMPORT_RETRY,
    sleep: deps.sleep ?? defaultSleep,
    random: deps.random ?? Math.random,
    log,
    onRetry: () => result.retries++,
  });
  const ask = <T>(weight: number, call: () => Promise<T>): Promise<T> =>
    withRetry(
      'exchange request',
      async () => {
        result.requests++;
        // ccxt keeps a failed market load as a rejected promise: force a fresh one on retry.
        if (!deps.exchange.markets) {
          await deps.acquire?.(deps.futures.weights.markets);
          await deps.exchange.loadMarkets(true);
        }
        if (weight > 0) await deps.acquire?.(weight);
        return call();
      },
      isRetryable,
    );
  const write = <T>(action: () => Promise<T>) => withRetry('database write', action, isDatabaseTransient);

  // The markets first: a spot pair without a perpetual is said before anything else is done.
  await ask(0, () => Promise.resolve(deps.exchange.markets));
  if (!deps.exchange.markets?.[perp]) throw new NoPerpetual(req.pair);

  // What is missing, before anything is fetched: the progress total is the work left.
  const fundingStored = await deps.store.fundingTimes(req.symbol, fundingFrom, fundingTo);
  const windows = fundingWindows(fundingStored, fundingFrom, fundingTo);
  const priceGaps = new Map<PerpPriceKind, ReturnType<typeof gapsIn>>();
  for (const price of PERP_PRICES)
    priceGaps.set(price, gapsIn(runsOf(await deps.store.perpTimes(req.symbol, tf, price, from, to), tf), tf, from, to));
  const fundingExpected = windows.reduce((n, [a, b]) => n + Math.ceil((b - a + 1) / FUNDING_INTERVAL_MS), 0);
  const expected =
    fundingExpected + [...priceGaps.values()].reduce((n, gaps) => n + gaps.reduce((m, g) => m + g.bars, 0), 0);
  let done = 0;
  const report = (stage: DerivativesProgress['stage']) =>
    deps.onProgress?.({ done: Math.min(done, expected), expected, stage });
  log.info('perpetual data import started', {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    fundingWindows: windows.length,
    expected,
  });
  report('funding');

  for (const [a, b] of windows) {
    let since = a;
    for (;;) {
      if (deps.signal?.aborted) throw new ImportCancelled();
      const page = await ask(deps.futures.weights.funding, () =>
        deps.exchange.fetchFundingRateHistory(perp, since, deps.futures.fundingPageSize, { until: b }),
      );
      const rows: FundingRow[] = page
        .filter((r) => r.timestamp !== undefined && r.timestamp >= since && r.timestamp <= b)
        .map((r) => {
          const mark = Number((r.info as { markPrice?: string } | undefined)?.markPrice);
          return { time: r.timestamp!, rate: Number(r.fundingRate), markPrice: mark > 0 ? mark : null };
        });
      if (rows.length > 0) {
        const w = await write(() => deps.store.writeFunding(req.symbol, rows));
        result.stored.funding += w.inserted;
        result.rejected += w.rejected.length;
        if (w.rejected.length)
          log.warn('exchange sent funding rates that fail validation; skipped', {
            count: w.rejected.length,
            first: w.rejected[0],
          });
        done += rows.length;
        report('funding');
      }
      const next = (rows[rows.length - 1]?.time ?? b) + 1;
      if (page.length < deps.futures.fundingPageSize || next > b) break;
      since = next;
    }
  }
  done = fundingExpected;
  report('funding');

  for (const price of PERP_PRICES) {
    for (const gap of priceGaps.get(price)!) {
      let since = gap.from;
      while (since <= gap.to) {
        if (deps.signal?.aborted) throw new ImportCancelled();
        const page = (await ask(deps.futures.weights.klines, () =>
          deps.exchange.fetchOHLCV(perp, tf, since, deps.futures.klinesPageSize, price === 'last' ? {} : { price }),
        )) as OhlcvTuple[];
        const closed = page.filter(
          (bar) => bar[0] >= since && bar[0] <= gap.to && bar[0] <= lastClosedBarOpen(now(), tf),
        );
        if (closed.length === 0) {
          // Nothing here (before the perpetual was listed): skip one page's span.
          const skipTo = Math.min(gap.to + step, since + deps.futures.klinesPageSize * step);
          done += (skipTo - since) / step;
          since = skipTo;
          report(price);
          continue;
        }
        const w = await write(() => deps.store.writePerpBars(req.symbol, tf, price, closed));
        result.stored[price] += w.inserted;
        result.rejected += w.rejected.length;
        if (w.rejected.length)
          log.warn('exchange sent perpetual bars that fail validation; skipped', {
            price,
            count: w.rejected.length,
            first: w.rejected[0],
          });
        const next = closed[closed.length - 1]![0] + step;
        done += (next - since) / step;
        since = next;
        report(price);
      }
    }
  }
  done = expected;
  report('index');
  log.info('perpetual data import finished', { ...result.stored, requests: result.requests, retries: result.retries });
  return result;
}
