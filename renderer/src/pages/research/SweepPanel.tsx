// Parameter sweeps: one or two parameters across a grid, ranked by a metric, drawn as a
// heatmap, with a warning when the best sits on the grid's edge and an optional
// walk-forward check (optimise on the first part of the range, trade the rest).
import { errorText } from '../../i18n/say';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Series } from '../../../../core/api/contract';
import type { SweepView } from '../../../../core/api/researchContract';
import { formatInteger } from '../../../../core/format/format';
import { SWEEP_METRICS, axisValues, type SweepMetric } from '../../../../core/research/sweep';
import { ProgressBar } from '../../components/ProgressBar';
import { NumberField } from '../../components/NumberField';
import { useDesk } from '../../deskContext';
import type { BacktestPreset } from './BacktestForm';
import { TemplateSelect, type TemplateInfo } from './TemplateFields';
import { dayOf, endOfDay, seriesKey, startOfDay } from './seriesOptions';
import { newJobId, useJobProgress } from './useJobProgress';
import { SeriesSelect } from '../../components/SeriesSelect';
import { SWEEP_SETTINGS, SweepResult } from './SweepResult';

interface AxisDraft {
  key: string;
  from: number;
  to: number;
  step: number;
}

/** A sensible first grid for a parameter: about ten values around its default. */
function draftAxis(p: TemplateInfo['params'][number]): AxisDraft {
  const step = p.step < 1 ? p.step * 2 : Math.max(p.step, Math.round((p.max - p.min) / 40));
  const from = Math.max(p.min, Number((p.default - 4 * step).toFixed(6)));
  return { key: p.key, from, to: Math.min(p.max, Number((from + 9 * step).toFixed(6))), step };
}

function axisCount(a: AxisDraft | null): number {
  if (!a) return 1;
  try {
    return axisValues(a).length;
  } catch {
    return 0;
  }
}

function AxisFields({
  label,
  axis,
  params,
  allowNone,
  onChange,
  testId,
}: {
  label: string;
  axis: AxisDraft | null;
  params: TemplateInfo['params'];
  allowNone: boolean;
  onChange(a: AxisDraft | null): void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="inline-form axis-row">
      <label>
        <span className="form-label">{label}</span>
        <select
          data-testid={`${testId}-key`}
          value={axis?.key ?? ''}
          onChange={(e) => {
            const p = params.find((x) => x.key === e.target.value);
            onChange(p ? draftAxis(p) : null);
          }}
        >
          {allowNone && <option value="">{t('research.sweep.none')}</option>}
          {params.map((p) => (
            <option key={p.key} value={p.key}>
              {t(`words.param.${p.key}`, { defaultValue: p.key })}
            </option>
          ))}
        </select>
      </label>
      {axis &&
        (['from', 'to', 'step'] as const).map((f) => (
          <label key={f}>
            <span className="form-label">
              {t(`research.sweep.${f === 'from' ? 'fromV' : f === 'to' ? 'toV' : 'step'}`)}
            </span>
            <input
              type="number"
              className="num-input"
              data-testid={`${testId}-${f}`}
              step="any"
              value={axis[f]}
              onChange={(e) => onChange({ ...axis, [f]: Number(e.target.value) })}
            />
          </label>
        ))}
    </div>
  );
}

export function SweepPanel({
  series,
  templates,
  onBacktest,
}: {
  series: Series[];
  templates: TemplateInfo[];
  onBacktest(preset: BacktestPreset): void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { client, request } = useDesk();
  const [key, setKey] = useState(seriesKey(series[0]!));
  const selected = series.find((s) => seriesKey(s) === key) ?? series[0]!;
  const [from, setFrom] = useState(dayOf(selected.from));
  const [to, setTo] = useState(dayOf(Date.now()));
  const [templateId, setTemplateId] = useState(templates[0]!.id);
  const template = templates.find((x) => x.id === templateId) ?? templates[0]!;
  const [x, setX] = useState<AxisDraft | null>(() => draftAxis(template.params[0]!));
  const [y, setY] = useState<AxisDraft | null>(() => (template.params[1] ? draftAxis(template.params[1]) : null));
  const [metric, setMetric] = useState<SweepMetric>('sharpe');
  const [minTrades, setMinTrades] = useState('1');
  const [walkForward, setWalkForward] = useState(true);
  const [inSamplePct, setInSamplePct] = useState(70);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SweepView | null>(null);
  const progress = useJobProgress(jobId);
  const sets = useMemo(() => axisCount(x) * axisCount(y), [x, y]);

  // A new series starts the range at its first stored bar (as the backtest form does).
  useEffect(() => setFrom(dayOf(selected.from)), [selected]);

  const chooseTemplate = (id: string) => {
    const tpl = templates.find((z) => z.id === id)!;
    setTemplateId(id);
    setX(draftAxis(tpl.params[0]!));
    setY(tpl.params[1] ? draftAxis(tpl.params[1]) : null);
  };

  const run = async () => {
    const id = newJobId();
    setJobId(id);
    setError(null);
    try {
      const axes = [x, y].filter((a): a is AxisDraft => a !== null);
      setResult(
        await client.call('research.sweep', {
          jobId: id,
          symbol: selected.symbol,
          timeframe: selected.timeframe,
          from: startOfDay(from),
          to: endOfDay(to),
          templateId,
          axes,
          fixed: {},
          metric,
          minTrades: Math.max(1, Math.round(Number(minTrades) || 1)),
          settings: SWEEP_SETTINGS,
          inSamplePct: walkForward ? inSamplePct : null,
        }),
      );
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setJobId(null);
    }
  };

  const busy = jobId !== null;
  return (
    <>
      <div className="panel" data-testid="sweep-form">
        <form
          className="research-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <div className="inline-form">
            <SeriesSelect series={series} value={key} onChange={setKey} testId="sw-series" />
            <label>
              <span className="form-label">{t('research.from')}</span>
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </label>
            <label>
              <span className="form-label">{t('research.to')}</span>
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
            </label>
            <TemplateSelect templates={templates} value={templateId} onChange={chooseTemplate} testId="sw-template" />
            <label>
              <span className="form-label">{t('research.sweep.metric')}</span>
              <select data-testid="sw-metric" value={metric} onChange={(e) => setMetric(e.target.value as SweepMetric)}>
                {SWEEP_METRICS.map((k) => (
                  <option key={k} value={k}>
                    {t(`words.metric.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <NumberField
              label={t('research.sweep.minTrades')}
              title={t('research.sweep.minTradesHelp')}
              min={1}
              max={10000}
              step={1}
              value={minTrades}
              onChange={setMinTrades}
              testId="sw-min-trades"
            />
          </div>
          <AxisFields
            label={t('research.sweep.x')}
            axis={x}
            params={template.params}
            allowNone={false}
            onChange={setX}
            testId="sw-x"
          />
          <AxisFields
            label={t('research.sweep.y')}
            axis={y}
            params={template.params.filter((p) => p.key !== x?.key)}
            allowNone
            onChange={setY}
            testId="sw-y"
          />
          <div className="inline-form">
            <label className="check">
              <input
                type="checkbox"
                checked={walkForward}
                onChange={(e) => setWalkForward(e.target.checked)}
                data-testid="sw-wf"
              />
              {t('research.sweep.walkForward')}
              <input
                type="number"
                className="num-input tiny"
                min={10}
                max={90}
                value={inSamplePct}
                disabled={!walkForward}
                onChange={(e) => setInSamplePct(Number(e.target.value))}
              />
              {t('research.sweep.walkForwardRest')}
            </label>
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" data-testid="sw-run" disabled={busy || sets === 0}>
              {busy ? t('research.running') : t('research.sweep.start')}
            </button>
            <span className="muted small">
              {t('research.sweep.sets', { count: sets, formatted: formatInteger(lang, sets) })}
            </span>
            {busy && (
              <>
                <div className="grow-progress">
                  <ProgressBar
                    locale={lang}
                    done={progress?.done ?? 0}
                    total={progress?.total ?? 1}
                    label={
                      progress
                        ? `${t(`research.stage.${progress.stage}`)} ${progress.stage === 'sweeping' ? `${progress.done} / ${progress.total}` : ''}`
                        : t('research.running')
                    }
                  />
                </div>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => jobId && request('research.cancel', { jobId }, () => undefined)}
                >
                  {t('research.cancel')}
                </button>
              </>
            )}
          </div>
          {error && (
            <div className="error-box" data-testid="sw-error">
              {error}
            </div>
          )}
        </form>
      </div>
      {result && <SweepResult result={result} onBacktest={onBacktest} />}
    </>
  );
}
