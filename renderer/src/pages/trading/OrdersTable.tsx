// The latest orders: when, which strategy, side and mode, amounts, prices, status, the signal
// bar that caused each, and why it ended as it did.
import { useSay } from '../../i18n/say';
import { useTranslation } from 'react-i18next';
import type { OrderView } from '../../../../core/api/executionContract';
import { DataTable } from '../../components/DataTable';
import { useFormat } from '../../useFormat';

const statusTone = (s: OrderView['status']) =>
  s === 'filled' ? 'badge-good' : s === 'rejected' || s === 'lost' || s === 'expired' ? 'badge-bad' : 'badge-neutral';

export function OrdersTable({
  orders,
  error,
  onRetry,
}: {
  orders: OrderView[];
  error: string | null;
  onRetry(): void;
}) {
  const { t } = useTranslation();
  const say = useSay();
  const { n, when } = useFormat();
  return (
    <DataTable
      rows={orders}
      error={error}
      onRetry={onRetry}
      testId="orders-table"
      rowKey={(o) => o.clientOrderId}
      rowTestId="order-row"
      scroll
      empty={t('trading.noOrders')}
      columns={[
        {
          key: 'time',
          header: t('trading.time'),
          className: 'small mono',
          sortValue: (o) => o.createdAt,
          cell: (o) => when(o.createdAt),
        },
        {
          key: 'strategy',
          header: t('trading.strategyId'),
          className: 'mono small',
          sortValue: (o) => o.strategyId,
          cell: (o) => (
            <>
              {o.strategyId}
              <div className="muted">{o.pair}</div>
            </>
          ),
        },
        {
          key: 'side',
          header: t('trading.side'),
          cell: (o) => (
            <>
              <span className={`badge ${o.side === 'buy' ? 'badge-good' : 'badge-busy'}`}>
                {t(`words.side.${o.side}`)}
              </span>{' '}
              <span className={`small ${o.mode === 'live' ? 'error-text' : 'muted'}`}>
                {t(`trading.modes.${o.mode}`)}
              </span>
              {o.manual && <div className="small muted">{t('trading.manual')}</div>}
            </>
          ),
        },
        { key: 'amount', header: t('trading.amount'), num: true, cell: (o) => n(o.amount, 6) },
        { key: 'filled', header: t('trading.filled'), num: true, cell: (o) => n(o.filled, 6) },
        { key: 'ref', header: t('trading.refPrice'), num: true, cell: (o) => n(o.refPrice) },
        { key: 'avg', header: t('trading.avgPrice'), num: true, cell: (o) => n(o.avgPrice) },
        {
          key: 'status',
          header: t('trading.status'),
          sortValue: (o) => o.status,
          cell: (o) => (
            <span className={`badge ${statusTone(o.status)}`}>
              {t(`trading.statuses.${o.status}`, { defaultValue: o.status })}
            </span>
          ),
        },
        { key: 'bar', header: t('trading.signalBar'), className: 'small mono', cell: (o) => when(o.signalTs) },
        { key: 'reason', header: t('trading.reason'), className: 'small muted', cell: (o) => say(o.reason) },
      ]}
    />
  );
}
