// Exchange reachability and clock skew as tiles with their history, the database's latency
// trend, each resident worker's availability, and how fresh every stored series is: what the
// health watch sampled once a minute.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthWatch } from '../../../../core/api/monitorContract';
import { formatAge, formatDuration } from '../../../../core/format/format';
import { StatusBadge } from '../../components/StatusBadge';
import { Sparkline } from '../../components/Sparkline';
import { StateStrip } from '../../components/StateStrip';
import { workerHistory } from '../../../../core/monitor/workerHistory';
import { workerTone } from '../healthTones';
import { useDesk } from '../../deskContext';

export function useHealthWatch(): HealthWatch | null {
  const { request } = useDesk();
  const [watch, setWatch] = useState<HealthWatch | null>(null);
  useEffect(() => {
    const load = () => request('health.watch', { hours: 6 }, setWatch);
    load();
    const id = window.setInterval(load, 30_000);
    return () => window.clearInterval(id);
  }, [request]);
  return watch;
}

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${Math.round(v)} ms`);

export function ExchangeTiles({ watch }: { watch: HealthWatch | null }) {
  const { t } = useTranslation();
  if (!watch?.latest) return null;
  return (
    <>
      {watch.latest.exchanges.map((e) => {
        const history = watch.history.map((h) => h.exchanges.find((x) => x.id === e.id)?.latencyMs ?? null);
        const skewBad = e.skewMs !== null && Math.abs(e.skewMs) > 1000;
        const tone = !e.ok ? 'bad' : skewBad ? 'busy' : 'good';
        return (
          <div key={e.id} className={`tile tile-${tone}`} data-testid={`tile-exchange-${e.id}`}>
            <div className="form-label">{t('monitor.exchange', { id: e.id })}</div>
            <StatusBadge tone={tone}>{e.ok ? t('monitor.reachable') : t('monitor.unreachable')}</StatusBadge>
            <div className="small muted">
              {e.ok ? t('monitor.latencySkew', { latency: ms(e.latencyMs), skew: signed(e.skewMs) }) : e.error}
            </div>
            <Sparkline values={history} />
          </div>
        );
      })}
    </>
  );
}

/** A resident worker's state over the window and its share of time up. */
export function WorkerTrend({ watch, name }: { watch: HealthWatch | null; name: string }) {
  const { t, i18n } = useTranslation();
  if (!watch || watch.history.length < 2) return null;
  const h = workerHistory(watch.history, name);
  if (h.upPct === null) return null;
  return (
    <>
      <StateStrip tones={h.states.map((s) => (s ? workerTone(s) : null))} testId={`worker-strip-${name}`} />
      <div className="small muted" data-testid={`worker-uptime-${name}`}>
        {t('monitor.workerUptime', {
          pct: h.upPct.toFixed(h.upPct === 100 ? 0 : 1),
          span: formatDuration(i18n.language, watch.history.at(-1)!.at - watch.history[0]!.at),
        })}
      </div>
    </>
  );
}

export function DatabaseTrend({ watch }: { watch: HealthWatch | null }) {
  if (!watch || watch.history.length < 2) return null;
  return <Sparkline values={watch.history.map((h) => h.dbLatencyMs)} testId="db-latency-trend" />;
}

export function FreshnessPanel({ watch }: { watch: HealthWatch | null }) {
  const { t, i18n } = useTranslation();
  const rows = watch?.latest?.freshness ?? [];
  return (
    <div className="panel" data-testid="monitor-freshness">
      <h2>{t('monitor.freshness')}</h2>
      {!watch?.latest ? (
        <div className="muted">{t('monitor.firstCheck')}</div>
      ) : rows.length === 0 ? (
        <div className="muted">{t('monitor.noSeries')}</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('monitor.series')}</th>
              <th className="num">{t('monitor.newestBar')}</th>
              <th className="num">{t('monitor.behind')}</th>
              <th className="num">{t('monitor.missingRecent')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => {
              const late = f.auto && f.behindBars !== null && f.behindBars > (f.timeframe === '1m' ? 3 : 1);
              return (
                <tr key={`${f.symbol}|${f.timeframe}`} data-testid={`fresh-${f.symbol}-${f.timeframe}`}>
                  <td>
                    <span className="mono">{f.symbol}</span>{' '}
                    <span className="muted">
                      · {f.timeframe}
                      {f.auto ? '' : ` · ${t('monitor.notKept')}`}
                    </span>
                  </td>
                  <td className="num small">
                    {f.lastBar !== null
                      ? formatAge(i18n.language, new Date(f.lastBar).toISOString(), new Date(watch!.latest!.at))
                      : '—'}
                  </td>
                  <td className={`num ${late ? 'warn-text' : ''}`}>{f.behindBars ?? '—'}</td>
                  <td className={`num ${f.missingRecent ? 'warn-text' : ''}`}>{f.missingRecent ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
