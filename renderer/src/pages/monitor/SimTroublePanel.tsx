// Make a simulated exchange misbehave (refuse orders, fail, hang, lag) to see the desk's
// alerts, retries and channels at work before real money depends on them.
import { errorText } from '../../i18n/say';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeInfo, SimTrouble } from '../../../../core/api/contract';
import { useDesk } from '../../deskContext';

const CALM: SimTrouble = { rejectRate: 0, serverErrorRate: 0, timeoutRate: 0, latencyMs: 0 };
const RATES = ['rejectRate', 'serverErrorRate', 'timeoutRate'] as const;

export function SimTroublePanel() {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const [exchanges, setExchanges] = useState<ExchangeInfo[]>([]);
  const [trouble, setTrouble] = useState<Record<string, SimTrouble>>({});
  const [error, setError] = useState<string | null>(null);
  // The latest settings, so two quick clicks build on each other rather than on the same render.
  const latest = useRef<Record<string, SimTrouble>>({});
  useEffect(() => {
    request('exchanges.list', {}, (list) => {
      const sims = list.filter((e) => e.simulated);
      setExchanges(sims);
      for (const e of sims) {
        request('exchanges.trouble', { exchange: e.id }, (found) => {
          latest.current = { ...latest.current, [e.id]: found };
          setTrouble(latest.current);
        });
      }
    });
  }, [request]);
  if (exchanges.length === 0) return null;
  const save = async (exchange: string, change: Partial<SimTrouble> | null) => {
    const next = change === null ? CALM : { ...(latest.current[exchange] ?? CALM), ...change };
    latest.current = { ...latest.current, [exchange]: next };
    setError(null);
    try {
      const applied = await client.call('exchanges.setTrouble', { exchange, trouble: next });
      setTrouble((cur) => ({ ...cur, [exchange]: applied }));
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  return (
    <div className="panel" data-testid="sim-trouble">
      <h2>{t('monitor.troubleTitle')}</h2>
      <p className="muted small">{t('monitor.troubleNote')}</p>
      {exchanges.map((e) => {
        const cur = trouble[e.id] ?? CALM;
        const calm = RATES.every((k) => cur[k] === 0) && cur.latencyMs === 0;
        return (
          <div key={e.id} className="inline-form" data-testid={`trouble-${e.id}`}>
            <strong>{t(`market.exchanges.${e.id}`, { defaultValue: e.label })}</strong>
            {RATES.map((k) => (
              <label key={k} className="check small">
                <input
                  type="checkbox"
                  checked={cur[k] > 0}
                  onChange={(ev) => void save(e.id, { [k]: ev.target.checked ? 1 : 0 })}
                  data-testid={`trouble-${e.id}-${k}`}
                />
                {t(`monitor.trouble.${k}`)}
              </label>
            ))}
            <label className="check small">
              <input
                type="checkbox"
                checked={cur.latencyMs > 0}
                onChange={(ev) => void save(e.id, { latencyMs: ev.target.checked ? 3000 : 0 })}
              />
              {t('monitor.trouble.latencyMs')}
            </label>
            <span className={`small ${calm ? 'good-text' : 'warn-text'}`} data-testid={`trouble-${e.id}-state`}>
              {calm ? t('monitor.troubleCalm') : t('monitor.troubleOn')}
            </span>
            {!calm && (
              <button type="button" className="btn btn-small" onClick={() => void save(e.id, null)}>
                {t('monitor.troubleStop')}
              </button>
            )}
          </div>
        );
      })}
      {error && <div className="error-text small">{error}</div>}
    </div>
  );
}
