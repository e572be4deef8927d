// The audit page shows the day the trader just made: the kill switch on and off and a settings
// change in the timeline, and the replay slider brings back the moment the switch was on.
import path from 'node:path';
import { expect, test } from '@playwright/test';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');

test("audit: the day's actions in the timeline; the replay shows the state at a chosen moment", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1100 });
  await page.goto(url());
  await page.getByTestId('nav-trading').click();
  const kill = page.getByTestId('kill-switch');
  await expect(kill).toHaveText('Kill switch', { timeout: 20_000 });
  await kill.click();
  await expect(kill).toHaveText(/Kill switch is ON/);
  // A moment while the switch is on, a whole second away from either change.
  await page.waitForTimeout(1500);
  const whileOn = Math.floor(Date.now() / 1000) * 1000;
  await page.waitForTimeout(1500);
  await kill.click();
  await expect(kill).toHaveText('Kill switch');
  await page.getByTestId('lang-zh-CN').click();
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('nav-audit')).toHaveText('Audit');

  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-date')).toHaveValue(new Date().toISOString().slice(0, 10));
  const timeline = page.getByTestId('audit-timeline');
  // Other specs of the run may have switched it too: ours are the last two.
  await expect.poll(() => timeline.getByTestId('audit-event-killSwitch').count()).toBeGreaterThanOrEqual(2);
  await expect(timeline.getByTestId('audit-event-killSwitch').nth(-2)).toContainText('On yes');
  await expect(timeline.getByTestId('audit-event-killSwitch').last()).toContainText('On no');
  await expect(timeline.getByTestId('audit-event-settingsUpdate').last()).toContainText('Language English');
  await expect(timeline.getByTestId('audit-event-killSwitch').first()).toContainText('Desk');
  // As the day stands now: the switch is off.
  await expect(page.getByTestId('audit-kill')).toHaveText('off');
  // Back to the moment it was on.
  await page.getByTestId('audit-slider').fill(String(whileOn));
  await expect(page.getByTestId('audit-kill')).toHaveText('on');
  await expect(timeline.getByTestId('audit-event-killSwitch').last()).toHaveClass(/muted/);
  await page.screenshot({ path: path.join(shots, 'audit-replay.png'), fullPage: true });
});
