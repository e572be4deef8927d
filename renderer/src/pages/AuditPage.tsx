// Audit: one UTC day of who did what (the desk, outside programs, the executor, pipelines),
// with that day's orders and fills, and a replay slider that shows the state at any moment:
// each strategy's mode and switch, the kill switch, and the positions built by the fills.
import { errorText } from '../i18n/say';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditDay } from '../../../core/api/auditContract';
import { replayAt } from '../../../core/audit/replay';
import { formatDateTime, formatNumber } from '../../../core/format/format';
import { useDesk } from '../deskContext';
import { AuditDetails } from './audit/AuditDetails';

const MIN = 60_000;
const todayUtc = () => new Date().toISOString().slice(0, 10);

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { client, settings } = useDesk();
  const timeDisplay = settings?.settings.timeDisplay ?? 'local';
  const [date, setDate] = useState(todayUtc);
  const [day, setDay] = useState<AuditDay | null>(null);
  const [moment, setMoment] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (d: string) => {
      setError(null);
      try {
        const next = await client.call('audit.day', { date: d });
        setDay(next);
        // Start the replay at the day's end (or now, for today): the state as the day left it.
        setMoment(Math.min(Date.parse(next.to) - 1, Math.ceil(Date.now() / MIN) * MIN));
      } catch (err) {
        setError(errorText(t, err));
      }
    },
    [client],
  );
  useEffect(() => void load(date), [load, date]);

  const from = day ? Date.parse(day.from) : 0;
  const to = day ? Date.parse(day.to) - 1 : 0;
  const at = moment ?? to;
  const state = useMemo(() => (day ? replayAt(day, at) : null), [day, at]);
  const n = (v: number) => formatNumber(lang, v, 6);

  return (
    <section className="page" data-testid="page-audit">
      <p className="page-subtitle">{t('audit.subtitle')}</p>
      <div className="inline-form">
        <label>
          <span className="form-label">{t('audit.day')}</span>
          <input
            type="date"
            value={date}
            max={todayUtc()}
            onChange={(e) => e.target.value && setDate(e.target.value)}
            data-testid="audit-date"
          />
        </label>
        <button type="button" className="btn" onClick={() => void load(date)} data-testid="audit-reload">
          {t('audit.reload')}
        </button>
      </div>
      {error && <div className="error-box">{error}</div>}
      {day && state && (
        <>
          <div className="panel" data-testid="audit-replay">
            <div className="panel-head">
              <h2>{t('audit.replay')}</h2>
              <span className="small muted" data-testid="audit-moment">
                {formatDateTime(lang, new Date(at), timeDisplay)}
              </span>
            </div>
            <input
              className="replay-slider"
              type="range"
              min={from}
              max={to}
              step={1000}
              value={at}
              onChange={(e) => setMoment(Number(e.target.value))}
              aria-label={t('audit.replay')}
              data-testid="audit-slider"
            />
            <div className="kv-inline">
              <span>
                {t('audit.killSwitch')}:{' '}
                <b className={state.killSwitch ? 'error-text' : 'good-text'} data-testid="audit-kill">
                  {state.killSwitch ? t('audit.on') : t('audit.off')}
                </b>
              </span>
            </div>
            <div className="grid-2">
              <table className="table" data-testid="audit-strategies">
                <thead>
                  <tr>
                    <th>{t('audit.strategy')}</th>
                    <th>{t('audit.mode')}</th>
                    <th>{t('audit.enabled')}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.strategies.length === 0 && (
                    <tr>
                      <td colSpan={3} className="muted">
                        {t('audit.noStrategies')}
                      </td>
                    </tr>
                  )}
                  {state.strategies.map((s) => (
                    <tr key={s.configId}>
                      <td>
                        {s.strategyId}{' '}
                        <span className="muted small">
                          {s.pair} {s.timeframe}
                        </span>
                      </td>
                      <td>
                        <span className={`badge ${s.mode === 'live' ? 'badge-bad' : 'badge-busy'}`}>
                          {t(`trading.${s.mode}`)}
                        </span>
                      </td>
                      <td>{s.enabled ? t('audit.on') : t('audit.off')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table className="table" data-testid="audit-positions">
                <thead>
                  <tr>
                    <th>{t('audit.position')}</th>
                    <th className="num">{t('audit.amount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.positions.length === 0 && (
                    <tr>
                      <td colSpan={2} className="muted">
                        {t('audit.flat')}
                      </td>
                    </tr>
                  )}
                  {state.positions.map((p) => (
                    <tr key={`${p.mode}|${p.strategyId}|${p.pair}`}>
                      <td>
                        {p.strategyId}{' '}
                        <span className="muted small">
                          {p.pair} · {t(`trading.${p.mode}`)}
                        </span>
                      </td>
                      <td className="num">{n(p.amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <div className="panel" data-testid="audit-timeline">
            <div className="panel-head">
              <h2>{t('audit.timeline')}</h2>
              <span className="small muted">{t('audit.count', { count: day.events.length })}</span>
            </div>
            {day.truncated && <div className="note">{t('audit.truncated')}</div>}
            {day.events.length === 0 ? (
              <div className="note" data-testid="audit-empty">
                {t('audit.empty')}
              </div>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('audit.time')}</th>
                    <th>{t('audit.who')}</th>
                    <th>{t('audit.what')}</th>
                    <th>{t('audit.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {day.events.map((e) => (
                    <tr
                      key={e.id}
                      className={Date.parse(e.at) > at ? 'muted' : ''}
                      data-testid={`audit-event-${e.action}`}
                    >
                      <td className="nowrap">{formatDateTime(lang, e.at, timeDisplay)}</td>
                      <td>
                        <span className="badge badge-neutral">{t(`audit.actor.${e.actor}`)}</span>
                      </td>
                      <td>
                        {t(`audit.action.${e.action}`)} {e.subject && <b>{e.subject}</b>}
                      </td>
                      <td className="small">
                        <AuditDetails details={e.details} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}
    </section>
  );
}
