// Bars from a file (Binance CSV; Freqtrade feather, parquet, json, jsongz): path, symbol,
// timeframe, format and what the file holds (candles, or a perpetual's funding rates or
// last/mark/index bars, as Freqtrade keeps futures data), and each file job's report: rows read, accepted and rejected (with a
// sample reason), bars new, changed and identical to what was stored, and a way to replace
// the changed ones. A refused file shows its reason.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkerStatus } from '../../../../core/api/contract';
import { formatInteger } from '../../../../core/format/format';
import { CANDLE_FILE_FORMATS, type CandleFileFormat } from '../../../../core/market/fileFormats';
import { StatusBadge } from '../../components/StatusBadge';
import { useDesk } from '../../deskContext';
import { say } from '../../i18n/say';
import { workerTone } from '../healthTones';

/** Format names are product names: the same in every language. */
const FORMAT_NAMES: Record<CandleFileFormat, string> = {
  'binance-csv': 'Binance CSV',
  'freqtrade-json': 'Freqtrade JSON',
  'freqtrade-jsongz': 'Freqtrade JSON (gzip)',
  feather: 'Feather (Arrow IPC)',
  parquet: 'Parquet',
};

/** What a file may hold: the series' candles, or its perpetual's data. */
const FILE_DATA = ['candles', 'funding', 'last', 'mark', 'index'] as const;
type FileData = (typeof FILE_DATA)[number];

export function FileImport() {
  const { t, i18n } = useTranslation();
  const { health, request } = useDesk();
  const [path, setPath] = useState('');
  const [symbol, setSymbol] = useState('BINANCE:BTCUSDT');
  const [timeframe, setTimeframe] = useState<'1m' | '1d'>('1m');
  const [format, setFormat] = useState<'auto' | CandleFileFormat>('auto');
  const [holds, setHolds] = useState<FileData>('candles');
  const [error, setError] = useState<string | null>(null);
  const jobs = (health?.workers ?? []).filter((w) => w.job === 'fileImport');
  const send = (req: {
    path: string;
    symbol: string;
    timeframe: '1m' | '1d';
    format: 'auto' | CandleFileFormat;
    replace: boolean;
  }) => {
    setError(null);
    request('market.importFile', req, () => undefined, setError);
  };
  const replaceChanged = (w: WorkerStatus) => {
    const d = w.detail;
    if (typeof d.path !== 'string' || typeof d.symbol !== 'string' || (d.timeframe !== '1m' && d.timeframe !== '1d'))
      return;
    send({
      path: d.path,
      symbol: d.symbol,
      timeframe: d.timeframe,
      format: (CANDLE_FILE_FORMATS as readonly unknown[]).includes(d.format) ? (d.format as CandleFileFormat) : 'auto',
      replace: true,
    });
  };
  const n = (v: unknown) => formatInteger(i18n.language, typeof v === 'number' ? v : 0);
  return (
    <div className="panel">
      <h2>{t('market.fileImport')}</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const req = { path: path.trim(), symbol: symbol.trim(), timeframe, format };
          if (holds === 'candles') send({ ...req, replace: false });
          else {
            setError(null);
            request('market.perp.importFile', { ...req, kind: holds }, () => undefined, setError);
          }
        }}
      >
        <label className="grow">
          <span className="form-label">{t('market.filePath')}</span>
          <input
            data-testid="file-path"
            value={path}
            placeholder="/home/me/BTC_USDT-1m.feather"
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        <label>
          <span className="form-label">{t('market.fileSymbol')}</span>
          <input data-testid="file-symbol" value={symbol} onChange={(e) => setSymbol(e.target.value.toUpperCase())} />
        </label>
        <label>
          <span className="form-label">{t('market.timeframe')}</span>
          <select
            data-testid="file-timeframe"
            value={timeframe}
            onChange={(e) => setTimeframe(e.target.value as '1m' | '1d')}
          >
            <option value="1m">1m</option>
            <option value="1d">1d</option>
          </select>
        </label>
        <label>
          <span className="form-label">{t('market.fileFormat')}</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            <option value="auto">{t('market.formatAuto')}</option>
            {CANDLE_FILE_FORMATS.map((f) => (
              <option key={f} value={f} translate="no">
                {FORMAT_NAMES[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="form-label">{t('market.fileHolds')}</span>
          <select data-testid="file-holds" value={holds} onChange={(e) => setHolds(e.target.value as FileData)}>
            {FILE_DATA.map((d) => (
              <option key={d} value={d}>
                {t(`market.fileData.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn" data-testid="file-import" disabled={!path.trim()}>
          {t('market.importFile')}
        </button>
      </form>
      <div className="muted small note-plain">{t('market.fileNote')}</div>
      {error && <div className="error-text small">{error}</div>}
      {jobs.map((w) => {
        const d = w.detail;
        const changed = typeof d.changed === 'number' ? d.changed : 0;
        return (
          <div key={w.name} className="file-job" data-testid={`file-job-${w.name}`}>
            <span className="mono" translate="no">
              {w.name.replace(/^file:/, '')}
            </span>
            {w.state === 'stopped' ? (
              <StatusBadge tone="good">{t('market.finished')}</StatusBadge>
            ) : (
              <StatusBadge tone={workerTone(w.state)}>{t(`overview.workerState.${w.state}`)}</StatusBadge>
            )}
            {w.state === 'stopped' && typeof d.rows === 'number' && (
              <>
                {typeof d.format === 'string' && d.format in FORMAT_NAMES && (
                  <span className="muted" translate="no">
                    {FORMAT_NAMES[d.format as CandleFileFormat]}
                  </span>
                )}
                <span data-testid="file-report">
                  {t('market.fileReport', {
                    accepted: n(d.accepted),
                    rows: n(d.rows),
                    rejected: n(d.rejected),
                    new: n(d.new ?? d.stored),
                    changed: n(d.changed),
                    identical: n(d.identical),
                  })}
                </span>
                {d.replace === true && changed > 0 && (
                  <span className="good-text small">{t('market.fileReplaced', { replaced: n(d.replaced) })}</span>
                )}
                {d.replace !== true && changed > 0 && (
                  <>
                    {/* a perpetual's data is kept as stored: there is no replacing it from a file */}
                    <span className="warn-text small">
                      {t(
                        d.data === undefined || d.data === 'candles' ? 'market.fileReplaceNote' : 'market.fileKeptNote',
                      )}
                    </span>
                    {(d.data === undefined || d.data === 'candles') && (
                      <button
                        type="button"
                        className="btn btn-small"
                        data-testid="file-replace"
                        onClick={() => replaceChanged(w)}
                      >
                        {t('market.fileReplace', { changed: n(changed) })}
                      </button>
                    )}
                  </>
                )}
              </>
            )}
            {typeof d.rejectedSample === 'string' && d.rejectedSample && (
              <span className="warn-text small" translate="no">
                “{d.rejectedSample}”
              </span>
            )}
            {(w.failure || w.lastError) && (
              <span className="error-text small" data-testid="file-failure">
                {say(t, w.failure ?? w.lastError)}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
