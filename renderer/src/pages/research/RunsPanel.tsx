// Runs kept in the database: open one, delete one, or tick several to compare their
// metrics side by side and their equity curves on one chart (rebased to 100).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunSummary, RunView } from '../../../../core/api/researchContract';
import { formatDateTime, formatDay, formatNumber } from '../../../../core/format/format';
import { PALETTE } from '../../components/chartTheme';
import { CurveChart, type Curve } from '../../components/CurveChart';
import { LoadError } from '../../components/LoadError';
import { useDesk } from '../../deskContext';
import { MetricsTable } from './MetricsTable';

const MAX_COMPARE = 6;

export function RunsPanel({ onOpen }: { onOpen(run: RunView): void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { client, settings, request } = useDesk();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [ticked, setTicked] = useState<string[]>([]);
  const [compared, setCompared] = useState<RunView[] | null>(null);

  const load = useCallback(() => {
    request(
      'research.runs',
      {},
      (r) => {
        setRuns(r);
        setLoadError(null);
      },
      setLoadError,
    );
  }, [request]);
  useEffect(load, [load]);

  const toggle = (id: string) =>
    setTicked((cur) =>
      cur.includes(id) ? cur.filter((x) => x !== id) : cur.length < MAX_COMPARE ? [...cur, id] : cur,
    );
  const tickedTimeframe = runs?.find((r) => r.id === ticked[0])?.timeframe ?? null;
  const compare = async () => setCompared(await Promise.all(ticked.map((id) => client.call('research.get', { id }))));
  const remove = async (id: string) => {
    await client.call('research.delete', { id });
    setTicked((cur) => cur.filter((x) => x !== id));
    load();
  };
  const curves = useMemo<Curve[]>(
    () =>
      (compared ?? []).map((r, i) => ({
        label: `${i + 1}`,
        color: PALETTE[i % PALETTE.length]!,
        time: r.curve.time,
        values: r.curve.equity.map((v) => (100 * v) / r.request.settings.initialCash),
      })),
    [compared],
  );

  if (runs === null)
    return loadError ? (
      <LoadError message={loadError} onRetry={load} testId="runs-error" />
    ) : (
      <div className="muted">{t('common.loading')}</div>
    );
  if (runs.length === 0)
    return (
      <div className="note" data-testid="runs-empty">
        {t('research.noRuns')}
      </div>
    );
  return (
    <>
      <div className="panel" data-testid="runs-list">
        <div className="panel-head">
          <h2>{t('research.runs')}</h2>
          <div className="form-actions">
            <span className="muted small">{t('research.compareHint')}</span>
            <button
              type="button"
              className="btn btn-small"
              disabled={ticked.length < 2}
              onClick={() => void compare()}
              data-testid="runs-compare"
            >
              {t('research.compare')}
            </button>
          </div>
        </div>
        <table className="table">
          <thead>
            <tr>
              <th />
              <th>{t('research.name')}</th>
              <th>{t('research.series')}</th>
              <th>{t('research.range')}</th>
              <th>{t('research.strategy')}</th>
              <th className="num">{t('research.m.totalReturnPct')}</th>
              <th className="num">{t('research.benchmark')}</th>
              <th className="num">{t('research.m.maxDrawdownPct')}</th>
              <th className="num">{t('research.m.trades')}</th>
              <th>{t('research.created')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid="run-row">
                <td>
                  <input
                    type="checkbox"
                    checked={ticked.includes(r.id)}
                    // runs are compared on one time axis: only runs of the first ticked run's timeframe
                    disabled={!ticked.includes(r.id) && tickedTimeframe !== null && r.timeframe !== tickedTimeframe}
                    title={
                      !ticked.includes(r.id) && tickedTimeframe !== null && r.timeframe !== tickedTimeframe
                        ? t('research.compareOneTimeframe', { timeframe: tickedTimeframe })
                        : undefined
                    }
                    onChange={() => toggle(r.id)}
                    aria-label={r.name}
                  />
                </td>
                <td>
                  {ticked.includes(r.id) ? (
                    <span className="chip-num" style={{ background: PALETTE[ticked.indexOf(r.id) % PALETTE.length] }}>
                      {ticked.indexOf(r.id) + 1}
                    </span>
                  ) : null}{' '}
                  {r.name}
                </td>
                <td className="mono">
                  {r.symbol} · {r.timeframe}
                </td>
                <td className="mono small">
                  {formatDay(lang, r.from)} → {formatDay(lang, r.to)}
                </td>
                <td className="small">
                  {t(`research.templates.${r.strategyLabel}`, { defaultValue: r.strategyLabel })}
                  {r.version && <span className="muted mono"> · {r.version}</span>}
                </td>
                <td className={`num ${r.metrics.totalReturnPct >= 0 ? 'good-text' : 'error-text'}`}>
                  {formatNumber(lang, r.metrics.totalReturnPct, 2)} %
                </td>
                <td className="num muted">{formatNumber(lang, r.benchmark.totalReturnPct, 2)} %</td>
                <td className="num">{formatNumber(lang, r.metrics.maxDrawdownPct, 2)} %</td>
                <td className="num">{r.metrics.trades}</td>
                <td className="small muted">
                  {formatDateTime(lang, r.createdAt, settings?.settings.timeDisplay ?? 'local')}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => request('research.get', { id: r.id }, onOpen)}
                  >
                    {t('research.open')}
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => void remove(r.id)}>
                    {t('research.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {compared && compared.length > 1 && (
        <div className="panel" data-testid="runs-comparison">
          <h2>{t('research.comparison')}</h2>
          <div className="result-grid">
            <MetricsTable columns={compared.map((r, i) => ({ label: `${i + 1}. ${r.name}`, metrics: r.metrics }))} />
            <div className="result-charts">
              <h2>{t('research.equity')} (= 100)</h2>
              <CurveChart curves={curves} height={320} testId="compare-chart" />
            </div>
          </div>
        </div>
      )}
    </>
  );
}
