// What a quality check of a series found: its coverage as a timeline with the gaps marked,
// and the worst gaps, jumps and zero-volume runs, each with a one-click re-fetch.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoverageReport, Series } from '../../../../core/api/contract';
import { formatDateTime, formatInteger, formatPercent } from '../../../../core/format/format';
import { useDesk } from '../../deskContext';

const DAY = 86_400_000;

export function Timeline({ cov }: { cov: CoverageReport }) {
  if (cov.first === null || cov.last === null || cov.last <= cov.first) return null;
  const span = cov.last - cov.first;
  return (
    <svg className="timeline" viewBox="0 0 1000 16" preserveAspectRatio="none" role="img" aria-label="coverage">
      <rect x="0" y="3" width="1000" height="10" rx="2" className="timeline-have" />
      {cov.gaps.map((g) => {
        const x = ((g.from - cov.first!) / span) * 1000;
        const w = Math.max(2, ((g.to - g.from) / span) * 1000);
        return <rect key={g.from} x={x} y="0" width={w} height="16" className="timeline-gap" />;
      })}
    </svg>
  );
}

/** The worst findings of a quality check, each with a one-click re-fetch of its range. */
export function Findings({ s, cov }: { s: Series; cov: CoverageReport }) {
  const { t, i18n } = useTranslation();
  const { request, settings } = useDesk();
  const [busy, setBusy] = useState<string | null>(null);
  const display = settings?.settings.timeDisplay ?? 'local';
  const step = s.timeframe === '1m' ? 60_000 : DAY;
  const when = (ms: number) => formatDateTime(i18n.language, new Date(ms), display);
  const items = [
    ...cov.gaps.slice(0, 3).map((g) => ({
      key: `g${g.from}`,
      text: t('market.gap', { bars: formatInteger(i18n.language, g.bars), from: when(g.from) }),
      from: g.from,
      to: g.to,
    })),
    ...cov.jumps.slice(0, 3).map((j) => ({
      key: `j${j.time}`,
      text: t('market.jump', { change: formatPercent(i18n.language, j.change), time: when(j.time) }),
      from: j.time - 5 * step,
      to: j.time + 5 * step,
    })),
    ...cov.zeroVolumeRuns.slice(0, 3).map((z) => ({
      key: `z${z.from}`,
      text: t('market.zeroRun', { bars: formatInteger(i18n.language, z.bars), from: when(z.from) }),
      from: z.from,
      to: z.to,
    })),
  ];
  const refetch = (key: string, from: number, to: number) => {
    setBusy(key);
    request(
      'market.refetch',
      { symbol: s.symbol, timeframe: s.timeframe, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      () => setBusy(null),
      () => setBusy(null),
    );
  };
  return (
    <div className="findings" data-testid={`findings-${s.symbol}:${s.timeframe}`}>
      <span className="muted small">
        {t('market.quality')}:{' '}
        {cov.jumps.length === 0 && cov.zeroVolumeRuns.length === 0
          ? t('market.clean')
          : `${t('market.jumps', { count: cov.jumps.length })} · ${t('market.zeroRuns', { count: cov.zeroVolumeRuns.length })}`}
      </span>
      {items.map((it) => (
        <div key={it.key} className="finding">
          <span>{it.text}</span>
          <button
            type="button"
            className="btn btn-small"
            disabled={busy === it.key}
            onClick={() => refetch(it.key, it.from, it.to)}
          >
            {busy === it.key ? t('market.refetching') : t('market.refetch')}
          </button>
        </div>
      ))}
    </div>
  );
}
