// The desk's alerts about its own health: the database gone for 5 s (one slow ping is no
// outage) and back again, and a worker that stopped unexpectedly. Policy only: the back end
// feeds it the database's and the workers' states and gives it a way to raise alerts.
import { word, type WordCode } from '../../core/wording/wording';
import type { DatabaseHealth, WorkerStatus } from '../../core/api/contract';
import type { Logger } from '../../core/logging/logger';
import type { AlertInput } from '../../core/monitor/alertKinds';

export const OUTAGE_ALERT_AFTER_MS = 5000;

export interface HealthAlertOptions {
  raise(input: AlertInput): void;
  /** Reads the alert channels while the database is up, so an outage alert can still go out. */
  readChannels(): Promise<unknown>;
  /** Keeps the alerts raised while the database was down, once it is back. */
  saveUnsaved(): Promise<unknown>;
  log: Logger;
  now?: () => number;
}

/** Follows the database's states; returns the listener to give them to. */
export function databaseOutageAlerts(o: HealthAlertOptions): (h: DatabaseHealth) => void {
  const now = o.now ?? Date.now;
  let lastState: string | null = null;
  let wasConnected = false;
  let downAlerted = false;
  return (h) => {
    if (h.state === 'connected' && lastState !== 'connected')
      void o.readChannels().catch((err: Error) => o.log.warn('alert channels not read', { message: err.message }));
    if (h.state === 'down' && wasConnected && !downAlerted && now() - Date.parse(h.since) >= OUTAGE_ALERT_AFTER_MS) {
      downAlerted = true;
      o.raise({
        kind: 'database-down',
        severity: 'critical',
        text: h.lastError
          ? word('alert.databaseDown', { since: h.since, error: h.lastError })
          : word('alert.databaseDownNoAnswer', { since: h.since }),
      });
    }
    if (h.state === 'connected') {
      wasConnected = true;
      if (downAlerted) {
        downAlerted = false;
        void o.saveUnsaved().then(
          () =>
            o.raise({
              kind: 'database-down',
              severity: 'warning',
              subject: 'back',
              text: word('alert.databaseBack'),
            }),
          (err: Error) => o.log.warn('alerts raised during the outage not kept', { message: err.message }),
        );
      }
    }
    lastState = h.state;
  };
}

/** Follows the workers' states: each unexpected stop is one alert (the supervisor restarts the worker; the trader should still know). */
export function workerCrashAlerts(raise: (input: AlertInput) => void): (status: WorkerStatus) => void {
  const seen = new Map<string, number>();
  return (status) => {
    if (
      (status.state === 'crashed' || status.state === 'restarting') &&
      (seen.get(status.name) ?? 0) < status.restarts + 1
    ) {
      seen.set(status.name, status.restarts + 1);
      raise({
        kind: 'worker-crashed',
        severity: status.name === 'executor' ? 'critical' : 'warning',
        text: status.lastError
          ? word('alert.workerCrashedWith', {
              worker: status.name,
              job: word(`job.${status.job}` as WordCode),
              error: status.lastError,
              restart: status.restarts + 1,
            })
          : word('alert.workerCrashed', {
              worker: status.name,
              job: word(`job.${status.job}` as WordCode),
              restart: status.restarts + 1,
            }),
      });
    }
  };
}
