// The desk's one table: columns as data (header, cell, alignment, an optional sort key), the
// empty state in its place, and sorting by a click on a header. Pages say what a column
// shows; the markup, the numbers' alignment and the sort arrows are the same everywhere.
import { Fragment, useMemo, useState, type ReactNode } from 'react';
import { LoadError } from './LoadError';
import { nextSort, sortRows, type TableSort } from './tableSort';

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell(row: T): ReactNode;
  /** Right-aligned figures. */
  num?: boolean;
  /** Extra classes of the cell, fixed or from the row (e.g. a loss in red). */
  className?: string | ((row: T) => string);
  title?: string;
  /** Given: a click on the header sorts the rows by this value. */
  sortValue?(row: T): number | string | null;
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
  /** The rows could not be loaded: shown in place of the table and of the empty state. */
  error?: string | null;
  onRetry?: () => void;
  testId?: string;
  rowTestId?: string | ((row: T) => string);
  /** Long lists scroll inside the panel with the header kept in view. */
  scroll?: boolean;
  className?: string;
  rowClassName?(row: T): string;
  /** Shown under a row across the whole table (details of that row), or nothing. */
  expanded?(row: T): ReactNode;
}

export function DataTable<T>(p: DataTableProps<T>) {
  const [sort, setSort] = useState<TableSort>(null);
  const rows = useMemo(() => {
    const value = sort && p.columns.find((c) => c.key === sort.key)?.sortValue;
    return sort && value ? sortRows(p.rows, value, sort.dir) : p.rows;
  }, [p.rows, p.columns, sort]);
  const error = p.error ? (
    <LoadError message={p.error} onRetry={p.onRetry} testId={p.testId && `${p.testId}-error`} />
  ) : null;
  // Unknown is not empty: a failed load never shows the empty state (the last rows it had stay, under the error).
  if (p.rows.length === 0 && error) return error;
  if (p.rows.length === 0)
    return (
      <div className="muted" data-testid={p.testId && `${p.testId}-empty`}>
        {p.empty}
      </div>
    );
  const cls = (c: Column<T>, row: T) =>
    [c.num ? 'num' : '', typeof c.className === 'function' ? c.className(row) : (c.className ?? '')]
      .filter(Boolean)
      .join(' ') || undefined;
  const table = (
    <table className={`table${p.className ? ` ${p.className}` : ''}`} data-testid={p.testId}>
      <thead>
        <tr>
          {p.columns.map((c) => {
            const sorted = sort?.key === c.key ? sort.dir : 0;
            return (
              <th
                key={c.key}
                className={[c.num ? 'num' : '', c.sortValue ? 'sortable' : ''].filter(Boolean).join(' ') || undefined}
                title={c.title}
                aria-sort={sorted === 1 ? 'ascending' : sorted === -1 ? 'descending' : undefined}
                onClick={c.sortValue ? () => setSort(nextSort(sort, c.key)) : undefined}
              >
                {c.header}
                {sorted !== 0 && <span className="sort-mark">{sorted === 1 ? ' ▲' : ' ▼'}</span>}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const key = p.rowKey(row);
          const details = p.expanded?.(row);
          return (
            <Fragment key={key}>
              <tr
                className={p.rowClassName?.(row)}
                data-testid={typeof p.rowTestId === 'function' ? p.rowTestId(row) : p.rowTestId}
              >
                {p.columns.map((c) => (
                  <td key={c.key} className={cls(c, row)}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
              {details ? (
                <tr className="subrow">
                  <td colSpan={p.columns.length}>{details}</td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
  const body = p.scroll ? <div className="table-scroll">{table}</div> : table;
  return error ? (
    <>
      {error}
      {body}
    </>
  ) : (
    body
  );
}
