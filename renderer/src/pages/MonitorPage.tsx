// Monitor: can the trader leave the desk? Health of every part, the last signal of each
// strategy, the alerts (acknowledged here), and the channels they are delivered to.
import { errorText } from '../i18n/say';
import { say } from '../i18n/say';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alert, ChannelView, SignalView } from '../../../core/api/signalsContract';
import { formatAge, formatAgo, formatDateTime, formatInteger } from '../../../core/format/format';
import { TIMEFRAME_MS } from '../../../core/market/timeframes';
import { StatusBadge } from '../components/StatusBadge';
import { NotificationSwitch } from '../components/DesktopNotifications';
import { LoadError } from '../components/LoadError';
import { useDesk } from '../deskContext';
import { useLoaded } from '../useLoaded';
import { useNow } from '../useNow';
import { AcceptanceReports } from './monitor/AcceptanceReports';
import { dbTone, workerTone } from './healthTones';
import { DatabaseTrend, ExchangeTiles, FreshnessPanel, WorkerTrend, useHealthWatch } from './monitor/HealthWatchTiles';
import { MetricsPanel } from './monitor/MetricsPanel';
import { SimTroublePanel } from './monitor/SimTroublePanel';

function Channels() {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const [channels, setChannels] = useState<ChannelView[] | null>(null);
  const [name, setName] = useState('');
  const [format, setFormat] = useState<'json' | 'slack' | 'telegram' | 'email'>('json');
  const [url, setUrl] = useState('');
  const [chatId, setChatId] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const load = useCallback(() => {
    request('alerts.channels', {}, setChannels, (text) => setMessage({ ok: false, text }));
  }, [request]);
  useEffect(load, [load]);
  const run = async (what: () => Promise<string>) => {
    setMessage(null);
    try {
      setMessage({ ok: true, text: await what() });
    } catch (err) {
      setMessage({ ok: false, text: errorText(t, err) });
    }
    load();
  };
  return (
    <div className="panel" data-testid="alert-channels">
      <h2>{t('monitor.channels')}</h2>
      <p className="muted small">{t('monitor.channelsNote')}</p>
      {channels?.length === 0 && <div className="muted small">{t('monitor.noChannels')}</div>}
      {channels && channels.length > 0 && (
        <table className="table">
          <tbody>
            {channels.map((c) => (
              <tr key={c.id} data-testid={`channel-${c.name}`}>
                <td>{c.name}</td>
                <td className="muted">{c.format}</td>
                <td className="mono small">{c.host}</td>
                <td className="small">
                  {c.lastDelivery ? (
                    <span className={c.lastDelivery.ok ? 'good-text' : 'error-text'}>
                      {t('monitor.lastDelivery')}:{' '}
                      {c.lastDelivery.ok ? `HTTP ${c.lastDelivery.status}` : c.lastDelivery.error}
                    </span>
                  ) : (
                    ''
                  )}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() =>
                      void run(async () => {
                        const d = await client.call('alerts.testChannel', { id: c.id });
                        if (!d.ok) throw new Error(d.error ?? '');
                        return `${c.name}: HTTP ${d.status}`;
                      })
                    }
                  >
                    {t('monitor.test')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() =>
                      void run(async () => {
                        await client.call('alerts.removeChannel', { id: c.id });
                        return '';
                      })
                    }
                  >
                    {t('monitor.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await client.call('alerts.addChannel', {
              name: name.trim(),
              format,
              url: url.trim(),
              chatId: format === 'telegram' || format === 'email' ? chatId.trim() : null,
            });
            setName('');
            setUrl('');
            return '';
          });
        }}
      >
        <label>
          <span className="form-label">{t('monitor.channelName')}</span>
          <input
            type="text"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="channel-name"
          />
        </label>
        <label>
          <span className="form-label">{t('monitor.format')}</span>
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value as 'json' | 'slack' | 'telegram' | 'email')}
            data-testid="channel-format"
          >
            <option value="json">JSON</option>
            <option value="slack">Slack</option>
            <option value="telegram">Telegram</option>
            <option value="email">E-mail (SMTP)</option>
          </select>
        </label>
        <label className="grow">
          <span className="form-label">{format === 'email' ? t('monitor.smtpUrl') : t('monitor.url')}</span>
          <input
            type="text"
            required
            placeholder={format === 'email' ? 'smtps://user:password@smtp.example.com:465' : 'https://…'}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            data-testid="channel-url"
          />
        </label>
        {(format === 'telegram' || format === 'email') && (
          <label>
            <span className="form-label">{format === 'email' ? t('monitor.emailTo') : t('monitor.chatId')}</span>
            <input type="text" value={chatId} onChange={(e) => setChatId(e.target.value)} />
          </label>
        )}
        <button type="submit" className="btn btn-primary" data-testid="channel-add">
          {t('monitor.add')}
        </button>
      </form>
      {message?.text && <div className={`small ${message.ok ? 'good-text' : 'error-text'}`}>{message.text}</div>}
      <Heartbeat />
    </div>
  );
}

function Heartbeat() {
  const { t, i18n } = useTranslation();
  const { client, request } = useDesk();
  const [status, setStatus] = useState<{
    configured: boolean;
    host: string | null;
    intervalSec: number;
    last: { at: string; ok: boolean; status: number | null; error: string | null } | null;
  } | null>(null);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    request('alerts.heartbeat', {}, setStatus);
  }, [request]);
  const save = async (next: string | null) => {
    setError(null);
    try {
      setStatus(await client.call('alerts.setHeartbeat', { url: next }));
      setUrl('');
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  return (
    <div className="heartbeat" data-testid="heartbeat">
      <h2>{t('monitor.heartbeatTitle')}</h2>
      <p className="muted small">{t('monitor.heartbeatNote')}</p>
      {status?.configured && (
        <div className="small">
          <span className="mono">{status.host}</span> · {t('monitor.every', { sec: status.intervalSec })}
          {status.last && (
            <span className={status.last.ok ? 'good-text' : 'error-text'}>
              {' '}
              ·{' '}
              {status.last.ok
                ? t('monitor.pingOk', { when: formatDateTime(i18n.language, status.last.at, 'local') })
                : status.last.error}
            </span>
          )}{' '}
          <button type="button" className="btn btn-small" onClick={() => void save(null)}>
            {t('monitor.remove')}
          </button>
        </div>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(url.trim());
        }}
      >
        <label className="grow">
          <span className="form-label">{t('monitor.url')}</span>
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} data-testid="heartbeat-url" />
        </label>
        <button type="submit" className="btn" data-testid="heartbeat-save">
          {t('monitor.heartbeatSave')}
        </button>
      </form>
      {error && <div className="error-text small">{error}</div>}
    </div>
  );
}

/** The signal retention and its last run, from the database worker's heartbeat. */
function SignalRetention({ detail }: { detail: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const { settings } = useDesk();
  const tz = settings?.settings.timeDisplay ?? 'local';
  const days = detail.signalRetentionDays;
  if (days === undefined) return null;
  const at = typeof detail.expiryLastAt === 'string' ? detail.expiryLastAt : null;
  return (
    <div className="small" data-testid="signal-retention">
      <div>{days === 'keep' ? t('monitor.retentionKeep') : t('monitor.retentionDays', { days })}</div>
      {detail.ttlIndex === 'created' && <div className="muted">{t('monitor.retentionTtl')}</div>}
      {at && (
        <div className="muted">
          {t('monitor.retentionLastRun', {
            when: formatDateTime(i18n.language, at, tz),
            removed: formatInteger(i18n.language, Number(detail.expiryLastRemoved ?? 0)),
            ms: formatInteger(i18n.language, Number(detail.expiryLastMs ?? 0)),
          })}
        </div>
      )}
      {typeof detail.expiryLastError === 'string' && (
        <div className="bad">{t('monitor.retentionFailed', { reason: detail.expiryLastError })}</div>
      )}
    </div>
  );
}

export function MonitorPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { client, health, settings, request } = useDesk();
  const now = useNow(5000);
  const alerts = useLoaded<Alert[]>();
  const [showAcked, setShowAcked] = useState(false);
  const signals = useLoaded<SignalView[]>();
  const tz = settings?.settings.timeDisplay ?? 'local';
  const watch = useHealthWatch();

  const load = useCallback(() => {
    request('alerts.list', { includeAcknowledged: showAcked }, alerts.ok, alerts.fail);
    request('signals.recent', { limit: 500 }, signals.ok, signals.fail);
  }, [request, showAcked, alerts.ok, alerts.fail, signals.ok, signals.fail]);
  useEffect(() => {
    load();
    const offs = [client.on('alertRaised', load), client.on('signalExported', load)];
    return () => offs.forEach((off) => off());
  }, [client, load]);

  const lastByStrategy = new Map<string, SignalView>();
  for (const s of signals.data ?? []) {
    const key = `${s.strategy_id}|${s.pair}|${s.timeframe}`;
    if (!lastByStrategy.has(key)) lastByStrategy.set(key, s);
  }

  return (
    <section className="page" data-testid="page-monitor">
      <p className="page-subtitle">{t('monitor.subtitle')}</p>
      <div className="tiles">
        {health && (
          <div className={`tile tile-${dbTone(health.database.state)}`} data-testid="tile-database">
            <div className="form-label">{t('monitor.database')}</div>
            <StatusBadge tone={dbTone(health.database.state)}>{t(`db.state.${health.database.state}`)}</StatusBadge>
            <div className="small muted">
              {health.database.latencyMs !== null ? `${Math.round(health.database.latencyMs)} ms` : ''}
            </div>
            <DatabaseTrend watch={watch} />
          </div>
        )}
        <ExchangeTiles watch={watch} />
        {/* Finished one-off jobs (imports) belong to the Market data page; the resident workers and anything in trouble stay. */}
        {health?.workers
          .filter((w) => w.state !== 'stopped' || w.lastError)
          .map((w) => (
            <div key={w.name} className={`tile tile-${workerTone(w.state)}`} data-testid={`tile-worker-${w.name}`}>
              <div className="form-label">{t(`words.job.${w.job}`, { defaultValue: w.job })}</div>
              <StatusBadge tone={workerTone(w.state)}>{t(`overview.workerState.${w.state}`)}</StatusBadge>
              <div className="small muted">
                {w.lastHeartbeat ? t('monitor.heartbeat', { age: formatAgo(lang, w.lastHeartbeat, now) }) : ''}
              </div>
              <WorkerTrend watch={watch} name={w.name} />
              {w.job === 'database' && <SignalRetention detail={w.detail as Record<string, unknown>} />}
            </div>
          ))}
      </div>
      <div className="grid-2">
        <div className="panel" data-testid="monitor-alerts">
          <div className="panel-head">
            <h2>{t('monitor.alerts')}</h2>
            <NotificationSwitch />
            <label className="check small">
              <input type="checkbox" checked={showAcked} onChange={(e) => setShowAcked(e.target.checked)} />
              {t('monitor.showAcknowledged')}
            </label>
          </div>
          {alerts.error && <LoadError message={alerts.error} onRetry={load} testId="monitor-alerts-error" />}
          {alerts.data?.length === 0 && <div className="muted">{t('monitor.noAlerts')}</div>}
          <ul className="alerts">
            {alerts.data?.map((a) => (
              <li
                key={a.id}
                className={a.severity === 'critical' ? 'alert-critical' : 'alert-warning'}
                data-testid="monitor-alert"
              >
                <div className="alert-head">
                  <span className="badge badge-bad">{t(`signals.alertKind.${a.kind}`, { defaultValue: a.kind })}</span>
                  <span className="small muted">{formatDateTime(lang, a.at, tz)}</span>
                  {a.count > 1 && (
                    <span className="small muted">
                      {t('monitor.repeated', { count: a.count, when: formatDateTime(lang, a.lastAt ?? a.at, tz) })}
                    </span>
                  )}
                  {a.acknowledged ? (
                    <span className="small good-text">
                      {t('monitor.acknowledged', { when: formatDateTime(lang, a.acknowledgedAt ?? a.at, tz) })}
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => request('alerts.ack', { id: a.id }, load)}
                      data-testid="alert-ack"
                    >
                      {t('monitor.ack')}
                    </button>
                  )}
                </div>
                <div className="small">{say(t, a.wording ?? a.message)}</div>
                <div className="small muted">{[a.strategy_id, a.pair, a.timeframe].filter(Boolean).join(' · ')}</div>
                {a.deliveries.map((d) => (
                  <div key={d.channel} className={`small ${d.ok ? 'good-text' : 'error-text'}`}>
                    {d.ok
                      ? t('monitor.delivered', { channel: d.channel })
                      : t('monitor.notDelivered', { channel: d.channel, error: d.error })}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </div>
        <div className="panel" data-testid="monitor-signals">
          <h2>{t('monitor.lastSignals')}</h2>
          {signals.error && <LoadError message={signals.error} onRetry={load} testId="monitor-signals-error" />}
          {signals.data !== null && lastByStrategy.size === 0 && <div className="muted">{t('monitor.noSignals')}</div>}
          <table className="table">
            <tbody>
              {[...lastByStrategy.values()].map((s) => {
                const age = now.getTime() - (s.ts + TIMEFRAME_MS[s.timeframe]);
                const late = age > 3 * TIMEFRAME_MS[s.timeframe];
                return (
                  <tr key={`${s.strategy_id}|${s.pair}|${s.timeframe}`}>
                    <td className="mono">{s.strategy_id}</td>
                    <td>
                      {s.pair} <span className="muted">· {s.timeframe}</span>
                    </td>
                    <td className={`num small ${late ? 'warn-text' : 'good-text'}`}>
                      {formatAge(lang, new Date(s.ts + TIMEFRAME_MS[s.timeframe]).toISOString(), now)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
      <FreshnessPanel watch={watch} />
      <MetricsPanel />
      <Channels />
      <AcceptanceReports />
      <SimTroublePanel />
    </section>
  );
}
