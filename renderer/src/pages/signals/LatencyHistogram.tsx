// Export latency as a histogram against its budget: ten bins up to the budget, one beyond.
import { useTranslation } from 'react-i18next';
import type { LatencyStats } from '../../../../core/api/signalsContract';
import { formatDuration } from '../../../../core/format/format';

export function LatencyHistogram({ stats }: { stats: LatencyStats[number] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const d = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(lang, ms));
  const w = 440;
  const h = 120;
  const bw = w / stats.histogram.length;
  const max = Math.max(1, ...stats.histogram);
  return (
    <div className="latency" data-testid={`latency-${stats.timeframe}`}>
      <div className="small">
        <b>{stats.timeframe}</b> ·{' '}
        {t('signals.latencyStats', {
          count: stats.count,
          p50: d(stats.p50),
          p99: d(stats.p99),
          max: d(stats.max),
          breaches: stats.breaches,
        })}
      </div>
      <svg viewBox={`0 0 ${w} ${h + 18}`} width={w} height={h + 18} role="img" aria-label={t('signals.latencyTitle')}>
        {stats.histogram.map((n, i) => {
          const bh = (n / max) * h;
          return (
            <rect
              key={i}
              x={i * bw + 1}
              y={h - bh}
              width={bw - 2}
              height={bh}
              rx={2}
              className={i === stats.histogram.length - 1 ? 'hist-over' : 'hist-bar'}
            >
              <title>{n}</title>
            </rect>
          );
        })}
        <line x1={w - bw} x2={w - bw} y1={0} y2={h} className="hist-budget" />
        <text x={w - bw - 4} y={10} textAnchor="end" className="hist-label">
          {t('signals.budget', { budget: d(stats.budgetMs) })}
        </text>
        <text x={0} y={h + 14} className="hist-label">
          0
        </text>
        <text x={w - bw} y={h + 14} textAnchor="middle" className="hist-label">
          {d(stats.budgetMs)}
        </text>
      </svg>
    </div>
  );
}
