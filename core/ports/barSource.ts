// The bar port: what research, pipelines, the executor's drift report and the health watch
// read of stored bars (the bar store in main/market implements it, with its columnar copy).
import type { BarRanges } from '../market/barRanges';
import type { ColumnarBars, Coverage } from '../market/bars';
import type { Timeframe } from '../market/timeframes';
import type { CryptoPart } from '../market/derivatives';

export interface BarSource {
  /** The stored bars of [from, to] in time order; `fromDatabase` skips any copy (a read that must see other programs' writes). */
  readBars(
    symbol: string,
    tf: Timeframe,
    from: number,
    toMs: number,
    options?: { fromDatabase?: boolean },
  ): Promise<ColumnarBars>;
  /** The runs of stored bars, from the series' index (one small read). */
  storedRanges(symbol: string, tf: Timeframe): Promise<BarRanges>;
  /** Coverage from a full read of the series' bar times (the index is reset to what it found). */
  coverage(symbol: string, tf: Timeframe): Promise<Coverage>;
}

/** The perpetual-data port: what a strategy with crypto factors reads beside its bars. */
export interface CryptoSource {
  /** Sets `bars.crypto` to the parts the strategy needs over the bars' range; refuses a part with nothing stored there. */
  attach(bars: ColumnarBars, parts: readonly CryptoPart[]): Promise<ColumnarBars>;
}
