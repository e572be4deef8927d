// One look for every chart on the desk (candles, equity, drawdown).
import { ColorType, type DeepPartial, type ChartOptions, type UTCTimestamp } from 'lightweight-charts';

export const UP = '#26c281';
export const DOWN = '#f25f5c';
export const ACCENT = '#2ec4b6';
export const MUTED_LINE = '#7d8ba0';
/** Distinct colours for overlaid runs. */
export const PALETTE = ['#2ec4b6', '#f0b429', '#a78bfa', '#f25f5c', '#60a5fa', '#f472b6'];

export const sec = (ms: number) => (ms / 1000) as UTCTimestamp;

export const CHART_OPTIONS: DeepPartial<ChartOptions> = {
  autoSize: true,
  // The logo injects a <style> element, which our CSP forbids; attribution is given below the charts instead.
  layout: {
    background: { type: ColorType.Solid, color: '#11171f' },
    textColor: '#9aa7b8',
    fontFamily: 'system-ui, sans-serif',
    attributionLogo: false,
  },
  grid: { vertLines: { color: '#1b2430' }, horzLines: { color: '#1b2430' } },
  rightPriceScale: { borderColor: '#243042' },
  timeScale: { borderColor: '#243042', timeVisible: true, secondsVisible: false },
  crosshair: { mode: 0 },
};
