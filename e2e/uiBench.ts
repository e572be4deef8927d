// U1 (`npm run bench -- U1`): the Chart page in Chromium against the real back end in
// browser mode, with 1m series imported from the demo exchange: setData of ~100k and ~500k
// candles through our page (every minute its own candle), a bare lightweight-charts page given
// the same number of bars in the same run as the baseline, and a stored 365-day 1m series from
// choosing it to candles drawn: at the resolution the page picks (ms_365d) and at 1m (ms_365d_1m).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type * as LightweightCharts from 'lightweight-charts';
import type { UTCTimestamp } from 'lightweight-charts';
import { startBrowserModeApp } from './appServer';
import { clearChartTimings, importSeries, nextChartLoad, type ChartTiming } from './marketSteps';

const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function uiBench(root: string): Promise<{ id: string; values: Record<string, number | string> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-u1-'));
  const app = await startBrowserModeApp(dataDir, root);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.url);
    const t0 = Date.now();
    await importSeries(page, 'BTC/USDT', '1m', 365, 30 * 60_000);
    const importS = (Date.now() - t0) / 1000;
    // ~100,000 bars: 69 days and the part of today
    await importSeries(page, 'ETH/USDT', '1m', 69, 10 * 60_000);

    await page.goto(`${app.url}#/charts?symbol=DEMO:BTCUSDT&tf=1m`);
    await nextChartLoad(page);
    /** Median timings of loading the year, each time coming from the one-day range. */
    const loadYear = async () => {
      const runs: ChartTiming[] = [];
      for (let i = 0; i < RUNS; i++) {
        await clearChartTimings(page);
        await page.getByTestId('range-d1').click();
        await nextChartLoad(page);
        await clearChartTimings(page);
        await page.getByTestId('range-y1').click();
        runs.push(await nextChartLoad(page));
      }
      return runs;
    };
    // As a trader opens it: the chart picks candles that fit the year.
    const yearAuto = await loadYear();
    const autoResolution = await page.getByTestId('chart-resolution').locator('option').first().textContent();
    // Every stored minute drawn as its own candle.
    await page.getByTestId('chart-resolution').selectOption('1m');
    const year = await loadYear();
    await page.getByTestId('range-all').click();
    const small: ChartTiming[] = [];
    for (let i = 0; i < RUNS; i++) {
      await clearChartTimings(page);
      await page.getByTestId('chart-series').selectOption('DEMO:ETHUSDT|1m');
      small.push(await nextChartLoad(page));
      await clearChartTimings(page);
      await page.getByTestId('chart-series').selectOption('DEMO:BTCUSDT|1m');
      await nextChartLoad(page);
    }

    // The baseline: lightweight-charts alone on a blank page, given candles of the same counts.
    const bare = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await bare.setContent('<div id="c" style="width:1240px;height:600px"></div>');
    await bare.addScriptTag({
      path: path.join(root, 'node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js'),
    });
    const bareMs = async (n: number) =>
      bare.evaluate(async (count) => {
        const lib = (window as unknown as { LightweightCharts: typeof LightweightCharts }).LightweightCharts;
        const el = document.getElementById('c')!;
        el.innerHTML = '';
        const chart = lib.createChart(el, { autoSize: true });
        const s = chart.addSeries(lib.CandlestickSeries);
        const start = 1_700_000_000 - count * 60;
        let p = 100;
        const data = Array.from({ length: count }, (_, i) => {
          const o = p;
          p *= 1 + Math.sin(i * 0.37) * 0.002;
          return {
            time: (start + i * 60) as UTCTimestamp,
            open: o,
            high: Math.max(o, p) * 1.001,
            low: Math.min(o, p) * 0.999,
            close: p,
          };
        });
        const t = performance.now();
        s.setData(data);
        await new Promise((r) => requestAnimationFrame(r));
        const ms = performance.now() - t;
        chart.remove();
        return ms;
      }, n);
    const bare100: number[] = [];
    const bare500: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare100.push(await bareMs(small[0]!.bars));
      bare500.push(await bareMs(year[0]!.bars));
    }
    const ms100k = median(small.map((s) => s.setDataMs));
    const bareMs100k = median(bare100);
    return {
      id: 'U1',
      values: {
        ms_100k: Math.round(ms100k),
        bars_100k: small[0]!.bars,
        ms_500k: Math.round(median(year.map((y) => y.setDataMs))),
        bars_500k: year[0]!.bars,
        bare_ms_100k: Math.round(bareMs100k),
        ratio: Number((ms100k / bareMs100k).toFixed(2)),
        bare_ms_500k: Math.round(median(bare500)),
        ms_365d: Math.round(median(yearAuto.map((y) => y.loadMs))),
        candles_365d: yearAuto[0]!.bars,
        auto_resolution: JSON.stringify(autoResolution ?? ''),
        ms_365d_1m: Math.round(median(year.map((y) => y.loadMs))),
        import_365d_s: Math.round(importS),
      },
    };
  } finally {
    await browser.close();
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
