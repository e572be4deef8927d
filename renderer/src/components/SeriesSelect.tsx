// The one picker of a stored series (symbol and timeframe), used by every form that works on one.
import { useTranslation } from 'react-i18next';
import type { Series } from '../../../core/api/contract';
import { seriesKey } from '../pages/research/seriesOptions';

export function SeriesSelect({
  series,
  value,
  onChange,
  testId,
}: {
  series: readonly Series[];
  value: string;
  onChange(key: string): void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <label>
      <span className="form-label">{t('research.series')}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {series.map((s) => (
          <option key={seriesKey(s)} value={seriesKey(s)}>
            {s.symbol} · {s.timeframe}
          </option>
        ))}
      </select>
    </label>
  );
}
