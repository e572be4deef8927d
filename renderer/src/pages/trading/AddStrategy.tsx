// The form that adds a strategy for the executor to trade: which strategy's signals, on which
// stored series, with its stake and risk limits. It starts disabled (paper).
import { errorText } from '../../i18n/say';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_MAX_SLIPPAGE_BPS, MAX_REJECTIONS_IN_A_ROW } from '../../../../core/execution/risk';
import { LoadError } from '../../components/LoadError';
import { useDesk } from '../../deskContext';
import { NumberField } from '../../components/NumberField';
import { SeriesSelect } from '../../components/SeriesSelect';
import { seriesKey, useStoredSeries } from '../research/seriesOptions';

export function AddStrategy({ onAdded }: { onAdded(): void }) {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const { series, error: seriesError, retry: retrySeries } = useStoredSeries();
  const [strategyId, setStrategyId] = useState('');
  const [key, setKey] = useState('');
  const [stakeQuote, setStakeQuote] = useState('1000');
  const [maxPositions, setMaxPositions] = useState(3);
  const [maxLoss, setMaxLoss] = useState(10);
  const [stopLoss, setStopLoss] = useState('');
  const [maxSlippage, setMaxSlippage] = useState(DEFAULT_MAX_SLIPPAGE_BPS);
  const [maxRefusals, setMaxRefusals] = useState(MAX_REJECTIONS_IN_A_ROW);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [known, setKnown] = useState<string[]>([]);
  useEffect(() => {
    request('signals.recent', { limit: 500 }, (r) => setKnown([...new Set(r.map((x) => x.strategy_id))].sort()));
  }, [request]);
  if (!series) return seriesError ? <LoadError message={seriesError} onRetry={retrySeries} /> : null;
  if (series.length === 0) return <div className="note">{t('research.noSeries')}</div>;
  const selected = series.find((s) => seriesKey(s) === key) ?? series[0]!;
  const add = async () => {
    setError(null);
    setAdded(null);
    try {
      await client.call('execution.save', {
        strategyId: strategyId.trim(),
        symbol: selected.symbol,
        timeframe: selected.timeframe,
        stakePct: 95,
        stakeQuote: stakeQuote.trim() ? Number(stakeQuote) : null,
        maxOpenPositions: maxPositions,
        maxDailyLossPct: maxLoss,
        minHoldBars: 0,
        cooldownBars: 0,
        stopLossPct: stopLoss.trim() ? Number(stopLoss) : null,
        maxSlippageBps: maxSlippage > 0 ? maxSlippage : DEFAULT_MAX_SLIPPAGE_BPS,
        maxRejectionsInARow: maxRefusals >= 1 ? Math.round(maxRefusals) : MAX_REJECTIONS_IN_A_ROW,
        enabled: false,
      });
      setAdded(strategyId.trim());
      setStrategyId('');
      onAdded();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  return (
    <form
      className="research-form new-pipeline"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
      data-testid="exec-form"
    >
      <div className="inline-form">
        <label>
          <span className="form-label">{t('trading.strategyId')}</span>
          <input
            type="text"
            list="known-strategies"
            required
            value={strategyId}
            onChange={(e) => setStrategyId(e.target.value)}
            data-testid="exec-strategy"
          />
          <datalist id="known-strategies">
            {known.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </label>
        <SeriesSelect series={series} value={seriesKey(selected)} onChange={setKey} testId="exec-series" />
        <NumberField label={t('trading.stakeQuote')} min={1} value={stakeQuote} onChange={setStakeQuote} />
        <NumberField
          label={t('trading.maxPositions')}
          min={1}
          max={100}
          step={1}
          value={maxPositions}
          onChange={(v) => setMaxPositions(Number(v))}
        />
        <NumberField
          label={t('trading.maxDailyLoss')}
          min={0.1}
          max={100}
          value={maxLoss}
          onChange={(v) => setMaxLoss(Number(v))}
        />
        <NumberField
          label={t('trading.stopLoss')}
          min={0.1}
          max={99}
          placeholder={t('research.stopLossNone')}
          value={stopLoss}
          onChange={setStopLoss}
          testId="exec-stop"
        />
        <NumberField
          label={t('trading.maxSlippage')}
          title={t('trading.maxSlippageHelp')}
          min={1}
          max={10000}
          value={maxSlippage}
          onChange={(v) => setMaxSlippage(Number(v))}
          testId="exec-max-slippage"
        />
        <NumberField
          label={t('trading.maxRefusals')}
          title={t('trading.maxRefusalsHelp')}
          min={1}
          max={100}
          step={1}
          value={maxRefusals}
          onChange={(v) => setMaxRefusals(Number(v))}
          testId="exec-max-refusals"
        />
        <button type="submit" className="btn btn-primary" data-testid="exec-add">
          {t('trading.add')}
        </button>
      </div>
      {error && <div className="error-box">{error}</div>}
      {added && (
        <div className="note small" data-testid="exec-added">
          {t('trading.addedOff', { strategy: added })}
        </div>
      )}
    </form>
  );
}
