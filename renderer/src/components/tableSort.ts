// How a table sorts: a click on a header sorts by it (largest first), a second click the other
// way, a third puts the rows back as they came. Blanks stay at the end either way.

export type TableSort = { key: string; dir: 1 | -1 } | null;

export function nextSort(current: TableSort, key: string): TableSort {
  if (current?.key !== key) return { key, dir: -1 };
  return current.dir === -1 ? { key, dir: 1 } : null;
}

function compare(a: number | string, b: number | string): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

/** A sorted copy (stable: equal values keep their order). */
export function sortRows<T>(rows: readonly T[], value: (row: T) => number | string | null, dir: 1 | -1): T[] {
  return rows
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      return compare(a.v, b.v) * dir || a.i - b.i;
    })
    .map((x) => x.row);
}
