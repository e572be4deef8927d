// The acceptance run (A1 in docs/ARCHITECTURE.md) on the Monitor page: did the last simulated days of
// paper trading end clean, and how far was the paper equity from the backtest of the same
// signals? Figures, what failed if anything, and both curves.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcceptanceReport } from '../../../../core/api/acceptanceContract';
import { formatDateTime } from '../../../../core/format/format';
import { CurveChart, type Curve } from '../../components/CurveChart';
import { PALETTE } from '../../components/chartTheme';
import { useDesk } from '../../deskContext';

const pct = (v: number) => `${v.toFixed(3)} %`;

function Figures({ r }: { r: AcceptanceReport }) {
  const { t } = useTranslation();
  const f = r.figures;
  const rows: [string, string, boolean][] = [
    [t('acceptance.simDays'), f.sim_days.toFixed(2), true],
    [t('acceptance.errors'), String(f.errors), f.errors === 0],
    [
      t('acceptance.reconDiffs'),
      `${f.recon_diffs} / ${t('acceptance.reconRuns', { runs: f.recon_runs })}`,
      f.recon_diffs === 0,
    ],
    [t('acceptance.lateSignals'), `${f.late_signals} / ${f.signals}`, f.late_signals === 0],
    [
      t('acceptance.maxConsume'),
      t('acceptance.maxConsumeValue', { ms: Math.round(f.max_consume_ms), budget: f.budget_ms / 1000 }),
      f.max_consume_ms <= f.budget_ms,
    ],
    [t('acceptance.paperReturn'), pct(f.paper_return_pct), true],
    [t('acceptance.backtestReturn'), pct(f.backtest_return_pct), true],
    [
      t('acceptance.equityGap'),
      t('acceptance.equityGapValue', { gap: pct(f.equity_gap_pct), costs: pct(f.costs_pct) }),
      f.equity_gap_pct <= f.costs_pct,
    ],
    [t('acceptance.orders'), String(f.orders), true],
  ];
  return (
    <table className="table metrics-table" data-testid="acceptance-figures">
      <tbody>
        {rows.map(([label, value, ok]) => (
          <tr key={label}>
            <td>{label}</td>
            <td className={`num ${ok ? '' : 'error-text'}`}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AcceptanceReports() {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const [reports, setReports] = useState<AcceptanceReport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    request('acceptance.reports', { limit: 5 }, setReports, setError);
  }, [request]);
  const last = reports?.[0] ?? null;
  const curves = useMemo<Curve[]>(
    () =>
      last
        ? [
            { label: t('acceptance.paper'), color: PALETTE[0]!, time: last.curve.time, values: last.curve.paper },
            {
              label: t('acceptance.backtest'),
              color: PALETTE[1]!,
              time: last.curve.time,
              values: last.curve.backtest,
              dashed: true,
            },
          ]
        : [],
    [last, t],
  );
  return (
    <div className="panel" data-testid="acceptance-panel">
      <h2>{t('acceptance.title')}</h2>
      <p className="muted small">{t('acceptance.note')}</p>
      {error && <div className="error-text small">{error}</div>}
      {reports === null && !error && <div className="muted small">{t('common.loading')}</div>}
      {reports?.length === 0 && (
        <div className="muted small" data-testid="acceptance-empty">
          {t('acceptance.empty')} <code translate="no">npm run faults -- A1</code>
        </div>
      )}
      {last && (
        <>
          <div className="small">
            <span className={last.passed ? 'good-text' : 'error-text'} data-testid="acceptance-verdict">
              {last.passed ? t('acceptance.passed') : t('acceptance.failed')}
            </span>{' '}
            <span className="muted">
              {t('acceptance.window', {
                from: formatDateTime(i18n.language, last.simFrom, 'utc'),
                to: formatDateTime(i18n.language, last.simTo, 'utc'),
                at: formatDateTime(i18n.language, last.at, 'local'),
              })}
            </span>
          </div>
          {last.failures.length > 0 && (
            <ul className="warnings">
              {last.failures.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          )}
          <Figures r={last} />
          {last.curve.time.length > 1 && <CurveChart curves={curves} height={220} testId="acceptance-chart" />}
          {reports!.length > 1 && (
            <div className="muted small">
              {t('acceptance.earlier')}{' '}
              {reports!.slice(1).map((r) => (
                <span key={r.id} className={r.passed ? 'good-text' : 'error-text'}>
                  {formatDateTime(i18n.language, r.at, 'local')} (
                  {r.passed ? t('acceptance.passed') : t('acceptance.failed')}){' '}
                </span>
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}
