// Perpetual-futures data beside the stored spot series: per series from an exchange, an import
// of its funding and last/mark/index price bars and a switch recording order-book depth; the
// perpetual imports with their progress (or failure, in words); and what is stored of each kind.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PerpCoverage, SeriesView, WorkerStatus } from '../../../../core/api/contract';
import { formatInteger } from '../../../../core/format/format';
import { FROM_FILE } from '../../../../core/market/fileFormats';
import { DataTable } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { useDesk } from '../../deskContext';
import { say } from '../../i18n/say';
import { useFormat } from '../../useFormat';
import { useLoaded } from '../../useLoaded';
import { ImportProgress, ImportState, isRunning, partsOf } from './ImportState';

const keyOf = (s: { symbol: string; timeframe: string }) => `${s.symbol}:${s.timeframe}`;
/** How often what is stored is read again while an import runs, and while depth is recorded (it samples every 10 s). */
const WHILE_IMPORTING_MS = 3000;
const WHILE_RECORDING_MS = 10_000;

export function PerpPanel({
  series,
  workers,
  fileImports,
  onChanged,
}: {
  series: SeriesView[];
  /** The perpetual imports' workers (job derivativesImport). */
  workers: WorkerStatus[];
  /** File imports of perpetual data: what is stored is read again when one ends. */
  fileImports: WorkerStatus[];
  /** A series' perpetual switches changed: read the series again. */
  onChanged(): void;
}) {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const { when } = useFormat();
  const int = (v: number) => formatInteger(i18n.language, v);
  const coverage = useLoaded<PerpCoverage[]>();
  const [asked, setAsked] = useState<ReadonlySet<string>>(new Set());
  const [refused, setRefused] = useState<Record<string, string>>({});

  const load = useCallback(
    () => request('market.perp.coverage', {}, coverage.ok, coverage.fail),
    [request, coverage.ok, coverage.fail],
  );
  useEffect(load, [load]);

  const fromExchanges = useMemo(
    () =>
      series.filter((s) => s.exchange !== FROM_FILE && !s.deleting).sort((a, b) => keyOf(a).localeCompare(keyOf(b))),
    [series],
  );
  const importing = workers.some(isRunning);
  const recording = series.some((s) => s.depth);
  // What is stored grows while an import runs and while depth is recorded: read it again meanwhile ...
  useEffect(() => {
    if (!importing && !recording) return;
    const id = window.setInterval(load, importing ? WHILE_IMPORTING_MS : WHILE_RECORDING_MS);
    return () => window.clearInterval(id);
  }, [importing, recording, load]);
  // ... and once more when a run ends.
  const ended = [...workers, ...fileImports]
    .filter((w) => !isRunning(w))
    .map((w) => `${w.name}@${w.startedAt ?? ''}`)
    .join(' ');
  useEffect(() => {
    if (ended) load();
  }, [ended, load]);

  const workerOf = (s: SeriesView) => workers.find((w) => w.name === `perp:${keyOf(s)}`);
  const refuse = (key: string, message: string | null) =>
    setRefused(({ [key]: _, ...rest }) => (message === null ? rest : { ...rest, [key]: message }));
  const mark = (key: string, on: boolean) =>
    setAsked((cur) => {
      const next = new Set(cur);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const startImport = (s: SeriesView) => {
    const key = keyOf(s);
    mark(key, true);
    refuse(key, null);
    request(
      'market.perp.import',
      { symbol: s.symbol, timeframe: s.timeframe },
      () => {
        mark(key, false);
        onChanged();
        load();
      },
      (message) => {
        mark(key, false);
        refuse(key, message);
      },
    );
  };
  const setDepth = (s: SeriesView, on: boolean) => {
    const key = keyOf(s);
    refuse(key, null);
    request(
      'market.perp.depth',
      { symbol: s.symbol, timeframe: s.timeframe, on },
      () => {
        onChanged();
        load();
      },
      (message) => refuse(key, message),
    );
  };

  /** What an ended import stored, by kind. */
  const outcome = (w: WorkerStatus) => {
    const d = w.detail;
    if (d.cancelled === true) return t('market.cancelled');
    if (typeof d.funding !== 'number') return null;
    const n = (v: unknown) => int(typeof v === 'number' ? v : 0);
    return t('market.perp.stored', { funding: n(d.funding), last: n(d.last), mark: n(d.mark), index: n(d.index) });
  };
  return (
    <div className="panel" data-testid="perp-panel">
      <h2>{t('market.perp.title')}</h2>
      <div className="muted small perp-note">{t('market.perp.note')}</div>
      <DataTable<SeriesView>
        rows={fromExchanges}
        rowKey={keyOf}
        rowTestId={(s) => `perp-series-${keyOf(s)}`}
        testId="perp-series"
        empty={t('market.perp.noSeries')}
        expanded={(s) =>
          refused[keyOf(s)] ? (
            <div className="error-text small" data-testid={`perp-refused-${keyOf(s)}`}>
              {refused[keyOf(s)]}
            </div>
          ) : null
        }
        columns={[
          { key: 'symbol', header: t('market.symbol'), className: 'mono', cell: (s) => s.symbol },
          { key: 'tf', header: t('market.timeframe'), cell: (s) => s.timeframe },
          {
            key: 'perp',
            header: t('market.perp.status'),
            cell: (s) =>
              workerOf(s) && isRunning(workerOf(s)!) ? (
                <StatusBadge tone="busy">{t('market.perp.importingState')}</StatusBadge>
              ) : s.perp ? (
                <StatusBadge tone="good">
                  {s.auto ? t('market.perp.importedCurrent') : t('market.perp.imported')}
                </StatusBadge>
              ) : (
                <span className="muted small">{t('market.perp.notImported')}</span>
              ),
          },
          {
            key: 'import',
            header: '',
            cell: (s) => {
              const w = workerOf(s);
              const busy = asked.has(keyOf(s)) || (w !== undefined && isRunning(w));
              return (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy}
                  onClick={() => startImport(s)}
                  data-testid={`perp-import-${keyOf(s)}`}
                >
                  {busy ? t('market.perp.importing') : t('market.perp.import')}
                </button>
              );
            },
          },
          {
            key: 'depth',
            header: '',
            cell: (s) => (
              <label className="check small">
                <input
                  type="checkbox"
                  checked={s.depth === true}
                  onChange={(e) => setDepth(s, e.target.checked)}
                  data-testid={`perp-depth-${keyOf(s)}`}
                />
                {t('market.perp.depth')}
              </label>
            ),
          },
        ]}
      />

      <h3 className="subhead">{t('market.perp.imports')}</h3>
      <DataTable
        rows={workers}
        rowKey={(w) => w.name}
        rowTestId={(w) => `perp-job-${partsOf(w).symbol}:${partsOf(w).tf}`}
        testId="perp-jobs"
        empty={t('market.perp.noImports')}
        columns={[
          { key: 'symbol', header: t('market.symbol'), className: 'mono', cell: (w) => partsOf(w).symbol },
          { key: 'tf', header: t('market.timeframe'), cell: (w) => partsOf(w).tf },
          {
            key: 'state',
            header: t('market.state'),
            cell: (w) => <ImportState w={w} />,
          },
          {
            key: 'progress',
            header: t('market.progress'),
            className: 'wide',
            cell: (w) => (
              <>
                <ImportProgress w={w} label={say(t, w.progress?.label)} />
                {!isRunning(w) && outcome(w) && (
                  <span className="muted small" data-testid="perp-job-outcome">
                    {outcome(w)}
                  </span>
                )}
                {(w.failure || w.lastError) && (
                  <div className="error-text small" data-testid="perp-job-failure">
                    {say(t, w.failure ?? w.lastError)}
                  </div>
                )}
              </>
            ),
          },
          {
            key: 'cancel',
            header: '',
            // Stops this run; a series kept current resumes its perpetual data at the next refresh.
            cell: (w) =>
              isRunning(w) && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => request('market.import.cancel', { name: w.name }, () => undefined)}
                >
                  {t('market.cancel')}
                </button>
              ),
          },
        ]}
      />

      <h3 className="subhead">{t('market.perp.coverage')}</h3>
      <DataTable
        rows={coverage.data ?? []}
        rowKey={(c) => `${c.symbol}:${c.kind}:${c.timeframe ?? ''}`}
        rowTestId={(c) => `perp-cov-${c.symbol}-${c.kind}${c.timeframe ? `-${c.timeframe}` : ''}`}
        testId="perp-coverage"
        empty={coverage.data === null && !coverage.error ? t('common.loading') : t('market.perp.noCoverage')}
        error={coverage.error}
        onRetry={load}
        columns={[
          {
            key: 'symbol',
            header: t('market.symbol'),
            className: 'mono',
            sortValue: (c) => c.symbol,
            cell: (c) => c.symbol,
          },
          { key: 'kind', header: t('market.perp.kind'), cell: (c) => t(`market.perp.kinds.${c.kind}`) },
          {
            key: 'tf',
            header: t('market.timeframe'),
            cell: (c) => c.timeframe ?? <span className="muted small">{t('market.perp.settlements')}</span>,
          },
          {
            key: 'rows',
            header: t('market.perp.rows'),
            num: true,
            sortValue: (c) => c.rows,
            cell: (c) => (c.rows > 0 ? int(c.rows) : <span className="muted small">{t('market.perp.noneYet')}</span>),
          },
          { key: 'first', header: t('market.perp.first'), cell: (c) => (c.first ? when(c.first) : '—') },
          {
            key: 'last',
            header: t('market.perp.last'),
            sortValue: (c) => c.last,
            cell: (c) => (c.last ? when(c.last) : '—'),
          },
        ]}
      />
    </div>
  );
}
