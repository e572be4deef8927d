// The desk under a kept-current year (`npm run soak [-- minutes]`, 60 by default): the real
// back end in browser mode imports a 365-day 1m series with "keep up to date" on, then
// Chromium walks every page again and again while the series is kept current. Every API call
// the pages make is timed from its frames on the socket, the database state the header shows
// is read on every page, and each kept-current refresh of the year says how much it fetched. Prints one line: `L1 minutes= calls= over_budget= p99_ms= max_ms= worst=
// db_samples= db_not_connected= chart_year_p99_ms= refresh_max_fetched=`, and the slowest methods.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startBrowserModeApp } from './appServer';
import { PAGES } from './deskPages';
import { importSeries, nextChartLoad, clearChartTimings } from './marketSteps';

/** An interactive read answers within this, or the page looks stuck. */
const CALL_BUDGET_MS = 2_000;
const DWELL_MS = 3_000;

const quantile = (xs: number[], q: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : 0;

export async function deskSoak(
  root: string,
  minutes: number,
): Promise<{ id: string; values: Record<string, number | string> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-soak-'));
  const app = await startBrowserModeApp(dataDir, root);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const timings = new Map<string, number[]>();
  const dbStates = new Map<string, number>();
  let soaking = false;
  let refreshMaxFetched = 0;
  let chartLoads: number[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const sent = new Map<number, { method: string; at: number }>();
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => {
        const m = /^\{"type":"request","id":(\d+),"method":"([\w.]+)"/.exec(String(f.payload));
        if (m) sent.set(Number(m[1]), { method: m[2]!, at: Date.now() });
      });
      ws.on('framereceived', (f) => {
        const text = String(f.payload);
        const m = /^\{"type":"reply","id":(\d+)/.exec(text);
        const req = m && sent.get(Number(m[1]));
        if (req) {
          sent.delete(Number(m![1]));
          timings.set(req.method, [...(timings.get(req.method) ?? []), Date.now() - req.at]);
        }
        // The year's kept-current refreshes, from the workers' states in replies and events:
        // how many bars a refresh still had to fetch when it started.
        if (!soaking || !text.includes('import:DEMO:BTCUSDT:1m')) return;
        for (const w of text.matchAll(
          /"name":"import:DEMO:BTCUSDT:1m"[^{}]*?"progress":\{"done":(\d+),"total":(\d+)/g,
        )) {
          if (Number(w[2]) > 500_000) refreshMaxFetched = Math.max(refreshMaxFetched, Number(w[2]) - Number(w[1]));
        }
      });
    });
    await page.goto(app.url);
    await importSeries(page, 'BTC/USDT', '1m', 365, 30 * 60_000);
    timings.clear();
    dbStates.clear();
    soaking = true;
    const end = Date.now() + minutes * 60_000;
    while (Date.now() < end) {
      for (const p of PAGES) {
        await page.getByTestId(`nav-${p}`).click();
        await page.getByTestId(`page-${p}`).waitFor({ timeout: 30_000 });
        // What the header says of the database on every page the trader opens.
        const state = (await page.getByTestId('topbar-db-state').textContent()) ?? 'missing';
        dbStates.set(state, (dbStates.get(state) ?? 0) + 1);
        if (p === 'charts') {
          await page.getByTestId('chart-series').selectOption('DEMO:BTCUSDT|1m');
          await clearChartTimings(page);
          await page.getByTestId('range-y1').click();
          chartLoads.push((await nextChartLoad(page, 60_000)).loadMs);
          await page.getByTestId('range-d7').click();
        }
        await page.waitForTimeout(DWELL_MS);
      }
    }
    const all = [...timings.values()].flat();
    const worst = [...timings.entries()].map(([m, xs]) => [m, Math.max(...xs)] as const).sort((a, b) => b[1] - a[1]);
    for (const [m, max] of worst.slice(0, 8))
      console.log(
        `  ${m}: calls=${timings.get(m)!.length} p50=${quantile(timings.get(m)!, 0.5)} p99=${quantile(timings.get(m)!, 0.99)} max=${max}`,
      );
    chartLoads = chartLoads.map(Math.round);
    return {
      id: 'L1',
      values: {
        minutes,
        calls: all.length,
        over_budget: all.filter((x) => x > CALL_BUDGET_MS).length,
        p99_ms: quantile(all, 0.99),
        max_ms: Math.max(0, ...all),
        worst: worst[0]?.[0] ?? '',
        db_samples: [...dbStates.values()].reduce((n, c) => n + c, 0),
        db_not_connected: [...dbStates.entries()]
          .filter(([s]) => s !== 'Database connected')
          .reduce((n, [, c]) => n + c, 0),
        chart_year_p99_ms: quantile(chartLoads, 0.99),
        refresh_max_fetched: refreshMaxFetched,
      },
    };
  } finally {
    await browser.close();
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
