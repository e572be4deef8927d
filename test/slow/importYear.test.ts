// The market-data acceptance test: a year of 1m bars for two symbols from the simulator,
// through ccxt, by the importer workers under the supervisor, into the test database. Each
// worker is killed (SIGKILL) halfway; the supervisor restarts it, it resumes, and every
// series ends with exactly the expected bar count and no gap.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { TIMEFRAME_MS, barOpen } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../testDb';
import { BinanceSimulator } from '../../main/exchange/simulator/binanceSimulator';
import { MarketStore } from '../../main/market/marketStore';
import { ensureSchema } from '../../main/database/schemaSetup';
import { Supervisor } from '../../main/workers/supervisor';
import { until } from '../waitFor';
import { bundleWorker } from '../workerBundle';

const MIN = TIMEFRAME_MS['1m'];
const YEAR_BARS = 525_600;
const t = useTestDb('year');
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 11) });
let outDir: string;

beforeAll(async () => {
  await sim.start();
  await ensureSchema(t.db(), createMemoryLogger());
  ({ dir: outDir } = await bundleWorker('qd-year-'));
});

afterAll(async () => {
  await sim.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('a year of 1m bars for two symbols, with the workers killed halfway', () => {
  it(
    'ends with exactly 525,600 bars per symbol and no gaps',
    async () => {
      const to = barOpen(Date.now(), '1d') - MIN;
      const from = to - (YEAR_BARS - 1) * MIN;
      const sup = new Supervisor({
        workerScript: path.join(outDir, 'workerMain.cjs'),
        log: createMemoryLogger(),
        random: () => 0,
      });
      const series = [
        { name: 'import:BTC', symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT' },
        { name: 'import:ETH', symbol: 'DEMO:ETHUSDT', pair: 'ETH/USDT' },
      ];
      const killed = new Set<string>();
      sup.onChange((s) => {
        // Kill each worker once, when it has done half of its year.
        if (
          !killed.has(s.name) &&
          s.pid &&
          s.progress &&
          s.progress.done >= s.progress.total / 2 &&
          s.progress.total === YEAR_BARS
        ) {
          killed.add(s.name);
          process.kill(s.pid, 'SIGKILL');
        }
      });
      try {
        for (const s of series) {
          sup.start({
            name: s.name,
            job: 'import',
            restart: 'on-failure',
            params: {
              uri: t.uri,
              dbName: t.dbName,
              ccxtId: 'binance',
              apiBaseUrl: sim.url,
              symbol: s.symbol,
              pair: s.pair,
              timeframe: '1m',
              from,
              to,
            },
          });
        }
        await until(
          'both imports finished',
          () =>
            series.every((s) => sup.get(s.name)?.state === 'stopped' && sup.get(s.name)?.detail.cancelled === false),
          8 * 60_000,
        );
      } finally {
        await sup.stopAll();
      }
      expect([...killed].sort()).toEqual(['import:BTC', 'import:ETH']);
      const store = new MarketStore(t.db());
      for (const s of series) {
        const status = sup.get(s.name)!;
        expect(status.restarts).toBe(1);
        expect(status.lastError).toMatch(/SIGKILL/);
        // After the restart only the rest was fetched: nothing twice.
        expect(Number(status.detail.stored)).toBeLessThan(YEAR_BARS / 2 + 1000);
        const cov = await store.coverage(s.symbol, '1m');
        expect(cov).toEqual({ first: from, last: to, bars: YEAR_BARS, expected: YEAR_BARS, gaps: [] });
        expect(await t.db().collection('crypto_market_1m').countDocuments({ symbol: s.symbol })).toBe(YEAR_BARS);
      }
    },
    12 * 60_000,
  );
});
