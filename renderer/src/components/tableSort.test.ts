// Table sorting against a plain reference: numbers as numbers, text by locale, blanks last
// both ways, equal values in their original order, and the three-click cycle.
import { describe, expect, it } from 'vitest';
import { nextSort, sortRows } from './tableSort';

const rows = [
  { id: 'a', pnl: 5, name: 'eth' },
  { id: 'b', pnl: null, name: 'btc' },
  { id: 'c', pnl: -2, name: 'sol' },
  { id: 'd', pnl: 5, name: 'ada' },
  { id: 'e', pnl: 40, name: 'bnb' },
];

describe('table sort', () => {
  it('sorts numbers as numbers either way, keeps blanks last and ties in their order', () => {
    expect(sortRows(rows, (r) => r.pnl, -1).map((r) => r.id)).toEqual(['e', 'a', 'd', 'c', 'b']);
    expect(sortRows(rows, (r) => r.pnl, 1).map((r) => r.id)).toEqual(['c', 'a', 'd', 'e', 'b']);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']); // a copy, the input unchanged
  });

  it('sorts text like a reference sort by locale', () => {
    const byName = [...rows].sort((x, y) => x.name.localeCompare(y.name)).map((r) => r.id);
    expect(sortRows(rows, (r) => r.name, 1).map((r) => r.id)).toEqual(byName);
    expect(sortRows(rows, (r) => r.name, -1).map((r) => r.id)).toEqual([...byName].reverse());
  });

  it('cycles largest first, smallest first, as they came', () => {
    expect(nextSort(null, 'pnl')).toEqual({ key: 'pnl', dir: -1 });
    expect(nextSort({ key: 'pnl', dir: -1 }, 'pnl')).toEqual({ key: 'pnl', dir: 1 });
    expect(nextSort({ key: 'pnl', dir: 1 }, 'pnl')).toBeNull();
    expect(nextSort({ key: 'pnl', dir: 1 }, 'name')).toEqual({ key: 'name', dir: -1 });
  });
});
