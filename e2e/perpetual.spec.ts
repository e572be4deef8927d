// A trader adds perpetual-futures data to a spot series: funding and the perpetual's last,
// mark and index prices imported with progress, order-book depth recorded, what is stored
// listed; the chart draws funding, basis and depth under the candles; the basis-reversion
// template is backtested, swept and run as a pipeline that exports signals. The demo pair is
// BTC/USDT 1m, which only the market spec (run before this one) imports.
import path from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { importSeries } from './marketSteps';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');
const SERIES = 'DEMO:BTCUSDT:1m';
const SYMBOL = 'DEMO:BTCUSDT';

/** The stored rows of one kind, as the coverage table counts them. */
const rowsOf = (row: Locator) => row.locator('td.num');

test('perpetual data imported and recorded, drawn under the candles, and traded by the basis-reversion template', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1440, height: 1600 });
  await page.goto(url());
  await importSeries(page, 'BTC/USDT', '1m', 2, 120_000);

  // Before any perpetual data is stored, the template is refused with the reason and the way out.
  await page.getByTestId('nav-research').click();
  await page.getByTestId('bt-series').selectOption(`${SYMBOL}|1m`);
  await page.getByTestId('bt-template').selectOption('perp-basis-reversion');
  await page.getByTestId('bt-run').click();
  await expect(page.getByTestId('bt-error')).toContainText(
    /needs .* for DEMO:BTCUSDT 1m.*import perpetual data on the Market data page first/,
    { timeout: 30_000 },
  );
  await page.getByTestId('nav-market').click();

  // Market data: the series is offered for perpetual data; the import shows its stages' progress.
  const panel = page.getByTestId('perp-panel');
  await expect(panel).toContainText('Perpetual futures data');
  await expect(panel.getByTestId(`perp-series-${SERIES}`)).toBeVisible();
  await panel.getByTestId(`perp-import-${SERIES}`).click();
  const job = panel.getByTestId(`perp-job-${SERIES}`);
  await expect(job).toBeVisible({ timeout: 15_000 });
  // its progress (a stage's rows done of those expected), or its outcome once it has ended
  await expect(job.getByRole('progressbar').or(job.getByTestId('perp-job-outcome'))).toBeVisible({
    timeout: 60_000,
  });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'en-perp-importing.png'), fullPage: true });
  await expect(job.getByTestId('perp-job-outcome')).toContainText(
    /Stored [\d,]+ funding rates, [\d,]+ last price, [\d,]+ mark price and [\d,]+ index price bars/,
    { timeout: 180_000 },
  );
  await expect(job.getByTestId('perp-job-failure')).toHaveCount(0);
  await expect(panel.getByTestId(`perp-series-${SERIES}`)).toContainText('imported');

  // What is stored: funding settlements and the three price kinds' 1m bars, each counted.
  for (const kind of ['funding', 'last-1m', 'mark-1m', 'index-1m']) {
    const row = panel.getByTestId(`perp-cov-${SYMBOL}-${kind}`);
    await expect(rowsOf(row)).toHaveText(/^[1-9][\d,]*$/, { timeout: 30_000 });
  }
  await expect(panel.getByTestId(`perp-cov-${SYMBOL}-funding`)).toContainText('Funding rates');

  // Order-book depth: recorded every 10 s, a minute's row stored at its first sample.
  const depth = panel.getByTestId(`perp-depth-${SERIES}`);
  await depth.click();
  await expect(depth).toBeChecked();
  await expect(rowsOf(panel.getByTestId(`perp-cov-${SYMBOL}-depth-1m`))).toHaveText(/^[1-9][\d,]*$/, {
    timeout: 90_000,
  });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'en-perp-market.png'), fullPage: true });
  await panel.screenshot({ path: path.join(shots, 'en-perp-panel.png') });

  // Charts: funding, basis and depth in panes under the candles of the range shown.
  await page.getByTestId(`series-${SERIES}`).getByRole('link', { name: 'Chart' }).click();
  await expect(page.getByTestId('page-charts')).toBeVisible();
  await expect(page.getByTestId('chart-series')).toHaveValue(`${SYMBOL}|1m`);
  await page.getByTestId('range-d1').click();
  await expect(page.getByTestId('chart-count')).toHaveText(/1,4\d\d bars/, { timeout: 30_000 });
  for (const g of ['funding', 'basis', 'depth']) await expect(page.getByTestId(`chart-pane-${g}`)).toBeChecked();
  await expect(page.getByTestId('chart-pane-label-funding')).toContainText('Funding, bp per 8 h', { timeout: 30_000 });
  await expect(page.getByTestId('chart-pane-label-perp')).toContainText('Perpetual vs spot');
  await expect(page.getByTestId('chart-pane-label-perp')).toContainText('Mark vs index');
  await expect(page.getByTestId('chart-pane-label-imbalance')).toContainText('Depth imbalance');
  await expect(page.getByTestId('chart-pane-label-spread')).toContainText('Spread, bp');
  await expect(page.getByTestId('chart-panes-error')).toHaveCount(0);
  // the candle under the cursor, with the basis at its time
  const box = (await page.getByTestId('chart-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.25);
  await expect(page.getByTestId('chart-legend')).toContainText(/Perpetual vs spot, % a year: -?[\d.]+/);
  await page.screenshot({ path: path.join(shots, 'en-perp-chart.png'), fullPage: true });
  // a pane group switched off goes, the others stay
  await page.getByTestId('chart-pane-depth').click();
  await expect(page.getByTestId('chart-pane-label-imbalance')).toHaveCount(0);
  await expect(page.getByTestId('chart-pane-label-funding')).toBeVisible();
  await page.getByTestId('chart-pane-depth').click();
  await expect(page.getByTestId('chart-pane-label-imbalance')).toBeVisible();

  // Research: the template backtested over the imported range.
  await page.getByTestId('nav-research').click();
  await expect(page.getByTestId('page-research')).toBeVisible();
  await page.getByTestId('bt-series').selectOption(`${SYMBOL}|1m`);
  await page.getByTestId('bt-template').selectOption('perp-basis-reversion');
  await expect(page.getByTestId('backtest-form')).toContainText('Needs perpetual data');
  await page.getByTestId('param-fundingCount').fill('3');
  await page.getByTestId('bt-run').click();
  const result = page.getByTestId('run-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  await expect(result).toContainText(SYMBOL);
  await expect(page.getByTestId('bt-error')).toHaveCount(0);
  await expect(page.getByTestId('metric-trades')).toBeVisible();
  await expect(page.getByTestId('equity-chart').locator('canvas').first()).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shots, 'en-perp-backtest.png'), fullPage: true });

  // A 2 × 2 sweep: the funding window against the entry score.
  await page.getByTestId('research-tab-sweep').click();
  await page.getByTestId('sw-series').selectOption(`${SYMBOL}|1m`);
  await page.getByTestId('sw-template').selectOption('perp-basis-reversion');
  await page.getByTestId('sw-x-key').selectOption('fundingCount');
  for (const [f, v] of [
    ['from', '3'],
    ['to', '6'],
    ['step', '3'],
  ])
    await page.getByTestId(`sw-x-${f}`).fill(v!);
  await page.getByTestId('sw-y-key').selectOption('entryZ');
  for (const [f, v] of [
    ['from', '1'],
    ['to', '1.5'],
    ['step', '0.5'],
  ])
    await page.getByTestId(`sw-y-${f}`).fill(v!);
  await expect(page.getByTestId('sweep-form')).toContainText('4 parameter sets');
  await page.getByTestId('sw-run').click();
  await expect(page.getByTestId('sweep-heatmap')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('sweep-result')).toContainText(/of 4 sets valid/);
  await expect(page.getByTestId('sw-error')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'en-perp-sweep.png'), fullPage: true });

  // A pipeline of the template: run once, it exports a signal for each of its last 20 bars.
  await page.getByTestId('nav-signals').click();
  await expect(page.getByTestId('page-signals')).toBeVisible();
  await page.getByTestId('pl-name').fill('BTC perp basis');
  await page.getByTestId('pl-series').selectOption(`${SYMBOL}|1m`);
  await page.getByTestId('pl-template').selectOption('perp-basis-reversion');
  await page.getByTestId('pl-strategy-id').fill('btc-perp-basis');
  await page.getByTestId('pipeline-form').getByTestId('param-fundingCount').fill('3');
  // a few bars' signals: the feed lists the newest 200, and the signals spec looks for its daily ones there
  await page.getByTestId('pipeline-form').getByLabel('Export on run (bars)').fill('20');
  await page.getByTestId('pl-create').click();
  const pipeline = page.getByTestId('pipeline-BTC perp basis');
  await expect(pipeline).toContainText('Funding carry / basis mean reversion (perpetual)');
  await page.getByTestId('pl-run-BTC perp basis').click();
  await expect(pipeline).toContainText('20 new, 0 replaced, 0 unchanged', { timeout: 60_000 });
  await expect(pipeline.locator('.error-box')).toHaveCount(0);
  await expect(page.getByTestId('signal-row').filter({ hasText: 'btc-perp-basis' }).first()).toBeVisible({
    timeout: 15_000,
  });
  await pipeline.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'en-perp-pipeline.png'), fullPage: true });

  // Depth recording off again: the specs after this one keep a quiet futures budget.
  await page.getByTestId('nav-market').click();
  await page.getByTestId(`perp-depth-${SERIES}`).click();
  await expect(page.getByTestId(`perp-depth-${SERIES}`)).not.toBeChecked();
});
