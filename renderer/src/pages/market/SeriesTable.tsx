// The stored series: bars, first and last bar and gaps (from the index of stored bars, at
// once), "keep up to date" on or off, a quality check whose timeline and findings show under
// its row (or its failure, in the row), and deletion after typing the symbol.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoverageReport, SeriesView } from '../../../../core/api/contract';
import { formatInteger } from '../../../../core/format/format';
import { FROM_FILE } from '../../../../core/market/fileFormats';
import { DataTable } from '../../components/DataTable';
import { useDesk } from '../../deskContext';
import { href } from '../../router';
import { useFormat } from '../../useFormat';
import { Findings, Timeline } from './Findings';

const keyOf = (s: SeriesView) => `${s.symbol}:${s.timeframe}`;

/** What the row shows: a quality check's full read when there is one, else the index's summary. */
function countsOf(s: SeriesView, cov: CoverageReport | undefined) {
  if (cov) return { bars: cov.bars, first: cov.first, last: cov.last, gaps: cov.gapCount, missing: cov.missingBars };
  if (s.stored)
    return {
      bars: s.stored.bars,
      first: s.stored.first,
      last: s.stored.last,
      gaps: s.stored.gaps,
      missing: s.stored.missingBars,
    };
  return null;
}

function DeleteSeries({ s, onDone }: { s: SeriesView; onDone(): void }) {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  if (!open)
    return (
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} data-testid={`delete-${keyOf(s)}`}>
        {t('market.delete')}
      </button>
    );
  return (
    <form
      className="delete-series"
      onSubmit={(e) => {
        e.preventDefault();
        request('market.deleteSeries', { symbol: s.symbol, timeframe: s.timeframe, confirm: typed }, () => {
          setOpen(false);
          onDone();
        });
      }}
    >
      <span className="small">
        {t('market.deleteConfirm', { symbol: s.symbol, bars: formatInteger(i18n.language, s.stored?.bars ?? 0) })}
      </span>
      <input value={typed} onChange={(e) => setTyped(e.target.value)} data-testid={`delete-confirm-${keyOf(s)}`} />
      <button
        type="submit"
        className="btn btn-small btn-danger"
        disabled={typed !== s.symbol}
        data-testid={`delete-yes-${keyOf(s)}`}
      >
        {t('market.deleteYes')}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setOpen(false)}>
        {t('trading.cancel')}
      </button>
    </form>
  );
}

export function SeriesTable({
  series,
  error,
  onChanged,
}: {
  series: SeriesView[];
  /** The list could not be loaded (not the same as nothing stored). */
  error: string | null;
  onChanged(): void;
}) {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const { when } = useFormat();
  const [coverage, setCoverage] = useState<Record<string, CoverageReport>>({});
  const [checking, setChecking] = useState<ReadonlySet<string>>(new Set());
  const [failed, setFailed] = useState<Record<string, string>>({});
  const mark = (key: string, on: boolean) =>
    setChecking((cur) => {
      const next = new Set(cur);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const check = (s: SeriesView) => {
    const key = keyOf(s);
    mark(key, true);
    setFailed(({ [key]: _, ...rest }) => rest);
    request(
      'market.coverage',
      { symbol: s.symbol, timeframe: s.timeframe },
      (c) => {
        setCoverage((cur) => ({ ...cur, [key]: c }));
        mark(key, false);
      },
      (message) => {
        setFailed((cur) => ({ ...cur, [key]: message }));
        mark(key, false);
      },
    );
  };
  const cov = (s: SeriesView): CoverageReport | undefined => coverage[keyOf(s)];
  const int = (v: number) => formatInteger(i18n.language, v);
  return (
    <DataTable
      rows={series}
      rowKey={keyOf}
      rowTestId={(s) => `series-${keyOf(s)}`}
      testId="series-table"
      empty={t('market.noSeries')}
      error={error}
      onRetry={onChanged}
      expanded={(s) => {
        const c = cov(s);
        const error = failed[keyOf(s)];
        if (error)
          return (
            <div className="error-text small" data-testid={`check-failed-${keyOf(s)}`}>
              {t('market.checkFailed', { message: error })}
            </div>
          );
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
          header: t('market.auto'),
          title: t('market.autoHelp'),
          cell: (s) =>
            s.deleting ? (
              <span className="badge badge-busy">{t('market.deleting')}</span>
            ) : (
              <input
                type="checkbox"
                checked={s.auto}
                disabled={s.exchange === FROM_FILE}
                aria-label={t('market.auto')}
                onChange={(e) =>
                  request(
                    'market.keepCurrent',
                    { symbol: s.symbol, timeframe: s.timeframe, on: e.target.checked },
                    onChanged,
                  )
                }
                data-testid={`auto-${keyOf(s)}`}
              />
            ),
        },
        {
          key: 'bars',
          header: t('market.bars'),
          num: true,
          sortValue: (s) => countsOf(s, cov(s))?.bars ?? null,
          cell: (s) => {
            const n = countsOf(s, cov(s));
            return n ? int(n.bars) : <span className="muted small">{t('market.unknownCount')}</span>;
          },
        },
        {
          key: 'first',
          header: t('market.first'),
          cell: (s) => {
            const first = countsOf(s, cov(s))?.first;
            return first ? when(first) : '—';
          },
        },
        {
          key: 'last',
          header: t('market.last'),
          sortValue: (s) => countsOf(s, cov(s))?.last ?? null,
          cell: (s) => {
            const last = countsOf(s, cov(s))?.last;
            return last ? when(last) : '—';
          },
        },
        {
          key: 'gaps',
          header: t('market.gaps'),
          cell: (s) => {
            const n = countsOf(s, cov(s));
            if (!n) return '—';
            return n.missing === 0 ? (
              <span className="good-text">{t('market.noGaps')}</span>
            ) : (
              <span className="warn-text">{`${n.gaps} · ${t('market.missing', { count: n.missing })}`}</span>
            );
          },
        },
        {
          key: 'actions',
          header: '',
          className: 'actions',
          cell: (s) =>
            s.deleting ? null : (
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
                <DeleteSeries s={s} onDone={onChanged} />
              </>
            ),
        },
      ]}
    />
  );
}
