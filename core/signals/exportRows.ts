// Signal rows from a strategy's positions: one row per bar after warm-up, carrying the
// target weight, plus enter_long / exit_long on the bars where the position changes. A row
// every bar lets a consumer that missed one catch up at the next, and lets monitoring see
// a producer that went quiet.
import type { ColumnarBars } from '../market/bars';
import type { SignalAction } from './signalRows';

export interface ExportRow {
  ts: Date;
  timeframe: ColumnarBars['timeframe'];
  symbol: string;
  pair: string;
  strategy_id: string;
  weight: number;
  action?: SignalAction;
  source: string;
  note?: string;
}

export function signalRowsFromTarget(
  bars: ColumnarBars,
  target: Float64Array,
  opts: { pair: string; strategyId: string; warmupBars: number; lastBars: number; source: string },
): ExportRow[] {
  const from = Math.max(opts.warmupBars, bars.length - opts.lastBars);
  const rows: ExportRow[] = [];
  for (let i = from; i < bars.length; i++) {
    const w = target[i]!;
    const prev = i > 0 ? target[i - 1]! : 0;
    const row: ExportRow = {
      ts: new Date(bars.time[i]!),
      timeframe: bars.timeframe,
      symbol: bars.symbol,
      pair: opts.pair,
      strategy_id: opts.strategyId,
      weight: w,
      source: opts.source,
    };
    if (prev === 0 && w > 0) row.action = 'enter_long';
    else if (prev > 0 && w === 0) row.action = 'exit_long';
    rows.push(row);
  }
  return rows;
}
