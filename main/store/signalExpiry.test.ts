// On the real database server: only signals past the TTL index's lifetime go.
import { describe, expect, it } from 'vitest';
import { SIGNAL_TTL_SECONDS } from '../../core/db/collections';
import { useTestDb } from '../../test/testDb';
import { SignalStore } from '../signals/signalStore';
import { EXPORT_LOG_COLLECTION } from '../signals/signalStore';
import { expireExportLog, expireSignals } from './signalExpiry';

const t = useTestDb('expiry');
const MIN = 60_000;

describe('signal expiry without a TTL index', () => {
  it('removes exactly the signals older than the TTL and keeps the rest', async () => {
    const now = Math.floor(Date.now() / MIN) * MIN;
    const edge = now - SIGNAL_TTL_SECONDS * 1000;
    const row = (ts: number) => ({ ts: new Date(ts), timeframe: '1m', symbol: 'DEMO:BTCUSDT', pair: 'BTC/USDT', strategy_id: 'exp', action: 'enter_long' });
    await new SignalStore(t.db).export([row(edge - 2 * MIN), row(edge - MIN), row(edge), row(edge + MIN), row(now - MIN)], { exportedBy: 'test', strategyVersion: null, runId: null });
    expect(await expireSignals(t.db(), now)).toBe(2);
    const left = await t.db().collection('crypto_signals').find({ strategy_id: 'exp' }).sort({ ts: 1 }).toArray();
    expect(left.map((d) => (d.ts as Date).getTime())).toEqual([edge, edge + MIN, now - MIN]);
    expect(await expireSignals(t.db(), now)).toBe(0);
  });

  it('expires the export log with the same lifetime', async () => {
    const now = Date.now();
    const log = t.db().collection(EXPORT_LOG_COLLECTION);
    await log.insertMany([{ at: new Date(now - SIGNAL_TTL_SECONDS * 1000 - 1), ok: true }, { at: new Date(now - 1000), ok: false }]);
    expect(await expireExportLog(t.db(), now)).toBe(1);
    expect(await log.countDocuments({ at: { $lt: new Date(now - SIGNAL_TTL_SECONDS * 1000) } })).toBe(0);
    expect(await log.countDocuments({ at: new Date(now - 1000) })).toBe(1);
  });
});
