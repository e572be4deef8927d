// A new user's first run in browser mode: the desk opens with its own local database,
// every page is reachable in both languages, settings persist, a killed database server
// shows as down within 5 s and comes back by itself, and a wrong token gets a clear error.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PAGES } from './deskPages';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');

async function openDesk(page: Page): Promise<void> {
  await page.goto(url());
  await expect(page.getByTestId('page-overview')).toBeVisible();
}

async function setLanguage(page: Page, language: 'en' | 'zh-CN'): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-language').selectOption(language);
  await page.getByTestId('settings-save').click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

test.describe.configure({ mode: 'serial' });

test('first run: the Health panel shows the local database connected, the worker done and the app version', async ({
  page,
}) => {
  await openDesk(page);
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();
  await expect(page.getByTestId('db-state')).toHaveText(/connected/i, { timeout: 60_000 });
  await expect(page.getByTestId('db-server')).toContainText(/FerretDB|mongod|external/);
  await expect(page.getByTestId('worker-database')).toContainText(/idle|running/i, { timeout: 30_000 });
  await expect(page.getByTestId('app-version')).toHaveText(/\d+\.\d+\.\d+/);
  // The address outside programs (Freqtrade, pymongo) connect to, one click to copy.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('db-uri-copy').click();
  await expect(page.getByTestId('db-uri-copy')).toHaveText('Copied');
  const uri = (await page.getByTestId('db-uri').textContent())!.trim();
  expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(uri);
  await page.screenshot({ path: path.join(shots, 'en-overview.png'), fullPage: true });
});

test('every page is reachable from the navigation, in English and in Chinese', async ({ page }) => {
  await openDesk(page);
  for (const language of ['en', 'zh-CN'] as const) {
    await setLanguage(page, language);
    for (const name of PAGES) {
      await page.getByTestId(`nav-${name}`).click();
      await expect(page.getByTestId(`page-${name}`)).toBeVisible();
      await page.screenshot({ path: path.join(shots, `${language}-${name}.png`), fullPage: true });
    }
  }
  // Chinese really is on screen (not only the lang attribute), then back to English.
  await expect(page.getByTestId('nav-settings')).toContainText('设置');
  await setLanguage(page, 'en');
  await expect(page.getByTestId('nav-settings')).toContainText('Settings');
});

test('settings are saved to the data folder and survive a reload', async ({ page }) => {
  await openDesk(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-timeDisplay').selectOption('utc');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-timeDisplay')).toHaveValue('utc');
});

test('signal retention: a setting of days or "keep all", applied by the database worker and shown on the Monitor', async ({
  page,
}) => {
  await openDesk(page);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-signalRetentionDays')).toHaveValue('30');
  await page.getByTestId('settings-signalRetentionDays').fill('7');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await page.getByTestId('nav-monitor').click();
  const tile = page.getByTestId('tile-worker-database');
  await expect(tile.getByTestId('signal-retention')).toContainText('Signals kept 7 days', { timeout: 30_000 });
  // the bundled engine has no TTL index: the worker's own expiry ran and says so
  if (!process.env.MONGO_URL) await expect(tile.getByTestId('signal-retention')).toContainText(/last expiry .*removed/);
  await tile.screenshot({ path: path.join(shots, 'en-monitor-signal-retention.png') });
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-signalKeepAll').check();
  await expect(page.getByTestId('settings-signalRetentionDays')).toBeDisabled();
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'en-settings-signal-retention.png'), fullPage: true });
  await page.getByTestId('nav-monitor').click();
  await expect(tile.getByTestId('signal-retention')).toContainText('Signals kept: all', { timeout: 30_000 });
  // back to the default for the specs that follow
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-signalKeepAll').uncheck();
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
});

test('killing the database server shows "database down" within 5 s, then it recovers by itself', async ({ page }) => {
  test.skip(Boolean(process.env.MONGO_URL), 'the database server is external here; nothing of ours to kill');
  await openDesk(page);
  await expect(page.getByTestId('db-state')).toHaveText(/connected/i, { timeout: 60_000 });
  const dataDir = process.env.QUANTDESK_E2E_DATA_DIR!;
  const pids = execFileSync('pgrep', ['-f', `sqlite-url=file:${dataDir}`])
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean);
  expect(pids.length).toBe(1);
  const killedAt = Date.now();
  process.kill(Number(pids[0]), 'SIGKILL');
  await expect(page.getByTestId('db-state')).toHaveText(/database down/i, { timeout: 5_000 });
  expect(Date.now() - killedAt).toBeLessThan(5_000);
  await page.screenshot({ path: path.join(shots, 'en-overview-database-down.png'), fullPage: true });
  await expect(page.getByTestId('db-state')).toHaveText(/connected/i, { timeout: 30_000 });
  await expect(page.getByTestId('worker-database')).toContainText(/idle|running/i, { timeout: 60_000 });
});

test('a wrong session token gets a clear error page, and the back end keeps serving', async ({ page }) => {
  const bad = new URL(url());
  bad.searchParams.set('token', 'not-the-token');
  await page.goto(bad.toString());
  await expect(page.getByTestId('session-error')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'en-session-error.png'), fullPage: true });
  await openDesk(page);
  await expect(page.getByTestId('db-state')).toHaveText(/connected/i, { timeout: 30_000 });
});
