// Pipelines: create from a template, run now, switch live on and off, and read what each
// step of the last run produced.
import { errorText, say } from '../../i18n/say';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PipelineView } from '../../../../core/api/signalsContract';
import { formatDateTime, formatDuration, formatNumber } from '../../../../core/format/format';
import { LoadError } from '../../components/LoadError';
import { NumberField } from '../../components/NumberField';
import { useDesk } from '../../deskContext';
import { TemplateFields, TemplateSelect, type TemplateInfo } from '../research/TemplateFields';
import { seriesKey, useStoredSeries } from '../research/seriesOptions';
import { SeriesSelect } from '../../components/SeriesSelect';

function NewPipeline({ templates, onCreated }: { templates: TemplateInfo[]; onCreated(): void }) {
  const { t } = useTranslation();
  const { client } = useDesk();
  const { series, error: seriesError, retry: retrySeries } = useStoredSeries();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState(templates[0]!.id);
  const [params, setParams] = useState<Record<string, number>>({});
  const [strategyId, setStrategyId] = useState('');
  const [historyBars, setHistoryBars] = useState(1000);
  const [exportBars, setExportBars] = useState(500);
  const [error, setError] = useState<string | null>(null);
  const template = templates.find((x) => x.id === templateId) ?? templates[0]!;
  const selected = series?.find((s) => seriesKey(s) === key) ?? series?.[0];
  if (!series) return seriesError ? <LoadError message={seriesError} onRetry={retrySeries} /> : null;
  if (series.length === 0) return <div className="note">{t('research.noSeries')}</div>;

  const create = async () => {
    setError(null);
    try {
      await client.call('pipelines.save', {
        name: name.trim() || `${templateId} ${selected!.symbol} ${selected!.timeframe}`,
        symbol: selected!.symbol,
        timeframe: selected!.timeframe,
        templateId,
        params: Object.fromEntries(template.params.map((p) => [p.key, params[p.key] ?? p.default])),
        strategyId:
          strategyId.trim() || `${templateId}-${selected!.symbol.split(':')[1]!.toLowerCase()}-${selected!.timeframe}`,
        settings: { initialCash: 10_000, feePct: 0.1, slippageBps: 2, fillAt: 'next_open', stopLossPct: null },
        historyBars,
        exportBars,
      });
      setName('');
      setStrategyId('');
      onCreated();
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <form
      className="research-form new-pipeline"
      data-testid="pipeline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <h2>{t('signals.newPipeline')}</h2>
      <div className="inline-form">
        <label>
          <span className="form-label">{t('signals.name')}</span>
          <input
            type="text"
            maxLength={80}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="pl-name"
          />
        </label>
        <SeriesSelect
          series={series}
          value={selected ? seriesKey(selected) : ''}
          onChange={setKey}
          testId="pl-series"
        />
        <TemplateSelect
          templates={templates}
          value={templateId}
          testId="pl-template"
          onChange={(id) => {
            setTemplateId(id);
            setParams({});
          }}
        />
        <label>
          <span className="form-label">{t('signals.strategyId')}</span>
          <input
            type="text"
            value={strategyId}
            placeholder={
              selected ? `${templateId}-${selected.symbol.split(':')[1]!.toLowerCase()}-${selected.timeframe}` : ''
            }
            onChange={(e) => setStrategyId(e.target.value)}
            data-testid="pl-strategy-id"
          />
        </label>
        <NumberField
          label={t('signals.historyBars')}
          min={50}
          max={200000}
          step={1}
          value={historyBars}
          onChange={(v) => setHistoryBars(Number(v))}
        />
        <NumberField
          label={t('signals.exportBars')}
          min={1}
          max={100000}
          step={1}
          value={exportBars}
          onChange={(v) => setExportBars(Number(v))}
        />
      </div>
      <TemplateFields template={template} values={params} onChange={setParams} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="pl-create">
          {t('signals.create')}
        </button>
      </div>
      {error && (
        <div className="error-box" data-testid="pl-error">
          {error}
        </div>
      )}
    </form>
  );
}

function Steps({ p }: { p: PipelineView }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const r = p.lastRun;
  if (!r) return null;
  const n = (v: number | null, d = 2) => (v === null ? '—' : formatNumber(lang, v, d));
  const s = r.steps;
  return (
    <div className="steps" data-testid={`steps-${p.id}`}>
      {r.error && <div className="error-box">{say(t, r.error)}</div>}
      <div className="step">
        <div className="step-title">{t('signals.stepFactor')}</div>
        <div className="small">
          {s.factor
            ? t('signals.factorLine', {
                bars: s.factor.bars,
                warmup: s.factor.warmupBars,
                score: n(s.factor.lastScore, 3),
              })
            : '—'}
        </div>
        {s.factor && <div className="mono small muted">{s.factor.version}</div>}
      </div>
      <div className="step">
        <div className="step-title">{t('signals.stepSignal')}</div>
        <div className="small">
          {s.signal
            ? t('signals.signalLine', { rows: s.signal.rows, enters: s.signal.enters, exits: s.signal.exits })
            : '—'}
        </div>
        {s.signal && s.signal.last.length > 0 && (
          <div className="mono small muted">
            {s.signal.last
              .slice(-3)
              .map(
                (x) =>
                  `${new Date(x.ts).toISOString().slice(0, 16).replace('T', ' ')} w=${x.weight ?? '—'}${x.action ? ` ${x.action}` : ''}`,
              )
              .join(' · ')}
          </div>
        )}
      </div>
      <div className="step">
        <div className="step-title">{t('signals.stepBacktest')}</div>
        <div className="small">
          {s.backtest
            ? `${t('research.m.totalReturnPct')} ${n(s.backtest.totalReturnPct)} % · ${t('research.m.maxDrawdownPct')} ${n(s.backtest.maxDrawdownPct)} % · ${t('research.m.trades')} ${s.backtest.trades}`
            : t('signals.notRun')}
        </div>
      </div>
      <div className="step">
        <div className="step-title">{t('signals.stepExport')}</div>
        <div className="small">
          {s.export
            ? t('signals.exportLine', {
                inserted: s.export.inserted,
                replaced: s.export.replaced,
                unchanged: s.export.unchanged,
              })
            : '—'}
        </div>
        {s.export?.latencyMs != null && (
          <div className="small muted">
            {t('signals.latencyLine', {
              latency:
                s.export.latencyMs < 1000
                  ? `${Math.round(s.export.latencyMs)} ms`
                  : formatDuration(lang, s.export.latencyMs),
            })}
          </div>
        )}
      </div>
    </div>
  );
}

export function PipelinesPanel({ templates }: { templates: TemplateInfo[] }) {
  const { t, i18n } = useTranslation();
  const { client, settings, request } = useDesk();
  const [pipelines, setPipelines] = useState<PipelineView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    request(
      'pipelines.list',
      {},
      (list) => {
        setPipelines(list);
        setLoadError(null);
      },
      setLoadError,
    );
  }, [request]);
  useEffect(() => {
    load();
    return client.on('pipelineChanged', (p) =>
      setPipelines((cur) =>
        cur ? (cur.some((x) => x.id === p.id) ? cur.map((x) => (x.id === p.id ? p : x)) : [...cur, p]) : cur,
      ),
    );
  }, [client, load]);

  const act = async (id: string, what: () => Promise<unknown>) => {
    setBusy(id);
    setError(null);
    try {
      await what();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(null);
      load();
    }
  };
  const tz = settings?.settings.timeDisplay ?? 'local';

  return (
    <div className="panel" data-testid="pipelines">
      <div className="panel-head">
        <h2>{t('signals.pipelines')}</h2>
      </div>
      <div className="muted small">{t('signals.pipelinesNote')}</div>
      {loadError && <LoadError message={loadError} onRetry={load} testId="pipelines-error" />}
      {pipelines !== null && pipelines.length === 0 && <div className="note">{t('signals.noPipelines')}</div>}
      {error && <div className="error-box">{error}</div>}
      {pipelines?.map((p) => (
        <div key={p.id} className="pipeline" data-testid={`pipeline-${p.name}`}>
          <div className="pipeline-head">
            <div>
              <div className="run-title" translate="no">
                {p.name}
              </div>
              <div className="muted small">
                {p.symbol} · {p.timeframe} · {t(`research.templates.${p.templateId}`, { defaultValue: p.templateId })} ·{' '}
                <span className="mono">{p.strategyId}</span>
              </div>
            </div>
            <div className="form-actions">
              <span className="small muted">
                {t('signals.lastRun')}:{' '}
                {p.lastRun ? `${formatDateTime(i18n.language, p.lastRun.at, tz)} · ` : t('signals.never')}
                {p.lastRun && (
                  <span className={p.lastRun.ok ? 'good-text' : 'error-text'}>
                    {p.lastRun.ok ? t('signals.ok') : t('signals.failed')}
                  </span>
                )}
              </span>
              <label className="check small">
                <input
                  type="checkbox"
                  checked={p.live}
                  onChange={(e) =>
                    void act(p.id, () => client.call('pipelines.live', { id: p.id, live: e.target.checked }))
                  }
                  data-testid={`pl-live-${p.name}`}
                />
                {t('signals.live')}
              </label>
              <button
                type="button"
                className="btn btn-small"
                disabled={busy === p.id}
                onClick={() => void act(p.id, () => client.call('pipelines.run', { id: p.id }))}
                data-testid={`pl-run-${p.name}`}
              >
                {busy === p.id ? t('signals.running') : t('signals.run')}
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void act(p.id, () => client.call('pipelines.delete', { id: p.id }))}
              >
                {t('signals.delete')}
              </button>
            </div>
          </div>
          <Steps p={p} />
        </div>
      ))}
      <NewPipeline templates={templates} onCreated={load} />
    </div>
  );
}
