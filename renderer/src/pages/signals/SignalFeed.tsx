// The newest signals in crypto_signals, whoever wrote them, with age and latency.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignalView } from '../../../../core/api/signalsContract';
import { formatDateTime, formatDay, formatDuration, formatNumber } from '../../../../core/format/format';
import { TIMEFRAME_MS } from '../../../../core/market/timeframes';
import { LoadError } from '../../components/LoadError';
import { useDesk } from '../../deskContext';
import { useNow } from '../../useNow';

export function SignalFeed() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { client, settings, request } = useDesk();
  const now = useNow(5000);
  const [rows, setRows] = useState<SignalView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [strategy, setStrategy] = useState('');
  const [known, setKnown] = useState<string[]>([]);

  const load = useCallback(() => {
    request(
      'signals.recent',
      { limit: 200, ...(strategy && { strategyId: strategy }) },
      (r) => {
        setRows(r);
        setError(null);
        if (!strategy) setKnown([...new Set(r.map((x) => x.strategy_id))].sort());
      },
      // never another filter's rows under this one, and never "no signals" for a feed that did not load
      (message) => {
        setRows(null);
        setError(message);
      },
    );
  }, [request, strategy]);
  useEffect(() => {
    load();
    // New signals arrive with live exports and with every pipeline run.
    const offs = [client.on('signalExported', load), client.on('pipelineChanged', load)];
    const id = window.setInterval(load, 15_000);
    return () => {
      offs.forEach((off) => off());
      window.clearInterval(id);
    };
  }, [client, load]);

  const tz = settings?.settings.timeDisplay ?? 'local';
  const short = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : formatDuration(lang, ms));
  return (
    <div className="panel" data-testid="signal-feed">
      <div className="panel-head">
        <h2>{t('signals.feed')}</h2>
        <select value={strategy} onChange={(e) => setStrategy(e.target.value)} data-testid="feed-strategy">
          <option value="">{t('signals.allStrategies')}</option>
          {known.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="muted small">{t('signals.feedNote')}</div>
      {error && <LoadError message={error} onRetry={load} testId="feed-error" />}
      {rows !== null && rows.length === 0 && <div className="note">{t('signals.noSignals')}</div>}
      {rows !== null && rows.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>{t('signals.bar')}</th>
                <th>{t('signals.strategy')}</th>
                <th>{t('signals.pair')}</th>
                <th>{t('signals.action')}</th>
                <th className="num">{t('signals.weight')}</th>
                <th className="num">{t('signals.age')}</th>
                <th className="num">{t('signals.latency')}</th>
                <th>{t('signals.source')}</th>
                <th>{t('signals.version')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const age = now.getTime() - (r.ts + TIMEFRAME_MS[r.timeframe]);
                const late = r.latency_ms !== null && r.latency_ms > TIMEFRAME_MS[r.timeframe] / 2;
                return (
                  <tr key={`${r.strategy_id}|${r.pair}|${r.timeframe}|${r.ts}`} data-testid="signal-row">
                    <td className="mono small">
                      {r.timeframe === '1d' ? formatDay(lang, r.ts) : formatDateTime(lang, new Date(r.ts), tz)}
                    </td>
                    <td className="mono">{r.strategy_id}</td>
                    <td>
                      {r.pair} <span className="muted">· {r.timeframe}</span>
                    </td>
                    <td>
                      {r.action ? (
                        <span className={`badge ${r.action === 'enter_long' ? 'badge-good' : 'badge-busy'}`}>
                          {r.action}
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="num">
                      {r.weight !== null
                        ? formatNumber(lang, r.weight, 2)
                        : r.score !== null
                          ? formatNumber(lang, r.score, 3)
                          : '—'}
                    </td>
                    <td className="num small">{short(Math.max(0, age))}</td>
                    <td className={`num small ${late ? 'error-text' : ''}`}>
                      {r.latency_ms !== null ? short(r.latency_ms) : '—'}
                    </td>
                    <td className="small muted" translate="no">
                      {r.source ?? '—'}
                    </td>
                    <td className="mono small muted">{r.strategy_version ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
