// Freqtrade as the executor of our signals: writes a ready Freqtrade user folder for one
// strategy's signals (configuration, strategy, our bars as Freqtrade data files) and says the
// commands to type next.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReplyOf } from '../../../../core/api/contract';
import type { FreqtradeSetupRequest } from '../../../../core/api/freqtradeContract';
import { formatInteger } from '../../../../core/format/format';
import { useDesk } from '../../deskContext';
import { errorText } from '../../i18n/say';

interface Source {
  strategyId: string;
  timeframe: '1m' | '1d';
  symbols: string[];
}

export function FreqtradeSetup() {
  const { t, i18n } = useTranslation();
  const { client } = useDesk();
  const [sources, setSources] = useState<Source[] | null>(null);
  const [pick, setPick] = useState('');
  const [exchange, setExchange] = useState<FreqtradeSetupRequest['exchange']>('demo');
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<ReplyOf<'freqtrade.setup'> | null>(null);

  // The strategies that write signals: our pipelines', and outside programs' among the latest
  // signals; read again (at most once a second) when a pipeline changes or signals are exported.
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      void Promise.all([client.call('pipelines.list', {}), client.call('signals.recent', { limit: 500 })]).then(
        ([pipelines, rows]) => {
          if (cancelled) return;
          const by = new Map<string, Source>();
          const add = (strategyId: string, timeframe: Source['timeframe'], symbol: string) => {
            const key = `${strategyId}|${timeframe}`;
            const s = by.get(key) ?? { strategyId, timeframe, symbols: [] };
            if (!s.symbols.includes(symbol)) s.symbols.push(symbol);
            by.set(key, s);
          };
          for (const p of pipelines) add(p.strategyId, p.timeframe, p.symbol);
          for (const r of rows) add(r.strategy_id, r.timeframe, r.symbol);
          setSources([...by.values()].sort((a, b) => a.strategyId.localeCompare(b.strategyId)));
        },
        (err: unknown) => !cancelled && setError(errorText(t, err)),
      );
    load();
    let timer: number | null = null;
    const soon = () => {
      if (timer === null)
        timer = window.setTimeout(() => {
          timer = null;
          load();
        }, 1000);
    };
    const offs = [client.on('pipelineChanged', soon), client.on('signalExported', soon)];
    return () => {
      cancelled = true;
      if (timer !== null) window.clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [client, t]);
  const source = useMemo(
    () => sources?.find((s) => `${s.strategyId}|${s.timeframe}` === pick) ?? sources?.[0] ?? null,
    [sources, pick],
  );
  // The demo exchange's symbols trade there; any other exchange's on Binance.
  useEffect(() => {
    if (source) setExchange(source.symbols.every((s) => s.startsWith('DEMO:')) ? 'demo' : 'binance');
  }, [source]);

  const write = async () => {
    if (!source) return;
    setBusy(true);
    setError(null);
    setMade(null);
    try {
      setMade(
        await client.call('freqtrade.setup', {
          dir: dir.trim() || null,
          strategyId: source.strategyId,
          symbols: source.symbols,
          timeframe: source.timeframe,
          exchange,
        }),
      );
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel" data-testid="freqtrade-setup">
      <h2>{t('signals.freqtrade.title')}</h2>
      <div className="muted small" style={{ marginBottom: 10 }}>
        {t('signals.freqtrade.note')}
      </div>
      {sources?.length === 0 && <div className="note">{t('signals.freqtrade.none')}</div>}
      {source && (
        <div className="inline-form">
          <label>
            <span className="form-label">{t('signals.freqtrade.strategy')}</span>
            <select
              value={`${source.strategyId}|${source.timeframe}`}
              onChange={(e) => setPick(e.target.value)}
              data-testid="ft-source"
            >
              {sources!.map((s) => (
                <option key={`${s.strategyId}|${s.timeframe}`} value={`${s.strategyId}|${s.timeframe}`} translate="no">
                  {s.strategyId} · {s.timeframe} · {s.symbols.join(', ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="form-label">{t('signals.freqtrade.exchange')}</span>
            <select
              value={exchange}
              onChange={(e) => setExchange(e.target.value as FreqtradeSetupRequest['exchange'])}
              data-testid="ft-exchange"
            >
              <option value="demo">{t('signals.freqtrade.demo')}</option>
              <option value="binance">{t('signals.freqtrade.binance')}</option>
            </select>
          </label>
          <label className="grow">
            <span className="form-label">{t('signals.freqtrade.dir')}</span>
            <input
              value={dir}
              onChange={(e) => setDir(e.target.value)}
              placeholder={t('signals.freqtrade.dirDefault')}
              data-testid="ft-dir"
            />
          </label>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => void write()}
            data-testid="ft-write"
          >
            {busy ? t('signals.freqtrade.writing') : t('signals.freqtrade.write')}
          </button>
        </div>
      )}
      {error && (
        <div className="error-box" role="alert" data-testid="ft-error">
          {error}
        </div>
      )}
      {made && (
        <div className="ft-made" data-testid="ft-made">
          <div className="small">
            {t('signals.freqtrade.written')}{' '}
            <code translate="no" data-testid="ft-dir-written">
              {made.dir}
            </code>
          </div>
          <ul className="small muted">
            {made.series.map((s) => (
              <li key={s.symbol}>
                {t('signals.freqtrade.bars', { pair: s.pair, count: formatInteger(i18n.language, s.bars) })}
              </li>
            ))}
          </ul>
          <div className="small">{t('signals.freqtrade.next')}</div>
          <pre className="commands" translate="no" data-testid="ft-commands">
            {made.commands.join('\n')}
          </pre>
        </div>
      )}
      <div className="muted small" style={{ marginTop: 10 }}>
        {t('signals.freqtrade.retention')}
      </div>
    </div>
  );
}
