// Pipelines: the QuantFlow chain (bars, factors, strategy, signals) as a saved, named, re-runnable workflow. A run goes
// strategy (factors -> score -> positions) -> signal rows -> backtest -> export, keeping
// each step's output for inspection. In live mode, at every bar close the pipeline fetches
// the bar that just closed, computes the newest signal and exports it; the time from bar
// close to signal written is measured for every signal, kept, and a breach of its budget
// (timeframe / 2, the contract's) raises an alert.
import { word, type Text, type Wording } from '../../core/wording/wording';
import crypto from 'node:crypto';
import type { Db } from 'mongodb';
import type {
  LatencyStats,
  PipelineDraft,
  PipelineRun,
  PipelineView,
  SignalView,
} from '../../core/api/signalsContract';
import { ServiceError } from '../../core/api/dispatcher';
import { runBacktest } from '../../core/backtest/backtest';
import type { Logger } from '../../core/logging/logger';
import { barsFromTuples, type ColumnarBars, type OhlcvTuple } from '../../core/market/bars';
import { toPair } from '../../core/market/symbols';
import { TIMEFRAME_MS, lastClosedBarOpen, type Timeframe } from '../../core/market/timeframes';
import { cryptoNeeds, evaluateStrategy } from '../../core/research/strategy';
import { buildFromTemplate } from '../../core/research/templates';
import { signalRowsFromTarget } from '../../core/signals/exportRows';
import type { SignalDoc } from '../../core/signals/signalRows';
import type { BarSource, CryptoSource } from '../../core/ports/barSource';
import type { CryptoPart } from '../../core/market/derivatives';
import { strategyVersion, toConfig } from '../../core/research/runSettings';
import { SignalBatchError, type SignalStore } from './signalStore';
import type { AlertInput } from '../../core/monitor/alertKinds';
import type { AuditSink } from '../../core/ports/auditSink';
import { COLLECTIONS } from '../../core/db/collections';

export interface PipelineDeskOptions {
  db: () => Db;
  /** The stored bars (a store on the current connection, with the columnar copy where there is one). */
  bars: () => BarSource;
  log: Logger;
  /** The perpetual data beside the bars, for strategies with crypto factors. */
  perpData?: () => CryptoSource;
  signals: SignalStore;
  /** Closed bars straight from the series' exchange since a time, stored on the way (MarketDesk.fetchClosedBars). */
  fetchClosedBars(symbol: string, tf: Timeframe, sinceMs: number, nowMs: number): Promise<OhlcvTuple[]>;
  /**
   * The perpetual data a strategy needs, closed since a time, fetched and stored (PerpDesk.fetchClosed):
   * the open time of the newest bar all of it has, or null.
   */
  fetchClosedPerp?(
    symbol: string,
    tf: Timeframe,
    sinceMs: number,
    parts: readonly CryptoPart[],
    nowMs: number,
  ): Promise<number | null>;
  onChanged(p: PipelineView): void;
  onExported(e: {
    strategy_id: string;
    pair: string;
    timeframe: Timeframe;
    ts: number;
    latencyMs: number;
    pipelineId: string;
  }): void;
  onAlert(a: AlertInput): void;
  now?: () => number;
  /** Live polling period; 0 disables the timer (tests call tick()). */
  tickMs?: number;
  /** The audit trail of the trader's changes. */
  audit?: AuditSink;
}

type Stored = Omit<PipelineView, 'id'> & { _id: string };

export function budgetMs(tf: Timeframe): number {
  return TIMEFRAME_MS[tf] / 2;
}

export function signalView(d: SignalDoc): SignalView {
  const exportedAt = d.audit?.exported_at ? d.audit.exported_at.getTime() : null;
  return {
    ts: d.ts.getTime(),
    timeframe: d.timeframe,
    symbol: d.symbol,
    pair: d.pair,
    strategy_id: d.strategy_id,
    action: d.action ?? null,
    weight: typeof d.weight === 'number' ? d.weight : null,
    score: typeof d.score === 'number' ? d.score : null,
    valid_until: d.valid_until ? d.valid_until.getTime() : null,
    source: d.source ?? null,
    strategy_version: d.audit?.strategy_version ?? null,
    exported_at: exportedAt,
    latency_ms: exportedAt !== null && d.audit?.live ? exportedAt - (d.ts.getTime() + TIMEFRAME_MS[d.timeframe]) : null,
  };
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export class PipelineDesk {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private readonly busy = new Set<string>();
  /** Live bar windows, so a live run never rescans the database. */
  private readonly windows = new Map<string, OhlcvTuple[]>();

  constructor(private readonly options: PipelineDeskOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  start(): void {
    const ms = this.options.tickMs ?? 1000;
    if (ms > 0) {
      let lastFailure = '';
      this.timer = setInterval(
        () =>
          void this.tick().then(
            () => (lastFailure = ''),
            (err: Error) => {
              // Once per distinct failure (e.g. the database is down), not once a second.
              if (err.message !== lastFailure)
                this.options.log.warn('live pipelines tick failed', { message: err.message });
              lastFailure = err.message;
            },
          ),
        ms,
      );
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private get collection() {
    return this.options.db().collection<Stored>(COLLECTIONS.pipelines);
  }

  private view(d: Stored): PipelineView {
    const { _id, ...rest } = d;
    return { id: _id, ...rest };
  }

  async list(): Promise<PipelineView[]> {
    return (await this.collection.find({}).sort({ createdAt: 1 }).toArray()).map((d) => this.view(d));
  }

  private async get(id: string): Promise<Stored> {
    const d = await this.collection.findOne({ _id: id });
    if (!d) throw new ServiceError('BAD_REQUEST', `No pipeline ${id}`);
    return d;
  }

  async save(draft: PipelineDraft): Promise<PipelineView> {
    try {
      buildFromTemplate(draft.templateId, draft.params, { name: draft.name, stopLossPct: draft.settings.stopLossPct });
      toPair(draft.symbol);
    } catch (err) {
      throw new ServiceError('BAD_REQUEST', err instanceof Error ? err.message : String(err));
    }
    const id = draft.id ?? crypto.randomUUID();
    const existing = draft.id ? await this.collection.findOne({ _id: draft.id }) : null;
    if (draft.id && !existing) throw new ServiceError('BAD_REQUEST', `No pipeline ${draft.id}`);
    const { id: _drop, ...fields } = draft;
    const doc: Stored = {
      _id: id,
      ...fields,
      createdAt: existing?.createdAt ?? new Date(this.now()).toISOString(),
      live: existing?.live ?? false,
      lastRun: existing?.lastRun ?? null,
      liveLastBar: existing?.liveLastBar ?? null,
    };
    await this.collection.replaceOne({ _id: id }, doc, { upsert: true });
    await this.options.audit?.record({
      actor: 'desk',
      action: 'pipelineSave',
      subject: doc.strategyId,
      details: {
        id,
        name: doc.name,
        symbol: doc.symbol,
        timeframe: doc.timeframe,
        templateId: doc.templateId,
        created: !existing,
      },
    });
    this.windows.delete(id);
    const v = this.view(doc);
    this.options.onChanged(v);
    return v;
  }

  async delete(id: string): Promise<{ deleted: boolean }> {
    this.windows.delete(id);
    const existing = await this.collection.findOne({ _id: id });
    const deleted = (await this.collection.deleteOne({ _id: id })).deletedCount === 1;
    if (deleted && existing)
      await this.options.audit?.record({
        actor: 'desk',
        action: 'pipelineDelete',
        subject: existing.strategyId,
        details: { id, name: existing.name, symbol: existing.symbol, timeframe: existing.timeframe },
      });
    return { deleted };
  }

  async setLive(id: string, live: boolean): Promise<PipelineView> {
    const p = await this.get(id);
    // Live starts with the next bar to close: the bars before it are history (a manual run
    // exports those), and catching up on one would count as a late signal.
    const from = live ? lastClosedBarOpen(this.now(), p.timeframe) : p.liveLastBar;
    await this.collection.updateOne({ _id: id }, { $set: { live, liveLastBar: from } });
    if (live !== p.live)
      await this.options.audit?.record({
        actor: 'desk',
        action: 'pipelineLive',
        subject: p.strategyId,
        details: { id, name: p.name, live },
      });
    if (!live) this.windows.delete(id);
    if (live && !p.live) await this.catchUp(p, from!);
    const v = this.view(await this.get(id));
    this.options.onChanged(v);
    return v;
  }

  /**
   * Going live: the pipeline's recent bars up to the last closed one (its history window, with
   * the bars closed since fetched from the exchange) are exported at once, so no bar falls
   * between an earlier run and live mode. Idempotent: rows already there are left alone. They
   * are history, not live exports: no latency is measured for them.
   */
  private async catchUp(p: Stored, lastClosed: number): Promise<void> {
    await this.exclusive(p._id, async () => {
      const window = await this.liveWindow(p, this.now(), lastClosed);
      const bars = barsFromTuples(
        p.symbol,
        p.timeframe,
        window.filter((b) => b[0] <= lastClosed),
      );
      return this.execute(p, bars, 'catch-up', p.exportBars, null);
    });
  }

  private raise(
    kind: AlertInput['kind'],
    severity: AlertInput['severity'],
    text: Wording,
    p: { strategyId: string; symbol: string; timeframe: Timeframe } | null,
  ): void {
    this.options.onAlert({
      kind,
      severity,
      text,
      strategy_id: p?.strategyId ?? null,
      pair: p ? toPair(p.symbol) : null,
      timeframe: p?.timeframe ?? null,
    });
  }

  /**
   * One run of a pipeline at a time, whoever asks (the trader's "Run now", going live, the live
   * loop): held from the first read to the report. Null when it is already running.
   */
  private async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T | null> {
    if (this.busy.has(id)) return null;
    this.busy.add(id);
    try {
      return await fn();
    } finally {
      this.busy.delete(id);
    }
  }

  /** A manual run over the stored history: every step, each output kept. */
  async run(id: string): Promise<PipelineView> {
    const p = await this.get(id);
    const done = await this.exclusive(p._id, async () => {
      const bars = await this.historyOf(p);
      return this.execute(p, bars, 'manual', p.exportBars, null);
    });
    if (!done) throw new ServiceError('BAD_REQUEST', `Pipeline "${p.name}" is already running: wait for it to finish`);
    return done;
  }

  private historyOf(p: Stored): Promise<ColumnarBars> {
    const now = this.now();
    return this.options.bars().readBars(p.symbol, p.timeframe, now - p.historyBars * TIMEFRAME_MS[p.timeframe], now);
  }

  private async execute(
    p: Stored,
    bars: ColumnarBars,
    trigger: PipelineRun['trigger'],
    lastBars: number,
    barClose: number | null,
  ): Promise<PipelineView> {
    const t0 = performance.now();
    const steps: PipelineRun['steps'] = { factor: null, signal: null, backtest: null, export: null };
    const runId = crypto.randomUUID();
    let error: Text | null = null;
    try {
      if (bars.length < 2)
        throw new ServiceError(
          'BAD_REQUEST',
          `Only ${bars.length} ${p.timeframe} bar(s) of ${p.symbol} stored in the pipeline's history window: import the series first`,
        );
      const def = buildFromTemplate(p.templateId, p.params, { name: p.name, stopLossPct: p.settings.stopLossPct });
      const version = strategyVersion(def);
      const parts = cryptoNeeds(def);
      if (parts.length > 0) {
        const source = this.options.perpData?.();
        if (!source) throw new ServiceError('BAD_REQUEST', 'This desk has no perpetual data for crypto factors');
        await source.attach(bars, parts);
      }
      const out = evaluateStrategy(def, bars);
      const lastScore = out.score[bars.length - 1]!;
      steps.factor = {
        bars: bars.length,
        warmupBars: out.warmupBars,
        lastScore: Number.isFinite(lastScore) ? lastScore : null,
        version,
      };
      const pair = toPair(p.symbol);
      const rows = signalRowsFromTarget(bars, out.target, {
        pair,
        strategyId: p.strategyId,
        warmupBars: out.warmupBars,
        lastBars,
        source: 'quantdesk',
      });
      steps.signal = {
        rows: rows.length,
        enters: rows.filter((r) => r.action === 'enter_long').length,
        exits: rows.filter((r) => r.action === 'exit_long').length,
        last: rows.slice(-10).map((r) => signalView({ ...r })),
      };
      if (trigger === 'manual') {
        const bt = runBacktest(bars, out.target, toConfig(p.settings), { warmupBars: out.warmupBars });
        steps.backtest = {
          ...bt.metrics,
          profitFactor: Number.isFinite(bt.metrics.profitFactor) ? bt.metrics.profitFactor : null,
        };
      }
      const exp = await this.options.signals.export(
        rows,
        { exportedBy: `pipeline:${p.name}`, strategyVersion: version, runId, live: trigger === 'live' },
        { now: this.now() },
      );
      // A live export's latency is the one the signal feed shows for the row it wrote (from the
      // row's exported_at); a row that was already there (from a run or a catch-up) is not a live export.
      const latencyMs =
        barClose !== null && exp.inserted + exp.replaced > 0 ? exp.exportedAt.getTime() - barClose : null;
      steps.export = { inserted: exp.inserted, replaced: exp.replaced, unchanged: exp.unchanged, latencyMs };
      if (latencyMs !== null && rows.length) {
        const last = rows[rows.length - 1]!;
        await this.options.db().collection(COLLECTIONS.signalLatency).insertOne({
          pipeline_id: p._id,
          strategy_id: p.strategyId,
          pair,
          timeframe: p.timeframe,
          ts: last.ts,
          exported_at: exp.exportedAt,
          latency_ms: latencyMs,
        });
        this.options.onExported({
          strategy_id: p.strategyId,
          pair,
          timeframe: p.timeframe,
          ts: last.ts.getTime(),
          latencyMs,
          pipelineId: p._id,
        });
        if (latencyMs > budgetMs(p.timeframe))
          this.raise(
            'signal-latency',
            'warning',
            word('alert.signalLate', {
              pair,
              timeframe: p.timeframe,
              bar: last.ts.getTime(),
              seconds: Number((latencyMs / 1000).toFixed(1)),
              budget: budgetMs(p.timeframe) / 1000,
            }),
            p,
          );
      }
    } catch (err) {
      // A refusal worded by the desk (perpetual data missing) keeps its words, for either language.
      error = (err as { wording?: Wording } | null)?.wording ?? (err instanceof Error ? err.message : String(err));
      this.raise(
        err instanceof SignalBatchError ? 'export-rejected' : 'pipeline-failed',
        'critical',
        word('alert.pipelineFailed', { pipeline: p.name, error }),
        p,
      );
    }
    const lastRun: PipelineRun = {
      at: new Date(this.now()).toISOString(),
      trigger,
      ok: error === null,
      error,
      steps,
      ms: performance.now() - t0,
    };
    await this.collection.updateOne({ _id: p._id }, { $set: { lastRun } });
    // The pipeline as it is now, not as this run read it: a switch to live or back made while it
    // ran must not be undone on the page by this run's report.
    const v = this.view((await this.collection.findOne({ _id: p._id })) ?? { ...p, lastRun });
    this.options.onChanged(v);
    if (error !== null && trigger === 'manual') throw new ServiceError('BAD_REQUEST', error);
    return v;
  }

  private ticking = false;

  /** Live mode: for every live pipeline whose next bar has closed, fetch it, compute and export its signal. */
  async tick(): Promise<void> {
    // A slow exchange can make a tick outlast the period: the next one waits its turn.
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.tickAll();
    } finally {
      this.ticking = false;
    }
  }

  private async tickAll(): Promise<void> {
    const live = await this.collection.find({ live: true }).toArray();
    await Promise.all(
      live.map((p) =>
        this.liveStep(p).catch((err: Error) =>
          this.raise(
            'pipeline-failed',
            'critical',
            word('alert.pipelineLiveFailed', { pipeline: p.name, error: err.message }),
            p,
          ),
        ),
      ),
    );
  }

  private readonly missingRaised = new Map<string, number>();

  /** A live step; skipped (and tried again at the next tick) while the pipeline runs for another reason. */
  private async liveStep(p: Stored): Promise<void> {
    await this.exclusive(p._id, () => this.liveStepHeld(p));
  }

  private async liveStepHeld(p: Stored): Promise<void> {
    const now = this.now();
    const step = TIMEFRAME_MS[p.timeframe];
    const closed = lastClosedBarOpen(now, p.timeframe);
    // Missing signal: a live pipeline with no export for more than two bars (its cadence is one a bar).
    if (
      p.liveLastBar !== null &&
      closed - p.liveLastBar > 2 * step &&
      this.missingRaised.get(p._id) !== p.liveLastBar
    ) {
      this.missingRaised.set(p._id, p.liveLastBar);
      this.raise(
        'signal-missing',
        'critical',
        word('alert.pipelineSilent', {
          pipeline: p.name,
          bar: p.liveLastBar,
          bars: Math.round((closed - p.liveLastBar) / step),
        }),
        p,
      );
    }
    if (p.liveLastBar !== null && closed <= p.liveLastBar) return;
    const window = await this.liveWindow(p, now, closed);
    if (!window.length || window[window.length - 1]![0] < closed) return; // the exchange has not published it yet: next tick
    // A strategy on perpetual data needs that bar's perpetual data too (else its factors would hold a gap).
    const parts = cryptoNeeds(buildFromTemplate(p.templateId, p.params));
    if (parts.length > 0 && this.options.fetchClosedPerp) {
      const perpClosed = await this.options.fetchClosedPerp(p.symbol, p.timeframe, closed - 10 * step, parts, now);
      if (perpClosed === null || perpClosed < closed) return; // not published yet: next tick
    }
    const bars = barsFromTuples(p.symbol, p.timeframe, window);
    await this.collection.updateOne({ _id: p._id }, { $set: { liveLastBar: closed } });
    await this.execute({ ...p, liveLastBar: closed }, bars, 'live', 1, closed + step);
  }

  /**
   * The bars a live pipeline computes on: its history window, read from the store once and then
   * kept, with the bars closed since fetched from the exchange (and stored on the way).
   */
  private async liveWindow(p: Stored, now: number, closed: number): Promise<OhlcvTuple[]> {
    const step = TIMEFRAME_MS[p.timeframe];
    let window = this.windows.get(p._id);
    if (!window) {
      const b = await this.historyOf(p);
      window = Array.from(
        { length: b.length },
        (_, i) => [b.time[i]!, b.open[i]!, b.high[i]!, b.low[i]!, b.close[i]!, b.volume[i]!] as OhlcvTuple,
      );
      this.windows.set(p._id, window);
    }
    const lastHave = window.length ? window[window.length - 1]![0] : closed - p.historyBars * step;
    if (lastHave < closed) {
      const fresh = await this.options.fetchClosedBars(p.symbol, p.timeframe, lastHave + step, now);
      for (const b of fresh) if (b[0] > (window.length ? window[window.length - 1]![0] : -Infinity)) window.push(b);
      if (window.length > p.historyBars) window.splice(0, window.length - p.historyBars);
    }
    return window;
  }

  async latency(): Promise<LatencyStats> {
    const docs = await this.options
      .db()
      .collection(COLLECTIONS.signalLatency)
      .find({}, { projection: { _id: 0, timeframe: 1, latency_ms: 1 } })
      .sort({ exported_at: -1 })
      .limit(5000)
      .toArray();
    return (['1m', '1d'] as const).flatMap((tf) => {
      const xs = docs
        .filter((d) => d.timeframe === tf)
        .map((d) => d.latency_ms as number)
        .sort((a, b) => a - b);
      if (xs.length === 0) return [];
      const budget = budgetMs(tf);
      const histogram = new Array<number>(11).fill(0);
      for (const x of xs) histogram[Math.max(0, Math.min(10, Math.floor((x / budget) * 10)))]! += 1;
      return [
        {
          timeframe: tf,
          count: xs.length,
          p50: percentile(xs, 50),
          p99: percentile(xs, 99),
          max: xs[xs.length - 1]!,
          budgetMs: budget,
          breaches: xs.filter((x) => x > budget).length,
          histogram,
        },
      ];
    });
  }
}
