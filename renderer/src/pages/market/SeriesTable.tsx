// The stored series: bars, first and last bar, gaps, and "keep up to date"; a quality check
// per series shows its coverage timeline and findings under its row.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoverageReport, Series } from '../../../../core/api/contract';
import { formatInteger } from '../../../../core/format/format';
import { DataTable } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { useDesk } from '../../deskContext';
import { href } from '../../router';
import { useFormat } from '../../useFormat';
import { Findings, Timeline } from './Findings';

const keyOf = (s: Series) => `${s.symbol}:${s.timeframe}`;

export function SeriesTable({ series }: { series: Series[] }) {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const { when } = useFormat();
  const [coverage, setCoverage] = useState<Record<string, CoverageReport>>({});
  const [checking, setChecking] = useState<ReadonlySet<string>>(new Set());
  const mark = (key: string, on: boolean) =>
    setChecking((cur) => {
      const next = new Set(cur);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const check = (s: Series) => {
    const key = keyOf(s);
    mark(key, true);
    request(
      'market.coverage',
      { symbol: s.symbol, timeframe: s.timeframe },
      (c) => {
        setCoverage((cur) => ({ ...cur, [key]: c }));
        mark(key, false);
      },
      () => mark(key, false),
    );
  };
  const cov = (s: Series): CoverageReport | undefined => coverage[keyOf(s)];
  return (
    <DataTable
      rows={series}
      rowKey={keyOf}
      rowTestId={(s) => `series-${keyOf(s)}`}
      empty={t('market.noSeries')}
      expanded={(s) => {
        const c = cov(s);
        return c && c.first !== null ? (
          <>
            <Timeline cov={c} />
            <Findings s={s} cov={c} />
          </>
        ) : null;
      }}
      columns={[
        {
          key: 'symbol',
          header: t('market.symbol'),
          className: 'mono',
          sortValue: (s) => s.symbol,
          cell: (s) => s.symbol,
        },
        { key: 'tf', header: t('market.timeframe'), sortValue: (s) => s.timeframe, cell: (s) => s.timeframe },
        {
          key: 'auto',
          header: '',
          cell: (s) =>
            s.auto ? <StatusBadge tone="good">{t('market.auto')}</StatusBadge> : <span className="muted">—</span>,
        },
        {
          key: 'bars',
          header: t('market.bars'),
          num: true,
          sortValue: (s) => cov(s)?.bars ?? null,
          cell: (s) => (cov(s) ? formatInteger(i18n.language, cov(s)!.bars) : '—'),
        },
        { key: 'first', header: t('market.first'), cell: (s) => (cov(s)?.first ? when(cov(s)!.first!) : '—') },
        { key: 'last', header: t('market.last'), cell: (s) => (cov(s)?.last ? when(cov(s)!.last!) : '—') },
        {
          key: 'gaps',
          header: t('market.gaps'),
          cell: (s) => {
            const c = cov(s);
            if (!c) return '—';
            return c.missingBars === 0 ? (
              <span className="good-text">{t('market.noGaps')}</span>
            ) : (
              <span className="warn-text">{`${c.gapCount} · ${t('market.missing', { count: c.missingBars })}`}</span>
            );
          },
        },
        {
          key: 'actions',
          header: '',
          className: 'actions',
          cell: (s) => (
            <>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => check(s)}
                disabled={checking.has(keyOf(s))}
                data-testid={`check-${keyOf(s)}`}
              >
                {checking.has(keyOf(s)) ? t('market.checking') : t('market.check')}
              </button>
              <a
                className="btn btn-small"
                href={`${href('charts')}?symbol=${encodeURIComponent(s.symbol)}&tf=${s.timeframe}`}
              >
                {t('market.chart')}
              </a>
            </>
          ),
        },
      ]}
    />
  );
}
