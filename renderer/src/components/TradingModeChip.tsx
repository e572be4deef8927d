// Which trading mode is on, in the top bar of every page: a red LIVE chip while any strategy
// trades real money, a quiet PAPER chip otherwise; and the kill switch, one click from any
// page (switched off again on the Trading page), red while it is on.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../deskContext';
import { href } from '../router';

export function TradingModeChip() {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const [status, setStatus] = useState<{ live: number; killSwitch: boolean } | null>(null);
  const load = useCallback(
    () => request('execution.status', {}, (s) => setStatus({ live: s.liveStrategies, killSwitch: s.killSwitch })),
    [request],
  );
  useEffect(() => {
    load();
    const offs = [
      client.on('executionChanged', load),
      client.on('killSwitchChanged', ({ killSwitch }) => setStatus((s) => (s ? { ...s, killSwitch } : s))),
    ];
    return () => offs.forEach((off) => off());
  }, [client, load]);
  if (status === null) return null;
  return (
    <>
      {status.killSwitch ? (
        <a
          href={href('trading')}
          className="chip live-chip"
          data-testid="topbar-kill-switch"
          title={t('trading.killHelp')}
        >
          {t('trading.killOnShort')}
        </a>
      ) : (
        <button
          type="button"
          className="chip chip-button"
          title={t('trading.killHelp')}
          onClick={() =>
            request('execution.kill', { on: true }, ({ killSwitch }) => setStatus((s) => s && { ...s, killSwitch }))
          }
          data-testid="topbar-kill-switch"
        >
          {t('trading.killSwitch')}
        </button>
      )}
      <a
        href={href('trading')}
        className={`chip ${status.live > 0 ? 'live-chip' : ''}`}
        data-testid="topbar-trading-mode"
      >
        {status.live > 0 ? t('trading.liveCount', { count: status.live }) : t('trading.paper')}
      </a>
    </>
  );
}
