import type { DatabaseHealth, WorkerStatus } from '../../../core/api/contract';
import type { Tone } from '../components/StatusBadge';

export const dbTone = (state: DatabaseHealth['state']): Tone =>
  state === 'connected' ? 'good' : state === 'connecting' ? 'busy' : 'bad';

export const workerTone = (state: WorkerStatus['state']): Tone =>
  state === 'idle' || state === 'running'
    ? 'good'
    : state === 'starting' || state === 'restarting'
      ? 'busy'
      : state === 'crashed' || state === 'failed'
        ? 'bad'
        : 'neutral';
