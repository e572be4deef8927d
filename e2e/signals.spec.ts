// A trader builds a pipeline from a template, runs it (strategy -> signals -> backtest ->
// export), sees the signals in the feed, switches a 1m pipeline to live and watches the
// export latency of the next bar against its budget.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { importSeries } from './marketSteps';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');

test('pipelines write signals, the feed shows them, live mode measures latency', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 2000 });
  await page.goto(url());
  await importSeries(page, 'SOL/USDT', '1d', 400);
  await importSeries(page, 'BNB/USDT', '1m', 1);

  await page.getByTestId('nav-signals').click();
  await expect(page.getByTestId('page-signals')).toBeVisible();
  await page.getByTestId('pl-name').fill('SOL breakout');
  await page.getByTestId('pl-series').selectOption('DEMO:SOLUSDT|1d');
  await page.getByTestId('pl-template').selectOption('breakout-donchian');
  await page.getByTestId('pl-strategy-id').fill('sol-breakout');
  await page.getByTestId('pl-create').click();
  const pipeline = page.getByTestId('pipeline-SOL breakout');
  await expect(pipeline).toBeVisible();
  await page.getByTestId('pl-run-SOL breakout').click();
  await expect(pipeline).toContainText(/\d+ new, 0 replaced, 0 unchanged/, { timeout: 30_000 });
  await expect(pipeline).toContainText(/entries/);
  // Running again writes nothing new.
  await page.getByTestId('pl-run-SOL breakout').click();
  await expect(pipeline).toContainText(/0 new, 0 replaced, \d+ unchanged/, { timeout: 30_000 });
  // (other specs' signals of the shared desk may be newer)
  await expect(page.getByTestId('signal-row').filter({ hasText: 'sol-breakout' }).first()).toBeVisible();
  // The Freqtrade panel offers the new strategy at once, without the page being opened again.
  await expect(page.getByTestId('ft-source').locator('option[value="sol-breakout|1d"]')).toHaveCount(1);

  // The entries and exits appear on the chart of the series.
  await page.getByTestId('nav-charts').click();
  await page.getByTestId('chart-series').selectOption('DEMO:SOLUSDT|1d');
  await page.getByTestId('range-y1').click();
  await expect(page.getByTestId('chart-signal-count')).toHaveText(/\([1-9]\d*\)/, { timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, 'en-chart-signals.png') });
  await page.getByTestId('nav-signals').click();

  // A 1m pipeline goes live: the next bar close produces a signal with its latency.
  await page.getByTestId('pl-name').fill('BNB momentum live');
  await page.getByTestId('pl-series').selectOption('DEMO:BNBUSDT|1m');
  await page.getByTestId('pl-template').selectOption('momentum-roc');
  await expect(page.getByTestId('pl-strategy-id')).toHaveValue('');
  await page.getByTestId('pl-create').click();
  await expect(page.getByTestId('pipeline-BNB momentum live')).toContainText('momentum-roc-bnbusdt-1m');
  // The box follows the back end's state (it changes once the switch is saved).
  await page.getByTestId('pl-live-BNB momentum live').click();
  await expect(page.getByTestId('pl-live-BNB momentum live')).toBeChecked();
  await expect(page.getByTestId('latency-1m')).toBeVisible({ timeout: 100_000 });
  await expect(page.getByTestId('pipeline-BNB momentum live')).toContainText(/after the bar closed/);
  await page.getByTestId('pl-live-BNB momentum live').click();
  await expect(page.getByTestId('pl-live-BNB momentum live')).not.toBeChecked();
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, 'en-signals.png'), fullPage: true });
});

test('a ready Freqtrade folder for a strategy: its configuration, the strategy and our bars, and the commands to type', async ({
  page,
}) => {
  await page.goto(url());
  await page.getByTestId('nav-signals').click();
  const panel = page.getByTestId('freqtrade-setup');
  await panel.getByTestId('ft-source').selectOption('sol-breakout|1d');
  await expect(panel.getByTestId('ft-exchange')).toHaveValue('demo');
  await panel.getByTestId('ft-write').click();
  await expect(panel.getByTestId('ft-made')).toContainText(/SOL\/USDT: \d{3} bars/);
  const dir = (await panel.getByTestId('ft-dir-written').textContent())!;
  expect(dir).toBe(path.join(process.env.QUANTDESK_E2E_DATA_DIR!, 'freqtrade', 'user_data'));
  await expect(panel.getByTestId('ft-commands')).toHaveText(
    [
      'pip install freqtrade pymongo',
      `freqtrade backtesting --config ${dir}/config.json`,
      `freqtrade trade --config ${dir}/config.json`,
    ].join('\n'),
  );
  expect(fs.existsSync(path.join(dir, 'data', 'binance', 'SOL_USDT-1d.feather'))).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'strategies', '.env'), 'utf8')).toContain('EXT_SIG_STRATEGY_ID=sol-breakout');
  await panel.screenshot({ path: path.join(shots, 'en-signals-freqtrade.png') });
});
