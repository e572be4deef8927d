// Research: backtest a strategy (template, outside signals or buy-and-hold) on stored bars,
// sweep its parameters with a walk-forward check, and compare the runs kept in the database.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunView } from '../../../core/api/researchContract';
import { LoadError } from '../components/LoadError';
import { useDesk } from '../deskContext';
import { useLoaded } from '../useLoaded';
import { href } from '../router';
import { BacktestForm, type BacktestPreset } from './research/BacktestForm';
import { RunResult } from './research/RunResult';
import { RunsPanel } from './research/RunsPanel';
import { SweepPanel } from './research/SweepPanel';
import { SweepsList } from './research/SweepsList';
import type { TemplateInfo } from './research/TemplateFields';
import { useStoredSeries } from './research/seriesOptions';

type Tab = 'backtest' | 'sweep' | 'runs';

export function ResearchPage() {
  const { t } = useTranslation();
  const { request } = useDesk();
  const { series, error: seriesError, retry: retrySeries } = useStoredSeries();
  const templates = useLoaded<TemplateInfo[]>();
  const { ok: templatesOk, fail: templatesFail } = templates;
  const loadTemplates = useCallback(
    () => request('research.templates', {}, templatesOk, templatesFail),
    [request, templatesOk, templatesFail],
  );
  const [tab, setTab] = useState<Tab>('backtest');
  const [run, setRun] = useState<RunView | null>(null);
  const [preset, setPreset] = useState<BacktestPreset | null>(null);

  useEffect(loadTemplates, [loadTemplates]);

  const ready = series !== null && templates.data !== null;
  const failure = seriesError ?? templates.error;
  return (
    <section className="page" data-testid="page-research">
      <p className="page-subtitle">{t('research.subtitle')}</p>
      <div className="seg tabs" role="tablist">
        {(['backtest', 'sweep', 'runs'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? 'active' : ''}
            onClick={() => setTab(k)}
            data-testid={`research-tab-${k}`}
          >
            {t(`research.tabs.${k}`)}
          </button>
        ))}
      </div>
      {!ready && failure && tab !== 'runs' && (
        <LoadError
          message={failure}
          onRetry={() => {
            retrySeries();
            loadTemplates();
          }}
          testId="research-load-error"
        />
      )}
      {!ready && !failure && <div className="muted">{t('common.loading')}</div>}
      {ready && series.length === 0 && tab !== 'runs' && (
        <div className="empty-state" data-testid="research-empty">
          <p>{t('research.noSeries')}</p>
          <a className="btn btn-primary" href={href('market')}>
            {t('nav.market')}
          </a>
        </div>
      )}
      {ready && series.length > 0 && templates.data!.length > 0 && tab === 'backtest' && (
        <>
          <BacktestForm
            key={JSON.stringify(preset)}
            series={series}
            templates={templates.data!}
            preset={preset}
            onResult={setRun}
          />
          {run && <RunResult run={run} />}
        </>
      )}
      {ready && series.length > 0 && templates.data!.length > 0 && tab === 'sweep' && (
        <SweepPanel
          series={series}
          templates={templates.data!}
          onBacktest={(p) => {
            setPreset(p);
            setTab('backtest');
          }}
        />
      )}
      {tab === 'runs' && (
        <>
          <RunsPanel
            onOpen={(r) => {
              setRun(r);
              setTab('backtest');
            }}
          />
          <SweepsList
            onBacktest={(p) => {
              setPreset(p);
              setTab('backtest');
            }}
          />
        </>
      )}
    </section>
  );
}
