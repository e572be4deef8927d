// The imports of this session: each series' state, progress (bars done of bars to fetch), what
// it stored when it ended, its error, and a cancel button while it runs.
import { useTranslation } from 'react-i18next';
import type { SeriesView, WorkerStatus } from '../../../../core/api/contract';
import { formatDay, formatInteger } from '../../../../core/format/format';
import { DataTable } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { useDesk } from '../../deskContext';
import { say } from '../../i18n/say';
import { ImportProgress, ImportState, isRunning, partsOf } from './ImportState';

export function ImportsTable({ imports, series }: { imports: WorkerStatus[]; series: SeriesView[] }) {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const int = (v: number) => formatInteger(i18n.language, v);
  const day = (ms: number) => formatDay(i18n.language, ms);
  const total = (w: WorkerStatus) => {
    const { symbol, tf } = partsOf(w);
    return series.find((s) => s.symbol === symbol && s.timeframe === tf)?.stored?.bars ?? null;
  };
  /** What an ended job did: bars removed, or bars stored (with the series' total after a refresh). */
  const outcome = (w: WorkerStatus) => {
    if (w.job === 'deleteSeries')
      return typeof w.detail.removed === 'number' ? t('market.removed', { removed: int(w.detail.removed) }) : null;
    if (typeof w.detail.stored !== 'number') return null;
    const n = total(w);
    return n !== null && n > w.detail.stored
      ? t('market.doneOf', { stored: int(w.detail.stored), total: int(n) })
      : t('market.done', { stored: int(w.detail.stored) });
  };
  return (
    <DataTable
      rows={imports}
      rowKey={(w) => w.name}
      rowTestId={(w) => `${w.job === 'deleteSeries' ? 'deletion' : 'import'}-${partsOf(w).symbol}:${partsOf(w).tf}`}
      empty={t('market.noImports')}
      columns={[
        { key: 'symbol', header: t('market.symbol'), className: 'mono', cell: (w) => partsOf(w).symbol },
        { key: 'tf', header: t('market.timeframe'), cell: (w) => partsOf(w).tf },
        {
          key: 'state',
          header: t('market.state'),
          cell: (w) =>
            w.job === 'deleteSeries' && w.state !== 'crashed' ? (
              <StatusBadge tone={w.state === 'stopped' ? 'neutral' : 'busy'}>
                {w.state === 'stopped' ? t('market.deleted') : t('market.deleting')}
              </StatusBadge>
            ) : (
              <ImportState w={w} />
            ),
        },
        {
          key: 'progress',
          header: t('market.progress'),
          className: 'wide',
          cell: (w) => (
            <>
              <ImportProgress w={w} label={say(t, w.progress?.label)} />
              {!isRunning(w) && outcome(w) && <span className="muted small">{outcome(w)}</span>}
              {!isRunning(w) && typeof w.detail.historyFrom === 'number' && typeof w.detail.askedFrom === 'number' && (
                <div className="warn-text small" data-testid="import-history-from">
                  {t('market.historyFrom', { from: day(w.detail.historyFrom), asked: day(w.detail.askedFrom) })}
                </div>
              )}
              {w.lastError && <div className="error-text small">{w.lastError}</div>}
            </>
          ),
        },
        {
          key: 'cancel',
          header: '',
          cell: (w) =>
            isRunning(w) &&
            w.job === 'import' && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => request('market.import.cancel', { name: w.name }, () => undefined)}
              >
                {t('market.cancel')}
              </button>
            ),
        },
      ]}
    />
  );
}
