// Market data: start and cancel imports, watch their progress, import files, check each
// stored series' coverage and gaps on a timeline, and import a series' perpetual-futures data
// (funding, perpetual prices, order-book depth). The panels are in pages/market/.
import { useCallback, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeInfo, SeriesView } from '../../../core/api/contract';
import { LoadError } from '../components/LoadError';
import { useDesk } from '../deskContext';
import { useLoaded } from '../useLoaded';
import { FileImport } from './market/FileImport';
import { ImportForm } from './market/ImportForm';
import { ImportsTable } from './market/ImportsTable';
import { PerpPanel } from './market/PerpPanel';
import { SeriesTable } from './market/SeriesTable';

export function MarketPage() {
  const { t } = useTranslation();
  const { health, request } = useDesk();
  const exchanges = useLoaded<ExchangeInfo[]>();
  const series = useLoaded<SeriesView[]>();
  const reload = useCallback(() => {
    request('market.series', {}, series.ok, series.fail);
  }, [request, series.ok, series.fail]);
  const loadExchanges = useCallback(
    () => request('exchanges.list', {}, exchanges.ok, exchanges.fail),
    [request, exchanges.ok, exchanges.fail],
  );

  useEffect(() => {
    loadExchanges();
    reload();
  }, [loadExchanges, reload]);

  // Imports and deletions are workers: their states come with the health events.
  const imports = useMemo(
    () => (health?.workers ?? []).filter((w) => w.job === 'import' || w.job === 'deleteSeries'),
    [health],
  );
  const perpImports = useMemo(() => (health?.workers ?? []).filter((w) => w.job === 'derivativesImport'), [health]);
  // File imports of perpetual data (file:<kind>:<symbol>:<tf>): what is stored is read again when one ends.
  const perpFiles = useMemo(
    () =>
      (health?.workers ?? []).filter((w) => w.job === 'fileImport' && /^file:(funding|last|mark|index):/.test(w.name)),
    [health],
  );
  // A finished import (from an exchange or a file) or deletion changes what is stored: refresh the series list.
  const finished = (health?.workers ?? []).filter(
    (w) => ['import', 'deleteSeries', 'fileImport'].includes(w.job) && w.state === 'stopped',
  ).length;
  useEffect(reload, [finished, reload]);

  return (
    <section className="page" data-testid="page-market">
      <p className="page-subtitle">{t('market.subtitle')}</p>
      {exchanges.data && <ImportForm exchanges={exchanges.data} onStarted={reload} />}
      {exchanges.error && !exchanges.data && (
        <div className="panel">
          <h2>{t('market.newImport')}</h2>
          <LoadError message={exchanges.error} onRetry={loadExchanges} testId="exchanges-error" />
        </div>
      )}
      <FileImport />
      <div className="panel">
        <h2>{t('market.imports')}</h2>
        <ImportsTable imports={imports} series={series.data ?? []} />
      </div>
      <div className="panel">
        <h2>{t('market.series')}</h2>
        <SeriesTable series={series.data ?? []} error={series.error} onChanged={reload} />
      </div>
      {series.data && (
        <PerpPanel series={series.data} workers={perpImports} fileImports={perpFiles} onChanged={reload} />
      )}
    </section>
  );
}
