// Signals: the seam between research and execution. Pipelines that write crypto_signals,
// the live feed of what is in it (ours or another program's), export latency against its
// budget, and the alerts raised on the way.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alert, LatencyStats } from '../../../core/api/signalsContract';
import { formatDateTime } from '../../../core/format/format';
import { useDesk } from '../deskContext';
import type { TemplateInfo } from './research/TemplateFields';
import { LatencyHistogram } from './signals/LatencyHistogram';
import { PipelinesPanel } from './signals/PipelinesPanel';
import { SignalFeed } from './signals/SignalFeed';

export function SignalsPage() {
  const { t, i18n } = useTranslation();
  const { client, settings, request } = useDesk();
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  const [latency, setLatency] = useState<LatencyStats | null>(null);
  const [alerts, setAlerts] = useState<Alert[]>([]);

  useEffect(() => {
    request('research.templates', {}, setTemplates, () => setTemplates([]));
    request('signals.alerts', {}, setAlerts);
    const loadLatency = () => request('signals.latency', {}, setLatency, () => setLatency([]));
    loadLatency();
    const offs = [
      client.on('signalExported', () => void loadLatency()),
      client.on('alertRaised', (a) =>
        setAlerts((cur) => [a, ...cur.filter((x) => x.id !== a.id)].filter((x) => !x.acknowledged).slice(0, 200)),
      ),
    ];
    return () => offs.forEach((off) => off());
  }, [client]);

  return (
    <section className="page" data-testid="page-signals">
      <p className="page-subtitle">{t('signals.subtitle')}</p>
      {templates && templates.length > 0 && <PipelinesPanel templates={templates} />}
      <div className="grid-2">
        <div className="panel" data-testid="latency-panel">
          <h2>{t('signals.latencyTitle')}</h2>
          <div className="muted small">{t('signals.latencyNote')}</div>
          {latency !== null && latency.length === 0 && <div className="note">{t('signals.noLatency')}</div>}
          {latency?.map((s) => (
            <LatencyHistogram key={s.timeframe} stats={s} />
          ))}
        </div>
        <div className="panel" data-testid="alerts-panel">
          <h2>{t('signals.alerts')}</h2>
          {alerts.length === 0 && <div className="muted">{t('signals.noAlerts')}</div>}
          <ul className="alerts">
            {alerts.slice(0, 20).map((a) => (
              <li key={a.id} className={a.severity === 'critical' ? 'alert-critical' : 'alert-warning'}>
                <span className="badge badge-bad">{t(`signals.alertKind.${a.kind}`)}</span>{' '}
                <span className="small muted">
                  {formatDateTime(i18n.language, a.at, settings?.settings.timeDisplay ?? 'local')}
                </span>
                <div className="small">{a.message}</div>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <SignalFeed />
    </section>
  );
}
