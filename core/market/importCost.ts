// What an import will cost, said before it starts. Figures measured on a 2-core machine
// importing a year of 1m bars (525,600) from the demo exchange through the desk: the bundled
// engine stored ~520 bytes a bar (275 MB) at ~30,000 bars/s (a year in 16-17 s); the columnar
// copy costs 48 bytes a bar on every server. The exchange's request budget caps any server at ~50,000 bars/s (Binance spot).
import { barCount, barOpen, lastClosedBarOpen, type Timeframe } from './timeframes';

const BUNDLED_BYTES_PER_BAR = 520;
const COLUMN_BYTES_PER_BAR = 48;
const BUNDLED_BARS_PER_S = 30_000;
const BUDGET_BARS_PER_S = 50_000;
/** From here a bundled-engine import is worth a warning: minutes of work and hundreds of MB. */
const LARGE_IMPORT_BARS = 200_000;

export interface ImportCost {
  bars: number;
  /** Disk the bars take in the database and the columnar copy; null when the server's own storage is unknown. */
  diskBytes: number | null;
  /** Fastest the exchange's budget allows, and on the bundled engine what it usually takes. */
  seconds: number;
  large: boolean;
}

export function importCost(
  tf: Timeframe,
  fromMs: number,
  nowMs: number,
  server: 'ferretdb' | 'mongod' | 'external',
): ImportCost {
  const bars = barCount(barOpen(fromMs, tf), lastClosedBarOpen(nowMs, tf), tf);
  const bundled = server === 'ferretdb';
  return {
    bars,
    diskBytes: bundled ? bars * (BUNDLED_BYTES_PER_BAR + COLUMN_BYTES_PER_BAR) : null,
    seconds: bars / (bundled ? BUNDLED_BARS_PER_S : BUDGET_BARS_PER_S),
    large: bundled && bars >= LARGE_IMPORT_BARS,
  };
}
