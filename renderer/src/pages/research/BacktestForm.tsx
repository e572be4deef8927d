// The backtest form: series and range, where positions come from (a template, signals
// another program wrote, or buy-and-hold), costs and fills; runs with progress and cancel.
import { errorText } from '../../i18n/say';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Series } from '../../../../core/api/contract';
import type { RunView, StrategyChoice } from '../../../../core/api/researchContract';
import { ProgressBar } from '../../components/ProgressBar';
import { NumberField } from '../../components/NumberField';
import { useDesk } from '../../deskContext';
import { TemplateFields, TemplateSelect, type TemplateInfo } from './TemplateFields';
import { dayOf, endOfDay, seriesKey, startOfDay } from './seriesOptions';
import { newJobId, useJobProgress } from './useJobProgress';
import { SeriesSelect } from '../../components/SeriesSelect';

export interface BacktestPreset {
  seriesKey: string;
  from: string;
  to: string;
  templateId: string;
  params: Record<string, number>;
}

export function BacktestForm({
  series,
  templates,
  preset,
  onResult,
}: {
  series: Series[];
  templates: TemplateInfo[];
  preset: BacktestPreset | null;
  onResult(run: RunView): void;
}) {
  const { t, i18n } = useTranslation();
  const { client, request } = useDesk();
  const [key, setKey] = useState(preset?.seriesKey ?? seriesKey(series[0]!));
  const selected = series.find((s) => seriesKey(s) === key) ?? series[0]!;
  const [from, setFrom] = useState(preset?.from ?? dayOf(selected.from));
  const [to, setTo] = useState(preset?.to ?? dayOf(Date.now()));
  const [source, setSource] = useState<StrategyChoice['kind']>('template');
  const [templateId, setTemplateId] = useState(preset?.templateId ?? templates[0]!.id);
  const [params, setParams] = useState<Record<string, number>>(preset?.params ?? {});
  const [strategyId, setStrategyId] = useState('');
  const [signalsId, setSignalsId] = useState('');
  const [initialCash, setInitialCash] = useState(10_000);
  const [feePct, setFeePct] = useState(0.1);
  const [slippageBps, setSlippageBps] = useState(2);
  const [fillAt, setFillAt] = useState<'next_open' | 'close'>('next_open');
  const [stopLoss, setStopLoss] = useState('');
  const [name, setName] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useJobProgress(jobId);
  const template = templates.find((x) => x.id === templateId) ?? templates[0]!;

  // A new series starts the range at its first stored bar.
  useEffect(() => {
    if (!preset) setFrom(dayOf(selected.from));
  }, [selected, preset]);

  const run = async () => {
    const id = newJobId();
    setJobId(id);
    setError(null);
    const strategy: StrategyChoice =
      source === 'template'
        ? {
            kind: 'template',
            templateId,
            params: Object.fromEntries(template.params.map((p) => [p.key, params[p.key] ?? p.default])),
            ...(strategyId.trim() && { strategyId: strategyId.trim() }),
          }
        : source === 'signals'
          ? { kind: 'signals', strategyId: signalsId.trim() }
          : { kind: 'hold' };
    try {
      const result = await client.call('research.run', {
        jobId: id,
        symbol: selected.symbol,
        timeframe: selected.timeframe,
        from: startOfDay(from),
        to: endOfDay(to),
        strategy,
        settings: {
          initialCash,
          feePct,
          slippageBps,
          fillAt,
          stopLossPct: source === 'hold' || stopLoss.trim() === '' ? null : Number(stopLoss),
        },
        ...(name.trim() && { name: name.trim() }),
      });
      onResult(result);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setJobId(null);
    }
  };

  const busy = jobId !== null;
  return (
    <div className="panel" data-testid="backtest-form">
      <form
        className="research-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="inline-form">
          <SeriesSelect series={series} value={key} onChange={setKey} testId="bt-series" />
          <label>
            <span className="form-label">{t('research.from')}</span>
            <input type="date" data-testid="bt-from" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label>
            <span className="form-label">{t('research.to')}</span>
            <input type="date" data-testid="bt-to" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <label>
            <span className="form-label">{t('research.source')}</span>
            <select
              data-testid="bt-source"
              value={source}
              onChange={(e) => setSource(e.target.value as StrategyChoice['kind'])}
            >
              {(['template', 'signals', 'hold'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`research.sources.${k}`)}
                </option>
              ))}
            </select>
          </label>
          {source === 'template' && (
            <>
              <TemplateSelect
                templates={templates}
                value={templateId}
                testId="bt-template"
                onChange={(id) => {
                  setTemplateId(id);
                  setParams({});
                }}
              />
              <label>
                <span className="form-label">{t('research.strategyId')}</span>
                <input
                  type="text"
                  data-testid="bt-strategy-id"
                  placeholder={templateId}
                  value={strategyId}
                  onChange={(e) => setStrategyId(e.target.value)}
                />
              </label>
            </>
          )}
          {source === 'signals' && (
            <label>
              <span className="form-label">{t('research.signalsStrategy')}</span>
              <input
                type="text"
                data-testid="bt-signals-id"
                value={signalsId}
                onChange={(e) => setSignalsId(e.target.value)}
                required
              />
            </label>
          )}
        </div>
        {source === 'template' && <TemplateFields template={template} values={params} onChange={setParams} />}
        <h2 className="form-section">{t('research.settings')}</h2>
        <div className="inline-form">
          <NumberField
            label={t('research.initialCash')}
            min={1}
            value={initialCash}
            onChange={(v) => setInitialCash(Number(v))}
          />
          <NumberField
            label={t('research.feePct')}
            min={0}
            max={5}
            value={feePct}
            onChange={(v) => setFeePct(Number(v))}
            testId="bt-fee"
          />
          <NumberField
            label={t('research.slippageBps')}
            min={0}
            max={500}
            value={slippageBps}
            onChange={(v) => setSlippageBps(Number(v))}
          />
          <label>
            <span className="form-label">{t('research.fillAt')}</span>
            <select value={fillAt} onChange={(e) => setFillAt(e.target.value as 'next_open' | 'close')}>
              <option value="next_open">{t('research.fillAtNextOpen')}</option>
              <option value="close">{t('research.fillAtClose')}</option>
            </select>
          </label>
          <label>
            <span className="form-label">{t('research.stopLoss')}</span>
            <input
              type="number"
              className="num-input"
              data-testid="bt-stop"
              min={0.1}
              max={99}
              step="any"
              placeholder={t('research.stopLossNone')}
              disabled={source === 'hold'}
              value={source === 'hold' ? '' : stopLoss}
              onChange={(e) => setStopLoss(e.target.value)}
            />
          </label>
          <label className="grow">
            <span className="form-label">{t('research.name')}</span>
            <input type="text" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="bt-run" disabled={busy}>
            {busy ? t('research.running') : t('research.run')}
          </button>
          {busy && (
            <>
              <div className="grow-progress">
                <ProgressBar
                  locale={i18n.language}
                  done={progress?.done ?? 0}
                  total={progress?.total ?? 1}
                  label={
                    progress
                      ? `${t(`research.stage.${progress.stage}`)}${progress.message ? ` · ${progress.message}` : ''}`
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
          <div className="error-box" data-testid="bt-error">
            {error}
          </div>
        )}
      </form>
    </div>
  );
}
