// Sweeps kept in the database, newest first: open one to see its ranking, heatmap and
// walk-forward check again (and backtest or paper-trade a set from it), or delete it.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SweepView } from '../../../../core/api/researchContract';
import { formatDateTime, formatDay, formatNumber } from '../../../../core/format/format';
import { DataTable } from '../../components/DataTable';
import { useDesk } from '../../deskContext';
import type { BacktestPreset } from './BacktestForm';
import { SweepResult } from './SweepResult';

export function SweepsList({ onBacktest }: { onBacktest(preset: BacktestPreset): void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { client, settings, request } = useDesk();
  const [sweeps, setSweeps] = useState<SweepView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(() => {
    request(
      'research.sweeps',
      {},
      (r) => {
        setSweeps(r);
        setError(null);
      },
      setError,
    );
  }, [request]);
  useEffect(load, [load]);

  const remove = async (id: string) => {
    await client.call('research.delete', { id });
    if (open === id) setOpen(null);
    load();
  };
  const opened = sweeps?.find((s) => s.id === open) ?? null;
  const best = (s: SweepView) => s.top[0]?.metrics[s.metric] ?? null;

  return (
    <>
      <div className="panel" data-testid="sweeps-list">
        <h2>{t('research.savedSweeps')}</h2>
        {sweeps === null && !error && <div className="muted">{t('common.loading')}</div>}
        <DataTable
          rows={sweeps ?? []}
          rowKey={(s) => s.id}
          rowTestId="sweep-row"
          error={error}
          onRetry={load}
          empty={t('research.noSweeps')}
          columns={[
            {
              key: 'series',
              header: t('research.series'),
              className: 'mono',
              cell: (s) => `${s.symbol} · ${s.timeframe}`,
            },
            {
              key: 'range',
              header: t('research.range'),
              className: 'mono small',
              cell: (s) =>
                s.from && s.to
                  ? `${formatDay(lang, Date.parse(s.from))} → ${formatDay(lang, Date.parse(s.to))}`
                  : t('common.none'),
            },
            {
              key: 'template',
              header: t('research.strategy'),
              className: 'small',
              cell: (s) => t(`research.templates.${s.templateId}`, { defaultValue: s.templateId }),
            },
            {
              key: 'metric',
              header: t('research.sweep.rankedBy'),
              cell: (s) => t(`words.metric.${s.metric}`),
            },
            {
              key: 'best',
              header: t('research.sweep.best'),
              num: true,
              sortValue: (s) => best(s) ?? -Infinity,
              cell: (s) => (best(s) === null ? t('common.none') : formatNumber(lang, best(s)!, 2)),
            },
            {
              key: 'sets',
              header: t('research.sweep.setsValid'),
              num: true,
              sortValue: (s) => s.sets,
              cell: (s) => `${s.validSets} / ${s.sets}`,
            },
            {
              key: 'wf',
              header: t('research.sweep.wf'),
              cell: (s) => (s.walkForward ? t('common.yes') : t('common.no')),
            },
            {
              key: 'created',
              header: t('research.created'),
              className: 'small muted',
              sortValue: (s) => Date.parse(s.createdAt),
              cell: (s) => formatDateTime(lang, s.createdAt, settings?.settings.timeDisplay ?? 'local'),
            },
            {
              key: 'actions',
              header: '',
              className: 'actions',
              cell: (s) => (
                <>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setOpen(open === s.id ? null : s.id)}
                    data-testid={`sweep-open-${s.id}`}
                  >
                    {open === s.id ? t('research.close') : t('research.open')}
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => void remove(s.id)}>
                    {t('research.delete')}
                  </button>
                </>
              ),
            },
          ]}
        />
      </div>
      {opened && <SweepResult result={opened} onBacktest={onBacktest} />}
    </>
  );
}
