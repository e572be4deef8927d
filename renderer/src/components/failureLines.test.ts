import { describe, expect, it } from 'vitest';
import { failureLines } from './failureLines';

describe('failureLines', () => {
  it('puts requests that failed for one reason on one line, and a reply the page could not show on its own', () => {
    const at = 0;
    expect(
      failureLines([
        { method: 'market.series', message: 'database down', at, kind: 'request' },
        { method: 'market.bars', message: 'database down', at, kind: 'request' },
        { method: 'market.coverage', message: 'database down', at, kind: 'show' },
        { method: 'signals.recent', message: 'timed out', at, kind: 'request' },
      ]),
    ).toEqual([
      {
        key: 'request|database down',
        kind: 'request',
        message: 'database down',
        methods: ['market.series', 'market.bars'],
      },
      { key: 'show|database down', kind: 'show', message: 'database down', methods: ['market.coverage'] },
      { key: 'request|timed out', kind: 'request', message: 'timed out', methods: ['signals.recent'] },
    ]);
  });
});
