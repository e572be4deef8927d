// The audit trail over the real database and the real execution desk (paper trading on the
// exchange simulator): actions on a past UTC day, the day before and the day after; the
// day reads back in time order with its orders and fills, and replays to any moment of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditDaySchema, type AuditDay } from '../../core/api/auditContract';
import { services } from '../../core/api/contract';
import { ExecConfigDraftSchema } from '../../core/api/executionContract';
import { replayAt } from '../../core/audit/replay';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { CcxtBroker } from '../exchange/ccxtBroker';
import { ExecutionDesk } from '../execution/executionDesk';
import { SignalStore } from '../signals/signalStore';
import { AuditTrail, exportActor, signalExportAudit } from './auditTrail';
import { COLLECTIONS } from '../../core/db/collections';
import { MarketStore } from '../market/marketStore';

const t = useTestDb('audit');
const MIN = 60_000;
const DAY = 86_400_000;
// A whole UTC day safely in the past, so every moment of the test is fixed and none is in the future.
const dayStart = Math.floor((Date.now() - 2 * DAY) / DAY) * DAY;
const date = new Date(dayStart).toISOString().slice(0, 10);
let clock = dayStart - 6 * 3_600_000;
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 6) });
let trail: AuditTrail;
let desk: ExecutionDesk;
let signals: SignalStore;

beforeAll(async () => {
  const url = await sim.start();
  sim.addApiKey('audit-key-1', 'audit-secret-1');
  const live = new CcxtBroker(
    createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey: 'audit-key-1', secret: 'audit-secret-1' }),
  );
  const client = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url });
  trail = new AuditTrail(t.db, createMemoryLogger(), () => clock);
  // Wired as the back end wires it: exports told to the trail, the desk given the trail.
  signals = new SignalStore(t.db, signalExportAudit(trail));

  desk = new ExecutionDesk({
    db: t.db,
    bars: () => new MarketStore(t.db()),
    log: createMemoryLogger(),
    signals,
    marketData: () => new CcxtBroker(client),
    liveBroker: async () => live,
    exchangeOf: () => 'sim',
    onChanged: () => undefined,
    onAlert: () => undefined,
    tickMs: 0,
    now: () => clock,
    audit: trail,
  });
});
afterAll(() => sim.stop());

describe('audit trail', () => {
  it('reads a day back in time order, merged with its orders and fills, and replays it', async () => {
    // The day before: strategy A configured (off), kill switch on.
    const a = await desk.save(
      ExecConfigDraftSchema.parse({
        strategyId: 'audit-eth',
        symbol: 'DEMO:ETHUSDT',
        timeframe: '1m',
        stakeQuote: 500,
      }),
    );
    await desk.setKillSwitch(true);

    // The day itself.
    const at = (h: number, m: number) => (clock = dayStart + h * 3_600_000 + m * MIN);
    const tKillOff = at(10, 0);
    await desk.setKillSwitch(false);
    const tEnable = at(10, 1);
    await desk.enable(a.id, true);
    at(10, 2);
    await signals.export(
      [
        {
          ts: new Date(Math.floor(clock / MIN) * MIN - MIN),
          timeframe: '1m',
          symbol: 'DEMO:ETHUSDT',
          pair: 'ETH/USDT',
          strategy_id: 'audit-eth',
          action: 'enter_long',
        },
      ],
      { exportedBy: 'pipeline:eth', strategyVersion: null, runId: null },
      { now: clock },
    );
    await signals.export(
      [
        {
          ts: new Date(Math.floor(clock / MIN) * MIN - MIN),
          timeframe: '1m',
          symbol: 'DEMO:ETHUSDT',
          pair: 'ETH/USDT',
          strategy_id: 'audit-eth',
          action: 'enter_long',
        },
      ],
      { exportedBy: 'pipeline:eth', strategyVersion: null, runId: null },
      { now: clock },
    );
    const tTick = at(10, 2.5);
    await desk.tick();
    const [fill] = await desk.fills(5);
    expect(fill).toMatchObject({ strategyId: 'audit-eth', side: 'buy', mode: 'paper' });
    const tLive = at(11, 0);
    const b = await desk.save(
      ExecConfigDraftSchema.parse({
        strategyId: 'audit-btc',
        symbol: 'DEMO:BTCUSDT',
        timeframe: '1m',
        stakeQuote: 100,
      }),
    );
    at(11, 1);
    await desk.setMode(b.id, 'live', 'LIVE audit-btc');
    at(11, 30);
    await desk.resume(a.id);
    const tDisable = at(12, 0);
    await desk.enable(a.id, false);
    const tDelete = at(13, 0);
    await desk.delete(b.id);
    // Secrets handed to the trail by mistake are masked before they are stored.
    at(14, 0);
    await trail.record({
      actor: 'desk',
      action: 'settingsUpdate',
      subject: null,
      details: {
        language: 'en',
        alerts: { webhookToken: 'PLANTED-TOKEN-123456' },
        note: 'see https://api.telegram.org/bot42:PLANTEDbot123456789abc/sendMessage',
      },
    });

    // The day after: not part of the day.
    clock = dayStart + DAY + 3_600_000;
    await desk.enable(a.id, true);

    const day: AuditDay = AuditDaySchema.parse(await trail.day(date));
    expect(day).toMatchObject({
      date,
      from: new Date(dayStart).toISOString(),
      to: new Date(dayStart + DAY).toISOString(),
      truncated: false,
    });
    expect(day.events.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['desk', 'killSwitch', null],
      ['desk', 'strategyEnable', 'audit-eth'],
      // The second, identical export wrote nothing and left no line.
      ['pipeline', 'signalExport', 'audit-eth'],
      ['executor', 'orderSent', fill!.clientOrderId],
      ['executor', 'fill', fill!.clientOrderId],
      ['desk', 'strategySave', 'audit-btc'],
      ['desk', 'modeSwitch', 'audit-btc'],
      ['desk', 'strategyResume', 'audit-eth'],
      ['desk', 'strategyEnable', 'audit-eth'],
      ['desk', 'strategyDelete', 'audit-btc'],
      ['desk', 'settingsUpdate', null],
    ]);
    const times = day.events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(day.events.find((e) => e.action === 'modeSwitch')!.details).toMatchObject({ from: 'paper', to: 'live' });

    // The day began with what the day before left: A configured and off, kill switch on, flat.
    const A = { configId: a.id, strategyId: 'audit-eth', pair: 'ETH/USDT', timeframe: '1m', mode: 'paper' };
    expect(day.start).toEqual({ killSwitch: true, strategies: [{ ...A, enabled: false }], positions: [] });
    expect(replayAt(day, tKillOff - 1)).toEqual(day.start);
    expect(replayAt(day, tEnable)).toMatchObject({
      killSwitch: false,
      strategies: [{ ...A, enabled: true }],
      positions: [],
    });
    expect(replayAt(day, tTick)).toMatchObject({
      positions: [{ mode: 'paper', strategyId: 'audit-eth', pair: 'ETH/USDT', amount: fill!.amount }],
    });
    expect(replayAt(day, tLive + MIN).strategies).toEqual([
      { configId: b.id, strategyId: 'audit-btc', pair: 'BTC/USDT', timeframe: '1m', mode: 'live', enabled: false },
      { ...A, enabled: true },
    ]);
    expect(replayAt(day, tDisable).strategies).toEqual([
      { configId: b.id, strategyId: 'audit-btc', pair: 'BTC/USDT', timeframe: '1m', mode: 'live', enabled: false },
      { ...A, enabled: false },
    ]);
    expect(replayAt(day, tDelete)).toEqual({
      killSwitch: false,
      strategies: [{ ...A, enabled: false }],
      positions: [{ mode: 'paper', strategyId: 'audit-eth', pair: 'ETH/USDT', amount: fill!.amount }],
    });

    // The next day starts where this one ended, although A was changed again later.
    const next = await trail.day(new Date(dayStart + DAY).toISOString().slice(0, 10));
    expect(next.start).toEqual(replayAt(day, dayStart + DAY - 1));
    expect(next.events.map((e) => e.action)).toEqual(['strategyEnable']);

    const stored = JSON.stringify(await t.db().collection(COLLECTIONS.audit).find({}).toArray());
    expect(stored).toContain('webhookToken');
    expect(stored).not.toContain('PLANTED');
  });

  it('replays a live fill with a fee paid in the base asset to the position the Trading page shows', async () => {
    const before = dayStart - DAY;
    const fill = (id: string, side: 'buy' | 'sell', amount: number, fee: number, feeCurrency: string, at: number) => ({
      _id: `live|BTC/USDT|${id}`,
      clientOrderId: `fee-${id}`,
      strategyId: 'audit-fee',
      pair: 'BTC/USDT',
      mode: 'live' as const,
      side,
      amount,
      price: 60_000,
      fee,
      feeCurrency,
      time: new Date(at),
      signalTs: new Date(at),
      slippageBps: 0,
      signalToFillMs: 0,
      note: null,
    });
    await desk.store.addFills([
      fill('1', 'buy', 0.01, 0.00001, 'BTC', before + 3_600_000),
      fill('2', 'sell', 0.004, 0.24, 'USDT', before + 7_200_000),
    ]);
    const held = await desk.store.position('live', 'audit-fee', 'BTC/USDT');
    expect(held).toBeCloseTo(0.00599, 12);
    const day = await trail.day(new Date(before).toISOString().slice(0, 10));
    const replayed = replayAt(day, before + DAY - 1).positions.find((p) => p.strategyId === 'audit-fee');
    expect(replayed?.amount).toBeCloseTo(held, 12);
    // and the next day starts from the same position, computed from the fills on the server side
    expect((await trail.day(date)).start.positions.find((p) => p.strategyId === 'audit-fee')?.amount).toBeCloseTo(
      held,
      12,
    );
  });

  it('asks for a real calendar date', () => {
    const req = services['audit.day'].request;
    expect(req.safeParse({ date: '2026-03-01' }).success).toBe(true);
    for (const bad of [
      { date: '2026-3-1' },
      { date: 'yesterday' },
      { date: '2026-13-40' },
      {},
      { date: '2026-03-01', extra: 1 },
    ])
      expect(req.safeParse(bad).success).toBe(false);
  });

  it('names who exported: pipelines, the desk, anything else is an outside program', () => {
    expect(exportActor('pipeline:eth')).toBe('pipeline');
    expect(exportActor('desk: manual')).toBe('desk');
    expect(exportActor('freqtrade-bridge')).toBe('api');
  });
});
