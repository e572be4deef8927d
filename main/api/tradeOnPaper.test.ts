// Research to paper trading in one step, with the real desks on the real database server: a
// live pipeline and an enabled paper strategy under one strategy id; asking again reuses both;
// a strategy that cannot be built is refused before anything is saved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestSettingsSchema } from '../../core/api/researchContract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { lastClosedBarOpen } from '../../core/market/timeframes';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { paperDesk } from '../../test/paperDesk';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import type { ExecutionDesk } from '../execution/executionDesk';
import { MarketStore } from '../market/marketStore';
import { PipelineDesk } from '../signals/pipelineDesk';
import { SignalStore } from '../signals/signalStore';
import { paperStrategyId, tradeOnPaper } from './tradeOnPaper';

const t = useTestDb('topaper');
const MIN = 60_000;
const NOW = lastClosedBarOpen(Date.now(), '1m') + 20_000;
const market = new SyntheticMarket(demoAssets(NOW), 5);
const sim = new BinanceSimulator({ market });
let pipelines: PipelineDesk;
let execution: ExecutionDesk;
const request = {
  symbol: 'SIM:ETHUSDT',
  timeframe: '1m' as const,
  templateId: 'momentum-roc',
  params: { period: 10, threshold: 0.01, minHold: 0 },
  settings: BacktestSettingsSchema.parse({ initialCash: 500, stopLossPct: 5 }),
};

beforeAll(async () => {
  await new MarketStore(t.db()).writeBars(
    'SIM:ETHUSDT',
    '1m',
    market.minutes('ETH/USDT', NOW - 600 * MIN, NOW - 2 * MIN, 1000),
  );
  pipelines = new PipelineDesk({
    db: t.db,
    bars: () => new MarketStore(t.db()),
    log: createMemoryLogger(),
    signals: new SignalStore(t.db),
    fetchClosedBars: async (_s, _tf, since, now) =>
      market.minutes('ETH/USDT', since, Math.floor(now / MIN) * MIN - MIN, 1000),
    onChanged: () => undefined,
    onExported: () => undefined,
    onAlert: () => undefined,
    now: () => NOW,
    tickMs: 0,
  });
  execution = paperDesk(t.db, createExchangeClient({ exchangeId: 'binance', apiBaseUrl: await sim.start() }), {
    tickMs: 0,
    now: () => NOW,
  });
});
afterAll(() => sim.stop());

describe('trade on paper', () => {
  it('makes a live pipeline and an enabled paper strategy under one id, and reuses both when asked again', async () => {
    const r = await tradeOnPaper(request, { pipelines, execution });
    expect(r.strategyId).toBe(paperStrategyId(request));
    expect(r.strategyId).toMatch(/^momentum-roc\.ethusdt\.1m\.[0-9a-f]{4}$/);
    expect(r.created).toEqual({ pipeline: true, strategy: true });
    const p = (await pipelines.list()).find((x) => x.id === r.pipelineId)!;
    expect(p).toMatchObject({
      strategyId: r.strategyId,
      live: true,
      templateId: 'momentum-roc',
      params: request.params,
    });
    // going live exported the recent bars at once: the strategy has signals to trade
    expect((await new SignalStore(t.db).recent(10, r.strategyId, NOW)).length).toBeGreaterThan(0);
    const c = (await execution.list()).find((x) => x.id === r.configId)!;
    expect(c).toMatchObject({
      strategyId: r.strategyId,
      mode: 'paper',
      enabled: true,
      stakeQuote: 500,
      stopLossPct: 5,
    });

    await execution.enable(r.configId, false);
    const again = await tradeOnPaper(request, { pipelines, execution });
    expect(again).toMatchObject({ strategyId: r.strategyId, pipelineId: r.pipelineId, configId: r.configId });
    expect(again.created).toEqual({ pipeline: false, strategy: false });
    expect((await execution.list()).find((x) => x.id === r.configId)!.enabled).toBe(true);
    expect((await pipelines.list()).filter((x) => x.strategyId === r.strategyId)).toHaveLength(1);
    // other parameters are another strategy
    expect(paperStrategyId({ ...request, params: { ...request.params, period: 11 } })).not.toBe(r.strategyId);
  });

  it('refuses a strategy that cannot be built, saving nothing', async () => {
    const before = (await pipelines.list()).length;
    await expect(
      tradeOnPaper({ ...request, templateId: 'no-such-template' }, { pipelines, execution }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/Unknown strategy template/),
    });
    expect((await pipelines.list()).length).toBe(before);
  });
});
