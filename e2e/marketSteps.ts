// Steps shared by the e2e specs and the U1 benchmark: importing a series on the demo exchange
// through the Market data page, and reading the Chart page's own timings.
import { expect, type Page } from '@playwright/test';

const DAY = 86_400_000;

/** Imports `days` of bars of a demo pair through the Market data page and waits until they are stored. */
export async function importSeries(
  page: Page,
  pair: string,
  tf: '1m' | '1d',
  days: number,
  timeoutMs = 90_000,
): Promise<void> {
  await page.getByTestId('nav-market').click();
  await expect(page.getByTestId('import-pair')).toBeEnabled({ timeout: 15_000 });
  await page.getByTestId('import-pair').selectOption(pair);
  await page.getByTestId('import-timeframe').selectOption(tf);
  await page.getByTestId('import-from').fill(new Date(Date.now() - days * DAY).toISOString().slice(0, 10));
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId(`import-DEMO:${pair.replace('/', '')}:${tf}`)).toContainText(/bars stored/, {
    timeout: timeoutMs,
  });
}

export interface ChartTiming {
  /** Choosing the series or range to its candles drawn (the frame after setData). */
  loadMs: number;
  /** setData of candles and volumes, with their conversion from the reply's columns. */
  setDataMs: number;
  bars: number;
}

/** Forgets the Chart page's earlier timings, so the next load is read alone. */
export async function clearChartTimings(page: Page): Promise<void> {
  await page.evaluate(() => performance.clearMeasures());
}

/** Waits for the Chart page's next drawn load and returns its timings. */
export async function nextChartLoad(page: Page, timeoutMs = 120_000): Promise<ChartTiming> {
  const handle = await page.waitForFunction(
    () => {
      const load = performance.getEntriesByName('chart.load', 'measure').at(-1) as PerformanceMeasure | undefined;
      const set = performance.getEntriesByName('chart.setData', 'measure').at(-1) as PerformanceMeasure | undefined;
      return load && set
        ? { loadMs: load.duration, setDataMs: set.duration, bars: (load.detail as { bars: number }).bars }
        : null;
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  return (await handle.jsonValue()) as ChartTiming;
}
