import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIORITIES, RequestBudget, type Priority } from './requestBudget';

describe('request budget', () => {
  it('never spends more than the limit in any window (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 5000 }),
            weight: fc.integer({ min: 1, max: 20 }),
            priority: fc.constantFrom(...PRIORITIES),
          }),
          { maxLength: 300 },
        ),
        (reqs) => {
          const b = new RequestBudget({ limit: 100, windowMs: 10_000, reserve: 0.2 });
          const grants: { at: number; weight: number }[] = [];
          const weights = new Map<number, number>();
          let now = 0;
          reqs.forEach((r, id) => {
            now += r.dt;
            b.enqueue(id, r.weight, r.priority as Priority);
            weights.set(id, r.weight);
            for (const g of b.grant(now)) grants.push({ at: now, weight: weights.get(g)! });
          });
          for (const g of grants) {
            const inWindow = grants
              .filter((x) => x.at > g.at - 10_000 && x.at <= g.at)
              .reduce((n, x) => n + x.weight, 0);
            expect(inWindow).toBeLessThanOrEqual(100);
          }
        },
      ),
    );
  });

  it('keeps a reserve that imports can never use, so trading always has room', () => {
    const b = new RequestBudget({ limit: 100, windowMs: 60_000, reserve: 0.25 });
    for (let i = 0; i < 50; i++) b.enqueue(i, 2, 'importer');
    expect(b.grant(0)).toHaveLength(37); // 75 of 100
    expect(b.used(0)).toBe(74);
    b.enqueue(100, 20, 'executor');
    expect(b.grant(1)).toEqual([100]);
  });

  it('serves the executor first, then the UI, then imports; and frees room as the window rolls', () => {
    const b = new RequestBudget({ limit: 10, windowMs: 1000, reserve: 0 });
    b.enqueue(1, 10, 'importer');
    b.grant(0);
    b.enqueue(2, 4, 'importer');
    b.enqueue(3, 4, 'ui');
    b.enqueue(4, 4, 'executor');
    expect(b.grant(500)).toEqual([]);
    expect(b.nextGrantIn(500)).toBe(500);
    expect(b.grant(1000)).toEqual([4, 3]);
    expect(b.grant(2000)).toEqual([2]);
    expect(b.waiting).toBe(0);
  });

  it('refuses impossible weights and bad settings', () => {
    expect(() => new RequestBudget({ limit: 0, windowMs: 1, reserve: 0 })).toThrow();
    const b = new RequestBudget({ limit: 10, windowMs: 1000, reserve: 0.1 });
    expect(() => b.enqueue(1, 11, 'executor')).toThrow(/outside/);
    expect(() => b.enqueue(1, 10, 'importer')).toThrow(/outside 1..9 for importer/);
    expect(() => b.enqueue(1, 0, 'executor')).toThrow(/outside/);
  });
});
