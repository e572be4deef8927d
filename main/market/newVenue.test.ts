// Adding an exchange is one entry of venue data: a test venue (another name and symbol prefix,
// its own request budget, at the simulator's address) is offered by the desk, and a series is
// imported from it by the real import worker under its own budget account.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINANCE, type Venue } from '../../core/exchange/venues';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { TIMEFRAME_MS, lastClosedBarOpen } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { until } from '../../test/waitFor';
import { RequestBudgets } from '../exchange/requestBudgets';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { MarketStore } from './marketStore';
import { ensureSchema } from '../database/schemaSetup';
import { Supervisor } from '../workers/supervisor';
import { MarketDesk } from './marketDesk';
import { bundleWorker } from '../../test/workerBundle';

const t = useTestDb('venue');
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 17) });
let outDir: string;
let desk: MarketDesk;
let supervisor: Supervisor;
let budgets: RequestBudgets;

beforeAll(async () => {
  const url = await sim.start();
  await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
  ({ dir: outDir } = await bundleWorker('qd-venue-'));
  // The whole of adding an exchange: its entry.
  const venue: Venue = {
    ...BINANCE,
    id: 'testex',
    label: 'Test exchange',
    symbolPrefix: 'TESTEX',
    apiBaseUrl: url,
    budget: { limit: 1200, windowMs: 60_000, reserve: 0.25 },
  };
  budgets = new RequestBudgets((account) => desk.budgetOf(account));
  supervisor = new Supervisor({
    workerScript: path.join(outDir, 'workerMain.cjs'),
    log: createMemoryLogger(),
    budgets,
  });
  desk = new MarketDesk({
    supervisor,
    db: t.db,
    connection: () => ({ uri: t.uri, dbName: t.dbName }),
    log: createMemoryLogger(),
    budgets,
    venues: [BINANCE, venue],
  });
  await desk.start();
});

afterAll(async () => {
  await supervisor?.stopAll();
  await desk?.stop();
  await sim.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('a new venue', () => {
  it('is offered, lists its pairs, and imports a series under its own prefix and request budget', async () => {
    expect(desk.list().map((e) => [e.id, e.symbolPrefix, e.simulated])).toEqual([
      ['demo', 'DEMO', true],
      ['binance', 'BINANCE', false],
      ['testex', 'TESTEX', false],
    ]);
    expect(await desk.pairs('testex')).toContain('ETH/USDT');
    const from = lastClosedBarOpen(Date.now(), '1m') - 2 * 24 * 60 * TIMEFRAME_MS['1m'];
    await desk.startImport({
      exchange: 'testex',
      pair: 'ETH/USDT',
      timeframe: '1m',
      from: new Date(from).toISOString(),
      auto: false,
    });
    await until(
      'the import finished',
      () => supervisor.get('import:TESTEX:ETHUSDT:1m')?.state === 'stopped',
      120_000,
      200,
    );
    const status = supervisor.get('import:TESTEX:ETHUSDT:1m')!;
    expect(status.lastError).toBeNull();
    const cov = await new MarketStore(t.db()).coverage('TESTEX:ETHUSDT', '1m');
    expect(cov.bars).toBeGreaterThanOrEqual(2 * 24 * 60);
    expect(cov.gaps).toEqual([]);
    // its requests were counted against its own budget, not Binance's
    expect(budgets.usage('testex')).toMatchObject({ limit: 1200 });
    expect(budgets.usage('testex').used).toBeGreaterThan(0);
    expect(budgets.usage('binance').used).toBe(0);
    expect(desk.exchangeOf('TESTEX:ETHUSDT')).toBe('testex');
  });
});
