// A new import from an exchange: exchange, pair, timeframe, start date and "keep up to date",
// with what it will cost (bars, disk, time) said before it starts.
import { errorText } from '../../i18n/say';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeInfo } from '../../../../core/api/contract';
import { formatBytes, formatDuration, formatInteger } from '../../../../core/format/format';
import { importCost } from '../../../../core/market/importCost';
import { useDesk } from '../../deskContext';

const DAY = 86_400_000;
const defaultFrom = (tf: '1m' | '1d') =>
  new Date(Date.now() - (tf === '1m' ? 7 : 365) * DAY).toISOString().slice(0, 10);

/** What the import will cost, before it starts: bars, disk, time; a warning when it is large for the bundled engine. */
function ImportCostNote({
  timeframe,
  from,
  server,
}: {
  timeframe: '1m' | '1d';
  from: string;
  server: 'ferretdb' | 'mongod' | 'external' | null;
}) {
  const { t, i18n } = useTranslation();
  const start = Date.parse(`${from}T00:00:00Z`);
  if (!server || !Number.isFinite(start)) return null;
  const cost = importCost(timeframe, start, Date.now(), server);
  if (cost.bars === 0) return null;
  const text = t(cost.diskBytes === null ? 'market.costExternal' : 'market.cost', {
    bars: formatInteger(i18n.language, cost.bars),
    disk: cost.diskBytes === null ? '' : formatBytes(i18n.language, cost.diskBytes),
    time: formatDuration(i18n.language, Math.max(1000, cost.seconds * 1000)),
  });
  return (
    <div className={`note small${cost.large ? ' note-warn' : ''}`} data-testid="import-cost">
      {text}
      {cost.large && <> {t('market.costLarge')}</>}
    </div>
  );
}

export function ImportForm({ exchanges, onStarted }: { exchanges: ExchangeInfo[]; onStarted: () => void }) {
  const { t } = useTranslation();
  const { client, health, request } = useDesk();
  const [exchange, setExchange] = useState(exchanges[0]?.id ?? '');
  const [pairs, setPairs] = useState<string[] | null>(null);
  const [pair, setPair] = useState('');
  const [timeframe, setTimeframe] = useState<'1m' | '1d'>('1m');
  const [from, setFrom] = useState(defaultFrom('1m'));
  const [auto, setAuto] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const info = exchanges.find((e) => e.id === exchange);

  useEffect(() => {
    if (!exchange) return;
    setPairs(null);
    setError(null);
    request(
      'market.pairs',
      { exchange },
      (p) => {
        setPairs(p);
        setPair((cur) => (p.includes(cur) ? cur : (p.find((x) => x === 'BTC/USDT') ?? p[0] ?? '')));
      },
      (message) => {
        setPairs([]);
        setError(message);
      },
    );
  }, [request, exchange]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.call('market.import.start', {
        exchange,
        pair,
        timeframe,
        from: new Date(`${from}T00:00:00Z`).toISOString(),
        auto,
      });
      onStarted();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel">
      <h2>{t('market.newImport')}</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label>
          <span className="form-label">{t('market.exchange')}</span>
          <select data-testid="import-exchange" value={exchange} onChange={(e) => setExchange(e.target.value)}>
            {exchanges.map((x) => (
              <option key={x.id} value={x.id}>
                {x.id === 'demo' || x.id === 'binance' ? t(`market.exchanges.${x.id}`) : x.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="form-label">{t('market.pair')}</span>
          <select
            data-testid="import-pair"
            value={pair}
            onChange={(e) => setPair(e.target.value)}
            disabled={!pairs || pairs.length === 0}
          >
            {!pairs && <option>{t('market.loadingPairs')}</option>}
            {pairs?.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="form-label">{t('market.timeframe')}</span>
          <select
            data-testid="import-timeframe"
            value={timeframe}
            onChange={(e) => {
              const tf = e.target.value as '1m' | '1d';
              setTimeframe(tf);
              setFrom(defaultFrom(tf));
            }}
          >
            <option value="1m">1m</option>
            <option value="1d">1d</option>
          </select>
        </label>
        <label>
          <span className="form-label">{t('market.from')}</span>
          <input
            type="date"
            data-testid="import-from"
            value={from}
            max={new Date().toISOString().slice(0, 10)}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
          <span>{t('market.keepCurrent')}</span>
        </label>
        <button type="submit" className="btn btn-primary" data-testid="import-start" disabled={busy || !pair || !from}>
          {busy ? t('market.starting') : t('market.start')}
        </button>
      </form>
      <ImportCostNote timeframe={timeframe} from={from} server={health?.database.server ?? null} />
      {info?.simulated && <div className="note note-sim">{t('market.simulatedNote')}</div>}
      {error && (
        <div className="error-text small" data-testid="import-error">
          {error}
        </div>
      )}
    </div>
  );
}
