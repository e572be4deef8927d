// A Freqtrade bot trading our signals, watched from the desk: the folder written on the
// Signals page, the bot started from it (real Freqtrade, dry-run on the demo exchange), seen on
// the Trading page; an order it cannot place raises our alert; its trade carries the signal
// and is matched to it on the Reconciliation page. Freqtrade comes with the interop suite's
// Python environment (build/pyenv: `npm test` in CI, or QUANTDESK_INTEROP=1).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { MongoClient } from 'mongodb';

const url = () => process.env.QUANTDESK_E2E_URL!;
const shots = path.resolve('artifacts/screenshots');
const FREQTRADE = path.resolve('build/pyenv/bin/freqtrade');
const MIN = 60_000;
const STRATEGY = 'e2e-freqtrade';

let bot: ChildProcess | null = null;
test.afterAll(() => {
  bot?.kill('SIGKILL');
});

function startBot(config: string, log: string): ChildProcess {
  return spawn(FREQTRADE, ['trade', '--config', config, '--logfile', log], { stdio: 'ignore' });
}

async function stopBot(): Promise<void> {
  const b = bot;
  bot = null;
  if (!b || b.exitCode !== null) return;
  const exited = new Promise((r) => b.once('exit', r));
  b.kill('SIGTERM');
  await exited;
}

test('a Freqtrade bot trading our signals: on the Trading page, its refused order as an alert, its trade reconciled', async ({
  page,
}) => {
  test.skip(!fs.existsSync(FREQTRADE), 'Freqtrade is installed with the interop suite (CI, or QUANTDESK_INTEROP=1)');
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await page.goto(url());
  await expect(page.getByTestId('db-state')).toHaveText(/connected/i, { timeout: 60_000 });
  // An outside research program writes a 1m entry for the bar that just closed, as pymongo would.
  const uri = (await page.getByTestId('db-uri').textContent())!.trim();
  const client = new MongoClient(uri);
  const signals = client.db('quantdesk').collection('crypto_signals');
  const writeEntry = async () => {
    const ts = Math.floor(Date.now() / MIN) * MIN - MIN;
    await signals.replaceOne(
      { strategy_id: STRATEGY, pair: 'BNB/USDT', timeframe: '1m', ts: new Date(ts) },
      {
        ts: new Date(ts),
        timeframe: '1m',
        symbol: 'DEMO:BNBUSDT',
        pair: 'BNB/USDT',
        action: 'enter_long',
        strategy_id: STRATEGY,
      },
      { upsert: true },
    );
    return ts;
  };
  try {
    await writeEntry();

    // The folder, written on the Signals page; the desk watches the bot from now on.
    await page.getByTestId('nav-signals').click();
    const panel = page.getByTestId('freqtrade-setup');
    await panel.getByTestId('ft-source').selectOption(`${STRATEGY}|1m`);
    await panel.getByTestId('ft-write').click();
    const dir = (await panel.getByTestId('ft-dir-written').textContent())!;
    const configFile = path.join(dir, 'config.json');
    const log = path.join(dir, 'freqtrade.log');

    // First with a stake the dry-run wallet cannot pay: the bot cannot place its order.
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(configFile, JSON.stringify({ ...config, stake_amount: 1e9, max_open_trades: 1 }));
    bot = startBot(configFile, log);
    await page.getByTestId('nav-trading').click();
    const botPanel = page.getByTestId('freqtrade-bot');
    await expect(botPanel.getByTestId('ft-bot-state')).toHaveText('connected', { timeout: 120_000 });
    await page.getByTestId('nav-monitor').click();
    const alert = page
      .getByTestId('monitor-alert')
      .filter({ hasText: 'The Freqtrade bot at http://127.0.0.1:8080 says' });
    await expect(alert.first()).toContainText('Unable to create trade for BNB/USDT', { timeout: 60_000 });
    await page.screenshot({ path: path.join(shots, 'en-freqtrade-refused.png'), fullPage: true });

    // A stake it can pay: the bot enters on the signal, and the trade carries it.
    await stopBot();
    fs.writeFileSync(configFile, JSON.stringify({ ...config, stake_amount: 100, max_open_trades: 1 }));
    bot = startBot(configFile, log);
    const ts = await writeEntry();
    await page.getByTestId('nav-trading').click();
    await expect(botPanel.getByTestId('ft-open-trades')).toContainText(`qd:enter:${ts}`, { timeout: 120_000 });
    await expect(botPanel.getByTestId('ft-bot-state')).toHaveText('connected');
    await botPanel.screenshot({ path: path.join(shots, 'en-trading-freqtrade.png') });

    // Reconciled: the signal traded by the bot's trade.
    await page.getByTestId('nav-reconciliation').click();
    const recon = page.getByTestId('bot-recon');
    await expect(recon.getByTestId('bot-recon-traded').first()).toContainText('BNB/USDT', { timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, 'en-reconciliation-freqtrade.png'), fullPage: true });
  } finally {
    // Leave the desk as the other specs expect it: no bot watched, none running.
    await page.getByTestId('nav-trading').click();
    const disconnect = page.getByTestId('freqtrade-bot').getByRole('button', { name: 'Disconnect' });
    if (await disconnect.isVisible()) await disconnect.click();
    await stopBot();
    await signals.deleteMany({ strategy_id: STRATEGY });
    await client.close();
  }
});
