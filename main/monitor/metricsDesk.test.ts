// The Monitor's metrics from the records the desk keeps, on the real database: export
// attempts (a refused batch counts as a failure), orders and refusals, fills' slippage,
// also against the signal bar's close, fees (a fee paid in the base asset counted in the quote)
// and signal-to-fill time.
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../test/testDb';
import { ExecutionStore } from '../execution/executionStore';
import type { FillDoc, OrderDoc } from '../../core/execution/orderRecords';
import { SignalStore } from '../signals/signalStore';
import { metricsHistory } from './metricsDesk';

const t = useTestDb('metrics');
const MIN = 60_000;

describe('metrics history', () => {
  it('buckets exports, refusals, slippage, fees and signal-to-fill time over the window', async () => {
    const now = Math.floor(Date.now() / MIN) * MIN;
    const bar = now - 2 * MIN;
    const signals = new SignalStore(t.db);
    await signals.export(
      [
        {
          ts: new Date(bar),
          timeframe: '1m',
          symbol: 'DEMO:ETHUSDT',
          pair: 'ETH/USDT',
          strategy_id: 'm1',
          action: 'enter_long',
        },
      ],
      { exportedBy: 'test', strategyVersion: null, runId: null },
    );
    await expect(
      signals.export(
        [
          {
            ts: new Date(bar),
            timeframe: '1m',
            symbol: 'DEMO:ETHUSDT',
            pair: 'BTC/USDT',
            strategy_id: 'm1',
            action: 'enter_long',
          },
        ],
        { exportedBy: 'test', strategyVersion: null, runId: null },
      ),
    ).rejects.toThrow(/Nothing written/);

    const store = new ExecutionStore(t.db);
    const order = (id: string, status: OrderDoc['status']): OrderDoc => ({
      _id: id,
      strategyId: 'm1',
      pair: 'ETH/USDT',
      symbol: 'DEMO:ETHUSDT',
      timeframe: '1m',
      mode: 'paper',
      leg: 'enter',
      side: 'buy',
      amount: 1,
      status,
      signalTs: new Date(bar),
      signalVersion: null,
      exchangeOrderId: null,
      filled: 0,
      avgPrice: null,
      checks: 0,
      createdAt: new Date(now - MIN / 2),
      updatedAt: new Date(now),
      refPrice: 100,
      reason: null,
    });
    for (const [i, st] of (['filled', 'filled', 'filled', 'rejected'] as const).entries())
      await store.writeIntent(order(`o${i}`, st));
    const fill = (
      id: string,
      slippageBps: number,
      fee: number,
      feeCurrency: string,
      signalSlippageBps?: number | null,
    ): FillDoc => ({
      _id: id,
      clientOrderId: 'o0',
      strategyId: 'm1',
      pair: 'ETH/USDT',
      mode: 'paper',
      side: 'buy',
      amount: 1,
      price: 100,
      fee,
      feeCurrency,
      time: new Date(now - MIN / 2),
      signalTs: new Date(bar),
      slippageBps,
      signalToFillMs: 90_000,
      note: null,
      ...(signalSlippageBps !== undefined && { signalSlippageBps }),
    });
    // Against the signal bar's close: one fill knows it, one has it unknown, one predates it (left out, not read as 0).
    await store.addFills([fill('f1', 2, 0.1, 'USDT', 12), fill('f2', 8, 0.001, 'ETH', null), fill('f3', 5, 0, 'USDT')]);

    const m = await metricsHistory(t.db(), 1, Date.now() + 1000);
    expect(m.bucketMs).toBe(MIN);
    expect(m.time.length).toBeGreaterThanOrEqual(60);
    expect(m.totals).toEqual({
      exports: 2,
      exportFailures: 1,
      orders: 4,
      rejected: 1,
      fills: 3,
      fees: expect.closeTo(0.2, 10),
    });
    const last = m.time.indexOf(now - MIN);
    expect(m.rejectionPct[last]).toBe(25);
    expect(m.slippageMeanBps[last]).toBe(5);
    expect(m.slippageMaxBps[last]).toBe(8);
    expect(m.signalSlippageMeanBps[last]).toBe(12);
    expect(m.signalToFillP50Sec[last]).toBe(90);
    expect(m.exportSuccessPct.filter((x) => x !== null)).toEqual([50]);
    // Quiet buckets stay empty rather than reading as perfect.
    expect(m.rejectionPct[0]).toBeNull();
  });
});
