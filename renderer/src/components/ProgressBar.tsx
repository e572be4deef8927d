import { formatPercent } from '../../../core/format/format';

export function ProgressBar({
  done,
  total,
  label,
  locale,
}: {
  done: number;
  total: number;
  label?: string;
  locale: string;
}) {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      title={label}
    >
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <span className="progress-text">
        {formatPercent(locale, fraction, 0)}
        {label ? ` · ${label}` : ''}
      </span>
    </div>
  );
}
