// Reconciliation: for each account the executor trades, our records beside the account's,
// differences highlighted, and a decision for each (adopt, ignore, close / cancel).
import { BotReconPanel } from './recon/BotReconPanel';
import { errorText } from '../i18n/say';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReconReportView } from '../../../core/api/executionContract';
import { formatDateTime, formatNumber } from '../../../core/format/format';
import { useDesk } from '../deskContext';

type Diff = ReconReportView['differences'][number];

function describe(d: Diff, n: (v: number, digits?: number) => string): string {
  switch (d.kind) {
    case 'unknown-order':
      return `${d.exchange.side} ${n(d.exchange.amount, 6)} ${d.pair} · #${d.exchange.id}${d.exchange.clientOrderId ? ` · ${d.exchange.clientOrderId}` : ''}`;
    case 'missing-order':
      return `${d.ours.side} ${n(d.ours.amount, 6)} ${d.pair} · ${d.ours.clientOrderId} (${d.ours.status})`;
    case 'unknown-fill':
      return `${d.exchange.side} ${n(d.exchange.amount, 6)} ${d.pair} @ ${n(d.exchange.price)} · trade #${d.exchange.id}`;
    case 'missing-fill':
      return `${d.ours.side} ${n(d.ours.amount, 6)} ${d.pair} @ ${n(d.ours.price)} · ${d.ours.tradeId}`;
    case 'position-mismatch':
      return `${d.pair}: ours ${n(d.ours, 6)} · account ${n(d.exchange, 6)}`;
  }
}

export function ReconciliationPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { client, settings } = useDesk();
  const [reports, setReports] = useState<ReconReportView[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const n = (v: number, digits = 2) => formatNumber(lang, v, digits);

  const run = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      setReports(await client.call('recon.run', {}));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  }, [client]);
  useEffect(() => {
    void run();
    return client.on('reconciled', (r) =>
      setReports((cur) => [...(cur ?? []).filter((x) => !(x.mode === r.mode && x.account === r.account)), r]),
    );
  }, [client, run]);

  const decide = async (r: ReconReportView, key: string, decision: 'ignore' | 'adopt' | 'close') => {
    setError(null);
    try {
      const next = await client.call('recon.decide', { mode: r.mode, account: r.account, key, decision });
      setReports((cur) => (cur ?? []).map((x) => (x.mode === r.mode && x.account === r.account ? next : x)));
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <section className="page" data-testid="page-reconciliation">
      <p className="page-subtitle">{t('recon.subtitle')}</p>
      <div className="form-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void run()}
          data-testid="recon-run"
        >
          {busy ? t('recon.running') : t('recon.run')}
        </button>
      </div>
      {error && <div className="error-box">{error}</div>}
      {reports !== null && reports.length === 0 && (
        <div className="note" data-testid="recon-empty">
          {t('recon.noAccounts')}
        </div>
      )}
      {reports?.map((r) => {
        const assets = [...new Set(r.pairs.flatMap((p) => p.split('/')))];
        return (
          <div
            key={`${r.mode}:${r.account}`}
            className={`panel ${r.differences.length || r.error ? 'panel-bad' : 'panel-good'}`}
            data-testid={`recon-${r.mode}-${r.account}`}
          >
            <div className="panel-head">
              <h2>
                <span className={`badge ${r.mode === 'live' ? 'badge-bad' : 'badge-busy'}`}>
                  {t(`trading.${r.mode}`)}
                </span>{' '}
                {r.mode === 'paper'
                  ? t('trading.account')
                  : t(`market.exchanges.${r.account}`, { defaultValue: r.account })}
              </h2>
              <span className="small muted">
                {t('recon.lastRun', { when: formatDateTime(lang, r.at, settings?.settings.timeDisplay ?? 'local') })} ·{' '}
                <b className={r.differences.length ? 'error-text' : 'good-text'} data-testid="recon-count">
                  {r.differences.length ? t('recon.differences', { count: r.differences.length }) : t('recon.clean')}
                </b>
              </span>
            </div>
            {r.error && <div className="error-box">{t('recon.error', { message: r.error })}</div>}
            <div className="grid-2 recon-sides">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('recon.ours')}</th>
                    <th className="num">{t('recon.position')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.pairs.map((p) => (
                    <tr key={p}>
                      <td>{p}</td>
                      <td
                        className={`num ${r.differences.some((d) => d.kind === 'position-mismatch' && d.pair === p) ? 'error-text' : ''}`}
                      >
                        {n(r.ours.positions[p] ?? 0, 6)}
                      </td>
                    </tr>
                  ))}
                  <tr>
                    <td className="muted">{t('recon.openOrders')}</td>
                    <td className="num">{r.ours.openOrders}</td>
                  </tr>
                  <tr>
                    <td className="muted">{t('recon.fills')}</td>
                    <td className="num">{r.ours.fills}</td>
                  </tr>
                </tbody>
              </table>
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('recon.theirs')}</th>
                    <th className="num">{t('recon.balance')}</th>
                  </tr>
                </thead>
                <tbody>
                  {assets.map((a) => (
                    <tr key={a}>
                      <td>{a}</td>
                      <td className="num">{n(r.exchange.balances[a] ?? 0, 6)}</td>
                    </tr>
                  ))}
                  <tr>
                    <td className="muted">{t('recon.openOrders')}</td>
                    <td className="num">{r.exchange.openOrders}</td>
                  </tr>
                  <tr>
                    <td className="muted">{t('recon.trades')}</td>
                    <td className="num">{r.exchange.trades}</td>
                  </tr>
                </tbody>
              </table>
            </div>
            {r.differences.length > 0 && (
              <table className="table recon-diffs">
                <tbody>
                  {r.differences.map((d) => (
                    <tr key={d.key} data-testid="recon-diff">
                      <td className="error-text">{t(`recon.kind.${d.kind}`)}</td>
                      <td className="mono small">{describe(d, n)}</td>
                      <td className="actions">
                        {d.kind === 'unknown-fill' && (
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => void decide(r, d.key, 'adopt')}
                          >
                            {t('recon.adopt')}
                          </button>
                        )}
                        {(d.kind === 'unknown-order' || (d.kind === 'position-mismatch' && d.exchange > d.ours)) && (
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => void decide(r, d.key, 'close')}
                          >
                            {t('recon.close')}
                          </button>
                        )}
                        <button type="button" className="btn btn-small" onClick={() => void decide(r, d.key, 'ignore')}>
                          {t('recon.ignore')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        );
      })}
      <BotReconPanel />
    </section>
  );
}
