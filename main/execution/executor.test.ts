// The executor against the exchange simulator (real ccxt) and the real database: orders are
// written before they are sent, recovered after a crash at either side of the send without
// duplicates, refusals are recorded with their reason and never retried, and a run of
// refusals pauses the strategy with an alert.
import { english, word, type Wording } from '../../core/wording/wording';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { DEFAULT_RISK, MAX_REJECTIONS_IN_A_ROW } from '../../core/execution/risk';
import type { Broker } from '../../core/ports/broker';
import { DEFAULT_CONSUMER_RULES } from '../../core/signals/consumption';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { SignalStore } from '../signals/signalStore';
import { SignalSkips } from '../signals/signalSkips';
import { until } from '../../test/waitFor';
import { CcxtBroker } from '../exchange/ccxtBroker';
import { ExecutionStore, clientOrderIdOf } from './executionStore';
import { PaperBroker } from './paperBroker';
import { Executor, type StrategyRun } from './executor';

const t = useTestDb('executor');
const MIN = 60_000;
const market = new SyntheticMarket(demoAssets(Date.now()), 4);
const sim = new BinanceSimulator({ market, apiKeys: { k: 's' }, balances: { USDT: 10_000 } });
let broker: CcxtBroker;
const alerts: string[] = [];
const noWait = { sleep: async () => undefined, random: () => 0.5 };
const run = (over: Partial<StrategyRun> = {}): StrategyRun => ({
  strategyId: 's-exec',
  symbol: 'DEMO:ETHUSDT',
  pair: 'ETH/USDT',
  timeframe: '1m',
  mode: 'live',
  risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 500 } },
  rules: DEFAULT_CONSUMER_RULES,
  feeRate: 0.001,
  ...over,
});
const executor = (b: Broker = broker, now?: () => number) =>
  new Executor({
    store: new ExecutionStore(t.db),
    signals: new SignalStore(t.db),
    broker: () => b,
    log: createMemoryLogger(),
    send: noWait,
    onAlert: (a) => alerts.push(`[${a.kind}] ${english(a.text)}`),
    ...(now && { now }),
  });
const signal = async (strategyId: string, ts: number, action: 'enter_long' | 'exit_long', pair = 'ETH/USDT') =>
  new SignalStore(t.db).export(
    [
      {
        ts: new Date(ts),
        timeframe: '1m',
        symbol: `DEMO:${pair.replace('/', '')}`,
        pair,
        strategy_id: strategyId,
        action,
      },
    ],
    { exportedBy: 'test', strategyVersion: 'v1', runId: null },
  );

beforeAll(async () => {
  broker = new CcxtBroker(
    createExchangeClient({
      exchangeId: 'binance',
      apiBaseUrl: await sim.start(),
      apiKey: 'k',
      secret: 's',
      timeoutMs: 2000,
    }),
  );
});
afterAll(() => sim.stop());

describe('executor', () => {
  it('enters on a signal: the order is written, sent once, its fills recorded once, with provenance', async () => {
    const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
    await signal('s-exec', bar, 'enter_long');
    const ex = executor();
    const out = await ex.step(run());
    expect(out.kind).toBe('ordered');
    const id = clientOrderIdOf('live', 's-exec', 'ETH/USDT', '1m', bar, 'enter');
    const order = await new ExecutionStore(t.db).orders.findOne({ _id: id });
    expect(order).toMatchObject({ status: 'filled', side: 'buy', leg: 'enter', signalVersion: 'v1', mode: 'live' });
    expect(order!.amount * order!.refPrice).toBeLessThanOrEqual(500);
    const fills = await new ExecutionStore(t.db).fills.find({ clientOrderId: id }).toArray();
    expect(fills.length).toBeGreaterThan(0);
    expect(fills[0]!.signalToFillMs).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(fills[0]!.slippageBps)).toBe(true);
    // The signal bar's close, as the exchange's candle gives it, is kept with the order; each fill is measured against it too.
    const close = market.minute('ETH/USDT', bar)![4];
    expect(order!.signalPrice).toBeCloseTo(close, 6); // as the exchange rounds it to its tick
    for (const f of fills) expect(f.signalSlippageBps).toBeCloseTo(((f.price - close) / close) * 10_000, 9);
    // The same signal again: nothing new.
    expect(await ex.step(run())).toEqual({ kind: 'none', reason: word('decision.alreadyActed') });
    expect(await executor().step(run())).toEqual({ kind: 'none', reason: word('decision.alreadyActed') });
    expect(await new ExecutionStore(t.db).position('live', 's-exec', 'ETH/USDT')).toBeCloseTo(
      order!.filled * 0.999,
      10,
    );
  });

  it('a signal bar the exchange cannot give leaves its reference unknown and the order goes ahead', async () => {
    const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
    await signal('s-no-bar', bar, 'enter_long');
    const blind: Broker = Object.assign(Object.create(broker) as Broker, {
      barClose: async () => {
        throw new Error('klines unavailable');
      },
    });
    expect((await executor(blind).step(run({ strategyId: 's-no-bar' }))).kind).toBe('ordered');
    const id = clientOrderIdOf('live', 's-no-bar', 'ETH/USDT', '1m', bar, 'enter');
    expect(await new ExecutionStore(t.db).orders.findOne({ _id: id })).toMatchObject({
      status: 'filled',
      signalPrice: null,
    });
    const fills = await new ExecutionStore(t.db).fills.find({ clientOrderId: id }).toArray();
    expect(fills.length).toBeGreaterThan(0);
    expect(fills.every((f) => f.signalSlippageBps === null && Number.isFinite(f.slippageBps))).toBe(true);
  });

  it('a crash after sending (reply never recorded) is settled from the exchange by client order id: no duplicate', async () => {
    const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
    await signal('s-crash-after', bar, 'enter_long', 'BTC/USDT');
    // The process "dies" between the exchange accepting the order and our record of it.
    const crashing: Broker = Object.assign(Object.create(broker) as Broker, {
      placeMarket: async (req: Parameters<Broker['placeMarket']>[0]) => {
        await broker.placeMarket(req);
        throw new Error('process killed');
      },
    });
    const first = await executor(crashing).step(
      run({ strategyId: 's-crash-after', pair: 'BTC/USDT', symbol: 'DEMO:BTCUSDT' }),
    );
    expect(first.kind).toBe('ordered');
    const id = clientOrderIdOf('live', 's-crash-after', 'BTC/USDT', '1m', bar, 'enter');
    expect(await new ExecutionStore(t.db).orders.findOne({ _id: id })).toMatchObject({ status: 'unknown' });
    const posted = sim.stats.byEndpoint['POST /api/v3/order'];
    await executor().recover('live');
    expect(sim.stats.byEndpoint['POST /api/v3/order']).toBe(posted); // nothing re-sent
    expect(await new ExecutionStore(t.db).orders.findOne({ _id: id })).toMatchObject({ status: 'filled' });
    expect(await new ExecutionStore(t.db).fills.countDocuments({ clientOrderId: id })).toBeGreaterThan(0);
    expect(await broker.orderByClientId('BTC/USDT', id)).toMatchObject({ status: 'closed' });
  });

  it('a crash after writing the intent but before sending: recovery sends it exactly once, or expires it when stale', async () => {
    const store = new ExecutionStore(t.db);
    const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
    const base = {
      strategyId: 's-intent',
      pair: 'SOL/USDT',
      symbol: 'DEMO:SOLUSDT',
      timeframe: '1m' as const,
      mode: 'live' as const,
      leg: 'enter' as const,
      side: 'buy' as const,
      amount: 1,
      status: 'intent' as const,
      signalVersion: null,
      refPrice: 1,
      exchangeOrderId: null,
      filled: 0,
      avgPrice: null,
      reason: null,
      checks: 0,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    const fresh = clientOrderIdOf('live', 's-intent', 'SOL/USDT', '1m', bar, 'enter');
    const stale = clientOrderIdOf('live', 's-intent', 'SOL/USDT', '1m', bar - 60 * MIN, 'enter');
    await store.writeIntent({ ...base, _id: fresh, signalTs: new Date(bar) });
    await store.writeIntent({ ...base, _id: stale, signalTs: new Date(bar - 60 * MIN) });
    await executor().recover('live');
    await executor().recover('live');
    expect(await store.orders.findOne({ _id: fresh })).toMatchObject({ status: 'filled', filled: 1 });
    expect(await store.orders.findOne({ _id: stale })).toMatchObject({ status: 'expired' });
    expect((await broker.trades('SOL/USDT', 0)).filter((x) => x.amount === 1).length).toBe(1);
  });

  it('refusals are recorded with their reason and never retried; a run of them pauses the strategy with an alert', async () => {
    sim.setFaults({ rejectRate: 1 });
    let clock = Math.floor(Date.now() / MIN) * MIN - 10 * MIN + 5_000; // decisions over the last minutes
    const ex = executor(broker, () => clock);
    const posted = sim.stats.byEndpoint['POST /api/v3/order'] ?? 0;
    for (let i = 0; i < MAX_REJECTIONS_IN_A_ROW; i++) {
      await signal('s-reject', clock - (clock % MIN) - MIN, 'enter_long');
      const out = await ex.step(
        run({
          strategyId: 's-reject',
          risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 500 }, maxOpenPositions: 10 },
        }),
      );
      expect(out).toMatchObject({ kind: 'refused', reason: { code: expect.stringMatching(/^order\.insufficient/) } });
      clock += MIN;
    }
    sim.setFaults({});
    expect((sim.stats.byEndpoint['POST /api/v3/order'] ?? 0) - posted).toBe(MAX_REJECTIONS_IN_A_ROW); // each entry sent once, refused once, never retried
    const refused = await new ExecutionStore(t.db).orders.find({ strategyId: 's-reject' }).toArray();
    expect(refused.every((o) => o.status === 'rejected' && o.reason)).toBe(true);
    expect(await ex.step(run({ strategyId: 's-reject' }))).toMatchObject({ kind: 'paused' });
    expect(alerts.at(-1)).toMatch(
      /^\[rejections-in-a-row\] s-reject ETH\/USDT: 5 (refusals|rejections) in a row, trading paused/,
    );
    // Each refusal on its own is an alert too, named for its cause (the alert center de-duplicates them).
    expect(alerts.filter((a) => a.startsWith('[insufficient-balance] s-reject ETH/USDT: order refused'))).toHaveLength(
      MAX_REJECTIONS_IN_A_ROW,
    );
  });

  it("pauses after the strategy's own number of refusals in a row", async () => {
    sim.setFaults({ rejectRate: 1 });
    let clock = Math.floor(Date.now() / MIN) * MIN - 10 * MIN + 5_000;
    const ex = executor(broker, () => clock);
    const strict = run({
      strategyId: 's-strict',
      maxRejectionsInARow: 2,
      risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 500 }, maxOpenPositions: 10 },
    });
    try {
      for (let i = 0; i < 2; i++) {
        await signal('s-strict', clock - (clock % MIN) - MIN, 'enter_long');
        expect(await ex.step(strict)).toMatchObject({ kind: 'refused' });
        clock += MIN;
      }
    } finally {
      sim.setFaults({});
    }
    await signal('s-strict', clock - (clock % MIN) - MIN, 'enter_long');
    expect(await ex.step(strict)).toMatchObject({
      kind: 'paused',
      reason: word('step.pausedRefusals', { count: 2 }),
    });
    expect(alerts.at(-1)).toMatch(/^\[rejections-in-a-row\] s-strict ETH\/USDT: 2 refusals in a row/);
  });
});

describe('slippage alert', () => {
  it("raises an alert when a fill is worse than the strategy's limit against the decision price, and not otherwise", async () => {
    // The paper broker fills 10 bps worse than the price the decision was made at.
    const paper = new PaperBroker({
      db: t.db,
      accountId: 'slip',
      market: broker,
      feeRate: 0.001,
      slippageBps: 10,
      startBalances: { USDT: 10_000 },
    });
    const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
    const before = alerts.length;
    await signal('s-slip-ok', bar, 'enter_long', 'BNB/USDT');
    expect(
      await executor(paper).step(
        run({ strategyId: 's-slip-ok', symbol: 'DEMO:BNBUSDT', pair: 'BNB/USDT', mode: 'paper', maxSlippageBps: 50 }),
      ),
    ).toMatchObject({ kind: 'ordered' });
    expect(alerts.slice(before).filter((a) => a.startsWith('[slippage]'))).toEqual([]);
    await signal('s-slip-bad', bar, 'enter_long', 'BNB/USDT');
    expect(
      await executor(paper).step(
        run({ strategyId: 's-slip-bad', symbol: 'DEMO:BNBUSDT', pair: 'BNB/USDT', mode: 'paper', maxSlippageBps: 5 }),
      ),
    ).toMatchObject({ kind: 'ordered' });
    const slip = alerts.slice(before).filter((a) => a.startsWith('[slippage]'));
    expect(slip).toHaveLength(1);
    expect(slip[0]).toMatch(/s-slip-bad BNB\/USDT: buy filled 10 bps worse than the decision price .* \(limit 5 bps\)/);
  });
});

describe('risk across strategies', () => {
  it('counts open positions of every strategy in the mode against the maximum', async () => {
    const store = new ExecutionStore(t.db);
    const open = await store.openPositionCount('live');
    expect(open).toBeGreaterThanOrEqual(2); // the entries decided in the tests above
    const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
    await signal('s-limit', bar, 'enter_long', 'BNB/USDT');
    const out = await executor().step(
      run({
        strategyId: 's-limit',
        pair: 'BNB/USDT',
        symbol: 'DEMO:BNBUSDT',
        risk: { ...DEFAULT_RISK, maxOpenPositions: open },
      }),
    );
    expect(out).toMatchObject({ kind: 'refused', reason: word('order.maxPositions', { open, max: open }) });
  });
});

describe('protective stop', () => {
  it('sells when the price falls the stop % under the entry, alerts, and blocks re-entry until the strategy exits', async () => {
    // A paper-like broker on the simulator account whose price we steer.
    let price = 0;
    const steered: Broker = Object.assign(Object.create(broker) as Broker, { price: async () => price });
    const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
    await signal('s-stop', bar, 'enter_long', 'ETH/USDT');
    price = await broker.price('ETH/USDT');
    const ex = executor(steered);
    const r = run({
      strategyId: 's-stop',
      stopLossPct: 5,
      risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 300 }, maxOpenPositions: 100 },
    });
    expect((await ex.step(r)).kind).toBe('ordered');
    const entry = (await new ExecutionStore(t.db).orders.findOne({ strategyId: 's-stop', leg: 'enter' }))!;
    price = entry.avgPrice! * 0.97; // -3 %: above the stop
    expect((await ex.step(r)).kind).toBe('none');
    price = entry.avgPrice! * 0.94; // -6 %: the stop
    const stop = await ex.step(r);
    expect(stop).toMatchObject({ kind: 'ordered', order: { leg: 'stop', side: 'sell', status: 'filled' } });
    expect(alerts.at(-1)).toMatch(/s-stop ETH\/USDT: protective stop/);
    expect(await new ExecutionStore(t.db).position('live', 's-stop', 'ETH/USDT')).toBeLessThan(0.0001); // what is left is lot-size dust
    // The same entry signal (still in the window) does not buy again.
    expect(await ex.step(r)).toMatchObject({ kind: 'none' });
    expect(await new ExecutionStore(t.db).orders.countDocuments({ strategyId: 's-stop' })).toBe(2);
  });
});

describe('rate limiting', () => {
  it('raises one alert when the exchange rate-limits the order, retries within bounds and never sends blind', async () => {
    const tight = new BinanceSimulator({
      market: new SyntheticMarket(demoAssets(Date.now()), 4),
      apiKeys: { k: 's' },
      balances: { USDT: 10_000 },
      weightLimit: 42,
    }); // markets 20 + ticker 2 + account 20: the order itself is over the limit
    const url = await tight.start();
    try {
      const b = new CcxtBroker(
        createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey: 'k', secret: 's', timeoutMs: 2000 }),
      );
      const bar = Math.floor(Date.now() / MIN) * MIN - MIN;
      await signal('s-rate', bar, 'enter_long', 'BNB/USDT');
      const before = alerts.length;
      const out = await executor(b).step(
        run({
          strategyId: 's-rate',
          pair: 'BNB/USDT',
          symbol: 'DEMO:BNBUSDT',
          risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 100 }, maxOpenPositions: 100 },
        }),
      );
      expect(['ordered', 'none', 'refused']).toContain(out.kind);
      const rateAlerts = alerts.slice(before).filter((a) => /rate-limiting/.test(a));
      expect(rateAlerts.length).toBe(1);
      expect(tight.stats.rejected429).toBeGreaterThan(0);
      // Whatever happened, the exchange holds at most one order for this signal.
      const id = clientOrderIdOf('live', 's-rate', 'BNB/USDT', '1m', bar, 'enter');
      const order = await new ExecutionStore(t.db).orders.findOne({ _id: id });
      if (order) expect(['filled', 'unknown', 'intent']).toContain(order.status);
      expect(tight.stats.byEndpoint['POST /api/v3/order'] ?? 0).toBeLessThanOrEqual(1);
    } finally {
      await tight.stop();
    }
  });
});

describe('a refused entry', () => {
  it('leaves the strategy flat: the next entry signal is acted on', async () => {
    let clock = Math.floor(Date.now() / MIN) * MIN - 20 * MIN + 5_000;
    const ex = executor(broker, () => clock);
    const r = (stake: number) =>
      run({
        strategyId: 's-flat',
        pair: 'SOL/USDT',
        symbol: 'DEMO:SOLUSDT',
        risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: stake }, maxOpenPositions: 100 },
      });
    await signal('s-flat', clock - (clock % MIN) - MIN, 'enter_long', 'SOL/USDT');
    expect(await ex.step(r(1))).toMatchObject({
      kind: 'refused',
      reason: { code: 'order.belowMinimum' },
    });
    clock += MIN;
    await signal('s-flat', clock - (clock % MIN) - MIN, 'enter_long', 'SOL/USDT');
    expect(await ex.step(r(100))).toMatchObject({ kind: 'ordered' });
  });
});

describe('daily loss limit on a shared wallet', () => {
  it("does not count another strategy's entry as this strategy's loss", async () => {
    const paper = new PaperBroker({
      db: t.db,
      accountId: 'shared',
      market: broker,
      feeRate: 0.001,
      slippageBps: 2,
      startBalances: { USDT: 10_000 },
    });
    const base = Math.floor(Date.now() / MIN) * MIN - 5 * MIN;
    const shared = (strategyId: string, amount: number) =>
      run({
        strategyId,
        symbol: 'DEMO:BNBUSDT',
        pair: 'BNB/USDT',
        mode: 'paper',
        risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount }, maxOpenPositions: 10, maxDailyLossPct: 10 },
      });
    // Bar k is decided a few seconds after it closes.
    const at = (k: number) => executor(paper, () => base + (k + 1) * MIN + 5_000);
    // B's day starts with the wallet in cash: it enters and leaves.
    await signal('dl-b', base, 'enter_long', 'BNB/USDT');
    expect(await at(0).step(shared('dl-b', 500))).toMatchObject({ kind: 'ordered' });
    await signal('dl-b', base + MIN, 'exit_long', 'BNB/USDT');
    expect(await at(1).step(shared('dl-b', 500))).toMatchObject({ kind: 'ordered' });
    // A puts most of the wallet into a position: cash falls by 80 %, nobody lost anything.
    await signal('dl-a', base + 2 * MIN, 'enter_long', 'BNB/USDT');
    expect(await at(2).step(shared('dl-a', 8000))).toMatchObject({ kind: 'ordered' });
    await signal('dl-b', base + 3 * MIN, 'enter_long', 'BNB/USDT');
    expect(await at(3).step(shared('dl-b', 500))).toMatchObject({ kind: 'ordered' });
  });

  it('still stops a strategy after its own loss of the day', async () => {
    const paper = new PaperBroker({
      db: t.db,
      accountId: 'own-loss',
      market: broker,
      feeRate: 0.001,
      slippageBps: 10,
      startBalances: { USDT: 10_000 },
    });
    const base = Math.floor(Date.now() / MIN) * MIN - 5 * MIN;
    const at = (k: number) => executor(paper, () => base + (k + 1) * MIN + 5_000);
    // A round trip of 8,000 costs about 0.2 % of the wallet in fees and slippage: over a 0.1 % limit.
    const strict = () =>
      run({
        strategyId: 'dl-own',
        symbol: 'DEMO:BNBUSDT',
        pair: 'BNB/USDT',
        mode: 'paper',
        risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 8000 }, maxOpenPositions: 10, maxDailyLossPct: 0.1 },
      });
    await signal('dl-own', base, 'enter_long', 'BNB/USDT');
    expect(await at(0).step(strict())).toMatchObject({ kind: 'ordered' });
    await signal('dl-own', base + MIN, 'exit_long', 'BNB/USDT');
    expect(await at(1).step(strict())).toMatchObject({ kind: 'ordered' });
    await signal('dl-own', base + 2 * MIN, 'enter_long', 'BNB/USDT');
    expect(await at(2).step(strict())).toMatchObject({
      kind: 'refused',
      reason: { code: 'order.dailyLoss', params: { limitPct: 0.1 } },
    });
  });
});

describe('documents another program wrote against the contract', () => {
  const skips = new SignalSkips(t.db);
  const withSkips = (now?: () => number) =>
    new Executor({
      store: new ExecutionStore(t.db),
      signals: new SignalStore(t.db),
      broker: () => broker,
      log: createMemoryLogger(),
      send: noWait,
      skips,
      ...(now && { now }),
    });
  const raw = (doc: Record<string, unknown>) => t.db().collection('crypto_signals').insertOne(doc);
  const bar = () => Math.floor(Date.now() / MIN) * MIN - MIN;

  it("a pair that is not the symbol's is not traded: the step says why and the record lists it", async () => {
    const b = bar();
    await raw({
      ts: new Date(b),
      timeframe: '1m',
      symbol: 'DEMO:ETHUSDT',
      pair: 'BTC/USDT',
      strategy_id: 'x-pair',
      action: 'enter_long',
    });
    const out = await withSkips().step(run({ strategyId: 'x-pair', symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT' }));
    expect(out).toMatchObject({ kind: 'none', reason: { code: 'step.skipped', params: { count: 1 } } });
    expect(english((out as { reason: Wording }).reason)).toMatch(/pair BTC\/USDT does not match symbol DEMO:ETHUSDT/);
    expect(await t.db().collection('quantdesk_orders').countDocuments({ strategyId: 'x-pair' })).toBe(0);
    await until('recorded', async () => (await skips.of('x-pair', 'BTC/USDT', 5)).length === 1);
    expect((await skips.of('x-pair', 'BTC/USDT', 5))[0]).toMatchObject({
      timeframe: '1m',
      ts: new Date(b).toISOString(),
    });
  });

  it('a ts written as a string, found although no read by key can see it, is named as the reason', async () => {
    await raw({
      ts: new Date(bar()).toISOString(),
      timeframe: '1m',
      symbol: 'DEMO:ETHUSDT',
      pair: 'ETH/USDT',
      strategy_id: 'x-str',
      action: 'enter_long',
    });
    // The look runs beside the steps: the first says no signal, the ones after it say why.
    const first = await withSkips().step(run({ strategyId: 'x-str' }));
    expect(first).toMatchObject({ kind: 'none', reason: { code: 'decision.noSignal' } });
    let out = first;
    await until('named by a step', async () => {
      out = await withSkips().step(run({ strategyId: 'x-str' }));
      return out.kind === 'none' && out.reason.code === 'step.skipped';
    });
    expect(english((out as { reason: Wording }).reason)).toMatch(/ts must be a date, got the string/);
    await until('recorded', async () => (await skips.of('x-str', 'ETH/USDT', 5)).length === 1);
  });

  it('a ts in the future when written is refused, as our export refuses it, and not traded once its bar closes', async () => {
    const later = bar() + 5 * MIN; // minutes ahead of the write, whatever second of the minute it is
    await raw({
      ts: new Date(later),
      timeframe: '1m',
      symbol: 'DEMO:ETHUSDT',
      pair: 'ETH/USDT',
      strategy_id: 'x-future',
      action: 'enter_long',
    });
    // Two minutes on: the bar has closed and would be traded if the document counted.
    const out = await withSkips(() => later + MIN + 5000).step(run({ strategyId: 'x-future' }));
    expect(out).toMatchObject({ kind: 'none', reason: { code: 'step.skipped' } });
    expect(english((out as { reason: Wording }).reason)).toMatch(/was in the future when it was written/);
  });

  it('valid_until before ts is refused with the reason', async () => {
    const b = bar();
    await raw({
      ts: new Date(b),
      timeframe: '1m',
      symbol: 'DEMO:ETHUSDT',
      pair: 'ETH/USDT',
      strategy_id: 'x-valid',
      action: 'enter_long',
      valid_until: new Date(b - MIN),
    });
    const out = await withSkips().step(run({ strategyId: 'x-valid' }));
    expect(english((out as { reason: Wording }).reason)).toMatch(/valid_until .* is not after ts/);
  });
});
