import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badBarReason, coverageOf, findGaps } from './bars';
import { SymbolError, ccxtToExchange, exchangeToCcxt, parseSymbol, symbolExchange, toPair, toSymbol } from './symbols';
import { TIMEFRAME_MS, barCount, barOpen, fromDateKey, isAligned, lastClosedBarOpen, toDateKey } from './timeframes';

const MIN = 60_000;
const DAY = 86_400_000;

describe('symbols', () => {
  it('maps BINANCE:BTCUSDT <-> BTC/USDT and exchange ids <-> ccxt ids', () => {
    expect(toSymbol('binance', 'BTC/USDT')).toBe('BINANCE:BTCUSDT');
    expect(toPair('BINANCE:BTCUSDT')).toBe('BTC/USDT');
    expect(toPair('BINANCE:ETHFDUSD')).toBe('ETH/FDUSD');
    expect(toPair('BINANCE:1000SATSUSDT')).toBe('1000SATS/USDT');
    expect(exchangeToCcxt('BINANCE')).toBe('binance');
    expect(ccxtToExchange('okx')).toBe('OKX');
    expect(symbolExchange('OKX:BTCUSDT')).toBe('okx');
  });

  it('uses the exchange pair list when given, which settles ambiguous splits', () => {
    expect(toPair('BINANCE:BTCUSDT', ['ETH/USDT', 'BTC/USDT'])).toBe('BTC/USDT');
    expect(() => toPair('BINANCE:XYZUSDT', ['BTC/USDT'])).toThrow(/Unknown symbol/);
  });

  it('round-trips any well-formed pair (property)', () => {
    const asset = fc.stringMatching(/^[A-Z0-9]{1,8}$/);
    fc.assert(
      fc.property(asset, fc.constantFrom('USDT', 'USDC', 'BTC', 'EUR'), (base, quote) => {
        const symbol = toSymbol('binance', `${base}/${quote}`);
        expect(toPair(symbol, [`${base}/${quote}`])).toBe(`${base}/${quote}`);
      }),
    );
  });

  it.each(['btc/usdt', 'BTCUSDT', 'BTC/', '/USDT', 'BTC-USDT', 'BTC/USDT/X', ''])(
    'rejects the malformed pair %j',
    (pair) => {
      expect(() => toSymbol('binance', pair)).toThrow(SymbolError);
    },
  );

  it.each(['BTCUSDT', 'binance:BTCUSDT', 'BINANCE:', 'BINANCE:BTC/USDT', 'B:BTCUSDT'])(
    'rejects the malformed symbol %j',
    (symbol) => {
      expect(() => parseSymbol(symbol)).toThrow(SymbolError);
    },
  );
});

describe('timeframes (UTC)', () => {
  it('aligns to the bar open and finds the last closed bar', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    expect(barOpen(t, '1m')).toBe(Date.UTC(2026, 0, 2, 3, 4));
    expect(barOpen(t, '1d')).toBe(Date.UTC(2026, 0, 2));
    expect(lastClosedBarOpen(t, '1m')).toBe(Date.UTC(2026, 0, 2, 3, 3));
    expect(lastClosedBarOpen(Date.UTC(2026, 0, 2), '1d')).toBe(Date.UTC(2026, 0, 1));
    expect(isAligned(Date.UTC(2026, 0, 2, 3, 4), '1m')).toBe(true);
    expect(isAligned(Date.UTC(2026, 0, 2, 3, 4, 1), '1m')).toBe(false);
  });

  it('converts UTC days to YYYYMMDD and back, refusing impossible dates', () => {
    expect(toDateKey(Date.UTC(2024, 1, 29, 23, 59))).toBe('20240229');
    expect(fromDateKey('20240229')).toBe(Date.UTC(2024, 1, 29));
    expect(() => fromDateKey('20230229')).toThrow(/no such day/);
    expect(() => fromDateKey('2023-02-01')).toThrow(/YYYYMMDD/);
  });

  it('counts bars inclusively: a year of minutes is 525,600 bars', () => {
    expect(barCount(Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1) - MIN, '1m')).toBe(525_600);
    expect(barCount(5 * DAY, 4 * DAY, '1d')).toBe(0);
    expect(TIMEFRAME_MS['1d']).toBe(DAY);
  });
});

describe('bars', () => {
  it('names what is wrong with a bad bar', () => {
    expect(badBarReason(0, '1m', 1, 2, 0.5, 1.5, 10)).toBeNull();
    expect(badBarReason(1, '1m', 1, 2, 0.5, 1.5, 10)).toMatch(/boundary/);
    expect(badBarReason(0, '1m', Number.NaN, 2, 0.5, 1.5, 10)).toMatch(/open is not a number/);
    expect(badBarReason(0, '1m', -1, 2, 0.5, 1.5, 10)).toMatch(/positive/);
    expect(badBarReason(0, '1m', 1, 0.5, 2, 1, 10)).toMatch(/high 0.5 is below low 2/);
    expect(badBarReason(0, '1m', 3, 2, 0.5, 1, 10)).toMatch(/outside/);
    expect(badBarReason(0, '1m', 1, 2, 0.5, 1.5, -1)).toMatch(/volume/);
  });

  it('finds gaps inside, before and after the present bars', () => {
    const times = [2, 3, 6, 7].map((i) => i * MIN);
    expect(findGaps(times, '1m', 0, 9 * MIN)).toEqual([
      { from: 0, to: MIN, bars: 2 },
      { from: 4 * MIN, to: 5 * MIN, bars: 2 },
      { from: 8 * MIN, to: 9 * MIN, bars: 2 },
    ]);
    expect(findGaps([], '1d', 0, 2 * DAY)).toEqual([{ from: 0, to: 2 * DAY, bars: 3 }]);
    expect(coverageOf(times, '1m')).toEqual({
      first: 2 * MIN,
      last: 7 * MIN,
      bars: 4,
      expected: 6,
      gaps: [{ from: 4 * MIN, to: 5 * MIN, bars: 2 }],
    });
  });

  it('present bars plus gap bars always equal the expected count (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 250 }),
        fc.integer({ min: 250, max: 600 }),
        (idx, lo, hi) => {
          const times = [...idx].sort((a, b) => a - b).map((i) => i * MIN);
          const gaps = findGaps(times, '1m', lo * MIN, hi * MIN);
          const present = times.filter((t) => t >= lo * MIN && t <= hi * MIN).length;
          expect(present + gaps.reduce((n, g) => n + g.bars, 0)).toBe(hi - lo + 1);
          for (const g of gaps) expect(times.some((t) => t >= g.from && t <= g.to)).toBe(false);
        },
      ),
    );
  });
});
