// Our stored bars in Freqtrade's own data layout, so `freqtrade backtesting` runs offline on
// exactly the bars our research used: one Arrow IPC file per pair and timeframe
// (`BTC_USDT-1m.feather`), columns date (UTC, ms), open, high, low, close, volume.
import { Table, TimestampMillisecond, makeData, makeVector, tableToIPC } from 'apache-arrow';
import type { ColumnarBars } from '../../core/market/bars';
import type { Timeframe } from '../../core/market/timeframes';

/** Freqtrade's file name for a spot pair's candles. */
export function featherFileName(pair: string, tf: Timeframe): string {
  return `${pair.replace('/', '_')}-${tf}.feather`;
}

export function barsToFeather(bars: ColumnarBars): Uint8Array {
  const n = bars.length;
  const date = makeVector(
    makeData({
      type: new TimestampMillisecond('UTC'),
      length: n,
      nullCount: 0,
      data: BigInt64Array.from(bars.time.subarray(0, n), (t) => BigInt(t)),
    }),
  );
  const column = (values: Float64Array) => makeVector(values.slice(0, n));
  const table = new Table({
    date,
    open: column(bars.open),
    high: column(bars.high),
    low: column(bars.low),
    close: column(bars.close),
    volume: column(bars.volume),
  });
  return tableToIPC(table, 'file');
}
