// Documents of crypto_signals the executor could not read, with the reason: what another
// program wrote against the contract (a ts that is not a date, a pair that is not the symbol's),
// listed where signals are looked at. Each document once, with when it was first and last seen.
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { SkippedSignalView } from '../../../../core/api/signalsContract';
import { formatDateTime, formatInteger } from '../../../../core/format/format';
import { DataTable } from '../../components/DataTable';
import { useDesk } from '../../deskContext';
import { useLoaded } from '../../useLoaded';

export function SkippedSignals() {
  const { t, i18n } = useTranslation();
  const { request, settings } = useDesk();
  const skipped = useLoaded<{ total: number; rows: SkippedSignalView[] }>();
  const load = useCallback(
    () => request('signals.skipped', { limit: 50 }, skipped.ok, skipped.fail),
    [request, skipped.ok, skipped.fail],
  );
  useEffect(() => {
    load();
    const id = window.setInterval(load, 30_000);
    return () => window.clearInterval(id);
  }, [load]);
  const tz = settings?.settings.timeDisplay ?? 'local';
  const when = (ms: number) => formatDateTime(i18n.language, new Date(ms), tz);
  const total = skipped.data?.total ?? 0;
  return (
    <div className="panel" data-testid="skipped-signals">
      <div className="panel-head">
        <h2>{t('signals.skippedTitle')}</h2>
        {total > 0 && (
          <span className="badge badge-bad" data-testid="skipped-count">
            {formatInteger(i18n.language, total)}
          </span>
        )}
      </div>
      <div className="muted small">{t('signals.skippedNote')}</div>
      <DataTable
        rows={skipped.data?.rows ?? []}
        rowKey={(r) => `${r.strategy_id}|${r.pair}|${r.timeframe}|${r.ts}|${r.reason}`}
        error={skipped.error}
        onRetry={load}
        empty={skipped.data ? t('signals.noSkipped') : null}
        columns={[
          {
            key: 'strategy',
            header: t('signals.strategy'),
            sortValue: (r) => r.strategy_id,
            cell: (r) => <span translate="no">{r.strategy_id}</span>,
          },
          { key: 'pair', header: t('signals.pair'), cell: (r) => <span translate="no">{r.pair}</span> },
          { key: 'tf', header: t('market.timeframe'), cell: (r) => <span translate="no">{r.timeframe}</span> },
          {
            key: 'ts',
            header: <span translate="no">ts</span>,
            cell: (r) => (
              <span className="mono" translate="no">
                {r.ts}
              </span>
            ),
          },
          {
            key: 'reason',
            header: t('signals.skippedReason'),
            cell: (r) => (
              <span className="warn-text" translate="no">
                “{r.reason}”
              </span>
            ),
          },
          {
            key: 'first',
            header: t('signals.firstSeen'),
            sortValue: (r) => r.firstSeen,
            cell: (r) => when(r.firstSeen),
          },
          { key: 'last', header: t('signals.lastSeen'), sortValue: (r) => r.lastSeen, cell: (r) => when(r.lastSeen) },
        ]}
      />
    </div>
  );
}
