// Every page under 简体中文 holds no English: what the back end says (alerts, decisions,
// refusals, fill notes, audit details, job states, errors) is worded by the desk in the
// user's language, not passed through. Runs after the other specs (files run in name
// order), so the shared desk has imports, runs, signals, orders, fills, alerts and audit
// entries to show, and perpetual data beside a series.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PAGES } from './deskPages';
import { englishOnPage, type EnglishHit } from './englishText';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');

async function setLanguage(page: Page, language: 'en' | 'zh-CN'): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-language').selectOption(language);
  await page.getByTestId('settings-save').click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

/** The Market data page's perpetual panel, with what the perpetual spec stored. */
async function perpetualPanel(page: Page): Promise<void> {
  const panel = page.getByTestId('perp-panel');
  await expect(panel.getByTestId('perp-cov-DEMO:BTCUSDT-funding')).toBeVisible({ timeout: 15_000 });
  await panel.screenshot({ path: path.join(shots, 'zh-CN-perp-panel.png') });
}

/** The chart of the series with perpetual data (the perpetual spec's), its panes labelled under the candles. */
async function perpetualPanes(page: Page): Promise<void> {
  await page.getByTestId('chart-series').selectOption('DEMO:BTCUSDT|1m');
  await page.getByTestId('range-d1').click();
  await expect(page.getByTestId('chart-pane-label-funding')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('chart-pane-label-perp')).toBeVisible();
}

/** Opens what a page keeps folded (expandable rows), so their text is checked too. */
async function unfold(page: Page): Promise<void> {
  const toggles = page.locator('[aria-expanded="false"]');
  for (let i = Math.min(await toggles.count(), 4) - 1; i >= 0; i--) await toggles.nth(i).click();
}

/** The research page's other views: the saved runs and sweeps, a run opened (its warnings), a sweep opened. */
async function researchViews(page: Page, found: (EnglishHit & { page: string })[]): Promise<void> {
  await page.getByTestId('research-tab-runs').click();
  await expect(page.getByTestId('run-row').first()).toBeVisible();
  await page.getByTestId('sweep-row').first().getByRole('button').first().click();
  await expect(page.getByTestId('sweep-result')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'zh-CN-every-research-runs.png'), fullPage: true });
  for (const hit of await englishOnPage(page)) found.push({ ...hit, page: 'research › runs' });
  await page.getByTestId('run-row').first().getByRole('button').first().click();
  await expect(page.getByTestId('run-result')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'zh-CN-every-research-run.png'), fullPage: true });
  for (const hit of await englishOnPage(page)) found.push({ ...hit, page: 'research › run' });
}

test('every page under 简体中文 shows no English text (symbols, ids and numbers aside)', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(url());
  await expect(page.getByTestId('page-overview')).toBeVisible();
  await setLanguage(page, 'zh-CN');
  const found: (EnglishHit & { page: string })[] = [];
  for (const name of PAGES) {
    await page.getByTestId(`nav-${name}`).click();
    await expect(page.getByTestId(`page-${name}`)).toBeVisible();
    // let every panel of the page answer before reading it
    await expect(page.getByText(/正在加载|加载中/)).toHaveCount(0, { timeout: 30_000 });
    await unfold(page);
    if (name === 'research') await researchViews(page, found);
    if (name === 'market') await perpetualPanel(page);
    if (name === 'charts') await perpetualPanes(page);
    await page.screenshot({ path: path.join(shots, `zh-CN-every-${name}.png`), fullPage: true });
    for (const hit of await englishOnPage(page)) found.push({ ...hit, page: name });
  }
  await setLanguage(page, 'en');
  const report = found.map((h) => `${h.page} › ${h.where}: ${h.text}`).join('\n');
  expect(found.length, `English text under 简体中文:\n${report}`).toBe(0);
});
