// The perpetual-data importer with real parts: ccxt's binance futures client against the
// simulator's USDⓈ-M endpoints, the real store on the test database server. What it stores is
// checked row for row against the seeded perpetual the simulator serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { BINANCE } from '../../core/exchange/venues';
import { FUNDING_LOOKBACK_MS } from '../../core/market/derivatives';
import { TIMEFRAME_MS, barOpen } from '../../core/market/timeframes';
import { PerpetualMarket } from '../../core/simulation/perpetualMarket';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { useTestDb } from '../../test/testDb';
import { ensureSchema } from '../database/schemaSetup';
import { createExchangeClient } from '../exchange/ccxtFactory';
import { BinanceSimulator } from '../exchange/simulator/binanceSimulator';
import { DerivativesStore } from './derivativesStore';
import { ImportCancelled } from './ohlcvImporter';
import { NoPerpetual, fundingWindows, importDerivatives, type DerivativesProgress } from './derivativesImporter';

const MIN = TIMEFRAME_MS['1m'];
const H8 = 8 * 3_600_000;
const NOW = Date.UTC(2026, 6, 10, 12, 0, 30);
const t = useTestDb('perp');
const market = new SyntheticMarket(demoAssets(NOW), 3);
const perps = new PerpetualMarket(market, 3);
const sim = new BinanceSimulator({ market, perpetuals: perps, now: () => NOW });
let store: DerivativesStore;

beforeAll(async () => {
  await sim.start();
  await ensureSchema(t.db(), createMemoryLogger());
  store = new DerivativesStore(t.db());
});
afterAll(() => sim.stop());

const futures = BINANCE.futures!;
const deps = (extra: Partial<Parameters<typeof importDerivatives>[1]> = {}) => ({
  exchange: createExchangeClient({ exchangeId: 'binance', apiBaseUrl: sim.url, marketType: 'future' }),
  store,
  log: createMemoryLogger(),
  futures,
  now: () => NOW,
  ...extra,
});

describe('fundingWindows', () => {
  it('asks only for what may be missing: the whole range, the ends, and holes wider than the interval', () => {
    expect(fundingWindows([], 0, 100)).toEqual([[0, 100]]);
    expect(fundingWindows([], 100, 0)).toEqual([]);
    const stored = [H8, 2 * H8, 3 * H8, 5 * H8];
    expect(fundingWindows(stored, 0, 6 * H8)).toEqual([
      [0, H8 - 1],
      [3 * H8 + 1, 5 * H8 - 1],
      [5 * H8 + 1, 6 * H8],
    ]);
    // Complete and current: nothing to ask.
    expect(fundingWindows(stored.slice(0, 3), H8, 3 * H8 + H8 - 1)).toEqual([]);
  });
});

describe('importDerivatives', () => {
  const from = NOW - 3 * 86_400_000;

  it('imports funding and the last, mark and index bars of a range as the exchange serves them; twice writes nothing', async () => {
    const progress: DerivativesProgress[] = [];
    const first = await importDerivatives(
      { symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT', timeframe: '1m', from },
      deps({ onProgress: (p) => progress.push(p) }),
    );
    const lastClosed = barOpen(NOW, '1m') - MIN;
    const bars = (lastClosed - barOpen(from, '1m')) / MIN + 1;
    // Funding from a month before the range: the warm-up of the factors' rolling statistics.
    const settlements = perps.fundingHistory('BTC/USDT', barOpen(from, '1m') - FUNDING_LOOKBACK_MS, NOW);
    expect(settlements.length).toBe(99);
    expect(first.stored).toEqual({ funding: 99, last: bars, mark: bars, index: bars });
    expect(first.rejected).toBe(0);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.expected);
    expect(new Set(progress.map((p) => p.stage))).toEqual(new Set(['funding', 'last', 'mark', 'index']));

    // Row for row what the simulator's perpetual holds.
    const funding = await store.readFunding('DEMO:BTCUSDT', 0, NOW);
    expect(Array.from(funding.time)).toEqual(settlements.map((s) => s.time));
    expect(Array.from(funding.value)).toEqual(settlements.map((s) => Number(s.rate.toFixed(8))));
    for (const kind of ['last', 'mark', 'index'] as const) {
      const closes = await store.readPerpCloses('DEMO:BTCUSDT', '1m', kind, barOpen(from, '1m'), NOW);
      expect(closes.time.length).toBe(bars);
      for (const i of [0, 1234, bars - 1]) {
        const expected = perps.minute(kind, 'BTC/USDT', closes.time[i]!)![4];
        expect(closes.value[i]).toBeCloseTo(expected, 6);
      }
    }
    // Stored as the contract stores values: doubles, UTC dates, symbol with the market type.
    const doc = await t.db().collection('crypto_funding').findOne({ symbol: 'DEMO:BTCUSDT' });
    expect(doc).toMatchObject({ market_type: 'perp' });
    expect(doc!.ts).toBeInstanceOf(Date);

    const count = async () =>
      Promise.all(['crypto_funding', 'crypto_perp_market_1m'].map((c) => t.db().collection(c).countDocuments()));
    const before = await count();
    const again = await importDerivatives({ symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT', timeframe: '1m', from }, deps());
    expect(again.stored).toEqual({ funding: 0, last: 0, mark: 0, index: 0 });
    // Nothing is fetched that is stored: only the market load.
    expect(again.requests).toBe(1);
    expect(await count()).toEqual(before);
  });

  it('finds and fills holes: a missing settlement and a run of missing mark bars', async () => {
    const hole = settlementNear(from + 86_400_000);
    await t
      .db()
      .collection('crypto_funding')
      .deleteOne({ symbol: 'DEMO:BTCUSDT', ts: new Date(hole) });
    const holeFrom = barOpen(from, '1m') + 500 * MIN;
    const removed = await t
      .db()
      .collection('crypto_perp_market_1m')
      .deleteMany({
        symbol: 'DEMO:BTCUSDT',
        price: 'mark',
        datetime: { $gte: new Date(holeFrom), $lt: new Date(holeFrom + 40 * MIN) },
      });
    expect(removed.deletedCount).toBe(40);
    const r = await importDerivatives({ symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT', timeframe: '1m', from }, deps());
    expect(r.stored).toEqual({ funding: 1, last: 0, mark: 40, index: 0 });
  });

  it('imports daily perpetual bars into their own collection', async () => {
    const r = await importDerivatives(
      { symbol: 'DEMO:ETHUSDT', pair: 'ETH/USDT', timeframe: '1d', from: NOW - 20 * 86_400_000 },
      deps(),
    );
    expect(r.stored.last).toBe(20);
    const docs = await t
      .db()
      .collection('crypto_perp_market')
      .find({ symbol: 'DEMO:ETHUSDT', price: 'index' })
      .toArray();
    expect(docs.length).toBe(20);
    // keyed as crypto_market keys its days
    expect(docs[0]!.date).toMatch(/^\d{8}$/);
  });

  it('a pair the exchange has no perpetual for is refused with the reason, before anything is written', async () => {
    const err = await importDerivatives(
      { symbol: 'DEMO:XYZUSDT', pair: 'XYZ/USDT', timeframe: '1m', from },
      deps(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoPerpetual);
    expect((err as NoPerpetual).wording).toEqual({ code: 'perp.none', params: { pair: 'XYZ/USDT' } });
    expect(await t.db().collection('crypto_funding').countDocuments({ symbol: 'DEMO:XYZUSDT' })).toBe(0);
  });

  it('stops on cancel, and the next run fetches only what is still missing', async () => {
    const ac = new AbortController();
    const run = importDerivatives(
      { symbol: 'DEMO:SOLUSDT', pair: 'SOL/USDT', timeframe: '1m', from },
      deps({
        signal: ac.signal,
        onProgress: (p) => {
          if (p.stage === 'mark') ac.abort();
        },
      }),
    );
    await expect(run).rejects.toBeInstanceOf(ImportCancelled);
    const resumed = await importDerivatives(
      { symbol: 'DEMO:SOLUSDT', pair: 'SOL/USDT', timeframe: '1m', from },
      deps(),
    );
    expect(resumed.stored.funding).toBe(0);
    expect(resumed.stored.last).toBe(0);
    expect(resumed.stored.mark).toBeGreaterThan(0);
  });
});

describe('DerivativesStore', () => {
  it('refuses funding rates that are not numbers or beyond 10 % per interval, with the reason, and keeps the rest', async () => {
    const base = Date.UTC(2020, 0, 1);
    const r = await store.writeFunding('DEMO:BADUSDT', [
      { time: base, rate: 0.0001, markPrice: 100 },
      { time: base + H8, rate: Number.NaN, markPrice: null },
      { time: base + 2 * H8, rate: 0.5, markPrice: null },
      { time: Number.NaN, rate: 0.0001, markPrice: null },
    ]);
    expect(r.inserted).toBe(1);
    // Written again with another rate: kept as stored, and counted as changed.
    expect(await store.writeFunding('DEMO:BADUSDT', [{ time: base, rate: 0.0002, markPrice: null }])).toMatchObject({
      inserted: 0,
      existing: 1,
      changed: 1,
    });
    expect(Array.from((await store.readFunding('DEMO:BADUSDT', base, base)).value)).toEqual([0.0001]);
    expect(r.rejected).toEqual([
      '2020-01-01T08:00:00.000Z: funding rate is not a number',
      '2020-01-01T16:00:00.000Z: funding rate 0.5 is beyond 10 % per interval',
      'NaN: settlement time is not a number',
    ]);
  });

  it('refuses bad perpetual bars with the reason', async () => {
    const t0 = Date.UTC(2020, 0, 1);
    const r = await store.writePerpBars('DEMO:BADUSDT', '1m', 'mark', [
      [t0, 1, 2, 0.5, 1.5, 0],
      [t0 + MIN, 1, 0.5, 2, 1, 0],
      [t0 + 2 * MIN + 7, 1, 2, 0.5, 1.5, 0],
    ]);
    expect(r.inserted).toBe(1);
    expect(r.rejected).toEqual([
      '2020-01-01T00:01:00.000Z: high 0.5 is below low 2',
      '2020-01-01T00:02:00.007Z: time 2020-01-01T00:02:00.007Z is not on a 1m bar boundary',
    ]);
  });
});

function settlementNear(t: number): number {
  return Math.ceil(t / H8) * H8;
}
