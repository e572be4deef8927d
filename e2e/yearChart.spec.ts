// A trader imports a year of 1m bars on the demo exchange and charts it: the chart draws
// candles that fit the year (with the load time it took, the U1 figure), and every stored
// minute on request. Runs last: the year stays in the shared database afterwards.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { clearChartTimings, importSeries, nextChartLoad } from './marketSteps';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');

test('a 365-day 1m series imported on the demo exchange is charted whole', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await page.goto(url());
  await importSeries(page, 'ETH/USDT', '1m', 365, 12 * 60_000);
  // The form still holds the year: what it costs on the bundled engine was said before it started.
  if (!process.env.MONGO_URL) {
    await expect(page.getByTestId('import-cost')).toHaveText(
      /^About 52\d,\d{3} bars: ~[\d.]+ MB on disk, ~[\w ]+ to import on the built-in database\. A large import/,
    );
    await expect(page.getByTestId('import-cost')).toHaveClass(/note-warn/);
  }
  await page.screenshot({ path: path.join(shots, 'en-market-year-imported.png'), fullPage: true });

  await page.goto(`${url()}#/charts?symbol=DEMO:ETHUSDT&tf=1m`);
  await nextChartLoad(page);
  await clearChartTimings(page);
  await page.getByTestId('range-y1').click();
  const year = await nextChartLoad(page);
  test
    .info()
    .annotations.push({ type: 'U1 ms_365d', description: `${Math.round(year.loadMs)} ms for ${year.bars} candles` });
  // A year at the candles the page picks: hourly buckets of the stored minutes.
  await expect(page.getByTestId('chart-resolution')).toContainText('Auto (1h)');
  expect(year.bars).toBeGreaterThanOrEqual(365 * 24);
  expect(year.bars).toBeLessThanOrEqual(366 * 24);
  await expect(page.getByTestId('chart-count')).toHaveText(/^8,7\d\d 1h candles from 52\d,\d{3} 1m bars$/);
  await expect(page.getByTestId('chart-canvas').locator('canvas').first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'en-chart-year-1m.png'), fullPage: true });

  // Every stored minute as its own candle.
  await clearChartTimings(page);
  await page.getByTestId('chart-resolution').selectOption('1m');
  const minutes = await nextChartLoad(page);
  test.info().annotations.push({
    type: 'U1 ms_365d_1m',
    description: `${Math.round(minutes.loadMs)} ms for ${minutes.bars} candles`,
  });
  // 365 days back from now: every closed minute of them, but for the newest few the next
  // refresh of the kept-current series has not fetched yet
  expect(minutes.bars).toBeGreaterThanOrEqual(525_600 - 5);
  await expect(page.getByTestId('chart-count')).toHaveText(/^52\d,\d{3} bars$/);

  // Four-hour candles of the same year, chosen by hand.
  await page.getByTestId('chart-resolution').selectOption('4h');
  await expect(page.getByTestId('chart-count')).toHaveText(/^2,19\d 4h candles from 52\d,\d{3} 1m bars$/, {
    timeout: 30_000,
  });
  await page.screenshot({ path: path.join(shots, 'en-chart-year-4h.png'), fullPage: true });
});
