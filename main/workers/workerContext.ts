// What a job sees of its worker process: a way to report progress, heartbeats and logs to
// the supervisor, and a signal that tells it to stop.
import type { LogFields, Logger } from '../../core/logging/logger';
import type { Priority } from '../../core/exchange/requestBudget';
import type { FromWorker } from '../../core/workers/protocol';
import type { Text } from '../../core/wording/wording';

export interface WorkerContext {
  log: Logger;
  progress(done: number, total: number, label: Text): void;
  heartbeat(detail?: Record<string, string | number | boolean | null>): void;
  idle(detail?: Record<string, string | number | boolean | null>): void;
  /** Aborted when the supervisor asks the worker to stop. */
  signal: AbortSignal;
  /** Sends an event for the desk (an order placed, an alert). */
  event(name: string, payload: unknown): void;
  /** Waits for request weight on an exchange account's budget, shared with the whole app. */
  acquire(account: string, weight: number, priority: Priority): Promise<void>;
}

export type Job = (
  params: Record<string, unknown>,
  ctx: WorkerContext,
) => Promise<Record<string, string | number | boolean | null> | void>;

export interface Grants {
  /** Called by the worker's message loop when the supervisor grants an `acquire`. */
  granted(id: number): void;
}

export function createWorkerContext(send: (message: FromWorker) => void, signal: AbortSignal): WorkerContext & Grants {
  const pending = new Map<number, () => void>();
  let nextId = 1;
  const makeLog = (bindings: LogFields): Logger => {
    const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) =>
      send({ type: 'log', level, message, fields: { ...bindings, ...fields } });
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (b) => makeLog({ ...bindings, ...b }),
    };
  };
  return {
    log: makeLog({}),
    progress: (done, total, label) => send({ type: 'progress', done, total, label }),
    heartbeat: (detail) => send(detail ? { type: 'heartbeat', detail } : { type: 'heartbeat' }),
    idle: (detail) => send(detail ? { type: 'idle', detail } : { type: 'idle' }),
    event: (name, payload) => send({ type: 'event', name, payload }),
    signal,
    acquire: (account, weight, priority) =>
      new Promise<void>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        send({ type: 'acquire', id, account, weight, priority });
      }),
    granted: (id) => {
      pending.get(id)?.();
      pending.delete(id);
    },
  };
}
