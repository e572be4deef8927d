// The latest fills: price, fee (in the asset it was paid in), slippage against the decision's
// price and against the signal bar's close, and the time from the signal's bar to the fill.
import { useSay } from '../../i18n/say';
import { useTranslation } from 'react-i18next';
import type { FillView } from '../../../../core/api/executionContract';
import { formatDuration } from '../../../../core/format/format';
import { DataTable } from '../../components/DataTable';
import { useFormat } from '../../useFormat';

export function FillsTable({ fills, error, onRetry }: { fills: FillView[]; error: string | null; onRetry(): void }) {
  const { t } = useTranslation();
  const say = useSay();
  const { n, when, lang } = useFormat();
  return (
    <DataTable
      rows={fills}
      error={error}
      onRetry={onRetry}
      testId="fills-table"
      rowKey={(f) => f.id}
      rowTestId="fill-row"
      scroll
      empty={t('trading.noFills')}
      columns={[
        {
          key: 'time',
          header: t('trading.time'),
          className: 'small mono',
          sortValue: (f) => f.time,
          cell: (f) => when(f.time),
        },
        {
          key: 'strategy',
          header: t('trading.strategyId'),
          className: 'mono small',
          sortValue: (f) => f.strategyId,
          cell: (f) => (
            <>
              {f.strategyId}
              <div className="muted">{f.pair}</div>
            </>
          ),
        },
        { key: 'side', header: t('trading.side'), cell: (f) => t(`words.side.${f.side}`) },
        { key: 'amount', header: t('trading.amount'), num: true, cell: (f) => n(f.amount, 6) },
        { key: 'price', header: t('trading.price'), num: true, cell: (f) => n(f.price) },
        {
          key: 'fee',
          header: t('trading.fee'),
          num: true,
          cell: (f) => (
            <>
              {n(f.fee, 4)} <span className="muted small">{f.feeCurrency}</span>
            </>
          ),
        },
        {
          key: 'slippage',
          header: t('trading.slippage'),
          num: true,
          sortValue: (f) => f.slippageBps,
          className: (f) => (f.slippageBps > 0 ? 'warn-text' : ''),
          cell: (f) => (
            <>
              {t('trading.bps', { value: n(f.slippageBps, 1) })}
              {f.signalSlippageBps !== null && (
                <div className="muted small" title={t('trading.vsBarHint')}>
                  {t('trading.vsBar', { bps: n(f.signalSlippageBps, 1) })}
                </div>
              )}
            </>
          ),
        },
        {
          key: 'latency',
          header: t('trading.latency'),
          num: true,
          className: 'small',
          sortValue: (f) => f.signalToFillMs,
          cell: (f) =>
            f.signalToFillMs < 1000 ? `${Math.round(f.signalToFillMs)} ms` : formatDuration(lang, f.signalToFillMs),
        },
        { key: 'note', header: t('trading.note'), className: 'small muted', cell: (f) => say(f.note) },
      ]}
    />
  );
}
