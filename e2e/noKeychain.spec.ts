// On a machine without an OS keychain the desk says so and keeps secrets in an encrypted file:
// the trader creates it with a passphrase, stores exchange keys in it, trades live through the
// executor worker (which reads the same file), and after a restart unlocks it again; a wrong
// passphrase is refused. The file never holds a secret in clear.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startBrowserModeApp } from './appServer';
import { importSeries } from './marketSteps';

const shots = path.resolve('artifacts/screenshots');
// A Secret Service that does not exist: the keychain library fails as on a headless server.
const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/quantdesk-test-bus' };
const PASSPHRASE = 'a long test passphrase';

async function openKeys(page: Page, url: string) {
  await page.goto(url);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('secrets-file')).toBeVisible({ timeout: 15_000 });
}

test('without a keychain: an encrypted secrets file, live trading through it, unlocked again after a restart', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 1400 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-nokeychain-'));
  let app = await startBrowserModeApp(dir, process.cwd(), NO_KEYCHAIN);
  try {
    await openKeys(page, app.url);
    await expect(page.getByTestId('secrets-file')).toContainText('This machine has no OS keychain');
    await page.getByTestId('secrets-passphrase').fill(PASSPHRASE);
    await page.getByTestId('secrets-again').fill('a different passphrase');
    await expect(page.getByTestId('secrets-unlock')).toBeDisabled();
    await page.getByTestId('secrets-again').fill(PASSPHRASE);
    await page.screenshot({ path: path.join(shots, 'en-settings-secrets-file.png'), fullPage: true });
    await page.getByTestId('secrets-unlock').click();
    await expect(page.getByTestId('secrets-file')).toContainText('unlocked until the app stops');

    await page.getByTestId('keys-api-demo').fill('file-key-0001');
    await page.getByTestId('keys-secret-demo').fill('file-secret-0001');
    await page.getByTestId('keys-save-demo').click();
    await expect(page.getByTestId('keys-message-demo')).toContainText('Keys work', { timeout: 20_000 });
    const file = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    expect(file).not.toContain('file-secret-0001');
    expect(file).not.toContain(PASSPHRASE);

    // live trading: the executor worker reads the keys from the same file
    await importSeries(page, 'SOL/USDT', '1m', 1);
    await page.getByTestId('nav-trading').click();
    await page.getByTestId('exec-strategy').fill('file-sol');
    await page.getByTestId('exec-series').selectOption('DEMO:SOLUSDT|1m');
    await page.getByTestId('exec-add').click();
    await page.getByTestId('exec-enable-file-sol').click();
    await page.getByTestId('exec-golive-file-sol').click();
    await page.getByTestId('exec-phrase-file-sol').fill('LIVE file-sol');
    await page.getByTestId('exec-confirm-file-sol').click();
    await expect(page.getByTestId('exec-mode-file-sol')).toHaveText('LIVE');
    await page.getByTestId('exec-enter-file-sol').click();
    await expect(page.getByTestId('order-row').first()).toContainText('live', { timeout: 30_000 });
    await expect(page.getByTestId('order-row').first()).toContainText('filled', { timeout: 30_000 });
    await page.getByTestId('close-all').click();
    await page.getByTestId('close-all-confirm').click();
    await expect(page.getByTestId('order-row')).toHaveCount(2, { timeout: 30_000 });
  } finally {
    await app.stop();
  }

  // After a restart the file is locked: a wrong passphrase is refused, the right one opens it.
  app = await startBrowserModeApp(dir, process.cwd(), NO_KEYCHAIN);
  try {
    await openKeys(page, app.url);
    await expect(page.getByTestId('secrets-file')).toContainText('Enter its passphrase');
    await page.getByTestId('secrets-passphrase').fill('not the passphrase');
    await page.getByTestId('secrets-unlock').click();
    await expect(page.getByTestId('secrets-error')).toContainText('Wrong passphrase');
    await page.getByTestId('secrets-passphrase').fill(PASSPHRASE);
    await page.getByTestId('secrets-unlock').click();
    await expect(page.getByTestId('keys-demo')).toContainText('stored …0001', { timeout: 15_000 });
    await page.screenshot({ path: path.join(shots, 'en-settings-secrets-unlocked.png'), fullPage: true });
  } finally {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
