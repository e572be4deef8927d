// U1: candles on the chart through our Chart page (the real back end, renderer and
// lightweight-charts in Debian's Chromium) against a bare lightweight-charts page given the
// same number of bars in the same run. Times are the setData calls (performance.measure).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { chromium, type Page } from 'playwright-core';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import { TIMEFRAME_MS, barOpen } from '../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import { SERIES_COLLECTION } from '../main/market/marketDesk';
import { MarketStore } from '../main/store/marketStore';
import { ensureSchema } from '../main/store/schemaSetup';
import type { BenchLine } from './marketBench';

const MIN = TIMEFRAME_MS['1m'];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function seed(uri: string, dbName: string, symbol: string, bars: number): Promise<void> {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const db = client.db(dbName);
    await ensureSchema(db, createMemoryLogger(), undefined, { quiet: true });
    const to = barOpen(Date.now(), '1d') - MIN;
    const from = to - (bars - 1) * MIN;
    const market = new SyntheticMarket(demoAssets(Date.now()), 8);
    const store = new MarketStore(db);
    for (let t = from; t <= to; t += 5000 * MIN) await store.writeBars(symbol, '1m', market.minutes('BTC/USDT', t, Math.min(to, t + 4999 * MIN), 5000));
    await db.collection(SERIES_COLLECTION).updateOne({ symbol, timeframe: '1m' }, { $set: { symbol, timeframe: '1m', exchange: 'file', pair: 'BTC/USDT', from, auto: false } }, { upsert: true });
  } finally {
    await client.close();
  }
}

async function measureOurs(page: Page, baseUrl: string, symbol: string, bars: number): Promise<number> {
  await page.goto(`${baseUrl}#/charts?symbol=${encodeURIComponent(symbol)}&tf=1m`);
  await page.getByTestId('range-all').click();
  const handle = await page.waitForFunction((n) => performance.getEntriesByName('chart.setData').find((e) => (e as unknown as { detail?: { bars?: number } }).detail?.bars === n)?.duration, bars, { timeout: 300_000, polling: 500 });
  return (await handle.jsonValue()) as number;
}

function barePage(dir: string): string {
  fs.copyFileSync(path.resolve('node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js'), path.join(dir, 'lwc.js'));
  fs.writeFileSync(
    path.join(dir, 'bench.js'),
    `const n = Number(location.hash.slice(1));
const chart = LightweightCharts.createChart(document.getElementById('c'), { autoSize: true });
const candles = chart.addSeries(LightweightCharts.CandlestickSeries, {});
const volume = chart.addSeries(LightweightCharts.HistogramSeries, { priceScaleId: '' });
const c = [], v = [];
let p = 100, t = 1700000000;
for (let i = 0; i < n; i++) { const o = p; p = p * (1 + (Math.sin(i * 12.9898) * 43758.5453 % 1) * 0.002); c.push({ time: t + i * 60, open: o, high: Math.max(o, p) * 1.001, low: Math.min(o, p) * 0.999, close: p }); v.push({ time: t + i * 60, value: 1 + (i % 7), color: p >= o ? '#26c281' : '#f25f5c' }); }
const t0 = performance.now();
candles.setData(c);
volume.setData(v);
window.result = performance.now() - t0;`,
  );
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><body style="margin:0"><div id="c" style="width:1200px;height:700px"></div><script src="lwc.js"></script><script src="bench.js"></script></body></html>');
  return dir;
}

export async function chartBench(uri: string): Promise<BenchLine[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-u1-'));
  const dbName = 'quantdesk';
  await seed(uri, dbName, 'DEMO:UONEA', 100_000);
  await seed(uri, dbName, 'DEMO:UONEB', 500_000);
  const server = spawn(process.execPath, [path.resolve('dist/main/serveMain.cjs')], { env: { ...process.env, QUANTDESK_DATA_DIR: dataDir, MONGO_URI: uri }, stdio: ['ignore', 'pipe', 'inherit'] });
  const bareDir = barePage(fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-u1-bare-')));
  const bare = http.createServer((req, res) => {
    const file = path.join(bareDir, path.basename(new URL(req.url ?? '/', 'http://x').pathname) || 'index.html');
    fs.readFile(file, (err, body) => (err ? res.writeHead(404).end() : res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body)));
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /browser mode: (\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      server.once('exit', () => reject(new Error('serve exited')));
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    // The token moves to this tab's session once the desk is up; later pages need only the hash.
    await page.getByTestId('page-overview').waitFor({ timeout: 60_000 });
    const base = url.split('?')[0]!;
    const ours100 = await measureOurs(page, base, 'DEMO:UONEA', 100_000);
    const ours500 = await measureOurs(page, base, 'DEMO:UONEB', 500_000);
    const barePort = (bare.address() as { port: number }).port;
    const bareMs = async (n: number) => {
      const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await p.goto(`http://127.0.0.1:${barePort}/index.html#${n}`);
      const v = (await (await p.waitForFunction(() => (globalThis as unknown as { result?: number }).result, undefined, { timeout: 120_000 })).jsonValue()) as number;
      await p.close();
      return v;
    };
    const bare100 = await bareMs(100_000);
    const bare500 = await bareMs(500_000);
    return [{ id: 'U1', values: { ms_100k: Math.round(ours100), ms_500k: Math.round(ours500), bare_ms_100k: Math.round(bare100), bare_ms_500k: Math.round(bare500), ratio: +(ours100 / bare100).toFixed(2) } }];
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    bare.close();
    fs.rmSync(bareDir, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 1000));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
