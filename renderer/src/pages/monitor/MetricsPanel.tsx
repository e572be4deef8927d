// The Monitor's metrics with their history: export latency, export success and order
// refusal rates, slippage, fees, the time from a signal's bar close to its fill, and the
// equity of every strategy per mode. Charts, because a trend is read faster than a table.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetricsHistory } from '../../../../core/api/monitorContract';
import { CurveChart, type Curve } from '../../components/CurveChart';
import { PALETTE } from '../../components/chartTheme';
import { useDesk } from '../../deskContext';

const WINDOWS = [1, 6, 24, 168] as const;

/** A curve from bucketed points, leaving out the empty buckets. */
function curve(
  label: string,
  color: string,
  time: readonly number[],
  points: readonly (number | null)[],
  dashed = false,
): Curve {
  const t: number[] = [];
  const v: number[] = [];
  points.forEach((p, i) => {
    if (p !== null) {
      t.push(time[i]!);
      v.push(p);
    }
  });
  return { label, color, time: t, values: v, dashed };
}

/** Rates are shares: the scale stops at 0 and 100 %. */
const RATE_BOUNDS = { min: 0, max: 100 };

function Chart({
  title,
  curves,
  percent,
  testId,
}: {
  title: string;
  curves: Curve[];
  percent?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const empty = curves.every((c) => c.time.length === 0);
  return (
    <div data-testid={testId}>
      <div className="form-label">{title}</div>
      {empty ? (
        <div className="muted small chart-empty">{t('monitor.metrics.nothing')}</div>
      ) : (
        <CurveChart
          curves={curves.filter((c) => c.time.length > 0)}
          height={170}
          percent={percent}
          bounds={percent ? RATE_BOUNDS : undefined}
        />
      )}
    </div>
  );
}

export function MetricsPanel() {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const [hours, setHours] = useState<(typeof WINDOWS)[number]>(24);
  const [m, setM] = useState<MetricsHistory | null>(null);
  const [equity, setEquity] = useState<
    { strategyId: string; pair: string; mode: 'paper' | 'live'; time: number[]; pnl: number[] }[]
  >([]);
  useEffect(() => {
    // A reply for a window no longer chosen is dropped (a slow 7 d reply must not land on 1 h).
    let current = true;
    let pending: number | null = null;
    const load = () => {
      request('metrics.history', { hours }, (r) => current && setM(r));
      request('execution.equity', {}, (r) => current && setEquity(r));
    };
    // Events come in bursts (every export, every repeat of an alert): one reload a few seconds later.
    const soon = () => {
      if (pending === null) pending = window.setTimeout(() => ((pending = null), load()), 3000);
    };
    load();
    const id = window.setInterval(load, 30_000);
    const offs = [client.on('signalExported', soon), client.on('alertRaised', soon)];
    return () => {
      current = false;
      window.clearInterval(id);
      if (pending !== null) window.clearTimeout(pending);
      offs.forEach((off) => off());
    };
  }, [client, hours]);
  const charts = useMemo(() => {
    if (!m) return null;
    const [a, b, c] = PALETTE;
    return {
      latency: [
        curve(t('monitor.metrics.p50'), a!, m.time, m.exportLatencyP50Sec),
        curve(t('monitor.metrics.max'), b!, m.time, m.exportLatencyMaxSec, true),
      ],
      rates: [
        curve(t('monitor.metrics.exportSuccess'), a!, m.time, m.exportSuccessPct),
        curve(t('monitor.metrics.rejections'), PALETTE[3]!, m.time, m.rejectionPct),
      ],
      slippage: [
        curve(t('monitor.metrics.mean'), a!, m.time, m.slippageMeanBps),
        curve(t('monitor.metrics.max'), b!, m.time, m.slippageMaxBps, true),
        curve(t('monitor.metrics.meanVsBar'), c!, m.time, m.signalSlippageMeanBps),
      ],
      fees: [curve(t('monitor.metrics.fees'), c!, m.time, m.fees)],
      lag: [curve(t('monitor.metrics.p50'), a!, m.time, m.signalToFillP50Sec)],
    };
  }, [m, t]);
  const equityCurves = useMemo<Curve[]>(
    () =>
      equity
        .filter((e) => e.time.length > 1)
        .map((e, i) => ({
          label: `${e.strategyId} · ${e.mode}`,
          color: PALETTE[i % PALETTE.length]!,
          time: e.time,
          values: e.pnl,
          dashed: e.mode === 'paper',
        })),
    [equity],
  );
  return (
    <div className="panel" data-testid="monitor-metrics">
      <div className="panel-head">
        <h2>{t('monitor.metrics.title')}</h2>
        <div className="segmented">
          {WINDOWS.map((h) => (
            <button
              key={h}
              type="button"
              className={`btn btn-small ${h === hours ? 'btn-primary' : ''}`}
              onClick={() => setHours(h)}
              data-testid={`metrics-window-${h}`}
            >
              {h < 168 ? `${h} h` : '7 d'}
            </button>
          ))}
        </div>
      </div>
      {m && (
        <p className="small muted" data-testid="metrics-totals">
          {t('monitor.metrics.totals', {
            exports: m.totals.exports,
            failed: m.totals.exportFailures,
            orders: m.totals.orders,
            rejected: m.totals.rejected,
            fills: m.totals.fills,
            fees: m.totals.fees.toFixed(4),
          })}
        </p>
      )}
      {m && charts && m.totals.exports + m.totals.orders + m.totals.fills === 0 && equityCurves.length === 0 && (
        <div className="muted" data-testid="metrics-empty">
          {t('monitor.metrics.nothingYet')}
        </div>
      )}
      {charts && (m!.totals.exports + m!.totals.orders + m!.totals.fills > 0 || equityCurves.length > 0) && (
        <div className="grid-2">
          <Chart title={t('monitor.metrics.latency')} curves={charts.latency} testId="metric-latency" />
          <Chart title={t('monitor.metrics.rates')} curves={charts.rates} percent testId="metric-rates" />
          <Chart title={t('monitor.metrics.slippage')} curves={charts.slippage} testId="metric-slippage" />
          <Chart title={t('monitor.metrics.feesTitle')} curves={charts.fees} testId="metric-fees" />
          <Chart title={t('monitor.metrics.lag')} curves={charts.lag} testId="metric-lag" />
          <Chart title={t('monitor.metrics.equity')} curves={equityCurves} testId="metric-equity" />
        </div>
      )}
    </div>
  );
}
