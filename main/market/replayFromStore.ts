// Builds a replay market from 1m bars already in the database: the simulator then trades
// last month's real tape (or any stored range) on an accelerated clock.
import type { ColumnarBars } from '../../core/market/bars';
import { toPair } from '../../core/market/symbols';
import { ReplayMarket } from '../../core/simulation/replayMarket';
import type { MarketStore } from './marketStore';

export async function loadReplayMarket(
  store: MarketStore,
  symbols: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<ReplayMarket> {
  if (symbols.length === 0) throw new Error('Choose at least one stored symbol to replay');
  if (!(toMs > fromMs)) throw new Error('The replay range is empty: its end must be after its start');
  const series = new Map<string, ColumnarBars>();
  for (const symbol of symbols) {
    const bars = await store.readBars(symbol, '1m', fromMs, toMs);
    if (bars.length === 0)
      throw new Error(
        `No stored 1m bars for ${symbol} between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`,
      );
    series.set(toPair(symbol), bars);
  }
  return new ReplayMarket(series);
}
