// An import worker as the Market data page shows it (candle and perpetual imports alike): its
// series from its name, its state (finished or cancelled once the run has ended, as its result
// says, else the worker's own state) and its progress while it runs.
import { useTranslation } from 'react-i18next';
import type { WorkerStatus } from '../../../../core/api/contract';
import { formatInteger } from '../../../../core/format/format';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusBadge } from '../../components/StatusBadge';
import { workerTone } from '../healthTones';

export const isRunning = (w: WorkerStatus) => ['starting', 'running', 'restarting'].includes(w.state);

/** The series of an import named KIND:EXCHANGE:TICKER:TF (import:…, perp:…). */
export const partsOf = (w: WorkerStatus) => {
  const [, ex, ticker, tf] = w.name.split(':');
  return { symbol: `${ex}:${ticker}`, tf: tf ?? '' };
};

/** The progress bar of a running import: rows done of expected, and what it is at (`label`). */
export function ImportProgress({ w, label }: { w: WorkerStatus; label: string }) {
  const { i18n } = useTranslation();
  if (!w.progress || !isRunning(w)) return null;
  const int = (v: number) => formatInteger(i18n.language, v);
  return (
    <ProgressBar
      done={w.progress.done}
      total={w.progress.total}
      label={`${int(w.progress.done)} / ${int(w.progress.total)} · ${label}`}
      locale={i18n.language}
    />
  );
}

export function ImportState({ w }: { w: WorkerStatus }) {
  const { t } = useTranslation();
  return w.state === 'stopped' && typeof w.detail.cancelled === 'boolean' ? (
    <StatusBadge tone={w.detail.cancelled ? 'neutral' : 'good'}>
      {w.detail.cancelled ? t('market.cancelled') : t('market.finished')}
    </StatusBadge>
  ) : (
    <StatusBadge tone={workerTone(w.state)}>{t(`overview.workerState.${w.state}`)}</StatusBadge>
  );
}
