// Which trading mode is on, in the top bar of every page: a red LIVE chip while any strategy
// trades real money, a quiet PAPER chip otherwise.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../deskContext';
import { href } from '../router';

export function TradingModeChip() {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const [live, setLive] = useState<number | null>(null);
  useEffect(() => {
    const load = () => request('execution.status', {}, (s) => setLive(s.liveStrategies));
    load();
    const off = client.on('executionChanged', () => void load());
    return off;
  }, [client]);
  if (live === null) return null;
  return (
    <a href={href('trading')} className={`chip ${live > 0 ? 'live-chip' : ''}`} data-testid="topbar-trading-mode">
      {live > 0 ? t('trading.liveCount', { count: live }) : t('trading.paper')}
    </a>
  );
}
