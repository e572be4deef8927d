// Market data: start and cancel imports, watch their progress, import files, and check each
// stored series' coverage and gaps on a timeline. The panels are in pages/market/.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExchangeInfo, SeriesView } from '../../../core/api/contract';
import { useDesk } from '../deskContext';
import { FileImport } from './market/FileImport';
import { ImportForm } from './market/ImportForm';
import { ImportsTable } from './market/ImportsTable';
import { SeriesTable } from './market/SeriesTable';

export function MarketPage() {
  const { t } = useTranslation();
  const { health, request } = useDesk();
  const [exchanges, setExchanges] = useState<ExchangeInfo[] | null>(null);
  const [series, setSeries] = useState<SeriesView[]>([]);
  const reload = useCallback(() => {
    request('market.series', {}, setSeries);
  }, [request]);

  useEffect(() => {
    request('exchanges.list', {}, setExchanges, () => setExchanges([]));
    reload();
  }, [request, reload]);

  // Imports and deletions are workers: their states come with the health events.
  const imports = useMemo(
    () => (health?.workers ?? []).filter((w) => w.job === 'import' || w.job === 'deleteSeries'),
    [health],
  );
  // A finished import or deletion changes what is stored: refresh the series list.
  const finished = imports.filter((w) => w.state === 'stopped').length;
  useEffect(reload, [finished, reload]);

  return (
    <section className="page" data-testid="page-market">
      <p className="page-subtitle">{t('market.subtitle')}</p>
      {exchanges && <ImportForm exchanges={exchanges} onStarted={reload} />}
      <FileImport />
      <div className="panel">
        <h2>{t('market.imports')}</h2>
        <ImportsTable imports={imports} series={series} />
      </div>
      <div className="panel">
        <h2>{t('market.series')}</h2>
        <SeriesTable series={series} onChanged={reload} />
      </div>
    </section>
  );
}
