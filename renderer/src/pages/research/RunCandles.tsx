// The run's bars as candles with its fills as markers: buys below the bar, sells above, stops in red.
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  type SeriesMarker,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunView } from '../../../../core/api/researchContract';
import { formatInteger } from '../../../../core/format/format';
import { CHART_OPTIONS, DOWN, UP, sec } from '../../components/chartTheme';
import { useDesk } from '../../deskContext';

/** 1m runs show their last 30 days here (a year of minutes is for the Charts page). */
const MINUTE_WINDOW = 30 * 86_400_000;

export function RunCandles({ run }: { run: RunView }) {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const box = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState<number | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const api = createChart(box.current, CHART_OPTIONS);
    const candles = api.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderVisible: false,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    let cancelled = false;
    const from = run.timeframe === '1m' ? Math.max(run.from, run.to - MINUTE_WINDOW) : run.from;
    request(
      'market.bars',
      {
        symbol: run.symbol,
        timeframe: run.timeframe,
        from: new Date(from).toISOString(),
        to: new Date(run.to).toISOString(),
        forming: false,
      },
      (b) => {
        if (cancelled) return;
        candles.setData(
          b.time.map((tm, i) => ({
            time: sec(tm),
            open: b.open[i]!,
            high: b.high[i]!,
            low: b.low[i]!,
            close: b.close[i]!,
          })),
        );
        const markers: SeriesMarker<UTCTimestamp>[] = run.fills
          .filter((f) => f.time >= from)
          .map((f) => ({
            time: sec(
              Math.floor(f.time / (run.timeframe === '1m' ? 60_000 : 86_400_000)) *
                (run.timeframe === '1m' ? 60_000 : 86_400_000),
            ),
            position: f.side === 'buy' ? 'belowBar' : 'aboveBar',
            color: f.reason === 'stop' ? DOWN : f.side === 'buy' ? UP : '#f0b429',
            shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown',
            text: f.reason === 'stop' ? 'SL' : f.side === 'buy' ? 'B' : 'S',
          }));
        createSeriesMarkers(candles, markers);
        api.timeScale().fitContent();
        setShown(b.time.length);
      },
      () => !cancelled && setShown(0),
    );
    return () => {
      cancelled = true;
      api.remove();
    };
  }, [request, run]);

  return (
    <div>
      <div className="curve-box" style={{ height: 340 }} ref={box} data-testid="run-candles" />
      {shown !== null && (
        <div className="muted small">
          {formatInteger(i18n.language, shown)} {t('market.bars').toLowerCase()}
        </div>
      )}
    </div>
  );
}
