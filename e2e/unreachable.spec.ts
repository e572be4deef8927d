// With the database unreachable, every page says so: an error where its data would be, never
// the "nothing yet" of an empty database, within 5 s of opening the page. With the back end
// silent, the database's state in the top bar turns amber instead of staying green. A fresh
// install's Overview says where to start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startBrowserModeApp, type RunningApp } from './appServer';

const shots = path.resolve('artifacts/screenshots');
// What the pages say when the database answers and holds nothing: none of it may show here.
const EMPTY_STATES = [
  'Nothing stored yet.',
  'No series to chart yet',
  'No stored bars yet',
  'No runs yet.',
  'No pipelines yet.',
  'No signals in crypto_signals yet.',
  'No live exports measured yet',
  'No orders yet.',
  'No fills yet.',
  'Nothing to reconcile yet',
  'No signals yet.',
  'No open alerts.',
  'No strategy is traded yet.',
];
const PAGES = ['overview', 'market', 'charts', 'research', 'signals', 'trading', 'reconciliation', 'audit', 'monitor'];

let app: RunningApp;
let dir: string;
test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-unreachable-'));
  // Port 9 (discard): nothing listens, every connection is refused.
  app = await startBrowserModeApp(dir, process.cwd(), { MONGO_URI: 'mongodb://127.0.0.1:9/' });
});
test.afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('every page shows an error, not an empty state, while the database cannot be reached', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(app.url);
  await expect(page.getByTestId('topbar-db-state')).toContainText(/down|connecting|starting/i, { timeout: 15_000 });
  for (const name of PAGES) {
    await page.getByTestId(`nav-${name}`).click();
    await expect(page.getByTestId(`page-${name}`)).toBeVisible();
    if (name !== 'overview')
      await expect(page.getByRole('alert').first(), `an error on the ${name} page`).toBeVisible({ timeout: 5_000 });
    for (const text of EMPTY_STATES) await expect(page.getByText(text), `${name}: "${text}"`).toHaveCount(0);
    if (['market', 'trading', 'signals'].includes(name))
      await page.screenshot({ path: path.join(shots, `en-unreachable-${name}.png`), fullPage: true });
  }
});

test('a back end that stops answering turns the database state amber, and green again when it answers', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const healthyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-silent-'));
  const healthy = await startBrowserModeApp(healthyDir);
  try {
    await page.goto(healthy.url);
    const badge = page.getByTestId('topbar-db-state');
    await expect(badge).toHaveText('Database connected', { timeout: 30_000 });
    // a fresh install: "Start here" lists the five steps, none done yet
    const start = page.getByTestId('start-here');
    await expect(start).toBeVisible({ timeout: 15_000 });
    await expect(start.locator('li')).toHaveCount(5);
    await expect(start.locator('li.done')).toHaveCount(0);
    await expect(page.getByTestId('start-import').getByRole('link')).toHaveAttribute('href', /#\/market/);
    await page.screenshot({ path: path.join(shots, 'en-overview-start-here.png'), fullPage: true });
    process.kill(healthy.pid, 'SIGSTOP');
    try {
      await expect(badge).toHaveText(/Database state unknown for \d+ s/, { timeout: 20_000 });
      await page.screenshot({ path: path.join(shots, 'en-health-stale.png') });
    } finally {
      process.kill(healthy.pid, 'SIGCONT');
    }
    await expect(badge).toHaveText('Database connected', { timeout: 20_000 });
  } finally {
    await healthy.stop();
    fs.rmSync(healthyDir, { recursive: true, force: true });
  }
});
