// Trading: the strategies the executor trades (paper), their positions and last decisions,
// the kill switch, manual signals, and the orders and fills with their provenance.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../core/api/client';
import type { DriftReport, ExecConfigView, FillView, OrderView } from '../../../core/api/executionContract';
import { DEFAULT_MAX_SLIPPAGE_BPS, MAX_REJECTIONS_IN_A_ROW } from '../../../core/execution/risk';
import { formatDateTime, formatDuration, formatNumber } from '../../../core/format/format';
import { TIMEFRAME_MS } from '../../../core/market/timeframes';
import { useDesk } from '../deskContext';
import { PALETTE } from '../components/chartTheme';
import { CurveChart, type Curve } from '../components/CurveChart';
import { seriesKey, useStoredSeries } from './research/seriesOptions';
import { SeriesSelect } from '../components/SeriesSelect';

function AddStrategy({ onAdded }: { onAdded(): void }) {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const series = useStoredSeries();
  const [strategyId, setStrategyId] = useState('');
  const [key, setKey] = useState('');
  const [stakeQuote, setStakeQuote] = useState('1000');
  const [maxPositions, setMaxPositions] = useState(3);
  const [maxLoss, setMaxLoss] = useState(10);
  const [stopLoss, setStopLoss] = useState('');
  const [maxSlippage, setMaxSlippage] = useState(DEFAULT_MAX_SLIPPAGE_BPS);
  const [maxRefusals, setMaxRefusals] = useState(MAX_REJECTIONS_IN_A_ROW);
  const [error, setError] = useState<string | null>(null);
  const [known, setKnown] = useState<string[]>([]);
  useEffect(() => {
    request('signals.recent', { limit: 500 }, (r) => setKnown([...new Set(r.map((x) => x.strategy_id))].sort()));
  }, [request]);
  if (!series) return null;
  if (series.length === 0) return <div className="note">{t('research.noSeries')}</div>;
  const selected = series.find((s) => seriesKey(s) === key) ?? series[0]!;
  const add = async () => {
    setError(null);
    try {
      await client.call('execution.save', {
        strategyId: strategyId.trim(),
        symbol: selected.symbol,
        timeframe: selected.timeframe,
        stakePct: 95,
        stakeQuote: stakeQuote.trim() ? Number(stakeQuote) : null,
        maxOpenPositions: maxPositions,
        maxDailyLossPct: maxLoss,
        minHoldBars: 0,
        cooldownBars: 0,
        stopLossPct: stopLoss.trim() ? Number(stopLoss) : null,
        maxSlippageBps: maxSlippage > 0 ? maxSlippage : DEFAULT_MAX_SLIPPAGE_BPS,
        maxRejectionsInARow: maxRefusals >= 1 ? Math.round(maxRefusals) : MAX_REJECTIONS_IN_A_ROW,
        enabled: false,
      });
      setStrategyId('');
      onAdded();
    } catch (err) {
      setError(err instanceof ApiCallError ? err.message : String(err));
    }
  };
  return (
    <form
      className="research-form new-pipeline"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
      data-testid="exec-form"
    >
      <div className="inline-form">
        <label>
          <span className="form-label">{t('trading.strategyId')}</span>
          <input
            type="text"
            list="known-strategies"
            required
            value={strategyId}
            onChange={(e) => setStrategyId(e.target.value)}
            data-testid="exec-strategy"
          />
          <datalist id="known-strategies">
            {known.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </label>
        <SeriesSelect series={series} value={seriesKey(selected)} onChange={setKey} testId="exec-series" />
        <label>
          <span className="form-label">{t('trading.stakeQuote')}</span>
          <input
            type="number"
            className="num-input"
            min={1}
            step="any"
            value={stakeQuote}
            onChange={(e) => setStakeQuote(e.target.value)}
          />
        </label>
        <label>
          <span className="form-label">{t('trading.maxPositions')}</span>
          <input
            type="number"
            className="num-input"
            min={1}
            max={100}
            value={maxPositions}
            onChange={(e) => setMaxPositions(Number(e.target.value))}
          />
        </label>
        <label>
          <span className="form-label">{t('trading.maxDailyLoss')}</span>
          <input
            type="number"
            className="num-input"
            min={0.1}
            max={100}
            step="any"
            value={maxLoss}
            onChange={(e) => setMaxLoss(Number(e.target.value))}
          />
        </label>
        <label>
          <span className="form-label">{t('trading.stopLoss')}</span>
          <input
            type="number"
            className="num-input"
            min={0.1}
            max={99}
            step="any"
            placeholder={t('research.stopLossNone')}
            value={stopLoss}
            onChange={(e) => setStopLoss(e.target.value)}
            data-testid="exec-stop"
          />
        </label>
        <label title={t('trading.maxSlippageHelp')}>
          <span className="form-label">{t('trading.maxSlippage')}</span>
          <input
            type="number"
            className="num-input"
            min={1}
            max={10000}
            step="any"
            value={maxSlippage}
            onChange={(e) => setMaxSlippage(Number(e.target.value))}
            data-testid="exec-max-slippage"
          />
        </label>
        <label title={t('trading.maxRefusalsHelp')}>
          <span className="form-label">{t('trading.maxRefusals')}</span>
          <input
            type="number"
            className="num-input"
            min={1}
            max={100}
            step={1}
            value={maxRefusals}
            onChange={(e) => setMaxRefusals(Number(e.target.value))}
            data-testid="exec-max-refusals"
          />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="exec-add">
          {t('trading.add')}
        </button>
      </div>
      {error && <div className="error-box">{error}</div>}
    </form>
  );
}

export function TradingPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { client, settings, request } = useDesk();
  const [configs, setConfigs] = useState<ExecConfigView[] | null>(null);
  const [orders, setOrders] = useState<OrderView[]>([]);
  const [fills, setFills] = useState<FillView[]>([]);
  const [status, setStatus] = useState<{
    killSwitch: boolean;
    liveStrategies: number;
    paper: { balances: Record<string, number>; equity: number | null };
  } | null>(null);
  const [goingLive, setGoingLive] = useState<string | null>(null);
  const [drift, setDrift] = useState<DriftReport | null>(null);
  const [equity, setEquity] = useState<
    { strategyId: string; pair: string; mode: 'paper' | 'live'; time: number[]; pnl: number[] }[]
  >([]);
  const curves = useMemo<Curve[]>(
    () =>
      equity
        .filter((e) => e.time.length > 1)
        .map((e, i) => ({
          label: `${e.strategyId} · ${e.mode}`,
          color: PALETTE[i % PALETTE.length]!,
          time: e.time,
          values: e.pnl,
        })),
    [equity],
  );
  const [phrase, setPhrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const tz = settings?.settings.timeDisplay ?? 'local';

  const load = useCallback(() => {
    request('execution.configs', {}, setConfigs, () => setConfigs([]));
    request('execution.orders', { limit: 100 }, setOrders);
    request('execution.fills', { limit: 100 }, setFills);
    request('execution.status', {}, setStatus);
    request('execution.equity', {}, setEquity);
  }, [request]);
  useEffect(() => {
    load();
    const off = client.on('executionChanged', load);
    const id = window.setInterval(load, 5000);
    return () => {
      off();
      window.clearInterval(id);
    };
  }, [client, load]);

  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
    } catch (err) {
      setError(err instanceof ApiCallError ? err.message : String(err));
    }
    load();
  };
  const manual = (c: ExecConfigView, action: 'enter_long' | 'exit_long') =>
    act(() => {
      const step = TIMEFRAME_MS[c.timeframe];
      const ts = new Date(Math.floor(Date.now() / step) * step - step);
      return client.call('signals.export', {
        rows: [
          {
            ts: ts.toISOString(),
            timeframe: c.timeframe,
            symbol: c.symbol,
            pair: c.pair,
            strategy_id: c.strategyId,
            action,
            source: 'manual',
            note: 'manual signal from the Trading page',
          },
        ],
        exportedBy: 'desk: manual',
      });
    });
  const n = (v: number | null, d = 2) => (v === null ? '—' : formatNumber(lang, v, d));
  const when = (ms: number) => formatDateTime(lang, new Date(ms), tz);

  return (
    <section className="page" data-testid="page-trading">
      <p className="page-subtitle">{t('trading.subtitle')}</p>
      <div className="panel trading-head">
        <div className="trading-mode">
          <span className="form-label">{t('trading.mode')}</span>
          {status && status.liveStrategies > 0 ? (
            <span className="badge badge-bad mode-badge" data-testid="trading-mode">
              {t('trading.liveCount', { count: status.liveStrategies })}
            </span>
          ) : (
            <span className="badge badge-busy mode-badge" data-testid="trading-mode">
              {t('trading.paper')}
            </span>
          )}
          <span className="muted small">{t('trading.paperNote')}</span>
        </div>
        {status && (
          <div className="trading-account" data-testid="paper-account">
            <span className="form-label">{t('trading.account')}</span>
            <span className="mono">
              {Object.entries(status.paper.balances)
                .filter(([, v]) => Math.abs(v) > 1e-12)
                .map(([k, v]) => `${k} ${n(v, k === 'USDT' ? 2 : 6)}`)
                .join(' · ')}
            </span>
            <span>
              {t('trading.equity')} <b>{n(status.paper.equity)}</b> USDT
            </span>
          </div>
        )}
        {status && (
          <button
            type="button"
            title={t('trading.killHelp')}
            className={`btn ${status.killSwitch ? 'btn-danger' : ''}`}
            onClick={() => void act(() => client.call('execution.kill', { on: !status.killSwitch }))}
            data-testid="kill-switch"
          >
            {status.killSwitch ? t('trading.killOn') : t('trading.killSwitch')}
          </button>
        )}
      </div>
      {error && (
        <div className="error-box" data-testid="trading-error">
          {error}
        </div>
      )}
      <div className="panel" data-testid="exec-configs">
        <h2>{t('trading.strategies')}</h2>
        {configs !== null && configs.length === 0 && <div className="note">{t('trading.noConfigs')}</div>}
        {configs && configs.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th>{t('trading.strategyId')}</th>
                <th>{t('trading.series')}</th>
                <th>{t('trading.mode')}</th>
                <th>{t('trading.enabled')}</th>
                <th className="num">{t('trading.position')}</th>
                <th className="num">{t('trading.entry')}</th>
                <th className="num">{t('trading.last')}</th>
                <th className="num">{t('trading.pnl')}</th>
                <th>{t('trading.lastOutcome')}</th>
                <th>{t('trading.manual')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {configs.map((c) => (
                <tr key={c.id} data-testid={`exec-${c.strategyId}`}>
                  <td className="mono">
                    {c.strategyId}
                    {c.stopLossPct !== null && (
                      <div className="muted small">{t('trading.stopShort', { pct: c.stopLossPct })}</div>
                    )}
                  </td>
                  <td>
                    {c.pair} <span className="muted">· {c.timeframe}</span>
                  </td>
                  <td className="mode-cell">
                    <span
                      className={`badge ${c.mode === 'live' ? 'badge-bad' : 'badge-busy'}`}
                      data-testid={`exec-mode-${c.strategyId}`}
                    >
                      {t(`trading.${c.mode}`)}
                    </span>
                    {c.mode === 'live' ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() =>
                          void act(() => client.call('execution.mode', { id: c.id, mode: 'paper', confirm: '' }))
                        }
                      >
                        {t('trading.toPaper')}
                      </button>
                    ) : goingLive === c.id ? (
                      <form
                        className="go-live"
                        onSubmit={(e) => {
                          e.preventDefault();
                          void act(() =>
                            client.call('execution.mode', { id: c.id, mode: 'live', confirm: phrase }),
                          ).then(() => setGoingLive(null));
                        }}
                      >
                        <span className="small">{t('trading.goLiveHelp', { phrase: `LIVE ${c.strategyId}` })}</span>
                        <input
                          type="text"
                          value={phrase}
                          onChange={(e) => setPhrase(e.target.value)}
                          data-testid={`exec-phrase-${c.strategyId}`}
                        />
                        <button
                          type="submit"
                          className="btn btn-small btn-danger"
                          data-testid={`exec-confirm-${c.strategyId}`}
                        >
                          {t('trading.confirm')}
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setGoingLive(null)}>
                          {t('trading.cancel')}
                        </button>
                      </form>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => {
                          setPhrase('');
                          setGoingLive(c.id);
                        }}
                        data-testid={`exec-golive-${c.strategyId}`}
                      >
                        {t('trading.goLive')}
                      </button>
                    )}
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      checked={c.enabled}
                      onChange={(e) =>
                        void act(() => client.call('execution.enable', { id: c.id, enabled: e.target.checked }))
                      }
                      data-testid={`exec-enable-${c.strategyId}`}
                      aria-label={t('trading.enabled')}
                    />
                  </td>
                  <td className="num">{n(c.position, 6)}</td>
                  <td className="num">{n(c.entryPrice)}</td>
                  <td className="num">{n(c.lastPrice)}</td>
                  <td
                    className={`num ${c.unrealizedPnl !== null && c.unrealizedPnl < 0 ? 'error-text' : c.unrealizedPnl ? 'good-text' : ''}`}
                  >
                    {n(c.unrealizedPnl)}
                  </td>
                  <td className="small" data-testid={`exec-outcome-${c.strategyId}`}>
                    {c.lastOutcome ? (
                      <>
                        <span
                          className={`badge ${c.lastOutcome.kind === 'ordered' ? 'badge-good' : c.lastOutcome.kind === 'refused' || c.lastOutcome.kind === 'error' || c.lastOutcome.kind === 'paused' ? 'badge-bad' : 'badge-neutral'}`}
                        >
                          {t(`trading.outcome.${c.lastOutcome.kind}`)}
                        </span>{' '}
                        <span className="muted">{c.lastOutcome.reason}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="actions" title={t('trading.manualNote')}>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void manual(c, 'enter_long')}
                      data-testid={`exec-enter-${c.strategyId}`}
                    >
                      {t('trading.enterNow')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void manual(c, 'exit_long')}
                      data-testid={`exec-exit-${c.strategyId}`}
                    >
                      {t('trading.exitNow')}
                    </button>
                  </td>
                  <td className="actions">
                    {c.lastOutcome?.kind === 'paused' && (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => void act(() => client.call('execution.resume', { id: c.id }))}
                      >
                        {t('trading.resume')}
                      </button>
                    )}
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void act(async () => setDrift(await client.call('execution.drift', { id: c.id })))}
                      data-testid={`exec-drift-${c.strategyId}`}
                    >
                      {t('trading.drift')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void act(() => client.call('execution.delete', { id: c.id }))}
                    >
                      {t('trading.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <AddStrategy onAdded={load} />
      </div>
      {drift && (
        <div className="panel" data-testid="drift-panel">
          <div className="panel-head">
            <h2>{t('trading.driftTitle', { strategy: drift.strategyId, mode: drift.mode })}</h2>
            <button type="button" className="btn btn-small" onClick={() => setDrift(null)}>
              ×
            </button>
          </div>
          <div className="muted small">
            {t('trading.driftNote', { from: when(drift.from), to: when(drift.to), bars: drift.bars })}
          </div>
          {drift.warnings.length > 0 && (
            <ul className="warnings">
              {drift.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          <table className="table metrics-table">
            <thead>
              <tr>
                <th />
                <th className="num">{t('trading.actual')}</th>
                <th className="num">{t('trading.backtest')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>{t('trading.pnl')}</td>
                <td className="num">{n(drift.actual.pnl)}</td>
                <td className="num">{n(drift.backtest.pnl)}</td>
              </tr>
              <tr>
                <td>{t('trading.fills')}</td>
                <td className="num">{drift.actual.fills}</td>
                <td className="num">{drift.backtest.fills}</td>
              </tr>
              <tr>
                <td>{t('trading.fee')}</td>
                <td className="num">{n(drift.actual.fees)}</td>
                <td className="num">{n(drift.backtest.fees)}</td>
              </tr>
            </tbody>
          </table>
          <table className="table">
            <thead>
              <tr>
                <th>{t('trading.time')}</th>
                <th>{t('trading.side')}</th>
                <th className="num">{t('trading.price')}</th>
                <th className="num">{t('trading.backtest')}</th>
                <th className="num">{t('trading.slippage')}</th>
              </tr>
            </thead>
            <tbody>
              {drift.fills.map((f) => (
                <tr key={`${f.time}-${f.side}`}>
                  <td className="small mono">{when(f.time)}</td>
                  <td>{f.side}</td>
                  <td className="num">{n(f.price)}</td>
                  <td className="num">{f.backtestPrice === null ? '—' : n(f.backtestPrice)}</td>
                  <td className={`num ${f.diffBps !== null && f.diffBps > 0 ? 'warn-text' : ''}`}>
                    {f.diffBps === null ? '—' : `${n(f.diffBps, 1)} bps`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="panel" data-testid="pnl-panel">
        <h2>{t('trading.pnlCurve')}</h2>
        {curves.length === 0 ? (
          <div className="muted small">{t('trading.pnlEmpty')}</div>
        ) : (
          <CurveChart curves={curves} height={220} testId="pnl-chart" />
        )}
      </div>
      <div className="panel" data-testid="orders-panel">
        <h2>{t('trading.orders')}</h2>
        {orders.length === 0 ? (
          <div className="muted">{t('trading.noOrders')}</div>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('trading.time')}</th>
                  <th>{t('trading.strategyId')}</th>
                  <th>{t('trading.side')}</th>
                  <th className="num">{t('trading.amount')}</th>
                  <th className="num">{t('trading.filled')}</th>
                  <th className="num">{t('trading.refPrice')}</th>
                  <th className="num">{t('trading.avgPrice')}</th>
                  <th>{t('trading.status')}</th>
                  <th>{t('trading.signalBar')}</th>
                  <th>{t('trading.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => (
                  <tr key={o.clientOrderId} data-testid="order-row">
                    <td className="small mono">{formatDateTime(lang, o.createdAt, tz)}</td>
                    <td className="mono small">
                      {o.strategyId}
                      <div className="muted">{o.pair}</div>
                    </td>
                    <td>
                      <span className={`badge ${o.side === 'buy' ? 'badge-good' : 'badge-busy'}`}>{o.side}</span>{' '}
                      <span className={`small ${o.mode === 'live' ? 'error-text' : 'muted'}`}>{o.mode}</span>
                    </td>
                    <td className="num">{n(o.amount, 6)}</td>
                    <td className="num">{n(o.filled, 6)}</td>
                    <td className="num">{n(o.refPrice)}</td>
                    <td className="num">{n(o.avgPrice)}</td>
                    <td>
                      <span
                        className={`badge ${o.status === 'filled' ? 'badge-good' : o.status === 'rejected' || o.status === 'lost' || o.status === 'expired' ? 'badge-bad' : 'badge-neutral'}`}
                      >
                        {o.status}
                      </span>
                    </td>
                    <td className="small mono">{when(o.signalTs)}</td>
                    <td className="small muted">{o.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div className="panel" data-testid="fills-panel">
        <h2>{t('trading.fills')}</h2>
        {fills.length === 0 ? (
          <div className="muted">{t('trading.noFills')}</div>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('trading.time')}</th>
                  <th>{t('trading.strategyId')}</th>
                  <th>{t('trading.side')}</th>
                  <th className="num">{t('trading.amount')}</th>
                  <th className="num">{t('trading.price')}</th>
                  <th className="num">{t('trading.fee')}</th>
                  <th className="num">{t('trading.slippage')}</th>
                  <th className="num">{t('trading.latency')}</th>
                  <th>{t('trading.note')}</th>
                </tr>
              </thead>
              <tbody>
                {fills.map((f) => (
                  <tr key={f.id} data-testid="fill-row">
                    <td className="small mono">{when(f.time)}</td>
                    <td className="mono small">
                      {f.strategyId}
                      <div className="muted">{f.pair}</div>
                    </td>
                    <td>{f.side}</td>
                    <td className="num">{n(f.amount, 6)}</td>
                    <td className="num">{n(f.price)}</td>
                    <td className="num">
                      {n(f.fee, 4)} <span className="muted small">{f.feeCurrency}</span>
                    </td>
                    <td className={`num ${f.slippageBps > 0 ? 'warn-text' : ''}`}>
                      {n(f.slippageBps, 1)} bps
                      {f.signalSlippageBps !== null && (
                        <div className="muted small" title={t('trading.vsBarHint')}>
                          {t('trading.vsBar', { bps: n(f.signalSlippageBps, 1) })}
                        </div>
                      )}
                    </td>
                    <td className="num small">
                      {f.signalToFillMs < 1000
                        ? `${Math.round(f.signalToFillMs)} ms`
                        : formatDuration(lang, f.signalToFillMs)}
                    </td>
                    <td className="small muted">{f.note ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
