// Market data: start and cancel imports, watch their progress, and check each stored
// series' coverage and gaps on a timeline.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../../../core/api/client';
import type { CoverageReport, ExchangeInfo, Series, WorkerStatus } from '../../../core/api/contract';
import { formatBytes, formatDateTime, formatDuration, formatInteger, formatPercent } from '../../../core/format/format';
import { importCost } from '../../../core/market/importCost';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { useDesk } from '../deskContext';
import { href } from '../router';
import { workerTone } from './healthTones';

const DAY = 86_400_000;
const defaultFrom = (tf: '1m' | '1d') =>
  new Date(Date.now() - (tf === '1m' ? 7 : 365) * DAY).toISOString().slice(0, 10);

function Timeline({ cov }: { cov: CoverageReport }) {
  if (cov.first === null || cov.last === null || cov.last <= cov.first) return null;
  const span = cov.last - cov.first;
  return (
    <svg className="timeline" viewBox="0 0 1000 16" preserveAspectRatio="none" role="img" aria-label="coverage">
      <rect x="0" y="3" width="1000" height="10" rx="2" className="timeline-have" />
      {cov.gaps.map((g) => {
        const x = ((g.from - cov.first!) / span) * 1000;
        const w = Math.max(2, ((g.to - g.from) / span) * 1000);
        return <rect key={g.from} x={x} y="0" width={w} height="16" className="timeline-gap" />;
      })}
    </svg>
  );
}

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

function ImportForm({ exchanges, onStarted }: { exchanges: ExchangeInfo[]; onStarted: () => void }) {
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
      setError(err instanceof ApiCallError ? err.message : String(err));
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

function FileImport() {
  const { t, i18n } = useTranslation();
  const { health, request } = useDesk();
  const [path, setPath] = useState('');
  const [symbol, setSymbol] = useState('BINANCE:BTCUSDT');
  const [timeframe, setTimeframe] = useState<'1m' | '1d'>('1m');
  const [format, setFormat] = useState<'auto' | 'binance-csv' | 'freqtrade-json'>('auto');
  const [error, setError] = useState<string | null>(null);
  const jobs = (health?.workers ?? []).filter((w) => w.job === 'fileImport');
  const submit = () => {
    setError(null);
    request(
      'market.importFile',
      { path: path.trim(), symbol: symbol.trim(), timeframe, format },
      () => undefined,
      setError,
    );
  };
  const n = (v: unknown) => formatInteger(i18n.language, typeof v === 'number' ? v : 0);
  return (
    <div className="panel">
      <h2>{t('market.fileImport')}</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="grow">
          <span className="form-label">{t('market.filePath')}</span>
          <input
            data-testid="file-path"
            value={path}
            placeholder="/home/me/BTCUSDT-1m-2025-01.csv"
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        <label>
          <span className="form-label">{t('market.fileSymbol')}</span>
          <input data-testid="file-symbol" value={symbol} onChange={(e) => setSymbol(e.target.value.toUpperCase())} />
        </label>
        <label>
          <span className="form-label">{t('market.timeframe')}</span>
          <select value={timeframe} onChange={(e) => setTimeframe(e.target.value as '1m' | '1d')}>
            <option value="1m">1m</option>
            <option value="1d">1d</option>
          </select>
        </label>
        <label>
          <span className="form-label">{t('market.fileFormat')}</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            <option value="auto">{t('market.formatAuto')}</option>
            <option value="binance-csv">Binance CSV</option>
            <option value="freqtrade-json">Freqtrade JSON</option>
          </select>
        </label>
        <button type="submit" className="btn" data-testid="file-import" disabled={!path.trim()}>
          {t('market.importFile')}
        </button>
      </form>
      <div className="muted small note-plain">{t('market.fileNote')}</div>
      {error && <div className="error-text small">{error}</div>}
      {jobs.map((w) => (
        <div key={w.name} className="file-job" data-testid={`file-job-${w.name}`}>
          <span className="mono">{w.name.replace(/^file:/, '')}</span>
          <StatusBadge tone={workerTone(w.state)}>{t(`overview.workerState.${w.state}`)}</StatusBadge>
          {w.state === 'stopped' && typeof w.detail.rows === 'number' && (
            <span>
              {t('market.fileReport', {
                accepted: n(w.detail.accepted),
                rows: n(w.detail.rows),
                stored: n(w.detail.stored),
                rejected: n(w.detail.rejected),
              })}
            </span>
          )}
          {typeof w.detail.rejectedSample === 'string' && w.detail.rejectedSample && (
            <span className="warn-text small">{w.detail.rejectedSample}</span>
          )}
          {w.lastError && <span className="error-text small">{w.lastError}</span>}
        </div>
      ))}
    </div>
  );
}

function ImportRow({ w }: { w: WorkerStatus }) {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const [, symbolEx, symbolTicker, tf] = w.name.split(':');
  const running = ['starting', 'running', 'restarting'].includes(w.state);
  return (
    <tr data-testid={`import-${symbolEx}:${symbolTicker}:${tf}`}>
      <td className="mono">
        {symbolEx}:{symbolTicker}
      </td>
      <td>{tf}</td>
      <td>
        {w.state === 'stopped' && typeof w.detail.cancelled === 'boolean' ? (
          <StatusBadge tone={w.detail.cancelled ? 'neutral' : 'good'}>
            {w.detail.cancelled ? t('market.cancelled') : t('market.finished')}
          </StatusBadge>
        ) : (
          <StatusBadge tone={workerTone(w.state)}>{t(`overview.workerState.${w.state}`)}</StatusBadge>
        )}
      </td>
      <td className="wide">
        {w.progress && running ? (
          <ProgressBar
            done={w.progress.done}
            total={w.progress.total}
            label={`${formatInteger(i18n.language, w.progress.done)} / ${formatInteger(i18n.language, w.progress.total)} · ${w.progress.label}`}
            locale={i18n.language}
          />
        ) : null}
        {!running && typeof w.detail.stored === 'number' && (
          <span className="muted small">
            {t('market.done', { stored: formatInteger(i18n.language, w.detail.stored) })}
          </span>
        )}
        {w.lastError && <div className="error-text small">{w.lastError}</div>}
      </td>
      <td>
        {running && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => request('market.import.cancel', { name: w.name }, () => undefined)}
          >
            {t('market.cancel')}
          </button>
        )}
      </td>
    </tr>
  );
}

/** The worst findings of a quality check, each with a one-click re-fetch of its range. */
function Findings({ s, cov }: { s: Series; cov: CoverageReport }) {
  const { t, i18n } = useTranslation();
  const { request, settings } = useDesk();
  const [busy, setBusy] = useState<string | null>(null);
  const display = settings?.settings.timeDisplay ?? 'local';
  const step = s.timeframe === '1m' ? 60_000 : DAY;
  const when = (ms: number) => formatDateTime(i18n.language, new Date(ms), display);
  const items = [
    ...cov.gaps.slice(0, 3).map((g) => ({
      key: `g${g.from}`,
      text: t('market.gap', { bars: formatInteger(i18n.language, g.bars), from: when(g.from) }),
      from: g.from,
      to: g.to,
    })),
    ...cov.jumps.slice(0, 3).map((j) => ({
      key: `j${j.time}`,
      text: t('market.jump', { change: formatPercent(i18n.language, j.change), time: when(j.time) }),
      from: j.time - 5 * step,
      to: j.time + 5 * step,
    })),
    ...cov.zeroVolumeRuns.slice(0, 3).map((z) => ({
      key: `z${z.from}`,
      text: t('market.zeroRun', { bars: formatInteger(i18n.language, z.bars), from: when(z.from) }),
      from: z.from,
      to: z.to,
    })),
  ];
  const refetch = (key: string, from: number, to: number) => {
    setBusy(key);
    request(
      'market.refetch',
      { symbol: s.symbol, timeframe: s.timeframe, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      () => setBusy(null),
      () => setBusy(null),
    );
  };
  return (
    <div className="findings" data-testid={`findings-${s.symbol}:${s.timeframe}`}>
      <span className="muted small">
        {t('market.quality')}:{' '}
        {cov.jumps.length === 0 && cov.zeroVolumeRuns.length === 0
          ? t('market.clean')
          : `${t('market.jumps', { count: cov.jumps.length })} · ${t('market.zeroRuns', { count: cov.zeroVolumeRuns.length })}`}
      </span>
      {items.map((it) => (
        <div key={it.key} className="finding">
          <span>{it.text}</span>
          <button
            type="button"
            className="btn btn-small"
            disabled={busy === it.key}
            onClick={() => refetch(it.key, it.from, it.to)}
          >
            {busy === it.key ? t('market.refetching') : t('market.refetch')}
          </button>
        </div>
      ))}
    </div>
  );
}

function SeriesRow({ s }: { s: Series }) {
  const { t, i18n } = useTranslation();
  const { request, settings } = useDesk();
  const [cov, setCov] = useState<CoverageReport | null>(null);
  const [busy, setBusy] = useState(false);
  const display = settings?.settings.timeDisplay ?? 'local';
  const check = useCallback(() => {
    setBusy(true);
    request(
      'market.coverage',
      { symbol: s.symbol, timeframe: s.timeframe },
      (c) => {
        setCov(c);
        setBusy(false);
      },
      () => setBusy(false),
    );
  }, [request, s.symbol, s.timeframe]);

  return (
    <>
      <tr data-testid={`series-${s.symbol}:${s.timeframe}`}>
        <td className="mono">{s.symbol}</td>
        <td>{s.timeframe}</td>
        <td>{s.auto ? <StatusBadge tone="good">{t('market.auto')}</StatusBadge> : <span className="muted">—</span>}</td>
        <td className="num">{cov ? formatInteger(i18n.language, cov.bars) : '—'}</td>
        <td>{cov?.first ? formatDateTime(i18n.language, new Date(cov.first), display) : '—'}</td>
        <td>{cov?.last ? formatDateTime(i18n.language, new Date(cov.last), display) : '—'}</td>
        <td>
          {cov ? (
            cov.missingBars === 0 ? (
              <span className="good-text">{t('market.noGaps')}</span>
            ) : (
              <span className="warn-text">{`${cov.gapCount} · ${t('market.missing', { count: cov.missingBars })}`}</span>
            )
          ) : (
            '—'
          )}
        </td>
        <td className="actions">
          <button
            type="button"
            className="btn btn-small"
            onClick={check}
            disabled={busy}
            data-testid={`check-${s.symbol}:${s.timeframe}`}
          >
            {busy ? t('market.checking') : t('market.check')}
          </button>
          <a
            className="btn btn-small"
            href={`${href('charts')}?symbol=${encodeURIComponent(s.symbol)}&tf=${s.timeframe}`}
          >
            {t('market.chart')}
          </a>
        </td>
      </tr>
      {cov && cov.first !== null && (
        <tr className="subrow">
          <td colSpan={8}>
            <Timeline cov={cov} />
            <Findings s={s} cov={cov} />
          </td>
        </tr>
      )}
    </>
  );
}

export function MarketPage() {
  const { t } = useTranslation();
  const { health, request } = useDesk();
  const [exchanges, setExchanges] = useState<ExchangeInfo[] | null>(null);
  const [series, setSeries] = useState<Series[]>([]);
  const reload = useCallback(() => {
    request('market.series', {}, setSeries);
  }, [request]);

  useEffect(() => {
    request('exchanges.list', {}, setExchanges, () => setExchanges([]));
    reload();
  }, [request, reload]);

  const imports = useMemo(() => (health?.workers ?? []).filter((w) => w.job === 'import'), [health]);
  // A finished import changes what is stored: refresh the series list.
  const finished = imports.filter((w) => w.state === 'stopped').length;
  useEffect(reload, [finished, reload]);

  return (
    <section className="page" data-testid="page-market">
      <p className="page-subtitle">{t('market.subtitle')}</p>
      {exchanges && <ImportForm exchanges={exchanges} onStarted={reload} />}
      <FileImport />
      <div className="panel">
        <h2>{t('market.imports')}</h2>
        {imports.length === 0 ? (
          <p className="muted">{t('market.noImports')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('market.symbol')}</th>
                <th>{t('market.timeframe')}</th>
                <th>{t('market.state')}</th>
                <th>{t('market.progress')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {imports.map((w) => (
                <ImportRow key={w.name} w={w} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="panel">
        <h2>{t('market.series')}</h2>
        {series.length === 0 ? (
          <p className="muted">{t('market.noSeries')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('market.symbol')}</th>
                <th>{t('market.timeframe')}</th>
                <th />
                <th className="num">{t('market.bars')}</th>
                <th>{t('market.first')}</th>
                <th>{t('market.last')}</th>
                <th>{t('market.gaps')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {series.map((s) => (
                <SeriesRow key={`${s.symbol}:${s.timeframe}`} s={s} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
