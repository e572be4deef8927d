// A sweep's result: the best sets, the heatmap over two parameters, the warnings (the edge of
// the grid, a window too short for annualised figures) and the walk-forward check. Shown
// after a sweep and for a sweep kept among the saved runs.
import { useTranslation } from 'react-i18next';
import type { SweepView } from '../../../../core/api/researchContract';
import { formatDay, formatNumber } from '../../../../core/format/format';
import { Warnings } from '../../components/Warnings';
import { Heatmap } from './Heatmap';
import type { BacktestPreset } from './BacktestForm';
import { dayOf, seriesKey } from './seriesOptions';
import { TradeOnPaper } from './TradeOnPaper';

/** The costs a sweep backtests every set with (and a set put on paper keeps). */
export const SWEEP_SETTINGS = {
  initialCash: 10_000,
  feePct: 0.1,
  slippageBps: 2,
  fillAt: 'next_open',
  stopLossPct: null,
} as const;

/** A backtest of one set on the sweep's own series and range; null for a sweep kept without its range. */
export function sweepPreset(result: SweepView, params: Record<string, number>): BacktestPreset | null {
  if (!result.from || !result.to) return null;
  return {
    seriesKey: seriesKey(result),
    from: dayOf(Date.parse(result.from)),
    to: dayOf(Date.parse(result.to)),
    templateId: result.templateId,
    params,
  };
}

export function SweepResult({
  result,
  onBacktest,
}: {
  result: SweepView;
  /** Opens a backtest of one set on the sweep's series and range. */
  onBacktest(preset: BacktestPreset): void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const paramLabel = (k: string) => t(`words.param.${k}`, { defaultValue: k });
  const m = (v: number | null, pct = false) => (v === null ? '∞' : `${formatNumber(lang, v, 2)}${pct ? ' %' : ''}`);
  return (
    <div className="panel" data-testid="sweep-result">
      <div className="panel-head">
        <h2>{t('research.sweep.result')}</h2>
        <span className="muted small">
          {t('research.sweep.summary', {
            valid: result.validSets,
            sets: result.sets,
            seconds: formatNumber(lang, result.seconds, 1),
          })}
        </span>
      </div>
      <Warnings items={result.edgeWarnings} testId="sweep-edge" />
      <div className="sweep-grid">
        {result.heatmap && (
          <div>
            <div className="muted small">
              {t('research.sweep.heatmap', {
                metric: t(`words.metric.${result.metric}`),
                x: paramLabel(result.heatmap.x.key),
                y: paramLabel(result.heatmap.y.key),
              })}
            </div>
            <div className="heatmap-scroll">
              <Heatmap
                map={result.heatmap}
                locale={lang}
                xLabel={paramLabel(result.heatmap.x.key)}
                yLabel={paramLabel(result.heatmap.y.key)}
              />
            </div>
          </div>
        )}
        <div>
          <h2 data-testid="sweep-top-title">
            {result.walkForward
              ? t('research.sweep.topInSample', { date: formatDay(i18n.language, result.walkForward.splitAt) })
              : t('research.sweep.top')}
          </h2>
          <table className="table" data-testid="sweep-top">
            <thead>
              <tr>
                <th>{t('research.sweep.rank')}</th>
                {Object.keys(result.top[0]?.params ?? {}).map((k) => (
                  <th key={k} className="num">
                    {paramLabel(k)}
                  </th>
                ))}
                <th className="num">{t('research.m.sharpe')}</th>
                <th className="num">{t('research.m.totalReturnPct')}</th>
                <th className="num">{t('research.m.maxDrawdownPct')}</th>
                <th className="num">{t('research.m.trades')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {result.top.slice(0, 10).map((p, i) => (
                <tr key={JSON.stringify(p.params)}>
                  <td>{i + 1}</td>
                  {Object.values(p.params).map((v, k) => (
                    <td key={k} className="num">
                      {v}
                    </td>
                  ))}
                  <td className="num">{m(p.metrics.sharpe)}</td>
                  <td className={`num ${p.metrics.totalReturnPct >= 0 ? 'good-text' : 'error-text'}`}>
                    {m(p.metrics.totalReturnPct, true)}
                  </td>
                  <td className="num">{m(p.metrics.maxDrawdownPct, true)}</td>
                  <td className="num">{p.metrics.trades}</td>
                  <td className="actions">
                    {sweepPreset(result, p.params) && (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => onBacktest(sweepPreset(result, p.params)!)}
                      >
                        {t('research.sweep.useParams')}
                      </button>
                    )}
                    <TradeOnPaper
                      testId={`sweep-to-paper-${i + 1}`}
                      request={{
                        symbol: result.symbol,
                        timeframe: result.timeframe,
                        templateId: result.templateId,
                        params: p.params,
                        settings: SWEEP_SETTINGS,
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {result.walkForward && (
        <div className="walk-forward" data-testid="sweep-wf">
          <h2>{t('research.sweep.wf')}</h2>
          <div className="muted small">
            {t('research.sweep.wfNote', { date: formatDay(lang, result.walkForward.splitAt) })}
          </div>
          <table className="table">
            <thead>
              <tr>
                <th>{t('research.sweep.rank')}</th>
                <th>{t('research.sweep.params')}</th>
                <th className="num">
                  {t('research.sweep.inSample')} · {t('research.m.sharpe')}
                </th>
                <th className="num">
                  {t('research.sweep.outOfSample')} · {t('research.m.sharpe')}
                </th>
                <th className="num">
                  {t('research.sweep.inSample')} · {t('research.m.totalReturnPct')}
                </th>
                <th className="num">
                  {t('research.sweep.outOfSample')} · {t('research.m.totalReturnPct')}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.walkForward.rows.map((r, i) => (
                <tr key={JSON.stringify(r.params)}>
                  <td>{i + 1}</td>
                  <td className="mono">
                    {Object.entries(r.params)
                      .map(([k, v]) => `${paramLabel(k)} ${v}`)
                      .join(' · ')}
                  </td>
                  <td className="num">{m(r.inSample.sharpe)}</td>
                  <td className={`num ${r.outOfSample.sharpe < r.inSample.sharpe / 2 ? 'warn-text' : ''}`}>
                    {m(r.outOfSample.sharpe)}
                  </td>
                  <td className="num">{m(r.inSample.totalReturnPct, true)}</td>
                  <td className={`num ${r.outOfSample.totalReturnPct >= 0 ? 'good-text' : 'error-text'}`}>
                    {m(r.outOfSample.totalReturnPct, true)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
