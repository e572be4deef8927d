// Line and area curves over time (equity, drawdown, runs compared), on lightweight-charts.
import { AreaSeries, LineSeries, createChart } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import { CHART_OPTIONS, sec } from './chartTheme';

export interface Curve {
  label: string;
  color: string;
  time: readonly number[];
  values: readonly number[];
  /** Filled below the line (drawdown). */
  area?: boolean;
  dashed?: boolean;
}

export function CurveChart({
  curves,
  height = 260,
  testId,
  percent = false,
  bounds,
}: {
  curves: Curve[];
  height?: number;
  testId?: string;
  percent?: boolean;
  /** A scale that cannot go past these (a rate is 0 to 100 %, whatever the margins would add). */
  bounds?: { min: number; max: number };
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const api = createChart(box.current, CHART_OPTIONS);
    for (const c of curves) {
      const data = c.time.map((t, i) => ({ time: sec(t), value: c.values[i]! }));
      const priceFormat = percent
        ? { type: 'custom' as const, formatter: (v: number) => `${v.toFixed(1)} %` }
        : { type: 'price' as const, precision: 2, minMove: 0.01 };
      const series = c.area
        ? api.addSeries(AreaSeries, {
            lineColor: c.color,
            topColor: `${c.color}10`,
            bottomColor: `${c.color}55`,
            lineWidth: 1,
            priceFormat,
            title: c.label,
            invertFilledArea: true,
          })
        : api.addSeries(LineSeries, {
            color: c.color,
            lineWidth: 2,
            lineStyle: c.dashed ? 2 : 0,
            priceFormat,
            title: c.label,
          });
      if (bounds)
        series.applyOptions({
          autoscaleInfoProvider: () => ({ priceRange: { minValue: bounds.min, maxValue: bounds.max } }),
        });
      series.setData(data);
    }
    api.timeScale().fitContent();
    return () => api.remove();
  }, [curves, percent, bounds]);
  return <div className="curve-box" style={{ height }} ref={box} data-testid={testId} />;
}
