// A new user imports and charts on the demo exchange, which is preselected and labelled
// simulated, within a minute.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { importSeries } from './marketSteps';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');

test('import daily and minute bars from the demo exchange, check their quality, and chart them', async ({ page }) => {
  await page.goto(url());
  await page.getByTestId('nav-market').click();
  await expect(page.getByTestId('page-market')).toBeVisible();
  await expect(page.getByTestId('import-exchange')).toHaveValue('demo');
  await expect(page.getByText(/Simulated exchange/)).toBeVisible();
  await expect(page.getByTestId('import-pair')).toHaveValue('BTC/USDT', { timeout: 15_000 });

  await page.getByTestId('import-timeframe').selectOption('1d');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-DEMO:BTCUSDT:1d')).toContainText(/bars stored/, { timeout: 60_000 });

  await page.getByTestId('import-timeframe').selectOption('1m');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-DEMO:BTCUSDT:1m')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'en-market-importing.png'), fullPage: true });
  await expect(page.getByTestId('import-DEMO:BTCUSDT:1m')).toContainText(/bars stored/, { timeout: 120_000 });

  for (const tf of ['1d', '1m']) {
    await page.getByTestId(`check-DEMO:BTCUSDT:${tf}`).click();
    await expect(page.getByTestId(`series-DEMO:BTCUSDT:${tf}`)).toContainText('no gaps', { timeout: 60_000 });
  }
  await page.screenshot({ path: path.join(shots, 'en-market-imported.png'), fullPage: true });

  await page.getByTestId('series-DEMO:BTCUSDT:1d').getByRole('link', { name: 'Chart' }).click();
  await expect(page.getByTestId('page-charts')).toBeVisible();
  await expect(page.getByTestId('chart-series')).toHaveValue('DEMO:BTCUSDT|1d');
  await page.getByTestId('range-y1').click();
  await expect(page.getByTestId('chart-count')).toHaveText(/36[56] bars/, { timeout: 30_000 });
  await expect(page.getByTestId('chart-canvas').locator('canvas').first()).toBeVisible();
  // the candle under the cursor, as figures
  await expect(page.getByTestId('chart-legend')).toContainText('Point at a candle');
  const box = (await page.getByTestId('chart-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
  await expect(page.getByTestId('chart-legend')).toContainText(/O [\d,.]+ ?H [\d,.]+ ?L [\d,.]+ ?C [\d,.]+/);
  await page.screenshot({ path: path.join(shots, 'en-chart-1d.png'), fullPage: true });

  await page.getByTestId('chart-series').selectOption('DEMO:BTCUSDT|1m');
  await page.getByTestId('range-d1').click();
  await expect(page.getByTestId('chart-count')).toHaveText(/1,4\d\d bars/, { timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, 'en-chart-1m.png'), fullPage: true });
});

test('a stored series is counted at once, kept current or not, and deleted after typing its symbol', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await page.goto(url());
  // asked from further back than the demo lists BNB: said, with the date its history starts
  await importSeries(page, 'BNB/USDT', '1d', 700);
  await expect(page.getByTestId('import-DEMO:BNBUSDT:1d').getByTestId('import-history-from')).toContainText(
    /has this pair from .* only \(asked from/,
  );
  const row = page.getByTestId('series-DEMO:BNBUSDT:1d');
  // counts from the index of stored bars, before any quality check
  await expect(row.locator('td.num').first()).toHaveText(/^5[45]\d$/);
  await expect(row).toContainText('no gaps');

  const auto = page.getByTestId('auto-DEMO:BNBUSDT:1d');
  await expect(auto).toBeChecked();
  await auto.click();
  await expect(auto).not.toBeChecked();
  await page.reload();
  await page.getByTestId('nav-market').click();
  await expect(page.getByTestId('auto-DEMO:BNBUSDT:1d')).not.toBeChecked();

  await page.getByTestId('delete-DEMO:BNBUSDT:1d').click();
  await page.getByTestId('delete-confirm-DEMO:BNBUSDT:1d').fill('DEMO:BNB');
  await expect(page.getByTestId('delete-yes-DEMO:BNBUSDT:1d')).toBeDisabled();
  await page.getByTestId('delete-confirm-DEMO:BNBUSDT:1d').fill('DEMO:BNBUSDT');
  await page.screenshot({ path: path.join(shots, 'en-market-delete.png'), fullPage: true });
  await page.getByTestId('delete-yes-DEMO:BNBUSDT:1d').click();
  await expect(page.getByTestId('deletion-DEMO:BNBUSDT:1d')).toContainText(/Deleted.*5[45]\d bars removed/, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('series-DEMO:BNBUSDT:1d')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'en-market-deleted.png'), fullPage: true });
});
