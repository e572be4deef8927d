// A Freqtrade bot trading our signals, beside our own executor: connect it (its REST API's
// address and password, kept as a secret on the main side), then its state, balance, profit,
// open trades and latest closed trades, each with the signal it acted on.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FreqtradeBotView, FreqtradeTradeView } from '../../../../core/api/freqtradeContract';
import { DataTable } from '../../components/DataTable';
import { LoadError } from '../../components/LoadError';
import { StatusBadge } from '../../components/StatusBadge';
import { useDesk } from '../../deskContext';
import { errorText, say } from '../../i18n/say';
import { useFormat } from '../../useFormat';

const TONE = { connected: 'good', unreachable: 'bad', refused: 'bad', unknown: 'neutral' } as const;

function TradesTable({ trades, testId, empty }: { trades: FreqtradeTradeView[]; testId: string; empty: string }) {
  const { t } = useTranslation();
  const { n, when } = useFormat();
  return (
    <DataTable
      rows={trades}
      rowKey={(x) => String(x.tradeId)}
      rowTestId="ft-trade-row"
      testId={testId}
      empty={empty}
      columns={[
        { key: 'id', header: '#', num: true, cell: (x) => x.tradeId },
        { key: 'pair', header: t('trading.freqtrade.pair'), className: 'mono', cell: (x) => x.pair },
        { key: 'amount', header: t('trading.amount'), num: true, cell: (x) => n(x.amount, 6) },
        { key: 'open', header: t('trading.freqtrade.openRate'), num: true, cell: (x) => n(x.openRate, 2) },
        {
          key: 'opened',
          header: t('trading.freqtrade.opened'),
          className: 'small mono',
          sortValue: (x) => x.openedAt,
          cell: (x) => when(new Date(x.openedAt).toISOString()),
        },
        {
          key: 'close',
          header: t('trading.freqtrade.closeRate'),
          num: true,
          cell: (x) => (x.closeRate === null ? t('common.none') : n(x.closeRate, 2)),
        },
        {
          key: 'profit',
          header: t('trading.freqtrade.profit'),
          num: true,
          className: (x) => ((x.profit ?? 0) >= 0 ? 'good-text' : 'error-text'),
          cell: (x) => (x.profit === null ? t('common.none') : n(x.profit, 2)),
        },
        {
          key: 'signal',
          header: t('trading.freqtrade.signals'),
          className: 'small mono',
          cell: (x) => (
            <span translate="no">
              {x.enterTag ?? t('common.none')}
              {x.exitReason && ` → ${x.exitReason}`}
            </span>
          ),
        },
      ]}
    />
  );
}

export function FreqtradeBotPanel() {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const { n, when } = useFormat();
  const [view, setView] = useState<FreqtradeBotView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [url, setUrl] = useState('http://127.0.0.1:8080');
  const [username, setUsername] = useState('quantdesk');
  const [password, setPassword] = useState('');
  const [strategyId, setStrategyId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
      request(
        'freqtrade.bot',
        {},
        (v) => {
          setView(v);
          setLoadError(null);
        },
        setLoadError,
      ),
    [request],
  );
  useEffect(() => {
    load();
    return client.on('freqtradeChanged', setView);
  }, [client, load]);

  const act = async (what: () => Promise<FreqtradeBotView>) => {
    setBusy(true);
    setError(null);
    try {
      setView(await what());
      setPassword('');
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel" data-testid="freqtrade-bot">
      <div className="panel-head">
        <h2>{t('trading.freqtrade.title')}</h2>
        {view?.configured && (
          <StatusBadge tone={TONE[view.state]} testId="ft-bot-state">
            {t(`trading.freqtrade.state.${view.state}`)}
          </StatusBadge>
        )}
      </div>
      {loadError && <LoadError message={loadError} onRetry={load} />}
      {view && !view.configured && (
        <>
          <div className="muted small">{t('trading.freqtrade.connectNote')}</div>
          <div className="inline-form">
            <label className="grow">
              <span className="form-label">{t('trading.freqtrade.url')}</span>
              <input value={url} onChange={(e) => setUrl(e.target.value)} data-testid="ft-url" />
            </label>
            <label>
              <span className="form-label">{t('trading.freqtrade.username')}</span>
              <input value={username} onChange={(e) => setUsername(e.target.value)} data-testid="ft-username" />
            </label>
            <label>
              <span className="form-label">{t('trading.freqtrade.password')}</span>
              <input
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="off"
                data-testid="ft-password"
              />
            </label>
            <label>
              <span className="form-label">{t('trading.freqtrade.strategyId')}</span>
              <input value={strategyId} onChange={(e) => setStrategyId(e.target.value)} data-testid="ft-strategy-id" />
            </label>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || !password}
              onClick={() =>
                void act(() =>
                  client.call('freqtrade.connect', {
                    url: url.trim(),
                    username,
                    password,
                    strategyId: strategyId.trim() || null,
                  }),
                )
              }
              data-testid="ft-connect"
            >
              {t('trading.freqtrade.connect')}
            </button>
          </div>
        </>
      )}
      {error && (
        <div className="error-box" role="alert" data-testid="ft-connect-error">
          {error}
        </div>
      )}
      {view?.configured && (
        <>
          <div className="kv-inline small">
            <span>
              <span className="muted">{t('trading.freqtrade.url')}</span>{' '}
              <span className="mono" translate="no">
                {view.url}
              </span>
            </span>
            {view.bot && (
              <span translate="no">
                <span className="muted">{t('trading.freqtrade.strategy')}</span> {view.bot.strategy} ·{' '}
                {view.bot.timeframe} · {view.bot.exchange}
              </span>
            )}
            {view.bot && <span>{view.bot.dryRun ? t('trading.freqtrade.dryRun') : t('trading.freqtrade.live')}</span>}
            {view.balance && (
              <span>
                <span className="muted">{t('trading.freqtrade.balance')}</span> {n(view.balance.total, 2)}{' '}
                {view.balance.currency}
              </span>
            )}
            {view.profit && (
              <span data-testid="ft-profit">
                <span className="muted">{t('trading.freqtrade.profitAll')}</span> {n(view.profit.all, 2)} ·{' '}
                {t('trading.freqtrade.tradeCount', { count: view.profit.trades })}
              </span>
            )}
            {view.checkedAt && <span className="muted">{when(view.checkedAt)}</span>}
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              onClick={() => void act(() => client.call('freqtrade.disconnect', {}))}
            >
              {t('trading.freqtrade.disconnect')}
            </button>
          </div>
          {view.state !== 'connected' && (
            <div className="note note-warn small" data-testid="ft-bot-trouble">
              {view.state === 'unknown' ? (
                <>
                  {t('trading.freqtrade.waiting')}{' '}
                  <code translate="no">freqtrade trade --config &lt;folder&gt;/config.json</code>
                </>
              ) : (
                say(t, view.lastError)
              )}
            </div>
          )}
          <h3>{t('trading.freqtrade.openTrades')}</h3>
          <TradesTable trades={view.openTrades} testId="ft-open-trades" empty={t('trading.freqtrade.noOpen')} />
          <h3>{t('trading.freqtrade.closedTrades')}</h3>
          <TradesTable trades={view.closedTrades} testId="ft-closed-trades" empty={t('trading.freqtrade.noClosed')} />
        </>
      )}
    </div>
  );
}
