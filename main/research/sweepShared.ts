// What the sweep pool and its threads exchange: bars in SharedArrayBuffers (one copy for
// all threads), a chunk of parameter sets, and progress / result messages.
import type { BacktestConfig } from '../../core/backtest/engine';
import type { ColumnarBars } from '../../core/market/bars';
import type { CryptoSeries } from '../../core/market/derivatives';
import type { Timeframe } from '../../core/market/timeframes';
import type { SweepPoint } from '../../core/research/sweep';

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

export interface SharedBars {
  symbol: string;
  timeframe: Timeframe;
  length: number;
  buffers: Record<(typeof FIELDS)[number], SharedArrayBuffer>;
  /** Perpetual data for crypto factors: small beside the bars, so copied to each thread. */
  crypto?: CryptoSeries;
}

export interface SweepThreadInput {
  bars: SharedBars;
  templateId: string;
  sets: Record<string, number>[];
  config: BacktestConfig;
}

export type SweepThreadMessage =
  | { type: 'progress'; done: number }
  | { type: 'done'; points: (SweepPoint | null)[] }
  | { type: 'error'; message: string };

export function shareBars(b: ColumnarBars): SharedBars {
  const buffers = {} as SharedBars['buffers'];
  for (const f of FIELDS) {
    const sab = new SharedArrayBuffer(b.length * 8);
    new Float64Array(sab).set(b[f].subarray(0, b.length));
    buffers[f] = sab;
  }
  return { symbol: b.symbol, timeframe: b.timeframe, length: b.length, buffers, ...(b.crypto && { crypto: b.crypto }) };
}

export function barsFromShared(s: SharedBars): ColumnarBars {
  const view = (f: (typeof FIELDS)[number]) => new Float64Array(s.buffers[f]);
  return {
    symbol: s.symbol,
    timeframe: s.timeframe,
    length: s.length,
    time: view('time'),
    open: view('open'),
    high: view('high'),
    low: view('low'),
    close: view('close'),
    volume: view('volume'),
    ...(s.crypto && { crypto: s.crypto }),
  };
}
