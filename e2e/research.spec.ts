// A trader backtests a template strategy on demo bars, sweeps its parameters with a
// walk-forward check, compares saved runs, and sees a clear error for bad input.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { importSeries } from './marketSteps';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');

test('backtest, sweep with walk-forward, and compare runs on the demo exchange', async ({ page }) => {
  test.setTimeout(180_000);
  // Tall enough that the screenshots show whole results (the desk scrolls inside its content pane).
  await page.setViewportSize({ width: 1440, height: 2300 });
  await page.goto(url());
  await importSeries(page, 'ETH/USDT', '1d', 500, 60_000);

  await page.getByTestId('nav-research').click();
  await expect(page.getByTestId('page-research')).toBeVisible();
  await page.getByTestId('bt-series').selectOption('DEMO:ETHUSDT|1d');
  await page.getByTestId('bt-template').selectOption('trend-ema');
  await page.getByTestId('param-fast').fill('10');
  await page.getByTestId('param-slow').fill('40');
  await page.getByTestId('bt-stop').fill('8');
  await page.getByTestId('bt-run').click();
  const result = page.getByTestId('run-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result).toContainText('DEMO:ETHUSDT');
  await expect(page.getByTestId('metric-trades')).toBeVisible();
  await expect(page.getByTestId('metrics-table')).toContainText('Buy-and-hold');
  await expect(page.getByTestId('equity-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('run-candles').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('trades-table')).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shots, 'en-research-backtest.png'), fullPage: true });

  // Buy-and-hold for comparison.
  await page.getByTestId('bt-source').selectOption('hold');
  await page.getByTestId('bt-run').click();
  await expect(result).toContainText(/buy-and-hold/, { timeout: 30_000 });

  // Bad input: signals that nobody wrote.
  await page.getByTestId('bt-source').selectOption('signals');
  await page.getByTestId('bt-signals-id').fill('nobody-wrote-these');
  await page.getByTestId('bt-run').click();
  await expect(page.getByTestId('bt-error')).toContainText('No 1d signals of strategy "nobody-wrote-these"');

  // Sweep two parameters with a walk-forward check.
  await page.getByTestId('research-tab-sweep').click();
  await page.getByTestId('sw-series').selectOption('DEMO:ETHUSDT|1d');
  await page.getByTestId('sw-template').selectOption('trend-ema');
  for (const [f, v] of [
    ['from', '4'],
    ['to', '24'],
    ['step', '4'],
  ])
    await page.getByTestId(`sw-x-${f}`).fill(v!);
  for (const [f, v] of [
    ['from', '30'],
    ['to', '120'],
    ['step', '15'],
  ])
    await page.getByTestId(`sw-y-${f}`).fill(v!);
  await expect(page.getByTestId('sweep-form')).toContainText('42 parameter sets');
  await page.getByTestId('sw-run').click();
  await expect(page.getByTestId('sweep-heatmap')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('heatmap-best')).toBeVisible();
  await expect(page.getByTestId('sweep-wf')).toContainText('Out of sample');
  await expect(page.getByTestId('sweep-result')).toContainText(/of 42 sets valid/);
  await expect(page.getByTestId('sweep-top-title')).toContainText('ranked in sample');
  await page.screenshot({ path: path.join(shots, 'en-research-sweep.png'), fullPage: true });

  // The best set, to paper trading in one click: a live pipeline and an enabled paper strategy.
  await page.getByTestId('sweep-to-paper-1').click();
  const done = page.getByTestId('sweep-to-paper-1-done');
  await expect(done).toContainText(/On paper as trend-ema\.ethusdt\.1d\.[0-9a-f]{4}/, { timeout: 30_000 });
  const strategyId = /(trend-ema\.ethusdt\.1d\.[0-9a-f]{4})/.exec((await done.textContent()) ?? '')![1]!;
  await done.getByRole('link').click();
  await expect(page.getByTestId(`exec-${strategyId}`)).toBeVisible();
  await expect(page.getByTestId(`exec-enable-${strategyId}`)).toBeChecked();
  await expect(page.getByTestId(`exec-mode-${strategyId}`)).toHaveText('PAPER');
  await page.getByTestId('nav-signals').click();
  const pipeline = page.locator('[data-testid^="pipeline-"]').filter({ hasText: strategyId });
  await expect(pipeline).toBeVisible();
  await expect(pipeline.locator('[data-testid^="pl-live-"]')).toBeChecked();
  await page.screenshot({ path: path.join(shots, 'en-research-to-paper.png'), fullPage: true });
  // the trader switches both off again: the specs after this one expect a quiet paper account
  await pipeline.locator('[data-testid^="pl-live-"]').click();
  await expect(pipeline.locator('[data-testid^="pl-live-"]')).not.toBeChecked();
  await page.getByTestId('nav-trading').click();
  await page.getByTestId(`exec-enable-${strategyId}`).click();
  await expect(page.getByTestId(`exec-enable-${strategyId}`)).not.toBeChecked();
  await page.getByTestId('nav-research').click();

  // Saved runs, two compared (the shared desk may hold other specs' runs of other series).
  await page.getByTestId('research-tab-runs').click();
  const rows = page.getByTestId('run-row').filter({ hasText: 'DEMO:ETHUSDT' });
  await expect(rows).toHaveCount(2);
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  await page.getByTestId('runs-compare').click();
  await expect(page.getByTestId('runs-comparison')).toBeVisible();
  await expect(page.getByTestId('compare-chart').locator('canvas').first()).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shots, 'en-research-runs.png'), fullPage: true });

  // The sweep is kept too: opened again from the saved sweeps, with its ranking and walk-forward check.
  const sweep = page.getByTestId('sweep-row').filter({ hasText: 'DEMO:ETHUSDT' });
  await expect(sweep).toHaveCount(1);
  await expect(sweep).toContainText('DEMO:ETHUSDT · 1d');
  await sweep.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('sweep-result')).toContainText(/of 42 sets valid/);
  await expect(page.getByTestId('sweep-wf')).toContainText('Out of sample');
  await page.getByTestId('sweep-result').screenshot({ path: path.join(shots, 'en-research-saved-sweep.png') });

  // The same page in Chinese.
  await page.getByTestId('lang-zh-CN').click();
  await page.getByTestId('research-tab-backtest').click();
  await expect(page.getByTestId('bt-run')).toHaveText('运行回测');
  await page.screenshot({ path: path.join(shots, 'zh-CN-research.png'), fullPage: true });
  await page.getByTestId('lang-en').click();
});
