// Signals: the seam between research and execution. Pipelines that write crypto_signals,
// the live feed of what is in it (ours or another program's), export latency against its
// budget, and the alerts raised on the way.
import { FreqtradeSetup } from './signals/FreqtradeSetup';
import { say } from '../i18n/say';
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alert, LatencyStats } from '../../../core/api/signalsContract';
import { formatDateTime } from '../../../core/format/format';
import { LoadError } from '../components/LoadError';
import { useDesk } from '../deskContext';
import { useLoaded } from '../useLoaded';
import type { TemplateInfo } from './research/TemplateFields';
import { LatencyHistogram } from './signals/LatencyHistogram';
import { PipelinesPanel } from './signals/PipelinesPanel';
import { SignalFeed } from './signals/SignalFeed';
import { SkippedSignals } from './signals/SkippedSignals';

export function SignalsPage() {
  const { t, i18n } = useTranslation();
  const { client, settings, request } = useDesk();
  const templates = useLoaded<TemplateInfo[]>();
  const latency = useLoaded<LatencyStats>();
  const alerts = useLoaded<Alert[]>();
  const loadTemplates = useCallback(
    () => request('research.templates', {}, templates.ok, templates.fail),
    [request, templates.ok, templates.fail],
  );
  const loadAlerts = useCallback(
    () => request('signals.alerts', {}, alerts.ok, alerts.fail),
    [request, alerts.ok, alerts.fail],
  );
  const loadLatency = useCallback(
    () => request('signals.latency', {}, latency.ok, latency.fail),
    [request, latency.ok, latency.fail],
  );
  const { update: updateAlerts } = alerts;

  useEffect(() => {
    loadTemplates();
    loadAlerts();
    loadLatency();
    const offs = [
      client.on('signalExported', () => void loadLatency()),
      client.on('alertRaised', (a) =>
        updateAlerts((cur) =>
          [a, ...(cur ?? []).filter((x) => x.id !== a.id)].filter((x) => !x.acknowledged).slice(0, 200),
        ),
      ),
    ];
    return () => offs.forEach((off) => off());
  }, [client, loadTemplates, loadAlerts, loadLatency, updateAlerts]);

  return (
    <section className="page" data-testid="page-signals">
      <p className="page-subtitle">{t('signals.subtitle')}</p>
      {templates.error && <LoadError message={templates.error} onRetry={loadTemplates} testId="templates-error" />}
      {templates.data && templates.data.length > 0 && <PipelinesPanel templates={templates.data} />}
      <div className="grid-2">
        <div className="panel" data-testid="latency-panel">
          <h2>{t('signals.latencyTitle')}</h2>
          <div className="muted small">{t('signals.latencyNote')}</div>
          {latency.error && <LoadError message={latency.error} onRetry={loadLatency} testId="latency-error" />}
          {latency.data !== null && latency.data.length === 0 && <div className="note">{t('signals.noLatency')}</div>}
          {latency.data?.map((s) => (
            <LatencyHistogram key={s.timeframe} stats={s} />
          ))}
        </div>
        <div className="panel" data-testid="alerts-panel">
          <h2>{t('signals.alerts')}</h2>
          {alerts.error && <LoadError message={alerts.error} onRetry={loadAlerts} testId="signal-alerts-error" />}
          {alerts.data !== null && alerts.data.length === 0 && <div className="muted">{t('signals.noAlerts')}</div>}
          <ul className="alerts">
            {(alerts.data ?? []).slice(0, 20).map((a) => (
              <li key={a.id} className={a.severity === 'critical' ? 'alert-critical' : 'alert-warning'}>
                <span className="badge badge-bad">{t(`signals.alertKind.${a.kind}`)}</span>{' '}
                <span className="small muted">
                  {formatDateTime(i18n.language, a.at, settings?.settings.timeDisplay ?? 'local')}
                </span>
                <div className="small">{say(t, a.wording ?? a.message)}</div>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <FreqtradeSetup />
      <SignalFeed />
      <SkippedSignals />
    </section>
  );
}
