// Charts: candles and volume of a stored series (lightweight-charts), a range switch, and
// while the series is kept current, new bars and the forming bar as they arrive. A series with
// perpetual data has panes under the candles: funding, basis, and order-book depth.
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  LineSeries,
  LineStyle,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type CandlestickData,
  type HistogramData,
  type ISeriesMarkersPluginApi,
  type LineData,
  type MouseEventParams,
  type SeriesType,
  type SeriesMarker,
  type TickMarkType,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BarsReply, PerpCoverage, PerpPanes, Series } from '../../../core/api/contract';
import { formatInteger, formatNumber } from '../../../core/format/format';
import { RESOLUTION_MS, autoResolution, resolutionsFor, type Resolution } from '../../../core/market/resample';
import { LoadError } from '../components/LoadError';
import { useDesk } from '../deskContext';
import { useFormat } from '../useFormat';
import { hashParams } from '../router';
import { bucketMean } from './chart/perpPanes';
import { tickLabel } from './chart/tickLabels';

const DAY = 86_400_000;
const RANGES = { d1: DAY, d7: 7 * DAY, d30: 30 * DAY, y1: 365 * DAY, all: 0 } as const;
type RangeKey = keyof typeof RANGES;
const UP = '#26c281';
const DOWN = '#f25f5c';
/** Our executor's fills, apart from the signals' arrows. */
const FILL_BUY = '#4aa3ff';
const FILL_SELL = '#f5a524';
/** The perpetual panes' lines. */
const PERP_LINE = '#4aa3ff';
const MARK_LINE = '#f5a524';
const IMBALANCE_LINE = '#b48cff';
const SPREAD_LINE = '#9aa7b8';
const ZERO_LINE = 'rgba(154,167,184,0.45)';
/** The candles' pane is this many times as tall as each perpetual pane; each pane adds this much height. */
const MAIN_STRETCH = 3;
const PANE_PX = 130;

const PANE_GROUPS = ['funding', 'basis', 'depth'] as const;
type PaneGroup = (typeof PANE_GROUPS)[number];
/** What each pane draws, top to bottom, with its colour. */
type PaneLine = 'funding' | 'perp' | 'mark' | 'imbalance' | 'spread';
const LINE_COLOURS: Record<PaneLine, string> = {
  funding: UP,
  perp: PERP_LINE,
  mark: MARK_LINE,
  imbalance: IMBALANCE_LINE,
  spread: SPREAD_LINE,
};

const sec = (ms: number) => (ms / 1000) as UTCTimestamp;

/** The candle under the cursor. */
interface Hovered {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
  /** The perpetual panes' values at that time, where they have one. */
  perp: Partial<Record<PaneLine, number>>;
}

function toCandles(b: BarsReply) {
  return b.time.map((t, i) => ({
    time: sec(t),
    open: b.open[i]!,
    high: b.high[i]!,
    low: b.low[i]!,
    close: b.close[i]!,
  }));
}

function toVolumes(b: BarsReply) {
  return b.time.map((t, i) => ({
    time: sec(t),
    value: b.volume[i]!,
    color: b.close[i]! >= b.open[i]! ? 'rgba(38,194,129,0.45)' : 'rgba(242,95,92,0.45)',
  }));
}

export function ChartPage() {
  const { t, i18n } = useTranslation();
  const { when } = useFormat();
  /** Prices with the decimals they need: a coin at 0.0001 is not 0.00. */
  const price = (v: number) => formatNumber(i18n.language, v, Math.abs(v) >= 100 ? 2 : Math.abs(v) >= 1 ? 4 : 8);
  const { request } = useDesk();
  const [series, setSeries] = useState<Series[] | null>(null);
  const [key, setKey] = useState<string>(() => {
    const p = hashParams();
    return p.get('symbol') && p.get('tf') ? `${p.get('symbol')}|${p.get('tf')}` : '';
  });
  const [range, setRange] = useState<RangeKey>('d7');
  const [resolutionChoice, setResolutionChoice] = useState<Resolution | 'auto'>('auto');
  const [drawn, setDrawn] = useState<{ resolution: Resolution; sourceBars: number } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{
    api: IChartApi;
    candles: ISeriesApi<'Candlestick'>;
    volume: ISeriesApi<'Histogram'>;
    markers: ISeriesMarkersPluginApi<Time>;
  } | null>(null);
  const [showSignals, setShowSignals] = useState(true);
  const [hover, setHover] = useState<Hovered | null>(null);
  const [signalCount, setSignalCount] = useState<number | null>(null);
  const [shownRange, setShownRange] = useState<{ from: number; to: number } | null>(null);
  // The perpetual panes: what is stored per symbol, which groups are shown, their data for the
  // range loaded (fetched with the range, never on scrolling) and the series drawing them.
  const [perpCoverage, setPerpCoverage] = useState<PerpCoverage[]>([]);
  const [paneOn, setPaneOn] = useState<Record<PaneGroup, boolean>>({ funding: true, basis: true, depth: true });
  const [panes, setPanes] = useState<{ data: PerpPanes; resolution: Resolution } | null>(null);
  const [panesError, setPanesError] = useState<string | null>(null);
  const [panesLoading, setPanesLoading] = useState(false);
  const paneSeries = useRef<Partial<Record<PaneLine, ISeriesApi<SeriesType>>>>({});
  /** Each drawn pane's lines and its top within the chart, for the labels over it. */
  const [paneLabels, setPaneLabels] = useState<{ top: number; lines: PaneLine[] }[]>([]);
  const lastTime = useRef<number>(0);
  /** The newest candle drawn, the forming one included: an update older than it replaces a candle in place. */
  const lastDrawn = useRef<number>(0);

  const [seriesError, setSeriesError] = useState<string | null>(null);
  const loadSeries = useCallback(
    () =>
      request(
        'market.series',
        {},
        (s) => {
          setSeries(s);
          setSeriesError(null);
          setKey((k) => k || (s[0] ? `${s[0].symbol}|${s[0].timeframe}` : ''));
        },
        setSeriesError,
      ),
    [request],
  );
  useEffect(loadSeries, [loadSeries]);
  useEffect(() => request('market.perp.coverage', {}, setPerpCoverage), [request]);

  const selected = useMemo(() => series?.find((s) => `${s.symbol}|${s.timeframe}` === key) ?? null, [series, key]);
  const resolutions = selected ? resolutionsFor(selected.timeframe) : [];
  // Auto: the finest candles that draw the chosen range within the chart's candle budget.
  const resolution: Resolution | null = !selected
    ? null
    : resolutionChoice !== 'auto' && resolutions.includes(resolutionChoice)
      ? resolutionChoice
      : autoResolution(selected.timeframe, RANGES[range] || Date.now() - selected.from);

  /** The perpetual data the selected series has (its switches, or rows stored for its symbol). */
  const perpHas = useMemo<Record<PaneGroup, boolean>>(() => {
    if (!selected) return { funding: false, basis: false, depth: false };
    const stored = (kinds: PerpCoverage['kind'][], tf?: string) =>
      perpCoverage.some(
        (c) => c.symbol === selected.symbol && kinds.includes(c.kind) && c.rows > 0 && (!tf || c.timeframe === tf),
      );
    return {
      funding: selected.perp === true || stored(['funding']),
      basis: selected.perp === true || stored(['last', 'mark', 'index'], selected.timeframe),
      depth: selected.depth === true || stored(['depth']),
    };
  }, [selected, perpCoverage]);
  const panesWanted = PANE_GROUPS.some((g) => perpHas[g] && paneOn[g]);

  // One chart for the page's life.
  useEffect(() => {
    if (!box.current) return;
    const api = createChart(box.current, {
      autoSize: true,
      // The logo injects a <style> element, which our CSP forbids; attribution is given below the chart instead.
      layout: {
        background: { type: ColorType.Solid, color: '#11171f' },
        textColor: '#9aa7b8',
        fontFamily: 'system-ui, sans-serif',
        attributionLogo: false,
        // fixed pane heights: the labels over the perpetual panes stay where their panes are
        panes: { enableResize: false, separatorColor: '#243042' },
      },
      grid: { vertLines: { color: '#1b2430' }, horzLines: { color: '#1b2430' } },
      rightPriceScale: { borderColor: '#243042' },
      // Below half a pixel a candle, neighbours are drawn merged (the library's conflation): a
      // year of minutes fitted to the page repaints in a fraction of the time.
      timeScale: {
        borderColor: '#243042',
        timeVisible: true,
        secondsVisible: false,
        enableConflation: true,
        tickMarkFormatter: (time: Time, type: TickMarkType, locale: string) => {
          const range = api.timeScale().getVisibleRange();
          const span = range ? Number(range.to) - Number(range.from) : 0;
          return tickLabel(Number(time), type, span, locale);
        },
      },
      crosshair: { mode: 0 },
    });
    const candles = api.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderVisible: false,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    const volume = api.addSeries(HistogramSeries, { priceScaleId: '', priceFormat: { type: 'volume' } });
    volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.05, bottom: 0.25 } });
    chart.current = { api, candles, volume, markers: createSeriesMarkers(candles, []) };
    // The bar under the cursor, as figures (nothing when the cursor is off the candles).
    const onMove = (p: MouseEventParams<Time>) => {
      const c = p.seriesData.get(candles) as CandlestickData<Time> | undefined;
      const v = p.seriesData.get(volume) as HistogramData<Time> | undefined;
      const perp: Hovered['perp'] = {};
      for (const [line, s] of Object.entries(paneSeries.current) as [PaneLine, ISeriesApi<SeriesType>][]) {
        const d = p.seriesData.get(s) as LineData<Time> | HistogramData<Time> | undefined;
        if (d && 'value' in d) perp[line] = d.value;
      }
      setHover(
        c && typeof p.time === 'number'
          ? {
              time: p.time * 1000,
              open: c.open,
              high: c.high,
              low: c.low,
              close: c.close,
              volume: v?.value ?? null,
              perp,
            }
          : null,
      );
    };
    api.subscribeCrosshairMove(onMove);
    return () => {
      api.unsubscribeCrosshairMove(onMove);
      api.remove();
      chart.current = null;
    };
  }, []);

  // Load the chosen series and range.
  useEffect(() => {
    if (!selected || !resolution || !chart.current) return;
    let cancelled = false;
    setLoading(true);
    // From choosing a series or range to its candles drawn: the U1 benchmark reads `chart.load`.
    const started = performance.now();
    const to = new Date();
    const span = RANGES[range];
    const from = span ? new Date(to.getTime() - span) : new Date(selected.from);
    request(
      'market.bars',
      {
        symbol: selected.symbol,
        timeframe: selected.timeframe,
        from: from.toISOString(),
        to: to.toISOString(),
        forming: selected.auto,
        resolution,
      },
      (b) => {
        if (cancelled || !chart.current) return;
        // Measured (performance.measure 'chart.setData') for the U1 benchmark.
        const t0 = performance.now();
        // the panes' points of the range before go before the new range is fitted (its own come next)
        for (const p of Object.values(paneSeries.current)) p.setData([]);
        chart.current.candles.setData(toCandles(b));
        chart.current.volume.setData(toVolumes(b));
        performance.measure('chart.setData', { start: t0, end: performance.now(), detail: { bars: b.time.length } });
        requestAnimationFrame(() =>
          performance.measure('chart.load', {
            start: started,
            end: performance.now(),
            detail: { bars: b.time.length },
          }),
        );
        if (b.forming) {
          const [ft, o, h, l, c, v] = b.forming;
          if (ft >= (b.time.at(-1) ?? 0)) {
            chart.current.candles.update({ time: sec(ft), open: o, high: h, low: l, close: c });
            chart.current.volume.update({ time: sec(ft), value: v, color: 'rgba(46,196,182,0.5)' });
          }
        }
        lastTime.current = b.time.at(-1) ?? 0;
        lastDrawn.current = Math.max(lastTime.current, b.forming?.[0] ?? 0);
        setShownRange(b.time.length ? { from: b.time[0]!, to: b.time.at(-1)! } : null);
        // The whole range in view: below the library's default spacing (0.5 px) it would show only the newest part.
        const width = box.current?.clientWidth ?? 1000;
        chart.current.api
          .timeScale()
          .applyOptions({ minBarSpacing: Math.min(0.5, width / Math.max(1, b.time.length + 10)) });
        chart.current.api.timeScale().fitContent();
        setCount(b.time.length);
        setDrawn({ resolution: b.resolution, sourceBars: b.sourceBars });
        setLoadError(null);
        setLoading(false);
      },
      (message) => {
        if (cancelled) return;
        // Nothing drawn rather than another series' candles under this one's name.
        chart.current?.candles.setData([]);
        chart.current?.volume.setData([]);
        for (const p of Object.values(paneSeries.current)) p.setData([]);
        setShownRange(null);
        lastTime.current = 0;
        lastDrawn.current = 0;
        setCount(null);
        setLoadError(message);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [request, selected, range, resolution]);

  // Entry and exit signals of every strategy on this series, and our executor's fills of its
  // pair, as markers on the candle each falls in: entries green arrows under the bar, exits red
  // arrows over it; fills as circles (buys under, sells over), a protective stop as a red square.
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    if (!showSignals || !selected || !shownRange || !resolution) {
      c.markers.setMarkers([]);
      setSignalCount(null);
      return;
    }
    let cancelled = false;
    const bucket = RESOLUTION_MS[resolution];
    const at = (ms: number) => sec(Math.floor(ms / bucket) * bucket);
    let signalMarkers: SeriesMarker<Time>[] = [];
    let fillMarkers: SeriesMarker<Time>[] = [];
    const show = () => {
      if (cancelled || !chart.current) return;
      // the chart takes markers in time order
      chart.current.markers.setMarkers(
        [...signalMarkers, ...fillMarkers].sort((a, b) => Number(a.time) - Number(b.time)),
      );
    };
    request(
      'signals.forSeries',
      {
        symbol: selected.symbol,
        timeframe: selected.timeframe,
        from: new Date(shownRange.from).toISOString(),
        to: new Date(shownRange.to).toISOString(),
      },
      (rows) => {
        const ids = [...new Set(rows.map((r) => r.strategy_id))].sort();
        // the strategy's name in the label, with its direction when there are several
        signalMarkers = rows.map((r) => ({
          time: at(r.ts),
          position: r.action === 'enter_long' ? 'belowBar' : 'aboveBar',
          shape: r.action === 'enter_long' ? 'arrowUp' : 'arrowDown',
          color: r.action === 'enter_long' ? UP : DOWN,
          text: ids.length > 1 ? `${r.strategy_id} ${r.action === 'enter_long' ? '▲' : '▼'}` : r.strategy_id,
          size: 1.5,
        }));
        if (!cancelled) setSignalCount(rows.length);
        show();
      },
      () => setSignalCount(null),
    );
    request(
      'execution.fills',
      { limit: 1000, pair: selected.pair, from: shownRange.from, to: shownRange.to + bucket },
      (fills) => {
        fillMarkers = fills.map((f) => ({
          time: at(f.time),
          position: f.side === 'buy' ? 'belowBar' : 'aboveBar',
          shape: f.leg === 'stop' ? 'square' : 'circle',
          color: f.leg === 'stop' ? DOWN : f.side === 'buy' ? FILL_BUY : FILL_SELL,
          text: f.leg === 'stop' ? t('chart.stopFill') : undefined,
          size: 1,
        }));
        show();
      },
    );
    return () => {
      cancelled = true;
    };
  }, [request, selected, shownRange, showSignals, resolution, t]);

  // The perpetual panes' data for the range loaded: asked for once per load of candles (a new
  // series, range or resolution), as the candles are, never on scrolling.
  const drawnResolution = drawn?.resolution ?? null;
  useEffect(() => {
    if (!selected || !shownRange || !drawnResolution || !panesWanted) {
      setPanes(null);
      setPanesError(null);
      setPanesLoading(false);
      return;
    }
    let cancelled = false;
    setPanesLoading(true);
    request(
      'market.perp.panes',
      {
        symbol: selected.symbol,
        timeframe: selected.timeframe,
        from: new Date(shownRange.from).toISOString(),
        // through now: the minute forming has its depth sampled already
        to: new Date(Math.max(Date.now(), shownRange.to + RESOLUTION_MS[drawnResolution] - 1)).toISOString(),
      },
      (data) => {
        if (cancelled) return;
        setPanes({ data, resolution: drawnResolution });
        setPanesError(null);
        setPanesLoading(false);
      },
      (message) => {
        if (cancelled) return;
        setPanes(null);
        setPanesError(message);
        setPanesLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [request, selected, shownRange, drawnResolution, panesWanted]);

  /** The top of each drawn pane within the chart (panes are stacked, a 1 px separator between them). */
  const layoutPaneLabels = useCallback(() => {
    const c = chart.current;
    if (!c) return;
    const drawnPanes = c.api.panes();
    const tops: number[] = [];
    let y = 0;
    for (const pane of drawnPanes) {
      tops.push(y);
      y += pane.getHeight() + 1;
    }
    setPaneLabels((cur) => cur.map((l, i) => ({ ...l, top: tops[i + 1] ?? l.top })));
  }, []);

  // The panes drawn: funding as a histogram (green paid by longs, red paid by shorts), the
  // annualised basis as two lines (perpetual vs spot, mark vs index), and depth as its
  // imbalance and its spread, each point on its candle's time.
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    for (const s of Object.values(paneSeries.current)) c.api.removeSeries(s);
    paneSeries.current = {};
    // an emptied pane is removed with its last series; any left over goes too
    while (c.api.panes().length > 1) c.api.removePane(c.api.panes().length - 1);
    const labels: { top: number; lines: PaneLine[] }[] = [];
    if (panes) {
      const { data, resolution: res } = panes;
      const bucket = RESOLUTION_MS[res];
      const at = (points: { time: number; value: number }[]) => points.map((p) => ({ ...p, time: sec(p.time) }));
      const style = { priceLineVisible: false, lastValueVisible: true } as const;
      const zeroLine = (s: ISeriesApi<SeriesType>) =>
        s.createPriceLine({
          price: 0,
          color: ZERO_LINE,
          lineWidth: 1,
          lineStyle: LineStyle.Dashed,
          axisLabelVisible: false,
        });
      const line = (key: PaneLine, pane: number, points: { time: number; value: number }[], digits: number) => {
        const s = c.api.addSeries(
          LineSeries,
          {
            ...style,
            color: LINE_COLOURS[key],
            lineWidth: 2,
            priceFormat: { type: 'price', precision: digits, minMove: 10 ** -digits },
          },
          pane,
        );
        s.setData(at(points));
        paneSeries.current[key] = s;
        return s;
      };
      let pane = 0;
      const funding = bucketMean(data.funding.time, data.funding.rateBp, bucket);
      if (perpHas.funding && paneOn.funding && funding.length) {
        pane++;
        const s = c.api.addSeries(
          HistogramSeries,
          { ...style, priceFormat: { type: 'price', precision: 2, minMove: 0.01 } },
          pane,
        );
        s.setData(at(funding).map((p) => ({ ...p, color: p.value >= 0 ? UP : DOWN })));
        zeroLine(s);
        paneSeries.current.funding = s;
        labels.push({ top: 0, lines: ['funding'] });
      }
      const perp = bucketMean(data.basis.time, data.basis.perpPct, bucket);
      const mark = bucketMean(data.basis.time, data.basis.markPct, bucket);
      if (perpHas.basis && paneOn.basis && (perp.length || mark.length)) {
        pane++;
        const drawnLines: PaneLine[] = [];
        if (perp.length) {
          zeroLine(line('perp', pane, perp, 2));
          drawnLines.push('perp');
        }
        if (mark.length) {
          line('mark', pane, mark, 2);
          drawnLines.push('mark');
        }
        labels.push({ top: 0, lines: drawnLines });
      }
      const imbalance = bucketMean(data.depth.time, data.depth.imbalance, bucket);
      const spread = bucketMean(data.depth.time, data.depth.spreadBp, bucket);
      if (perpHas.depth && paneOn.depth && (imbalance.length || spread.length)) {
        if (imbalance.length) {
          pane++;
          zeroLine(line('imbalance', pane, imbalance, 3));
          labels.push({ top: 0, lines: ['imbalance'] });
        }
        if (spread.length) {
          pane++;
          line('spread', pane, spread, 2);
          labels.push({ top: 0, lines: ['spread'] });
        }
      }
      const drawnPanes = c.api.panes();
      drawnPanes.forEach((p, i) => p.setStretchFactor(i === 0 ? MAIN_STRETCH : 1));
    }
    setPaneLabels(labels);
    // once the chart has laid the panes out
    const frame = requestAnimationFrame(layoutPaneLabels);
    return () => cancelAnimationFrame(frame);
  }, [panes, paneOn, perpHas, layoutPaneLabels]);

  // The labels follow the panes when the chart changes size.
  useEffect(() => {
    if (!box.current || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => requestAnimationFrame(layoutPaneLabels));
    observer.observe(box.current);
    return () => observer.disconnect();
  }, [layoutPaneLabels]);

  // Live: new closed bars and the forming bar, while the series is kept current. The newest
  // candle is asked for again each time: at a coarser resolution it grows until its bucket ends.
  useEffect(() => {
    if (!selected?.auto || !resolution) return;
    let cancelled = false;
    const id = window.setInterval(() => {
      const since = lastTime.current ? new Date(lastTime.current) : new Date(Date.now() - 2 * DAY);
      request(
        'market.bars',
        {
          symbol: selected.symbol,
          timeframe: selected.timeframe,
          from: since.toISOString(),
          forming: true,
          resolution,
        },
        (b) => {
          const c = chart.current;
          if (!c || cancelled || b.resolution !== resolution) return;
          const before = lastTime.current;
          const added = b.time.filter((t) => t > before).length;
          // A closed candle at the stored resolution is final: only later ones are new. A coarser
          // candle grows until its bucket ends, so the newest one is taken again.
          const final = b.resolution === selected.timeframe;
          const fresh = (t: { time: number }) => (final ? t.time * 1000 > before : t.time * 1000 >= before);
          // A candle older than the newest one drawn (the forming one, now closed) is replaced in place.
          const newest = lastDrawn.current;
          const historical = (bar: { time: UTCTimestamp }) => bar.time * 1000 < newest;
          const candles = toCandles(b).filter(fresh);
          const volumes = toVolumes(b).filter(fresh);
          if (b.time.length) lastTime.current = Math.max(before, b.time.at(-1)!);
          if (b.forming && b.forming[0] >= lastTime.current) {
            const [ft, o, h, l, cl, v] = b.forming;
            candles.push({ time: sec(ft), open: o, high: h, low: l, close: cl });
            volumes.push({ time: sec(ft), value: v, color: 'rgba(46,196,182,0.5)' });
          }
          // While neighbours are drawn merged the library refuses to change a candle before the
          // newest one: such a change is made with merging off for that moment.
          const changesEarlier = candles.some(historical);
          if (changesEarlier) c.api.applyOptions({ timeScale: { enableConflation: false } });
          try {
            candles.forEach((bar) => c.candles.update(bar, historical(bar)));
            volumes.forEach((bar) => c.volume.update(bar, historical(bar)));
          } finally {
            if (changesEarlier) c.api.applyOptions({ timeScale: { enableConflation: true } });
          }
          lastDrawn.current = Math.max(newest, lastTime.current, b.forming?.[0] ?? 0);
          if (added) setCount((n) => (n ?? 0) + added);
        },
      );
    }, 5000);
    return () => {
      cancelled = true;
      window.clearInterval(id);
    };
  }, [request, selected, resolution]);

  return (
    <section className="page page-wide" data-testid="page-charts">
      <div className="toolbar">
        <label>
          <span className="form-label">{t('chart.series')}</span>
          <select
            data-testid="chart-series"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            disabled={!series?.length}
          >
            {series?.map((s) => (
              <option key={`${s.symbol}|${s.timeframe}`} value={`${s.symbol}|${s.timeframe}`}>
                {s.symbol} · {s.timeframe}
              </option>
            ))}
          </select>
        </label>
        <div className="seg" role="group" aria-label={t('chart.range')}>
          {(Object.keys(RANGES) as RangeKey[]).map((r) => (
            <button
              key={r}
              type="button"
              className={r === range ? 'active' : ''}
              onClick={() => setRange(r)}
              data-testid={`range-${r}`}
            >
              {t(`chart.ranges.${r}`)}
            </button>
          ))}
        </div>
        <label>
          <span className="form-label">{t('chart.resolution')}</span>
          <select
            data-testid="chart-resolution"
            value={resolutionChoice}
            onChange={(e) => setResolutionChoice(e.target.value as Resolution | 'auto')}
            disabled={resolutions.length < 2}
          >
            <option value="auto">{resolution ? t('chart.autoResolution', { resolution }) : t('chart.auto')}</option>
            {resolutions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="check small">
          <input
            type="checkbox"
            checked={showSignals}
            onChange={(e) => setShowSignals(e.target.checked)}
            data-testid="chart-signals"
          />
          {t('chart.signals')}
          {signalCount !== null && (
            <span className="muted" data-testid="chart-signal-count">
              ({formatInteger(i18n.language, signalCount)})
            </span>
          )}
        </label>
        {PANE_GROUPS.filter((g) => perpHas[g]).map((g) => (
          <label key={g} className="check small">
            <input
              type="checkbox"
              checked={paneOn[g]}
              onChange={(e) => setPaneOn((cur) => ({ ...cur, [g]: e.target.checked }))}
              data-testid={`chart-pane-${g}`}
            />
            {t(`chart.panes.${g}`)}
          </label>
        ))}
        <div className="toolbar-right">
          {selected?.auto && (
            <span className="badge badge-good">
              <span className="badge-dot" />
              {t('chart.live')}
            </span>
          )}
          <span className="muted small" data-testid="chart-count">
            {loading
              ? t('chart.loading')
              : count === null
                ? ''
                : drawn && selected && drawn.resolution !== selected.timeframe
                  ? t('chart.candlesShown', {
                      count: formatInteger(i18n.language, count),
                      resolution: drawn.resolution,
                      bars: formatInteger(i18n.language, drawn.sourceBars),
                      timeframe: selected.timeframe,
                    })
                  : t('chart.barsShown', { count: formatInteger(i18n.language, count) })}
          </span>
        </div>
      </div>
      {seriesError && series === null && (
        <LoadError message={seriesError} onRetry={loadSeries} testId="chart-series-error" />
      )}
      {series !== null && series.length === 0 && <div className="note">{t('chart.noSeries')}</div>}
      {loadError && (
        <div className="note note-warn" data-testid="chart-error">
          {t('chart.loadFailed', { message: loadError })}
        </div>
      )}
      {count === 0 && !loading && !loadError && selected && <div className="note">{t('chart.empty')}</div>}
      <div className="chart-legend mono small" data-testid="chart-legend">
        {hover ? (
          <>
            <span className="muted">{when(hover.time)}</span>
            <span>O {price(hover.open)}</span>
            <span>H {price(hover.high)}</span>
            <span>L {price(hover.low)}</span>
            <span className={hover.close >= hover.open ? 'good-text' : 'error-text'}>C {price(hover.close)}</span>
            <span className={hover.close >= hover.open ? 'good-text' : 'error-text'}>
              {`${hover.close >= hover.open ? '+' : ''}${formatNumber(i18n.language, (100 * (hover.close - hover.open)) / hover.open, 2)} %`}
            </span>
            {hover.volume !== null && <span className="muted">V {formatNumber(i18n.language, hover.volume, 2)}</span>}
            {(Object.keys(LINE_COLOURS) as PaneLine[])
              .filter((line) => hover.perp[line] !== undefined)
              .map((line) => (
                <span key={line} style={{ color: line === 'funding' ? undefined : LINE_COLOURS[line] }}>
                  {`${t(`chart.paneTitles.${line}`)}: ${formatNumber(i18n.language, hover.perp[line]!, line === 'imbalance' ? 3 : 2)}`}
                </span>
              ))}
          </>
        ) : (
          <span className="muted">{t('chart.legendHint')}</span>
        )}
      </div>
      {panesWanted && panesError && (
        <div className="note note-warn" data-testid="chart-panes-error">
          {t('chart.panesFailed', { message: panesError })}
        </div>
      )}
      {panesWanted && panes && !panesLoading && paneLabels.length === 0 && (
        <div className="note" data-testid="chart-panes-empty">
          {t('chart.panesEmpty')}
        </div>
      )}
      {panesWanted &&
        panes &&
        shownRange &&
        paneLabels.length > 0 &&
        panes.data.from > shownRange.from + RESOLUTION_MS[panes.resolution] && (
          <div className="muted small" data-testid="chart-panes-from">
            {t('chart.panesFrom', { from: when(panes.data.from) })}
          </div>
        )}
      <div className="chart-area" style={{ minHeight: 480 + PANE_PX * paneLabels.length }}>
        <div className="chart-box" ref={box} data-testid="chart-canvas" />
        {paneLabels.map((l) => (
          <div
            key={l.lines.join('+')}
            className="pane-label small"
            style={{ top: l.top + 4 }}
            data-testid={`chart-pane-label-${l.lines[0]}`}
          >
            {l.lines.map((line) => (
              <span key={line}>
                <span className="swatch" style={{ background: LINE_COLOURS[line] }} />
                {t(`chart.paneTitles.${line}`)}
              </span>
            ))}
          </div>
        ))}
        {panesWanted && panesLoading && <div className="pane-label pane-loading small">{t('chart.panesLoading')}</div>}
      </div>
      <div className="muted small credit">
        {t('chart.credit')}{' '}
        <a href="https://www.tradingview.com/lightweight-charts/" target="_blank" rel="noreferrer" translate="no">
          TradingView Lightweight Charts™
        </a>
      </div>
    </section>
  );
}
