// The desk's alerts about its own health, fed a sequence of states with a stepped clock.
import { english } from '../../core/wording/wording';
import { describe, expect, it } from 'vitest';
import type { DatabaseHealth, WorkerStatus } from '../../core/api/contract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { OUTAGE_ALERT_AFTER_MS, databaseOutageAlerts, workerCrashAlerts } from './healthAlerts';

const T0 = Date.UTC(2026, 11, 6, 12);
const db = (state: DatabaseHealth['state'], since: number): DatabaseHealth => ({
  state,
  server: 'ferretdb',
  managed: true,
  version: null,
  engine: null,
  uri: 'mongodb://127.0.0.1',
  dbName: 'quantdesk',
  pid: null,
  latencyMs: null,
  lastError: state === 'down' ? 'no answer to a ping' : null,
  checkedAt: new Date(since).toISOString(),
  since: new Date(since).toISOString(),
  ttlIndex: 'unknown',
});

describe('database outage alerts', () => {
  it('raises one critical alert once the database has been down 5 s, and one when it is back', async () => {
    const raised: AlertInput[] = [];
    let now = T0;
    const on = databaseOutageAlerts({
      raise: (a) => raised.push(a),
      readChannels: async () => [],
      saveUnsaved: async () => undefined,
      log: createMemoryLogger(),
      now: () => now,
    });
    on(db('connecting', T0));
    on(db('connected', T0));
    now = T0 + 10_000;
    on(db('down', now));
    now += OUTAGE_ALERT_AFTER_MS - 1;
    on(db('down', T0 + 10_000));
    expect(raised).toEqual([]); // one slow ping is no outage
    now += 1;
    on(db('down', T0 + 10_000));
    on(db('down', T0 + 10_000));
    expect(raised.map((a) => [a.kind, a.severity])).toEqual([['database-down', 'critical']]);
    on(db('connected', now));
    await new Promise((r) => setTimeout(r, 0));
    expect(raised.map((a) => [a.kind, a.severity, a.subject ?? null])).toEqual([
      ['database-down', 'critical', null],
      ['database-down', 'warning', 'back'],
    ]);
  });

  it('says nothing about a database that was never connected (the start-up screen says why)', () => {
    const raised: AlertInput[] = [];
    const on = databaseOutageAlerts({
      raise: (a) => raised.push(a),
      readChannels: async () => [],
      saveUnsaved: async () => undefined,
      log: createMemoryLogger(),
      now: () => T0 + 60_000,
    });
    on(db('down', T0));
    expect(raised).toEqual([]);
  });
});

describe('worker crash alerts', () => {
  it('raises one alert per unexpected stop, critical for the executor', () => {
    const raised: AlertInput[] = [];
    const on = workerCrashAlerts((a) => raised.push(a));
    const w = (name: string, state: WorkerStatus['state'], restarts: number) =>
      ({ name, job: name.split(':')[0], state, restarts, lastError: 'killed by SIGKILL' }) as WorkerStatus;
    on(w('executor', 'running', 0));
    on(w('executor', 'crashed', 0));
    on(w('executor', 'restarting', 0));
    on(w('executor', 'running', 1));
    on(w('import:DEMO:BTCUSDT:1m', 'crashed', 0));
    on(w('executor', 'crashed', 1));
    expect(raised.map((a) => [a.kind, a.severity, english(a.text)])).toEqual([
      [
        'worker-crashed',
        'critical',
        'Executor (trading, reconciliation) stopped unexpectedly (worker executor, restart 1): “killed by SIGKILL”',
      ],
      [
        'worker-crashed',
        'warning',
        'Candle import stopped unexpectedly (worker import:DEMO:BTCUSDT:1m, restart 1): “killed by SIGKILL”',
      ],
      [
        'worker-crashed',
        'critical',
        'Executor (trading, reconciliation) stopped unexpectedly (worker executor, restart 2): “killed by SIGKILL”',
      ],
    ]);
  });
});
