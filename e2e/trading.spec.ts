// A trader paper-trades a strategy: adds it, enables it, enters by hand, sees the order, the
// fill with its assumption and the position; under the kill switch a manual exit still goes
// out and holds the strategy flat until "Let it trade"; live, "close all" sells after a
// confirmation.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startWebhookReceiver } from './webhookReceiver';

const url = () => process.env.QUANTDESK_E2E_URL!;
// This spec's own records: other specs' strategies may have traded on the same desk before it.
const orders = (page: Page) => page.getByTestId('order-row').filter({ hasText: 'manual-bnb' });
const fills = (page: Page) => page.getByTestId('fill-row').filter({ hasText: 'manual-bnb' });
const shots = path.resolve('artifacts/screenshots');

// The second test picks up the live strategy the first one leaves (flat, after "close all").
test.describe.configure({ mode: 'serial' });

test('paper trading: manual orders become orders and fills; under the kill switch a manual exit holds the strategy flat', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1800 });
  await page.goto(url());
  await page.getByTestId('nav-market').click();
  await expect(page.getByTestId('import-pair')).toBeEnabled({ timeout: 15_000 });
  await page.getByTestId('import-pair').selectOption('BNB/USDT');
  await page.getByTestId('import-timeframe').selectOption('1m');
  await page.getByTestId('import-from').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-DEMO:BNBUSDT:1m')).toContainText(/bars stored/, { timeout: 90_000 });

  await page.getByTestId('nav-trading').click();
  await expect(page.getByTestId('trading-mode')).toHaveText('PAPER');
  await page.getByTestId('exec-strategy').fill('manual-bnb');
  await page.getByTestId('exec-series').selectOption('DEMO:BNBUSDT|1m');
  await page.getByTestId('exec-add').click();
  await expect(page.getByTestId('exec-added')).toContainText('manual-bnb added, with trading off');
  const row = page.getByTestId('exec-manual-bnb');
  await expect(row).toBeVisible();
  await page.getByTestId('exec-enable-manual-bnb').click();
  await expect(page.getByTestId('exec-enable-manual-bnb')).toBeChecked();

  await page.getByTestId('exec-enter-manual-bnb').click();
  await expect(orders(page).first()).toContainText('filled', { timeout: 20_000 });
  await expect(fills(page).first()).toContainText('paper fill at the last price');
  // Slippage against the signal bar's close too: the demo exchange's candle of that bar, kept with the order.
  await expect(fills(page).first()).toContainText(/bar -?\d+\.\d bps/);
  await expect(orders(page).first()).toContainText('Manual');
  await expect(page.getByTestId('paper-account')).toContainText('BNB');
  // in a position: Enter says why it is not offered
  await expect(page.getByTestId('exec-enter-manual-bnb')).toBeDisabled();
  await expect(page.getByTestId('exec-enter-manual-bnb')).toHaveAttribute('title', /Already in a position/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, 'en-trading.png'), fullPage: true });

  // Under the kill switch the trader's own exit still goes out, and the strategy is held flat.
  // the kill switch from the top bar, on any page: one click
  await page.getByTestId('topbar-kill-switch').click();
  await expect(page.getByTestId('topbar-kill-switch')).toHaveText('Kill switch ON');
  await expect(page.getByTestId('kill-switch')).toHaveText(/Kill switch is ON/);
  await page.getByTestId('exec-exit-manual-bnb').click();
  await expect(orders(page)).toHaveCount(2, { timeout: 20_000 });
  await expect(orders(page).first()).toContainText('sell');
  await expect(orders(page).first()).toContainText('filled', { timeout: 20_000 });
  await expect(page.getByTestId('exec-held-manual-bnb')).toContainText('Held flat');
  await expect(page.getByTestId('exec-enter-manual-bnb')).toHaveAttribute('title', /kill switch is on/);
  await page.screenshot({ path: path.join(shots, 'en-trading-held-flat.png'), fullPage: true });
  await page.getByTestId('kill-switch').click();
  await expect(page.getByTestId('kill-switch')).toHaveText('Kill switch');
  await expect(page.getByTestId('topbar-kill-switch')).toHaveText('Kill switch');
  await page.getByTestId('exec-release-manual-bnb').click();
  await expect(page.getByTestId('exec-held-manual-bnb')).toHaveCount(0);

  // Keys for the demo exchange go to the OS keychain, tested first; only a hint comes back.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('keys-api-demo').fill('demo-key-0001');
  await page.getByTestId('keys-secret-demo').fill('demo-secret-0001');
  await page.getByTestId('keys-save-demo').click();
  await expect(page.getByTestId('keys-message-demo')).toContainText('Keys work', { timeout: 20_000 });
  await expect(page.getByTestId('keys-demo')).toContainText('stored …0001');
  await expect(page.getByTestId('exchange-keys')).not.toContainText('demo-secret-0001');
  await page.screenshot({ path: path.join(shots, 'en-settings-keys.png'), fullPage: true });

  // Live needs the typed confirmation; then the whole desk says LIVE.
  await page.getByTestId('nav-trading').click();
  await page.getByTestId('exec-golive-manual-bnb').click();
  await page.getByTestId('exec-phrase-manual-bnb').fill('live');
  await page.getByTestId('exec-confirm-manual-bnb').click();
  await expect(page.getByTestId('trading-error')).toContainText('type exactly: LIVE manual-bnb');
  await page.getByTestId('exec-golive-manual-bnb').click();
  await page.getByTestId('exec-phrase-manual-bnb').fill('LIVE manual-bnb');
  await page.getByTestId('exec-confirm-manual-bnb').click();
  await expect(page.getByTestId('exec-mode-manual-bnb')).toHaveText('LIVE');
  await expect(page.getByTestId('topbar-trading-mode')).toContainText('LIVE (1)');
  await page.getByTestId('exec-enter-manual-bnb').click();
  await expect(orders(page).first()).toContainText('live', { timeout: 20_000 });
  await expect(orders(page).first()).toContainText('filled');
  await page.screenshot({ path: path.join(shots, 'en-trading-live.png'), fullPage: true });
  // "Close all" asks first, then sells every position.
  await page.getByTestId('close-all').click();
  await page.getByTestId('close-all-confirm').click();
  await expect(page.getByTestId('close-all-done')).toContainText('manual-bnb');
  await expect(orders(page)).toHaveCount(4, { timeout: 20_000 });
  await expect(orders(page).first()).toContainText('sell');
  await expect(orders(page).first()).toContainText('live');
  // in Chinese, the records and the last decision are worded in Chinese too
  await page.getByTestId('lang-zh-CN').click();
  await expect(orders(page).first()).toContainText('卖出');
  await expect(orders(page).first()).toContainText('实盘');
  await expect(orders(page).first()).toContainText('已成交');
  await expect(page.getByTestId('exec-outcome-manual-bnb')).not.toContainText(/[a-z]{4,}/, { timeout: 15_000 });
  await page.screenshot({ path: path.join(shots, 'zh-CN-trading.png'), fullPage: true });
  await page.getByTestId('lang-en').click();

  // Reconciliation: both accounts agree with our records.
  await page.getByTestId('nav-reconciliation').click();
  await page.getByTestId('recon-run').click();
  await expect(page.getByTestId('recon-paper-paper').getByTestId('recon-count')).toHaveText('No differences', {
    timeout: 20_000,
  });
  await expect(page.getByTestId('recon-live-demo').getByTestId('recon-count')).toHaveText('No differences');
  await page.screenshot({ path: path.join(shots, 'en-reconciliation.png'), fullPage: true });
});

test('an injected fault: the demo exchange refuses orders, the alert reaches the Monitor page and a webhook, and is acknowledged', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const receiver = await startWebhookReceiver('token-fault');
  try {
    await page.setViewportSize({ width: 1440, height: 1800 });
    await page.goto(url());
    await page.getByTestId('nav-monitor').click();
    await page.getByTestId('channel-name').fill('fault-hook');
    await page.getByTestId('channel-url').fill(receiver.url);
    await page.getByTestId('channel-add').click();
    await expect(page.getByTestId('channel-fault-hook')).toContainText('127.0.0.1');
    await page.getByTestId('trouble-demo-rejectRate').click();
    await expect(page.getByTestId('trouble-demo-state')).toHaveText('misbehaving on purpose');

    // The live strategy is flat; the trader's entry now meets the exchange's refusal.
    await page.getByTestId('nav-trading').click();
    await expect(page.getByTestId('exec-mode-manual-bnb')).toHaveText('LIVE');
    await page.getByTestId('exec-enter-manual-bnb').click();
    await expect(page.getByTestId('exec-outcome-manual-bnb')).toContainText(/insufficient balance/i, {
      timeout: 20_000,
    });
    await expect
      .poll(() => receiver.received.filter((r) => r.kind === 'insufficient-balance').length, { timeout: 20_000 })
      .toBe(1);
    expect(receiver.received.find((r) => r.kind === 'insufficient-balance')).toMatchObject({
      source: 'quantdesk',
      severity: 'warning',
      strategy_id: 'manual-bnb',
      pair: 'BNB/USDT',
      timeframe: '1m',
      message: expect.stringMatching(/order refused/),
    });

    await page.getByTestId('nav-monitor').click();
    const alert = page.getByTestId('monitor-alert').filter({ hasText: 'order refused' });
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText('insufficient balance');
    await expect(alert).toContainText('manual-bnb · BNB/USDT · 1m');
    await expect(alert).toContainText('sent to fault-hook', { timeout: 15_000 });
    // The refusal counts in the metrics too.
    await expect(page.getByTestId('metrics-totals')).toContainText(/\d+ orders \(1 refused\)/);
    await page.screenshot({ path: path.join(shots, 'en-monitor-fault.png'), fullPage: true });
    await alert.getByTestId('alert-ack').click();
    await expect(page.getByTestId('monitor-alert').filter({ hasText: 'order refused' })).toHaveCount(0);

    await page.getByTestId('sim-trouble').getByRole('button', { name: 'Back to normal' }).click();
    await expect(page.getByTestId('trouble-demo-state')).toHaveText('behaving normally');
    await page.getByTestId('channel-fault-hook').getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('channel-fault-hook')).toHaveCount(0);
  } finally {
    await receiver.close();
  }
});
