// The health watch: once a minute it reaches every exchange in use (round trip and clock
// skew), measures how far each stored series is behind and how many recent bars it misses,
// checks that every enabled strategy still receives signals at its cadence, notes each resident
// worker's state and heartbeat age, and keeps the sample so the Monitor's tiles can show a history. Trouble becomes an alert: an exchange
// that cannot be reached, a clock out of step, a data gap, a missing signal.
import { FROM_FILE } from '../../core/market/fileFormats';
import { word } from '../../core/wording/wording';
import { readStoredSignal } from '../../core/signals/storedSignals';
import type { Db } from 'mongodb';
import type { Series, WorkerStatus } from '../../core/api/contract';
import type { ExchangeProbeSchema, Freshness, HealthSample, HealthWatch } from '../../core/api/monitorContract';
import type { Logger } from '../../core/logging/logger';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { firstStoredFrom, lastStored, storedIn, type BarRanges } from '../../core/market/barRanges';
import { TIMEFRAME_MS, barCount, barOpen, lastClosedBarOpen, type Timeframe } from '../../core/market/timeframes';
import type { z } from 'zod';
import { COLLECTIONS } from '../../core/db/collections';

import type { BarSource } from '../../core/ports/barSource';

/** Beyond this the exchange rejects signed requests (Binance's recvWindow is 5 s by default). */
export const MAX_SKEW_MS = 1000;
/** Recent window checked for missing bars. */
const RECENT_MS: Record<Timeframe, number> = { '1m': 6 * 3_600_000, '1d': 30 * 86_400_000 };
/** A kept-current series this many closed bars behind is a data gap (the importer runs every 15 s for 1m). */
const BEHIND_LIMIT: Record<Timeframe, number> = { '1m': 3, '1d': 1 };
/** An enabled strategy without a signal for this many bars is missing its signals (the consumer's staleness). */
const SIGNAL_CADENCE_BARS = 3;
/** Trouble seen in the index of stored bars is confirmed against the bars at most this often per series. */
const CONFIRM_EVERY_MS = 30 * 60_000;

type Probe = z.infer<typeof ExchangeProbeSchema>;

export interface HealthWatchOptions {
  db: () => Db;
  /** The stored bars (a store on the current connection). */
  bars: () => BarSource;
  log: Logger;
  series(): Promise<Series[]>;
  /** Null when the probe could not be sent now (the shared request budget is busy): not a miss. */
  probe(exchangeId: string): Promise<{ latencyMs: number; skewMs: number } | null>;
  exchangeOf(symbol: string): string;
  dbLatencyMs(): number | null;
  /** The resident workers (one-off jobs such as imports finish and are not sampled). */
  workers(): WorkerStatus[];
  raise(a: AlertInput): void;
  now?: () => number;
  intervalMs?: number;
}

export class HealthWatchDesk {
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  /** Failed probes in a row per exchange: one miss is noise, two is an outage. */
  private readonly misses = new Map<string, number>();
  /** When each series' trouble was last confirmed against the bars themselves. */
  private readonly confirmed = new Map<string, number>();

  constructor(private readonly o: HealthWatchOptions) {
    this.now = o.now ?? (() => Date.now());
  }

  private get samples() {
    return this.o.db().collection<HealthSample & { _id: number }>(COLLECTIONS.healthSamples);
  }

  start(): void {
    const run = () =>
      void this.check().catch((err: Error) => this.o.log.warn('health check failed', { message: err.message }));
    this.first = setTimeout(run, 5000);
    this.first.unref();
    this.timer = setInterval(run, this.o.intervalMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.first) clearTimeout(this.first);
    if (this.timer) clearInterval(this.timer);
  }

  /** One round of checks; the sample is stored and returned. */
  async check(): Promise<HealthSample> {
    const now = this.now();
    const series = await this.o.series();
    const configs = await this.o
      .db()
      .collection(COLLECTIONS.execConfigs)
      .find({ enabled: true }, { projection: { _id: 0, strategyId: 1, symbol: 1, pair: 1, timeframe: 1 } })
      .toArray();
    const inUse = new Set<string>();
    // A series imported from a file has no exchange to reach.
    for (const s of series) if (s.exchange !== FROM_FILE) inUse.add(s.exchange);
    for (const c of configs) {
      try {
        inUse.add(this.o.exchangeOf(c.symbol as string));
      } catch {
        // a strategy on an exchange this desk no longer has: its own page says so
      }
    }
    const exchanges = await Promise.all([...inUse].sort().map((id) => this.probeOne(id)));
    const freshness = await Promise.all(series.map((s) => this.freshnessOf(s, now)));
    await this.signalsDue(configs as unknown as { strategyId: string; pair: string; timeframe: Timeframe }[], now);
    const workers = this.o.workers().map((w) => ({
      name: w.name,
      state: w.state,
      heartbeatAgeMs: w.lastHeartbeat ? Math.max(0, now - Date.parse(w.lastHeartbeat)) : null,
    }));
    const sample: HealthSample = { at: now, dbLatencyMs: this.o.dbLatencyMs(), exchanges, freshness, workers };
    await this.samples.replaceOne({ _id: now }, sample, { upsert: true });
    // Samples older than a week go: the history is for trends, the records stay elsewhere.
    await this.samples.deleteMany({ _id: { $lt: now - 7 * 86_400_000 } });
    return sample;
  }

  private async probeOne(id: string): Promise<Probe> {
    try {
      const r = await this.o.probe(id);
      if (!r)
        return {
          id,
          ok: true,
          latencyMs: null,
          skewMs: null,
          error: 'not checked this time: the request budget is busy',
        };
      this.misses.set(id, 0);
      if (Math.abs(r.skewMs) > MAX_SKEW_MS)
        this.o.raise({
          kind: 'clock-skew',
          severity: 'warning',
          subject: id,
          text: word(r.skewMs > 0 ? 'alert.clockBehind' : 'alert.clockAhead', {
            seconds: Number((Math.abs(r.skewMs) / 1000).toFixed(1)),
            exchange: id,
          }),
        });
      return { id, ok: true, latencyMs: r.latencyMs, skewMs: r.skewMs, error: null };
    } catch (err) {
      const misses = (this.misses.get(id) ?? 0) + 1;
      this.misses.set(id, misses);
      const error = err instanceof Error ? err.message.slice(0, 300) : String(err);
      if (misses >= 2)
        this.o.raise({
          kind: 'exchange-down',
          severity: 'critical',
          subject: id,
          text: word('alert.exchangeDown', { exchange: id, misses, error }),
        });
      return { id, ok: false, latencyMs: null, skewMs: null, error };
    }
  }

  private async freshnessOf(s: Series, now: number): Promise<Freshness> {
    const store = this.o.bars();
    // From the series' index of stored bars: one small read, not a scan of the bars.
    let f = this.measure(s, await store.storedRanges(s.symbol, s.timeframe), now);
    const key = `${s.symbol}|${s.timeframe}`;
    if (this.troubled(s, f) && now - (this.confirmed.get(key) ?? -Infinity) >= CONFIRM_EVERY_MS) {
      // The index can lag bars another program wrote: before an alert, the bars themselves are
      // read once (which resets the index), at most every half hour per series.
      this.confirmed.set(key, now);
      await store.coverage(s.symbol, s.timeframe);
      f = this.measure(s, await store.storedRanges(s.symbol, s.timeframe), now);
    }
    const { last, behindBars, missingRecent } = f;
    if (s.auto && behindBars !== null && behindBars > BEHIND_LIMIT[s.timeframe])
      this.o.raise({
        kind: 'data-gap',
        severity: 'warning',
        subject: s.symbol,
        text: word('alert.noNewBar', { symbol: s.symbol, timeframe: s.timeframe, behind: behindBars, newest: last! }),
        pair: s.pair,
        timeframe: s.timeframe,
      });
    else if (missingRecent)
      this.o.raise({
        kind: 'data-gap',
        severity: 'warning',
        subject: s.symbol,
        text: word('alert.barsMissing', { symbol: s.symbol, timeframe: s.timeframe, missing: missingRecent }),
        pair: s.pair,
        timeframe: s.timeframe,
      });
    return { symbol: s.symbol, timeframe: s.timeframe, auto: s.auto, lastBar: last, behindBars, missingRecent };
  }

  private troubled(s: Series, f: { behindBars: number | null; missingRecent: number | null }): boolean {
    return (s.auto && f.behindBars !== null && f.behindBars > BEHIND_LIMIT[s.timeframe]) || Boolean(f.missingRecent);
  }

  private measure(
    s: Series,
    ranges: BarRanges,
    now: number,
  ): { last: number | null; behindBars: number | null; missingRecent: number | null } {
    const step = TIMEFRAME_MS[s.timeframe];
    const last = lastStored(ranges);
    const lastClosed = lastClosedBarOpen(now, s.timeframe);
    const behindBars = last === null ? null : Math.max(0, Math.round((lastClosed - last) / step));
    // Missing bars inside the recent window, from the first stored bar in it (a series that starts later is not a gap).
    const from = Math.max(lastClosed - RECENT_MS[s.timeframe] + step, barOpen(s.from, s.timeframe));
    const first = last === null || last < from ? null : firstStoredFrom(ranges, from);
    const missingRecent =
      first === null ? null : barCount(first, last!, s.timeframe) - storedIn(ranges, s.timeframe, first, last!);
    return { last, behindBars, missingRecent };
  }

  /** Every enabled strategy should see a signal at least every few bars, whoever writes them. */
  private async signalsDue(
    configs: { strategyId: string; pair: string; timeframe: Timeframe }[],
    now: number,
  ): Promise<void> {
    if (configs.length === 0) return;
    const signals = this.o.db().collection(COLLECTIONS.signals);
    const keyOf = (d: { strategy_id?: unknown; pair?: unknown; timeframe?: unknown }) =>
      `${String(d.strategy_id)}|${String(d.pair)}|${String(d.timeframe)}`;
    // The newest signal per strategy, pair and timeframe, in one read of the recent window for
    // all of them (each read scans the collection on the bundled engine), and a second read of
    // all time only for those that have none in it, to say when they last had one. Only a
    // document a consumer can act on counts; the others are kept, per strategy and pair, to say
    // what was found instead.
    const latest = new Map<string, number>();
    const unreadable = new Map<string, string[]>();
    const note = (docs: Record<string, unknown>[]) => {
      for (const d of docs) {
        const s = readStoredSignal(d);
        if (typeof s !== 'string') latest.set(keyOf(s), Math.max(latest.get(keyOf(s)) ?? -Infinity, s.ts.getTime()));
        else if (typeof d.strategy_id === 'string' && typeof d.pair === 'string') {
          const k = `${d.strategy_id}|${d.pair}`;
          const found = unreadable.get(k);
          if (found) found.push(s);
          else unreadable.set(k, [s]);
        }
      }
    };
    const windowFrom = Math.min(
      ...configs.map((c) => lastClosedBarOpen(now, c.timeframe) - SIGNAL_CADENCE_BARS * TIMEFRAME_MS[c.timeframe]),
    );
    note(
      await signals
        .find({
          strategy_id: { $in: [...new Set(configs.map((c) => c.strategyId))] },
          ts: { $gte: new Date(windowFrom) },
        })
        .toArray(),
    );
    const quiet = configs.filter(
      (c) => !latest.has(keyOf({ strategy_id: c.strategyId, pair: c.pair, timeframe: c.timeframe })),
    );
    if (quiet.length) {
      unreadable.clear();
      note(await signals.find({ strategy_id: { $in: [...new Set(quiet.map((c) => c.strategyId))] } }).toArray());
    }
    for (const c of configs) {
      const step = TIMEFRAME_MS[c.timeframe];
      const ts = latest.get(keyOf({ strategy_id: c.strategyId, pair: c.pair, timeframe: c.timeframe })) ?? null;
      const behind = ts === null ? null : Math.round((lastClosedBarOpen(now, c.timeframe) - ts) / step);
      // What was written for it instead, when nothing it can act on was: the research program's mistake, named.
      const found = unreadable.get(`${c.strategyId}|${c.pair}`) ?? [];
      if (behind === null || behind > SIGNAL_CADENCE_BARS)
        this.o.raise({
          kind: 'signal-missing',
          severity: 'warning',
          text: found.length
            ? word('alert.noReadableSignal', {
                strategy: c.strategyId,
                pair: c.pair,
                timeframe: c.timeframe,
                count: found.length,
                reason: found[0]!,
              })
            : ts === null
              ? word('alert.noSignalEver', { strategy: c.strategyId, pair: c.pair, timeframe: c.timeframe })
              : word('alert.noSignalFor', {
                  strategy: c.strategyId,
                  pair: c.pair,
                  timeframe: c.timeframe,
                  behind: behind!,
                  last: ts,
                }),
          strategy_id: c.strategyId,
          pair: c.pair,
          timeframe: c.timeframe,
        });
    }
  }

  async watch(hours: number): Promise<HealthWatch> {
    const docs = await this.samples
      .find({ _id: { $gte: this.now() - hours * 3_600_000 } })
      .sort({ _id: 1 })
      .limit(10_080)
      .toArray();
    const latest = docs.at(-1);
    return {
      latest: latest
        ? {
            at: latest.at,
            dbLatencyMs: latest.dbLatencyMs,
            exchanges: latest.exchanges,
            freshness: latest.freshness,
            workers: latest.workers ?? [],
          }
        : null,
      history: docs.map((d) => ({
        at: d.at,
        dbLatencyMs: d.dbLatencyMs,
        exchanges: d.exchanges,
        workers: d.workers ?? [],
      })),
    };
  }
}
