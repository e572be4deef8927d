// Research for the desk: backtests of a template strategy, of signals already in
// crypto_signals, or buy-and-hold, over stored bars; parameter sweeps on worker threads with
// an optional walk-forward check; every run and sweep kept in the database for comparison.
import { word, type Wording } from '../../core/wording/wording';
import crypto from 'node:crypto';
import type { Db } from 'mongodb';
import type {
  ResearchProgress,
  RunRequest,
  RunSummary,
  RunView,
  SweepRequest,
  SweepView,
  MetricsView,
} from '../../core/api/researchContract';
import { ServiceError } from '../../core/api/dispatcher';
import { BacktestInputError, simulate, newRecord, type BacktestConfig } from '../../core/backtest/engine';
import { runBacktest } from '../../core/backtest/backtest';
import { strategyVersion, toConfig } from '../../core/research/runSettings';
import { downsampleCurves } from '../../core/backtest/downsample';
import { computeMetrics, type Metrics } from '../../core/backtest/metrics';
import { COLLECTIONS } from '../../core/db/collections';
import type { Logger } from '../../core/logging/logger';
import type { ColumnarBars } from '../../core/market/bars';
import { toPair } from '../../core/market/symbols';
import { positionsFromSignals, SignalSeriesError, type SignalRow } from '../../core/research/signalPositions';
import { cryptoNeeds, evaluateStrategy, type StrategyDefinition } from '../../core/research/strategy';
import type { CryptoPart } from '../../core/market/derivatives';
import {
  SweepError,
  edgeWarnings,
  expandGrid,
  heatmap,
  rankPoints,
  sweepMetrics,
  windowWarnings,
  sliceBars,
  walkForwardSplit,
  type SweepPoint,
} from '../../core/research/sweep';
import { TEMPLATES, TemplateError, buildFromTemplate } from '../../core/research/templates';
import type { BarSource, CryptoSource } from '../../core/ports/barSource';
import { runSweep } from './sweepPool';

const CURVE_POINTS = 2_000;
const MAX_TRADES = 2_000;
const WALK_FORWARD_TOP = 5;

export interface ResearchDeskOptions {
  db: () => Db;
  /** The stored bars (a store on the current connection, with the columnar copy where there is one). */
  bars: () => BarSource;
  log: Logger;
  progress: (p: ResearchProgress) => void;
  /** The perpetual data beside the bars, for strategies with crypto factors. */
  perpData?: () => CryptoSource;
  /** The bundled sweep thread script; defaults to dist/main/sweepThread.cjs. */
  sweepScript?: string;
  threads?: number;
}

/** Infinity (no losing trade) becomes null: JSON has no infinity. */
function metricsView(m: Metrics): MetricsView {
  return { ...m, profitFactor: Number.isFinite(m.profitFactor) ? m.profitFactor : null };
}

function pointView(p: SweepPoint): SweepView['top'][number] {
  return {
    params: p.params,
    metrics: { ...p.metrics, profitFactor: Number.isFinite(p.metrics.profitFactor) ? p.metrics.profitFactor : null },
  };
}

/** Known input errors become clear BAD_REQUEST replies; anything else is a fault of ours. */
function asServiceError(err: unknown): unknown {
  if (
    err instanceof TemplateError ||
    err instanceof SweepError ||
    err instanceof BacktestInputError ||
    err instanceof SignalSeriesError
  )
    return new ServiceError('BAD_REQUEST', err.message);
  return err;
}

export class ResearchDesk {
  private readonly jobs = new Map<string, AbortController>();
  private sweeping = false;

  constructor(private readonly options: ResearchDeskOptions) {}

  private get collection() {
    return this.options.db().collection<Record<string, unknown> & { _id: string }>(COLLECTIONS.backtests);
  }

  templates() {
    return TEMPLATES.map((t) => ({ id: t.id, params: t.params.map((p) => ({ ...p })) }));
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    job?.abort();
    return { cancelled: Boolean(job) };
  }

  private progress(
    jobId: string,
    stage: ResearchProgress['stage'],
    done: number,
    total: number,
    message: string | null = null,
  ): void {
    this.options.progress({ jobId, stage, done, total, message });
  }

  private async loadBars(
    jobId: string,
    symbol: string,
    timeframe: '1m' | '1d',
    fromIso: string,
    toIso: string,
    parts: readonly CryptoPart[] = [],
  ): Promise<ColumnarBars> {
    const from = Date.parse(fromIso);
    const to = Date.parse(toIso);
    if (!(to > from)) throw new ServiceError('BAD_REQUEST', 'The range is empty: its end must be after its start');
    this.progress(jobId, 'loading', 0, 1, `${symbol} ${timeframe}`);
    const bars = await this.options.bars().readBars(symbol, timeframe, from, to);
    if (bars.length === 0)
      throw new ServiceError(
        'BAD_REQUEST',
        `No ${timeframe} bars stored for ${symbol} between ${fromIso.slice(0, 10)} and ${toIso.slice(0, 10)}: import them on the Market data page first`,
      );
    if (parts.length > 0) {
      const source = this.options.perpData?.();
      if (!source) throw new ServiceError('BAD_REQUEST', 'This desk has no perpetual data for crypto factors');
      await source.attach(bars, parts);
    }
    this.progress(jobId, 'loading', 1, 1, `${bars.length} bars`);
    return bars;
  }

  private async job<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.jobs.has(jobId)) throw new ServiceError('BAD_REQUEST', `Job ${jobId} is already running`);
    const ac = new AbortController();
    this.jobs.set(jobId, ac);
    try {
      const out = await work(ac.signal);
      this.progress(jobId, 'done', 1, 1);
      return out;
    } catch (err) {
      const cancelled = ac.signal.aborted;
      this.progress(jobId, cancelled ? 'cancelled' : 'failed', 0, 1, err instanceof Error ? err.message : String(err));
      if (cancelled) throw new ServiceError('BAD_REQUEST', 'Cancelled');
      throw asServiceError(err);
    } finally {
      this.jobs.delete(jobId);
    }
  }

  async run(req: RunRequest): Promise<RunView> {
    return this.job(req.jobId, async (signal) => {
      const parts =
        req.strategy.kind === 'template'
          ? cryptoNeeds(buildFromTemplate(req.strategy.templateId, req.strategy.params))
          : [];
      const bars = await this.loadBars(req.jobId, req.symbol, req.timeframe, req.from, req.to, parts);
      if (signal.aborted) throw new Error('cancelled');
      this.progress(req.jobId, 'computing', 0, 1);
      const cfg = toConfig(req.settings);
      let target: Float64Array | null = null;
      let warmupBars: number | undefined;
      let definition: StrategyDefinition | null = null;
      let strategyId = 'buy-and-hold';
      let strategyLabel = 'buy-and-hold';
      let version: string | null = null;
      const extraWarnings: Wording[] = [];
      if (req.strategy.kind === 'template') {
        definition = buildFromTemplate(req.strategy.templateId, req.strategy.params, {
          name: req.name || req.strategy.templateId,
          stopLossPct: req.settings.stopLossPct,
        });
        const out = evaluateStrategy(definition, bars);
        target = out.target;
        warmupBars = out.warmupBars;
        strategyId = req.strategy.strategyId ?? req.strategy.templateId;
        strategyLabel = req.strategy.templateId;
        version = strategyVersion(definition);
      } else if (req.strategy.kind === 'signals') {
        const rows = await this.signalRows(req.strategy.strategyId, toPair(req.symbol), req.timeframe);
        if (rows.length === 0)
          throw new ServiceError(
            'BAD_REQUEST',
            `No ${req.timeframe} signals of strategy "${req.strategy.strategyId}" for ${toPair(req.symbol)} in ${COLLECTIONS.signals}`,
          );
        const { target: t, used } = positionsFromSignals(bars.time, bars.timeframe, rows);
        target = t;
        strategyId = req.strategy.strategyId;
        strategyLabel = `signals: ${req.strategy.strategyId}`;
        extraWarnings.push(word('research.signalsUsed', { used, total: rows.length }));
      }
      const result = runBacktest(bars, target, cfg, { warmupBars });
      const curve = downsampleCurves(
        bars.time,
        [result.equity, result.benchmarkEquity, result.drawdown],
        CURVE_POINTS,
        [false, false, true],
      );
      const view: RunView = {
        id: crypto.randomUUID(),
        name: req.name || `${strategyLabel} ${req.symbol} ${req.timeframe}`,
        createdAt: new Date().toISOString(),
        symbol: req.symbol,
        timeframe: req.timeframe,
        from: bars.time[0]!,
        to: bars.time[bars.length - 1]!,
        bars: bars.length,
        strategyLabel,
        strategyId,
        version,
        metrics: metricsView(result.metrics),
        benchmark: metricsView(result.benchmark),
        request: {
          symbol: req.symbol,
          timeframe: req.timeframe,
          from: req.from,
          to: req.to,
          strategy: req.strategy,
          settings: req.settings,
          ...(req.name ? { name: req.name } : {}),
        },
        definition,
        warnings: [...result.warnings, ...extraWarnings],
        curve: { time: curve.time, equity: curve.values[0]!, benchmark: curve.values[1]!, drawdown: curve.values[2]! },
        trades: result.trades.slice(-MAX_TRADES),
        tradesTotal: result.trades.length,
        fills: result.fills
          .slice(-MAX_TRADES)
          .map((f) => ({ time: f.time, price: f.price, side: f.qty > 0 ? 'buy' : 'sell', reason: f.reason })),
      };
      this.progress(req.jobId, 'saving', 0, 1);
      const { id, ...rest } = view;
      await this.collection.insertOne({ _id: id, kind: 'run', ...rest });
      this.options.log.info('backtest run', {
        id,
        symbol: req.symbol,
        timeframe: req.timeframe,
        strategyId,
        version,
        bars: bars.length,
        trades: result.trades.length,
      });
      return view;
    });
  }

  private async signalRows(strategyId: string, pair: string, timeframe: string): Promise<SignalRow[]> {
    const docs = await this.options
      .db()
      .collection(COLLECTIONS.signals)
      .find(
        { strategy_id: strategyId, pair, timeframe },
        { projection: { _id: 0, ts: 1, action: 1, weight: 1, score: 1 } },
      )
      .sort({ ts: 1 })
      .toArray();
    return docs.map((d, i) => {
      if (!(d.ts instanceof Date))
        throw new ServiceError(
          'BAD_REQUEST',
          `Signal ${i} of "${strategyId}" has no valid ts (a BSON Date is required)`,
        );
      return {
        ts: d.ts.getTime(),
        action: d.action as SignalRow['action'],
        weight: typeof d.weight === 'number' ? d.weight : null,
        score: typeof d.score === 'number' ? d.score : null,
      };
    });
  }

  async sweep(req: SweepRequest): Promise<SweepView> {
    if (this.sweeping) throw new ServiceError('BAD_REQUEST', 'A sweep is already running: wait for it or cancel it');
    this.sweeping = true;
    try {
      return await this.job(req.jobId, async (signal) => {
        const sets = expandGrid(req.templateId, req.axes, req.fixed);
        // Every parameter set's data (a term of weight 0 leaves its factor out)
        const parts = [...new Set(sets.flatMap((s) => cryptoNeeds(buildFromTemplate(req.templateId, s))))];
        const bars = await this.loadBars(req.jobId, req.symbol, req.timeframe, req.from, req.to, parts);
        const cfg = toConfig(req.settings);
        const split = req.inSamplePct === null ? bars.length : walkForwardSplit(bars.length, req.inSamplePct);
        const sample = sliceBars(bars, 0, split);
        const t0 = Date.now();
        const points = await runSweep({
          bars: sample,
          templateId: req.templateId,
          sets,
          config: cfg,
          signal,
          threads: this.options.threads,
          script: this.options.sweepScript,
          onProgress: (done, total) => this.progress(req.jobId, 'sweeping', done, total),
        });
        const ranked = rankPoints(points, req.metric, req.minTrades);
        // the window the ranking judged: the in-sample part under walk-forward
        const spanDays = (bars.time[Math.max(0, Math.min(split, bars.length) - 1)]! - bars.time[0]!) / 86_400_000;
        let walkForward: SweepView['walkForward'] = null;
        if (req.inSamplePct !== null) {
          const rows: NonNullable<SweepView['walkForward']>['rows'] = [];
          const best = ranked.slice(0, WALK_FORWARD_TOP);
          for (const [k, p] of best.entries()) {
            this.progress(req.jobId, 'validating', k, best.length);
            rows.push({
              params: p.params,
              inSample: pointView(p).metrics,
              outOfSample: pointView(this.outOfSample(bars, split, req.templateId, p.params, cfg)).metrics,
            });
          }
          walkForward = { splitAt: bars.time[split]!, rows };
        }
        const view: SweepView = {
          id: crypto.randomUUID(),
          createdAt: new Date().toISOString(),
          symbol: req.symbol,
          timeframe: req.timeframe,
          templateId: req.templateId,
          from: req.from,
          to: req.to,
          metric: req.metric,
          sets: sets.length,
          validSets: points.filter((p) => p !== null).length,
          seconds: (Date.now() - t0) / 1000,
          top: ranked.slice(0, 25).map(pointView),
          heatmap: heatmap(points, req.axes, req.metric),
          edgeWarnings: [...windowWarnings(req.metric, spanDays), ...edgeWarnings(ranked[0], req.axes)],
          walkForward,
        };
        const { id, heatmap: map, ...rest } = view;
        // Stored flat: FerretDB v1 cannot store nested arrays.
        const stored = map ? { x: map.x, y: map.y, flat: map.cells.flat() } : null;
        await this.collection.insertOne({ _id: id, kind: 'sweep', ...rest, heatmap: stored });
        this.options.log.info('sweep', { id, template: req.templateId, sets: sets.length, seconds: view.seconds });
        return view;
      });
    } finally {
      this.sweeping = false;
    }
  }

  /** A parameter set evaluated on the whole range (factors may look back into the in-sample part), traded only after the split. */
  private outOfSample(
    bars: ColumnarBars,
    split: number,
    templateId: string,
    params: Record<string, number>,
    cfg: BacktestConfig,
  ): SweepPoint {
    const def = buildFromTemplate(templateId, params, { stopLossPct: cfg.stopLossPct });
    const { target } = evaluateStrategy(def, bars);
    const oos = sliceBars(bars, split, bars.length);
    const rec = newRecord(oos.length, false);
    const totals = simulate(oos, target.subarray(split), cfg, rec);
    const m = computeMetrics(rec.equity, oos.time, oos.timeframe, cfg.initialCash, totals, rec.trades);
    return { params, metrics: sweepMetrics(m) };
  }

  async runs(): Promise<RunSummary[]> {
    const docs = await this.collection
      .find({ kind: 'run' }, { projection: { curve: 0, trades: 0, fills: 0, request: 0, definition: 0, warnings: 0 } })
      .sort({ createdAt: -1 })
      .limit(500)
      .toArray();
    return docs.map(({ _id, kind: _kind, ...rest }) => ({ id: _id, ...rest }) as unknown as RunSummary);
  }

  async get(id: string): Promise<RunView> {
    const doc = await this.collection.findOne({ _id: id, kind: 'run' });
    if (!doc) throw new ServiceError('BAD_REQUEST', `No backtest run ${id}`);
    const { _id, kind: _kind, ...rest } = doc;
    return { id: _id, ...rest } as unknown as RunView;
  }

  async delete(id: string): Promise<{ deleted: boolean }> {
    const r = await this.collection.deleteOne({ _id: id });
    return { deleted: r.deletedCount === 1 };
  }

  async sweeps(): Promise<SweepView[]> {
    const docs = await this.collection.find({ kind: 'sweep' }).sort({ createdAt: -1 }).limit(50).toArray();
    return docs.map(({ _id, kind: _kind, heatmap: stored, ...rest }) => {
      const h = stored as {
        x: { key: string; values: number[] };
        y: { key: string; values: number[] };
        flat: (number | null)[];
      } | null;
      const map = h
        ? {
            x: h.x,
            y: h.y,
            cells: h.y.values.map((_, yi) => h.flat.slice(yi * h.x.values.length, (yi + 1) * h.x.values.length)),
          }
        : null;
      return { id: _id, ...rest, heatmap: map } as unknown as SweepView;
    });
  }
}
