// Replay of stored bars through the simulator and the real ccxt client: what the database
// holds is what the exchange serves, up to the replay clock and no further.
import { afterAll, describe, expect, it } from 'vitest';
import type { OhlcvTuple } from '../../core/market/bars';
import { createSimClock } from '../../core/simulation/simClock';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { MarketStore } from './marketStore';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { loadReplayMarket } from './replayFromStore';

const t = useTestDb('replay');
const DAY0 = Date.UTC(2026, 2, 1);
let sim: BinanceSimulator | null = null;
afterAll(() => sim?.stop());

describe('replaying stored bars', () => {
  it('serves exactly the stored bars up to the accelerated clock, and fills orders at the replayed price', async () => {
    const store = new MarketStore(t.db());
    const source = new SyntheticMarket(demoAssets(DAY0 + 10 * 86_400_000), 11);
    const stored: OhlcvTuple[] = source.minutes('ETH/USDT', DAY0, DAY0 + 1439 * 60_000, 1440);
    await store.writeBars('BINANCE:ETHUSDT', '1m', stored);

    const market = await loadReplayMarket(store, ['BINANCE:ETHUSDT'], DAY0, DAY0 + 86_400_000);
    let wall = Date.now();
    const clock = createSimClock({ start: DAY0 + 120 * 60_000 + 30_000, speed: 600, wall: () => wall });
    sim = new BinanceSimulator({ market, now: () => clock.now(), apiKeys: { k: 's' }, balances: { USDT: 1_000 } });
    const ex = createExchangeClient({ exchangeId: 'binance', apiBaseUrl: await sim.start(), apiKey: 'k', secret: 's' });

    const served = await ex.fetchOHLCV('ETH/USDT', '1m', DAY0, 1000);
    // Bars up to the clock's forming minute (index 120), nothing after it.
    expect(served).toHaveLength(121);
    expect(served.slice(0, 120)).toEqual(stored.slice(0, 120).map((b) => b.map((x) => Number(x.toFixed(8)))));

    wall += 6_000; // one wall second = ten replayed minutes at 600x
    const later = await ex.fetchOHLCV('ETH/USDT', '1m', DAY0, 1000);
    expect(later).toHaveLength(181);

    const order = await ex.createOrder('ETH/USDT', 'market', 'buy', 0.1);
    expect(order.status).toBe('closed');
    // 30 s into minute 180: halfway from its open to its close (to the price tick).
    const [, open180, , , close180] = stored[180]!;
    expect(order.average).toBeCloseTo(open180 + (close180 - open180) / 2, 1);
  });

  it('explains what it cannot replay', async () => {
    const store = new MarketStore(t.db());
    await expect(loadReplayMarket(store, ['BINANCE:SOLUSDT'], DAY0, DAY0 + 86_400_000)).rejects.toThrow(
      /No stored 1m bars for BINANCE:SOLUSDT/,
    );
    await expect(loadReplayMarket(store, [], DAY0, DAY0 + 1)).rejects.toThrow(/at least one/);
    await expect(loadReplayMarket(store, ['BINANCE:ETHUSDT'], DAY0, DAY0)).rejects.toThrow(/range is empty/);
  });
});
