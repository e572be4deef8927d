// One backtest run: metrics against buy-and-hold, notes, equity and drawdown, the bars with
// entries and exits, and the trade list.
import { Warnings } from '../../components/Warnings';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunView } from '../../../../core/api/researchContract';
import { formatDateTime, formatDay, formatNumber } from '../../../../core/format/format';
import { ACCENT, DOWN, MUTED_LINE } from '../../components/chartTheme';
import { CurveChart, type Curve } from '../../components/CurveChart';
import { useDesk } from '../../deskContext';
import { MetricsTable } from './MetricsTable';
import { RunCandles } from './RunCandles';
import { TradeOnPaper } from './TradeOnPaper';

const SHOWN_TRADES = 200;

export function RunResult({ run }: { run: RunView }) {
  const { t, i18n } = useTranslation();
  const { settings } = useDesk();
  const lang = i18n.language;
  const tz = settings?.settings.timeDisplay ?? 'local';
  const when = (ms: number) => (run.timeframe === '1d' ? formatDay(lang, ms) : formatDateTime(lang, new Date(ms), tz));
  const equity = useMemo<Curve[]>(
    () => [
      { label: t('research.strategy'), color: ACCENT, time: run.curve.time, values: run.curve.equity },
      {
        label: t('research.benchmark'),
        color: MUTED_LINE,
        time: run.curve.time,
        values: run.curve.benchmark,
        dashed: true,
      },
    ],
    [run, t],
  );
  const drawdown = useMemo<Curve[]>(
    () => [
      { label: t('research.drawdown'), color: DOWN, time: run.curve.time, values: run.curve.drawdown, area: true },
    ],
    [run, t],
  );
  const trades = run.trades.slice(-SHOWN_TRADES).reverse();

  return (
    <div className="research-result" data-testid="run-result">
      <div className="panel">
        <div className="panel-head">
          <div>
            <div className="run-title">{run.name}</div>
            <div className="muted small">
              {run.symbol} · {run.timeframe} · {when(run.from)} → {when(run.to)} ·{' '}
              {t('chart.barsShown', { count: run.bars })}
            </div>
          </div>
          <div className="run-actions">
            {run.version && (
              <span className="chip mono" title={run.strategyId}>
                {run.strategyId} · {t('research.version', { version: run.version })}
              </span>
            )}
            {run.request.strategy.kind === 'template' && (
              <TradeOnPaper
                testId="run-to-paper"
                request={{
                  symbol: run.symbol,
                  timeframe: run.timeframe,
                  templateId: run.request.strategy.templateId,
                  params: run.request.strategy.params,
                  settings: run.request.settings,
                }}
              />
            )}
          </div>
        </div>
        <Warnings items={run.warnings} testId="run-warnings" />
        <div className="result-grid">
          <MetricsTable
            columns={[
              { label: t('research.strategy'), metrics: run.metrics },
              { label: t('research.benchmark'), metrics: run.benchmark },
            ]}
          />
          <div className="result-charts">
            <h2>{t('research.equity')}</h2>
            <CurveChart curves={equity} height={240} testId="equity-chart" />
            <h2>{t('research.drawdown')}</h2>
            <CurveChart curves={drawdown} height={140} testId="drawdown-chart" percent />
          </div>
        </div>
      </div>
      <div className="panel">
        <h2>{t('research.chart')}</h2>
        <RunCandles run={run} />
      </div>
      <div className="panel">
        <div className="panel-head">
          <h2>{t('research.trades')}</h2>
          {run.tradesTotal > 0 && (
            <span className="muted small">
              {t('research.tradesShown', { shown: trades.length, total: run.tradesTotal })}
            </span>
          )}
        </div>
        {trades.length === 0 ? (
          <div className="muted">{t('research.noTrades')}</div>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="trades-table">
              <thead>
                <tr>
                  <th>{t('research.t.entry')}</th>
                  <th className="num">{t('research.t.entryPrice')}</th>
                  <th>{t('research.t.exit')}</th>
                  <th className="num">{t('research.t.exitPrice')}</th>
                  <th className="num">{t('research.t.bars')}</th>
                  <th className="num">{t('research.t.fees')}</th>
                  <th className="num">{t('research.t.pnl')}</th>
                  <th className="num">{t('research.t.ret')}</th>
                  <th>{t('research.t.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {trades.map((tr) => (
                  <tr key={`${tr.entryTime}-${tr.exitTime}`}>
                    <td className="mono">{when(tr.entryTime)}</td>
                    <td className="num">{formatNumber(lang, tr.entryPrice, 2)}</td>
                    <td className="mono">{when(tr.exitTime)}</td>
                    <td className="num">{formatNumber(lang, tr.exitPrice, 2)}</td>
                    <td className="num">{tr.bars}</td>
                    <td className="num">{formatNumber(lang, tr.fees, 2)}</td>
                    <td className={`num ${tr.pnl >= 0 ? 'good-text' : 'error-text'}`}>
                      {formatNumber(lang, tr.pnl, 2)}
                    </td>
                    <td className={`num ${tr.returnPct >= 0 ? 'good-text' : 'error-text'}`}>
                      {formatNumber(lang, tr.returnPct, 2)} %
                    </td>
                    <td>{t(`research.reason.${tr.exitReason}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
