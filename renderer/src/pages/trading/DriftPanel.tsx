// The drift report of one strategy: its real fills beside a backtest of the same signals over
// the same bars, in totals and fill by fill.
import { Warnings } from '../../components/Warnings';
import { useTranslation } from 'react-i18next';
import type { DriftReport } from '../../../../core/api/executionContract';
import { DataTable } from '../../components/DataTable';
import { useFormat } from '../../useFormat';

type DriftFill = DriftReport['fills'][number];

export function DriftPanel({ drift, onClose }: { drift: DriftReport; onClose(): void }) {
  const { t } = useTranslation();
  const { n, when } = useFormat();
  const totals = [
    { key: 'pnl', label: t('trading.pnl'), actual: n(drift.actual.pnl), backtest: n(drift.backtest.pnl) },
    {
      key: 'fills',
      label: t('trading.fills'),
      actual: String(drift.actual.fills),
      backtest: String(drift.backtest.fills),
    },
    { key: 'fees', label: t('trading.fee'), actual: n(drift.actual.fees), backtest: n(drift.backtest.fees) },
  ];
  return (
    <div className="panel" data-testid="drift-panel">
      <div className="panel-head">
        <h2>{t('trading.driftTitle', { strategy: drift.strategyId, mode: drift.mode })}</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="muted small">
        {t('trading.driftNote', { from: when(drift.from), to: when(drift.to), bars: drift.bars })}
      </div>
      <Warnings items={drift.warnings} />
      <DataTable
        className="metrics-table"
        rows={totals}
        rowKey={(r) => r.key}
        empty={null}
        columns={[
          { key: 'label', header: '', cell: (r) => r.label },
          { key: 'actual', header: t('trading.actual'), num: true, cell: (r) => r.actual },
          { key: 'backtest', header: t('trading.backtest'), num: true, cell: (r) => r.backtest },
        ]}
      />
      <DataTable<DriftFill>
        rows={drift.fills}
        rowKey={(f) => `${f.time}-${f.side}`}
        empty={null}
        columns={[
          {
            key: 'time',
            header: t('trading.time'),
            className: 'small mono',
            sortValue: (f) => f.time,
            cell: (f) => when(f.time),
          },
          { key: 'side', header: t('trading.side'), cell: (f) => t(`words.side.${f.side}`) },
          { key: 'price', header: t('trading.price'), num: true, cell: (f) => n(f.price) },
          { key: 'backtest', header: t('trading.backtest'), num: true, cell: (f) => n(f.backtestPrice) },
          {
            key: 'diff',
            header: t('trading.slippage'),
            num: true,
            sortValue: (f) => f.diffBps,
            className: (f) => (f.diffBps !== null && f.diffBps > 0 ? 'warn-text' : ''),
            cell: (f) => (f.diffBps === null ? '—' : `${n(f.diffBps, 1)} bps`),
          },
        ]}
      />
    </div>
  );
}
