// What workers report for the desk: checked against the API's events before it is passed on,
// and a worker's alert goes through the alert center like every other (de-duplication,
// channels). Anything unknown or malformed is dropped with a log line saying which worker.
import { events, type EventName, type EventPayload } from '../../core/api/contract';
import { AlertSchema } from '../../core/api/signalsContract';
import type { Logger } from '../../core/logging/logger';
import type { AlertInput } from '../../core/monitor/alertKinds';

export interface WorkerEventOptions {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  raise(input: AlertInput): void;
  log: Logger;
}

/** The listener to give the supervisor's worker events to. */
export function workerEventRelay(o: WorkerEventOptions): (worker: string, name: string, payload: unknown) => void {
  return (worker, name, payload) => {
    if (!(name in events)) return o.log.warn('worker sent an unknown event; ignored', { worker, name });
    if (name === 'alertRaised') {
      const a = AlertSchema.safeParse(payload);
      if (!a.success || !a.data.wording) return o.log.warn('worker sent a malformed alert; ignored', { worker });
      return o.raise({
        kind: a.data.kind,
        severity: a.data.severity,
        text: a.data.wording,
        strategy_id: a.data.strategy_id,
        pair: a.data.pair,
        timeframe: a.data.timeframe,
      });
    }
    const parsed = events[name as EventName].safeParse(payload);
    if (!parsed.success) return o.log.warn('worker sent a malformed event; ignored', { worker, name });
    o.emit(name as EventName, parsed.data as never);
  };
}
