// An import worker's state as the Market data page says it: finished or cancelled once the run
// has ended (its result says which), else the worker's own state.
import { useTranslation } from 'react-i18next';
import type { WorkerStatus } from '../../../../core/api/contract';
import { StatusBadge } from '../../components/StatusBadge';
import { workerTone } from '../healthTones';

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
