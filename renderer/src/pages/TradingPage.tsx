// Trading: the strategies the executor trades, their positions and last decisions, the kill
// switch, manual signals, the P&L curves, and the orders and fills with their provenance.
// The panels are in pages/trading/; the data and its events in useTrading.ts.
import { FreqtradeBotPanel } from './trading/FreqtradeBotPanel';
import { errorText } from '../i18n/say';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriftReport } from '../../../core/api/executionContract';
import { PALETTE } from '../components/chartTheme';
import { CurveChart, type Curve } from '../components/CurveChart';
import { LoadError } from '../components/LoadError';
import { useDesk } from '../deskContext';
import { useFormat } from '../useFormat';
import { AddStrategy } from './trading/AddStrategy';
import { DriftPanel } from './trading/DriftPanel';
import { FillsTable } from './trading/FillsTable';
import { OrdersTable } from './trading/OrdersTable';
import { StrategiesTable } from './trading/StrategiesTable';
import { useTrading, type TradingStatus } from './trading/useTrading';

/** Every position sold at market, after a confirmation; says which strategies it asked to exit. */
function CloseAll({ act }: { act(what: () => Promise<unknown>): Promise<void> }) {
  const { t } = useTranslation();
  const { client } = useDesk();
  const [confirming, setConfirming] = useState(false);
  // kept as what happened, worded at each render (the language can change meanwhile)
  const [done, setDone] = useState<{ exits: number; strategies: string[] } | null>(null);
  if (!confirming)
    return (
      <div className="close-all">
        <button
          type="button"
          className="btn"
          onClick={() => {
            setDone(null);
            setConfirming(true);
          }}
          data-testid="close-all"
        >
          {t('trading.closeAll')}
        </button>
        {done && (
          <span className="small muted" data-testid="close-all-done">
            {done.exits === 0
              ? t('trading.closeAllNone')
              : t('trading.closeAllDone', { count: done.exits, list: done.strategies.join(', ') })}
          </span>
        )}
      </div>
    );
  return (
    <div className="close-all confirm">
      <span className="small">{t('trading.closeAllConfirm')}</span>
      <button
        type="button"
        className="btn btn-danger"
        onClick={() =>
          void act(async () => {
            setConfirming(false);
            const r = await client.call('execution.closeAll', { confirm: 'CLOSE ALL' });
            setDone(r);
          })
        }
        data-testid="close-all-confirm"
      >
        {t('trading.closeAllYes')}
      </button>
      <button type="button" className="btn" onClick={() => setConfirming(false)}>
        {t('trading.cancel')}
      </button>
    </div>
  );
}

function TradingHead({
  status,
  act,
}: {
  status: TradingStatus | null;
  act(what: () => Promise<unknown>): Promise<void>;
}) {
  const { t } = useTranslation();
  const { client } = useDesk();
  const { n } = useFormat();
  return (
    <div className="panel trading-head">
      <div className="trading-mode">
        <span className="form-label">{t('trading.mode')}</span>
        {status && status.liveStrategies > 0 ? (
          <span className="badge badge-bad mode-badge" data-testid="trading-mode">
            {t('trading.liveCount', { count: status.liveStrategies })}
          </span>
        ) : (
          <span className="badge badge-busy mode-badge" data-testid="trading-mode">
            {t('trading.paper')}
          </span>
        )}
        <span className="muted small">{t('trading.paperNote')}</span>
      </div>
      {status && (
        <div className="trading-account" data-testid="paper-account">
          <span className="form-label">{t('trading.account')}</span>
          <span className="mono">
            {Object.entries(status.paper.balances)
              .filter(([, v]) => Math.abs(v) > 1e-12)
              .map(([k, v]) => `${k} ${n(v, k === 'USDT' ? 2 : 6)}`)
              .join(' · ')}
          </span>
          <span>
            {t('trading.equity')} <b>{n(status.paper.equity)}</b> USDT
          </span>
        </div>
      )}
      <CloseAll act={act} />
      {status && (
        <button
          type="button"
          title={t('trading.killHelp')}
          className={`btn ${status.killSwitch ? 'btn-danger' : ''}`}
          onClick={() => void act(() => client.call('execution.kill', { on: !status.killSwitch }))}
          data-testid="kill-switch"
        >
          {status.killSwitch ? t('trading.killOn') : t('trading.killSwitch')}
        </button>
      )}
    </div>
  );
}

export function TradingPage() {
  const { t } = useTranslation();
  const { configs, orders, fills, status, equity, reload } = useTrading();
  const [drift, setDrift] = useState<DriftReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const curves = useMemo<Curve[]>(
    () =>
      (equity.data ?? [])
        .filter((e) => e.time.length > 1)
        .map((e, i) => ({
          label: `${e.strategyId} · ${t(`trading.modes.${e.mode}`)}`,
          color: PALETTE[i % PALETTE.length]!,
          time: e.time,
          values: e.pnl,
        })),
    [equity, t],
  );

  /** A change the trader asked for: its failure is shown at the top of the page; the page is read again after it. */
  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
    } catch (err) {
      setError(errorText(t, err));
    }
    reload();
  };

  return (
    <section className="page" data-testid="page-trading">
      <p className="page-subtitle">{t('trading.subtitle')}</p>
      <TradingHead status={status.data} act={act} />
      {status.error && <LoadError message={status.error} onRetry={reload} testId="status-error" />}
      {error && (
        <div className="error-box" data-testid="trading-error">
          {error}
        </div>
      )}
      <div className="panel" data-testid="exec-configs">
        <h2>{t('trading.strategies')}</h2>
        {(configs.data !== null || configs.error) && (
          <StrategiesTable
            configs={configs.data ?? []}
            error={configs.error}
            onRetry={reload}
            killSwitch={status.data?.killSwitch ?? false}
            act={act}
            onDrift={setDrift}
          />
        )}
        <AddStrategy onAdded={reload} />
      </div>
      {drift && <DriftPanel drift={drift} onClose={() => setDrift(null)} />}
      <div className="panel" data-testid="pnl-panel">
        <h2>{t('trading.pnlCurve')}</h2>
        {equity.error && <LoadError message={equity.error} onRetry={reload} />}
        {curves.length === 0 ? (
          <div className="muted small">{t('trading.pnlEmpty')}</div>
        ) : (
          <CurveChart curves={curves} height={220} testId="pnl-chart" />
        )}
      </div>
      <div className="panel" data-testid="orders-panel">
        <h2>{t('trading.orders')}</h2>
        <OrdersTable orders={orders.data ?? []} error={orders.error} onRetry={reload} />
      </div>
      <div className="panel" data-testid="fills-panel">
        <h2>{t('trading.fills')}</h2>
        <FillsTable fills={fills.data ?? []} error={fills.error} onRetry={reload} />
      </div>
      <FreqtradeBotPanel />
    </section>
  );
}
