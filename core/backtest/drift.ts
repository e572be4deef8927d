// Real fills beside the backtest of the same signals: for each fill, the price the backtest
// filled at (the open of the bar after its signal's bar) and how much worse the real fill was.
import type { ColumnarBars } from '../market/bars';

export interface FillForDrift {
  time: number;
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  /** Open time of the bar of the signal that caused it. */
  signalTs: number;
}

export interface FillDrift {
  time: number;
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  /** null while the bar after the signal's bar is not stored. */
  backtestPrice: number | null;
  /** Positive: the real fill was worse than the backtest's, in basis points. */
  diffBps: number | null;
}

/** The open of the bar opening at `t`, or null (binary search over the bars' open times). */
function openAt(bars: Pick<ColumnarBars, 'time' | 'open' | 'length'>, t: number): number | null {
  let lo = 0;
  let hi = bars.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (bars.time[mid]! === t) return bars.open[mid]!;
    if (bars.time[mid]! < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

export function fillsAgainstBacktest(
  fills: readonly FillForDrift[],
  bars: Pick<ColumnarBars, 'time' | 'open' | 'length'>,
  stepMs: number,
): FillDrift[] {
  return fills.map((f) => {
    const ref = openAt(bars, f.signalTs + stepMs);
    return {
      time: f.time,
      side: f.side,
      amount: f.amount,
      price: f.price,
      backtestPrice: ref,
      diffBps: ref ? ((f.side === 'buy' ? f.price - ref : ref - f.price) / ref) * 10_000 : null,
    };
  });
}
