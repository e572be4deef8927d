// Metrics of one or more runs side by side (strategy vs buy-and-hold, or runs compared).
// Annualised figures on windows too short to mean anything are not shown as numbers.
import { useTranslation } from 'react-i18next';
import type { MetricsView } from '../../../../core/api/researchContract';
import { formatDuration, formatInteger, formatNumber } from '../../../../core/format/format';

const ROWS = [
  'totalReturnPct',
  'annualReturnPct',
  'annualVolatilityPct',
  'sharpe',
  'sortino',
  'calmar',
  'maxDrawdownPct',
  'maxDrawdownDurationMs',
  'trades',
  'winRatePct',
  'profitFactor',
  'expectancy',
  'averageTradePct',
  'exposurePct',
  'switches',
  'stops',
  'fees',
  'turnover',
  'finalEquity',
] as const;
type Row = (typeof ROWS)[number];
const ANNUALISED: ReadonlySet<Row> = new Set(['annualReturnPct', 'annualVolatilityPct', 'sharpe', 'sortino', 'calmar']);
const PERCENT: ReadonlySet<Row> = new Set([
  'totalReturnPct',
  'annualReturnPct',
  'annualVolatilityPct',
  'maxDrawdownPct',
  'winRatePct',
  'averageTradePct',
  'exposurePct',
]);
/** Rows where a higher figure is better (coloured when it beats the first column). */
const SIGNED: ReadonlySet<Row> = new Set(['totalReturnPct', 'annualReturnPct', 'averageTradePct', 'expectancy']);

export function MetricsTable({ columns }: { columns: { label: string; metrics: MetricsView }[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const cell = (row: Row, m: MetricsView) => {
    if (ANNUALISED.has(row) && m.annualisedUnreliable)
      return (
        <span className="muted" title={t('research.shortWindow')}>
          — <span className="small">({t('research.shortWindow')})</span>
        </span>
      );
    const v = m[row];
    if (v === null) return '∞';
    if (row === 'maxDrawdownDurationMs') return formatDuration(lang, v);
    if (row === 'trades' || row === 'switches' || row === 'stops') return formatInteger(lang, v);
    const text = PERCENT.has(row) ? `${formatNumber(lang, v, 2)} %` : formatNumber(lang, v, 2);
    if (SIGNED.has(row)) return <span className={v > 0 ? 'good-text' : v < 0 ? 'error-text' : ''}>{text}</span>;
    return text;
  };
  return (
    <table className="table metrics-table" data-testid="metrics-table">
      <thead>
        <tr>
          <th>{t('research.metric')}</th>
          {columns.map((c) => (
            <th key={c.label} className="num">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ROWS.map((row) => (
          <tr key={row} data-testid={`metric-${row}`}>
            <td>{t(`research.m.${row}`)}</td>
            {columns.map((c) => (
              <td key={c.label} className="num">
                {cell(row, c.metrics)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
