import { describe, expect, it } from 'vitest';
import { workerHistory } from './workerHistory';

describe('worker history', () => {
  it('lines up the worker state per sample and counts the share of sampled time it was up', () => {
    const samples = [
      {}, // kept before workers were sampled
      { workers: [{ name: 'executor', state: 'running' as const, heartbeatAgeMs: 2000 }] },
      { workers: [{ name: 'executor', state: 'crashed' as const, heartbeatAgeMs: null }] },
      { workers: [{ name: 'executor', state: 'restarting' as const, heartbeatAgeMs: 9000 }] },
      {
        workers: [
          { name: 'executor', state: 'idle' as const, heartbeatAgeMs: 1000 },
          { name: 'database', state: 'running' as const, heartbeatAgeMs: 500 },
        ],
      },
    ];
    expect(workerHistory(samples, 'executor')).toEqual({
      states: [null, 'running', 'crashed', 'restarting', 'idle'],
      upPct: 50,
      worstHeartbeatAgeMs: 9000,
    });
    expect(workerHistory(samples, 'database')).toEqual({
      states: [null, null, null, null, 'running'],
      upPct: 100,
      worstHeartbeatAgeMs: 500,
    });
    expect(workerHistory(samples, 'gone')).toEqual({
      states: [null, null, null, null, null],
      upPct: null,
      worstHeartbeatAgeMs: null,
    });
  });
});
