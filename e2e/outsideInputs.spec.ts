// What other programs hand us, seen where the trader looks: Freqtrade's candle files imported
// from the Market data page (a file of another timeframe refused with the reason, a corrected
// file's changed bars replaced on request), and a document a research program wrote against
// the contract, named in the strategy's last decision and listed on the Signals page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { MongoClient } from 'mongodb';
import { importSeries } from './marketSteps';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');
const MIN = 60_000;
const DAY = 86_400_000;

test('candle files: Freqtrade feather stored, another timeframe refused, a corrected file replaced on request', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 1200 });
  await page.goto(url());
  await page.getByTestId('nav-market').click();
  const feather = path.resolve('test/fixtures/freqtrade/BTC_USDT-1d.feather');
  await page.getByTestId('file-path').fill(feather);
  await page.getByTestId('file-symbol').fill('FILE:BTCUSDT');
  // The page's default timeframe is 1m: the daily file is refused, whole, with what it holds.
  await page.getByTestId('file-import').click();
  const minuteJob = page.getByTestId('file-job-file:FILE:BTCUSDT:1m');
  await expect(minuteJob).toContainText('failed', { timeout: 30_000 });
  await expect(minuteJob.getByTestId('file-failure')).toHaveText('This file holds 1d bars, not 1m: import it as 1d');
  await page.getByTestId('file-timeframe').selectOption('1d');
  await page.getByTestId('file-import').click();
  const dayJob = page.getByTestId('file-job-file:FILE:BTCUSDT:1d');
  await expect(dayJob.getByTestId('file-report')).toContainText('300 of 300 rows accepted', { timeout: 30_000 });
  await expect(dayJob).toContainText('Feather (Arrow IPC)');
  await expect(dayJob.getByTestId('file-report')).toContainText('300 new');
  await expect(page.getByTestId('series-FILE:BTCUSDT:1d')).toBeVisible();
  await expect(page.getByTestId('series-FILE:BTCUSDT:1m')).toHaveCount(0);

  // A corrected file: two days differ from what is stored; kept until the trader replaces them.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-e2e-files-'));
  const t0 = Date.UTC(2025, 5, 1);
  const days = (fix: boolean) =>
    Array.from({ length: 30 }, (_, i) => [t0 + i * DAY, 10, 12, 9, fix && (i === 5 || i === 6) ? 11 : 10.5, 100]);
  const file = path.join(dir, 'ETH_USDT-1d.json');
  fs.writeFileSync(file, JSON.stringify(days(false)));
  await page.getByTestId('file-path').fill(file);
  await page.getByTestId('file-symbol').fill('FILE:ETHUSDT');
  await page.getByTestId('file-import').click();
  const ethJob = page.getByTestId('file-job-file:FILE:ETHUSDT:1d');
  await expect(ethJob.getByTestId('file-report')).toContainText('30 new', { timeout: 30_000 });
  fs.writeFileSync(file, JSON.stringify(days(true)));
  await page.getByTestId('file-import').click();
  await expect(ethJob.getByTestId('file-report')).toContainText('0 new, 2 changed, 28 identical', { timeout: 30_000 });
  await expect(ethJob.getByTestId('file-replace')).toHaveText('Replace the 2 changed bars');
  await page.getByTestId('file-job-file:FILE:BTCUSDT:1m').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'en-market-file-import.png'), fullPage: true });
  await ethJob.getByTestId('file-replace').click();
  await expect(ethJob).toContainText('2 changed bars replaced', { timeout: 30_000 });
  await expect(ethJob.getByTestId('file-replace')).toHaveCount(0);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a perpetual's funding rates from Freqtrade's futures data: refused as candles with what the file holds, stored once", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 1400 });
  await page.goto(url());
  await page.getByTestId('nav-market').click();
  const file = path.resolve('test/fixtures/freqtrade/futures/BTC_USDT_USDT-8h-funding_rate.feather');
  await page.getByTestId('file-path').fill(file);
  await page.getByTestId('file-symbol').fill('FILE:BTCUSDT');
  await page.getByTestId('file-timeframe').selectOption('1d');
  // Asked as candles, the file is refused whole, saying what it holds.
  await page.getByTestId('file-import').click();
  const asCandles = page.getByTestId('file-job-file:FILE:BTCUSDT:1d');
  await expect(asCandles.getByTestId('file-failure')).toHaveText(
    'This file holds funding rates (a time and a rate a row), not candles: import it as funding rates',
    { timeout: 30_000 },
  );
  await page.getByTestId('file-holds').selectOption('funding');
  await page.getByTestId('file-import').click();
  const job = page.getByTestId('file-job-file:funding:FILE:BTCUSDT:1d');
  await expect(job.getByTestId('file-report')).toContainText('100 of 100 rows accepted (0 rejected): 100 new', {
    timeout: 30_000,
  });
  // Again: nothing new, every settlement identical to what is stored.
  await page.getByTestId('file-import').click();
  await expect(job.getByTestId('file-report')).toContainText('0 new, 0 changed, 100 identical', { timeout: 30_000 });
  // The file's series shows what is stored of its perpetual data.
  const row = page.getByTestId('perp-cov-FILE:BTCUSDT-funding');
  await expect(row.locator('td.num')).toHaveText('100', { timeout: 30_000 });
  await job.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'en-market-funding-file.png'), fullPage: true });
});

test('a document written against the contract: named in the last decision, listed on the Signals page', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1400 });
  await page.goto(url());
  await expect(page.getByTestId('db-state')).toHaveText(/connected/i, { timeout: 60_000 });
  const uri = (await page.getByTestId('db-uri').textContent())!.trim();
  // SOL: the pairs of the other specs' own series stay theirs (the year chart's ETH 1m among them).
  await importSeries(page, 'SOL/USDT', '1m', 1);

  await page.getByTestId('nav-trading').click();
  await page.getByTestId('exec-strategy').fill('outside-sol');
  await page.getByTestId('exec-series').selectOption('DEMO:SOLUSDT|1m');
  await page.getByTestId('exec-add').click();
  await page.getByTestId('exec-enable-outside-sol').click();
  await expect(page.getByTestId('exec-enable-outside-sol')).toBeChecked();

  // A research program writes an entry whose symbol is another pair's, as pymongo would.
  const client = new MongoClient(uri);
  const signals = client.db('quantdesk').collection('crypto_signals');
  try {
    const ts = Math.floor(Date.now() / MIN) * MIN - MIN;
    await signals.insertOne({
      ts: new Date(ts),
      timeframe: '1m',
      symbol: 'DEMO:BTCUSDT',
      pair: 'SOL/USDT',
      action: 'enter_long',
      strategy_id: 'outside-sol',
    });
    await expect(page.getByTestId('exec-outcome-outside-sol')).toContainText(
      'pair SOL/USDT does not match symbol DEMO:BTCUSDT',
      { timeout: 30_000 },
    );
    await expect(page.getByTestId('exec-outcome-outside-sol')).toContainText('1 document(s) skipped');
    await page.getByTestId('exec-outside-sol').screenshot({ path: path.join(shots, 'en-trading-skipped.png') });

    await page.getByTestId('nav-signals').click();
    const skipped = page.getByTestId('skipped-signals');
    await expect(skipped).toContainText('outside-sol', { timeout: 40_000 });
    await expect(skipped).toContainText('pair SOL/USDT does not match symbol DEMO:BTCUSDT');
    await expect(skipped.getByTestId('skipped-count')).toHaveText('1');
    await skipped.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'en-signals-skipped.png'), fullPage: true });
  } finally {
    // Leave the desk as the other specs expect it: the strategy not trading, no outside documents.
    await page.getByTestId('nav-trading').click();
    if (await page.getByTestId('exec-enable-outside-sol').isChecked())
      await page.getByTestId('exec-enable-outside-sol').click();
    await signals.deleteMany({ strategy_id: 'outside-sol' });
    await client.close();
  }
});
