// Bars from a file (Binance CSV, Freqtrade JSON): path, symbol, timeframe and format, and
// each file job's report (rows read, accepted, stored, refused with a sample reason).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInteger } from '../../../../core/format/format';
import { StatusBadge } from '../../components/StatusBadge';
import { useDesk } from '../../deskContext';
import { workerTone } from '../healthTones';

export function FileImport() {
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
