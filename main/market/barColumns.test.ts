// The columnar copy's files against a plain model (a map from open time to bar): adds in any
// order, across month boundaries, replaced ranges, reads of any range; damaged files are refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { barsFromTuples, type OhlcvTuple } from '../../core/market/bars';
import { BarColumns } from './barColumns';

const MIN = 60_000;
const DAY = 86_400_000;
// 20 minutes before a month ends: writes and reads cross into the next month's file
const T0 = Date.UTC(2026, 0, 31, 23, 40);
const dirs: string[] = [];
const freshDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-columns-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const bar = (k: number, v: number): OhlcvTuple => [T0 + k * MIN, v, v + 1, v - 1, v + 0.5, k];

function modelRead(model: Map<number, OhlcvTuple>, from: number, to: number): OhlcvTuple[] {
  return [...model.values()].filter((b) => b[0] >= from && b[0] <= to).sort((a, b) => a[0] - b[0]);
}

function asTuples(b: ReturnType<BarColumns['read']>): OhlcvTuple[] {
  return Array.from({ length: b.length }, (_, i) => [
    b.time[i]!,
    b.open[i]!,
    b.high[i]!,
    b.low[i]!,
    b.close[i]!,
    b.volume[i]!,
  ]);
}

describe('columnar copy of bars', () => {
  it('agrees with a map of bars after any adds and range replacements, for any range read (property)', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        keys: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 25 }),
        v: fc.integer({ min: 1, max: 1000 }),
      }),
      fc.record({
        kind: fc.constant('replace' as const),
        a: fc.integer({ min: -5, max: 65 }),
        b: fc.integer({ min: -5, max: 65 }),
        keys: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 25 }),
        v: fc.integer({ min: 1, max: 1000 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 8 }),
        fc.integer({ min: -5, max: 65 }),
        fc.integer({ min: -5, max: 65 }),
        (ops, a, b) => {
          const columns = new BarColumns(freshDir());
          const model = new Map<number, OhlcvTuple>();
          for (const o of ops) {
            if (o.kind === 'add') {
              const bars = o.keys.map((k) => bar(k, o.v + k));
              columns.add('DEMO:BTCUSDT', '1m', bars);
              for (const x of bars) model.set(x[0], x);
            } else {
              const from = T0 + Math.min(o.a, o.b) * MIN;
              const to = T0 + Math.max(o.a, o.b) * MIN;
              const fresh = [...new Set(o.keys)]
                .map((k) => bar(k, o.v))
                .filter((x) => x[0] >= from && x[0] <= to)
                .sort((x, y) => x[0] - y[0]);
              columns.replaceRange(barsFromTuples('DEMO:BTCUSDT', '1m', fresh), from, to);
              for (const t of [...model.keys()]) if (t >= from && t <= to) model.delete(t);
              for (const x of fresh) model.set(x[0], x);
            }
          }
          const from = T0 + Math.min(a, b) * MIN;
          const to = T0 + Math.max(a, b) * MIN;
          expect(asTuples(columns.read('DEMO:BTCUSDT', '1m', from, to))).toEqual(modelRead(model, from, to));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps a month per file for minutes and one file for days', () => {
    const dir = freshDir();
    const columns = new BarColumns(dir);
    columns.add('DEMO:BTCUSDT', '1m', [bar(0, 1), bar(30, 2)]);
    columns.add('DEMO:BTCUSDT', '1d', [
      [Date.UTC(2025, 0, 1), 1, 2, 0.5, 1.5, 10],
      [Date.UTC(2026, 0, 1), 1, 2, 0.5, 1.5, 10],
    ]);
    expect(fs.readdirSync(path.join(dir, 'DEMO_BTCUSDT', '1m')).sort()).toEqual(['2026-01.arrow', '2026-02.arrow']);
    expect(fs.readdirSync(path.join(dir, 'DEMO_BTCUSDT', '1d'))).toEqual(['all.arrow']);
    expect(columns.read('DEMO:BTCUSDT', '1d', 0, Date.UTC(2027, 0, 1)).length).toBe(2);
    expect(columns.read('DEMO:BTCUSDT', '1d', Date.UTC(2025, 0, 2), Date.UTC(2026, 0, 1) - DAY).length).toBe(0);
    // replacing all time (a full read from the database) writes only the months that hold bars
    columns.replaceRange(barsFromTuples('DEMO:BTCUSDT', '1m', [bar(1, 5)]), 0, T0 + 90 * DAY);
    expect(fs.readdirSync(path.join(dir, 'DEMO_BTCUSDT', '1m')).sort()).toEqual(['2026-01.arrow', '2026-02.arrow']);
    expect(asTuples(columns.read('DEMO:BTCUSDT', '1m', 0, T0 + 90 * DAY))).toEqual([bar(1, 5)]);
  });

  it('refuses a damaged file and reads a missing one as empty; the next write replaces the damaged one', () => {
    const dir = freshDir();
    const columns = new BarColumns(dir);
    columns.add('DEMO:BTCUSDT', '1m', [bar(0, 1), bar(1, 2)]);
    const file = path.join(dir, 'DEMO_BTCUSDT', '1m', '2026-01.arrow');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 40));
    expect(() => columns.read('DEMO:BTCUSDT', '1m', T0, T0 + MIN)).toThrow();
    columns.add('DEMO:BTCUSDT', '1m', [bar(1, 3)]);
    expect(asTuples(columns.read('DEMO:BTCUSDT', '1m', T0, T0 + MIN))).toEqual([bar(1, 3)]);
    fs.rmSync(file);
    expect(columns.read('DEMO:BTCUSDT', '1m', T0, T0 + MIN).length).toBe(0);
  });
});
