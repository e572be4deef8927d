// Paper trading through the desk: a configured strategy trades its signals on the demo
// exchange's live prices, shows its position and P&L, and the kill switch stops new orders.
import { english, word } from '../../core/wording/wording';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecConfigDraftSchema, type ExecConfigView } from '../../core/api/executionContract';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { SignalStore } from '../signals/signalStore';
import { CcxtBroker } from '../exchange/ccxtBroker';
import { ExecutionDesk } from './executionDesk';
import { MarketStore } from '../market/marketStore';

const t = useTestDb('execdesk');
const MIN = 60_000;
const synthetic = new SyntheticMarket(demoAssets(Date.now()), 6);
const sim = new BinanceSimulator({ market: synthetic });
let desk: ExecutionDesk;
let liveBroker: CcxtBroker;
const changes: ExecConfigView[] = [];
const alerts: string[] = [];
// The desk's clock: a minute behind at first, so the second test has a later bar to decide.
let offset = -MIN;

beforeAll(async () => {
  const url = await sim.start();
  const client = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url });
  sim.addApiKey('live-key-1', 'live-secret-1');
  liveBroker = new CcxtBroker(
    createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey: 'live-key-1', secret: 'live-secret-1' }),
  );
  desk = new ExecutionDesk({
    db: t.db,
    bars: () => new MarketStore(t.db()),
    log: createMemoryLogger(),
    signals: new SignalStore(t.db),
    marketData: () => new CcxtBroker(client),
    liveBroker: async () => liveBroker,
    exchangeOf: () => 'sim',
    onChanged: (v) => changes.push(v),
    onAlert: (a) => alerts.push(english(a.text)),
    tickMs: 0,
    now: () => Date.now() + offset,
  });
});
afterAll(() => sim.stop());

const signal = (ts: number, action: 'enter_long' | 'exit_long') =>
  new SignalStore(t.db).export(
    [{ ts: new Date(ts), timeframe: '1m', symbol: 'DEMO:ETHUSDT', pair: 'ETH/USDT', strategy_id: 'paper-eth', action }],
    { exportedBy: 'test', strategyVersion: null, runId: null },
  );

describe('paper trading desk', () => {
  it('trades an enabled strategy on paper, shows position and P&L, and records provenance', async () => {
    const c = await desk.save(
      ExecConfigDraftSchema.parse({
        strategyId: 'paper-eth',
        symbol: 'DEMO:ETHUSDT',
        timeframe: '1m',
        stakeQuote: 1000,
      }),
    );
    expect(c).toMatchObject({ pair: 'ETH/USDT', mode: 'paper', enabled: false, position: 0 });
    await signal(Math.floor((Date.now() + offset) / MIN) * MIN - MIN, 'enter_long');
    await desk.tick();
    expect(await desk.orders(10)).toEqual([]); // not enabled: nothing
    await desk.enable(c.id, true);
    await desk.tick();
    const [order] = await desk.orders(10);
    expect(order).toMatchObject({ strategyId: 'paper-eth', side: 'buy', status: 'filled', mode: 'paper' });
    expect(order!.amount * order!.refPrice).toBeLessThanOrEqual(1000);
    const [fill] = await desk.fills(10);
    expect(english(fill!.note!)).toMatch(/^paper fill at the last price/);
    const [view] = await desk.list();
    expect(view!.position).toBeCloseTo(order!.filled, 12);
    expect(view!.entryPrice).toBeCloseTo(fill!.price, 9);
    expect(view!.unrealizedPnl).not.toBeNull();
    expect(changes.at(-1)!.lastOutcome).toMatchObject({ kind: 'ordered' });
    // The P&L curve got its first point: a small loss (fees and slippage) right after entering.
    const [curve] = await desk.equity();
    expect(curve).toMatchObject({ strategyId: 'paper-eth', mode: 'paper' });
    expect(curve!.pnl).toHaveLength(1);
    expect(Math.abs(curve!.pnl[0]!)).toBeLessThan(20);
    // ...and the paper wallet its first balance snapshot.
    expect(await t.db().collection('quantdesk_balances').findOne({ mode: 'paper', account: 'paper' })).toMatchObject({
      balances: { USDT: expect.any(Number) },
    });
    const status = await desk.status();
    expect(status.paper.balances.USDT).toBeLessThan(10_000);
    expect(status.paper.equity).toBeGreaterThan(9_900);
    await expect(
      desk.save(ExecConfigDraftSchema.parse({ strategyId: 'paper-eth', symbol: 'DEMO:ETHUSDT', timeframe: '1m' })),
    ).rejects.toThrow(/already configured/);
  });

  it('the kill switch stops every new order, exits included, until it is off again', async () => {
    await desk.setKillSwitch(true);
    expect(alerts.at(-1)).toMatch(/Kill switch on/);
    await new Promise((r) => setTimeout(r, 10));
    offset = 0;
    await signal(Math.floor(Date.now() / MIN) * MIN - MIN, 'exit_long');
    await desk.tick();
    expect((await desk.list())[0]!.lastOutcome).toMatchObject({
      kind: 'paused',
      reason: word('step.killSwitch'),
    });
    expect((await desk.orders(10)).length).toBe(1);
    await desk.setKillSwitch(false);
    await desk.tick();
    const orders = await desk.orders(10);
    expect(orders[0]).toMatchObject({ side: 'sell', status: 'filled' });
    expect((await desk.list())[0]!.position).toBe(0);
  });
});

describe('drift report', () => {
  it("sets the strategy's real fills beside a backtest of the same signals, fill by fill", async () => {
    const now = Date.now();
    await new MarketStore(t.db()).writeBars(
      'DEMO:ETHUSDT',
      '1m',
      synthetic.minutes('ETH/USDT', now - 120 * MIN, Math.floor(now / MIN) * MIN - MIN, 200),
    );
    const [c] = await desk.list();
    const r = await desk.drift(c!.id);
    expect(r).toMatchObject({ strategyId: 'paper-eth', mode: 'paper', actual: { fills: 2 }, backtest: { trades: 1 } });
    expect(r.fills).toHaveLength(2);
    // The entry's bar has a successor stored: compared; the exit was signalled on the last closed
    // bar, whose successor is still forming: the backtest has not filled it yet, and says so.
    expect(r.fills[0]!.backtestPrice).not.toBeNull();
    expect(Math.abs(r.fills[0]!.diffBps!)).toBeLessThan(200);
    if (r.fills[1]!.backtestPrice === null)
      expect(r.warnings.map(english).join(' ')).toMatch(/has not filled them yet/);
    // Same signals, same costs: the two P&Ls are close (they differ by where in the bar each filled).
    expect(Math.abs(r.actual.pnl - r.backtest.pnl)).toBeLessThan(20);
    await expect(desk.drift('nope')).rejects.toThrow(/No trading configuration nope/);
  });
});

describe('live mode', () => {
  it('needs the typed confirmation, then trades through the keyed exchange account, shown as live everywhere', async () => {
    const c = await desk.save(
      ExecConfigDraftSchema.parse({
        strategyId: 'live-btc',
        symbol: 'DEMO:BTCUSDT',
        timeframe: '1m',
        stakeQuote: 200,
        enabled: true,
      }),
    );
    await expect(desk.setMode(c.id, 'live', 'yes')).rejects.toThrow(
      'To trade live-btc with real money, type exactly: LIVE live-btc',
    );
    expect((await desk.list()).find((x) => x.id === c.id)!.mode).toBe('paper');
    const live = await desk.setMode(c.id, 'live', 'LIVE live-btc');
    expect(live.mode).toBe('live');
    expect(alerts.at(-1)).toBe('live-btc BTC/USDT now trades in LIVE mode');
    expect((await desk.status()).liveStrategies).toBe(1);
    await new SignalStore(t.db).export(
      [
        {
          ts: new Date(Math.floor(Date.now() / MIN) * MIN - MIN),
          timeframe: '1m',
          symbol: 'DEMO:BTCUSDT',
          pair: 'BTC/USDT',
          strategy_id: 'live-btc',
          action: 'enter_long',
        },
      ],
      { exportedBy: 'test', strategyVersion: null, runId: null },
    );
    await desk.tick();
    const order = (await desk.orders(20)).find((o) => o.strategyId === 'live-btc')!;
    expect(order).toMatchObject({ mode: 'live', status: 'filled', side: 'buy' });
    expect(await liveBroker.orderByClientId('BTC/USDT', order.clientOrderId)).toMatchObject({ status: 'closed' });
    expect((await liveBroker.balances()).BTC!.total).toBeGreaterThan(0);
    // Back to paper needs no confirmation.
    expect((await desk.setMode(c.id, 'paper', '')).mode).toBe('paper');
  });
});
