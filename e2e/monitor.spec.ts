// An alert reaches the Monitor page and the trader's webhook (a local receiver here), and is
// acknowledged from the page.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startWebhookReceiver } from './webhookReceiver';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');

test('an alert is delivered to a webhook, shown on the Monitor page, and acknowledged', async ({ page }) => {
  const receiver = await startWebhookReceiver('token-e2e');
  const { received, url: hook } = receiver;
  try {
    await page.setViewportSize({ width: 1440, height: 1400 });
    await page.goto(url());
    await page.getByTestId('nav-monitor').click();
    await expect(page.getByTestId('tile-database')).toContainText('connected');
    await expect(page.getByTestId('tile-worker-executor')).toBeVisible({ timeout: 20_000 });
    // Start from a clear list: an alert already open (another spec's kill switch) would only count up, not ring again.
    const acks = page.getByTestId('alert-ack');
    // The list must have loaded before it can be cleared.
    await expect(
      page.getByTestId('monitor-alerts').getByText('No open alerts.').or(page.getByTestId('monitor-alert').first()),
    ).toBeVisible();
    while ((await acks.count()) > 0) {
      const before = await acks.count();
      await acks.first().click();
      await expect(acks).toHaveCount(before - 1);
    }
    await page.getByTestId('channel-name').fill('e2e-hook');
    await page.getByTestId('channel-url').fill(hook);
    await page.getByTestId('channel-add').click();
    await expect(page.getByTestId('channel-e2e-hook')).toContainText('127.0.0.1');
    await expect(page.getByTestId('alert-channels')).not.toContainText('token-e2e');

    // The kill switch is an alert-worthy event: the trader must know the executor stopped.
    await page.getByTestId('nav-trading').click();
    await page.getByTestId('kill-switch').click();
    await expect(page.getByTestId('kill-switch')).toHaveText(/Kill switch is ON/);
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(received[0]).toMatchObject({
      source: 'quantdesk',
      kind: 'kill-switch',
      severity: 'critical',
      message: expect.stringMatching(/Kill switch on/),
    });
    expect(received[0]).toHaveProperty('at');

    await page.getByTestId('nav-monitor').click();
    const alert = page.getByTestId('monitor-alert').first();
    await expect(alert).toContainText('Kill switch on');
    await expect(alert).toContainText('sent to e2e-hook', { timeout: 15_000 });
    await page.screenshot({ path: path.join(shots, 'en-monitor.png'), fullPage: true });
    await alert.getByTestId('alert-ack').click();
    await expect(page.getByTestId('monitor-alerts')).toContainText('No open alerts');

    await page.getByTestId('nav-trading').click();
    await page.getByTestId('kill-switch').click();
    await expect(page.getByTestId('kill-switch')).toHaveText('Kill switch');

    // The receiver goes away with this test: so does its channel.
    await page.getByTestId('nav-monitor').click();
    await page.getByTestId('channel-e2e-hook').getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('channel-e2e-hook')).toHaveCount(0);
  } finally {
    // Whatever failed above, the kill switch is not left on for the specs after this one.
    await page.getByTestId('nav-trading').click();
    if (/Kill switch is ON/.test((await page.getByTestId('kill-switch').textContent()) ?? ''))
      await page.getByTestId('kill-switch').click();
    await receiver.close();
  }
});
