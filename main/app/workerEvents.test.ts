// A worker's events: a known, well-formed event is passed on; an alert goes to the alert
// center; an unknown or malformed one is dropped with a line naming the worker.
import { word } from '../../core/wording/wording';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { workerEventRelay } from './workerEvents';

function relay() {
  const log = createMemoryLogger();
  const emitted: { name: string; payload: unknown }[] = [];
  const raised: AlertInput[] = [];
  const on = workerEventRelay({
    emit: (name, payload) => void emitted.push({ name, payload }),
    raise: (a) => void raised.push(a),
    log,
  });
  return { on, log, emitted, raised };
}

const worker = {
  name: 'executor',
  job: 'executor',
  state: 'running',
  pid: 12,
  restarts: 0,
  startedAt: '2026-12-06T06:00:00.000Z',
  lastHeartbeat: null,
  lastError: null,
  nextRestartAt: null,
  progress: null,
  detail: { trading: 'on' },
};

describe('worker events', () => {
  it('passes a well-formed event on and sends an alert through the alert center', () => {
    const r = relay();
    r.on('executor', 'workerChanged', worker);
    r.on('executor', 'alertRaised', {
      id: 'a1',
      kind: 'execution',
      severity: 'warning',
      message: 'the step failed: “boom”',
      wording: word('step.failed', { error: 'boom' }),
      strategy_id: 's1',
      pair: 'BTC/USDT',
      timeframe: '1m',
      at: '2026-12-06T06:00:01.000Z',
    });
    expect(r.emitted).toEqual([{ name: 'workerChanged', payload: worker }]);
    expect(r.raised).toEqual([
      {
        kind: 'execution',
        severity: 'warning',
        text: word('step.failed', { error: 'boom' }),
        strategy_id: 's1',
        pair: 'BTC/USDT',
        timeframe: '1m',
      },
    ]);
    expect(r.log.lines).toEqual([]);
  });

  it('drops an unknown event, a malformed event and a malformed alert, each with its reason and the worker', () => {
    const r = relay();
    r.on('import:x', 'ordersDeleted', {});
    r.on('import:x', 'workerChanged', { ...worker, restarts: -1 });
    r.on('executor', 'alertRaised', { kind: 'no-such-kind' });
    expect(r.emitted).toEqual([]);
    expect(r.raised).toEqual([]);
    expect(r.log.lines.map((l) => [l.level, l.message, l.fields?.worker])).toEqual([
      ['warn', 'worker sent an unknown event; ignored', 'import:x'],
      ['warn', 'worker sent a malformed event; ignored', 'import:x'],
      ['warn', 'worker sent a malformed alert; ignored', 'executor'],
    ]);
  });
});
