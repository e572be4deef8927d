// On the real database server: only signals past the retention go, in batches, and "keep"
// keeps them all; on a server with TTL indexes the index's lifetime follows the setting.
import { describe, expect, it } from 'vitest';
import { COLLECTIONS, DEFAULT_SIGNAL_RETENTION_DAYS, SIGNAL_TTL_SECONDS } from '../../core/db/collections';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { useTestDb } from '../../test/testDb';
import { SignalStore } from './signalStore';

import { ensureSchema } from '../database/schemaSetup';
import { EXPIRY_BATCH, applyRetentionToTtlIndex, expireSignalRecords, expireSignals } from './signalExpiry';

const t = useTestDb('expiry');
const MIN = 60_000;
const DAY = 86_400_000;
const row = (ts: number, strategy = 'exp') => ({
  ts: new Date(ts),
  timeframe: '1m' as const,
  symbol: 'DEMO:BTCUSDT',
  pair: 'BTC/USDT',
  strategy_id: strategy,
  action: 'enter_long' as const,
});
const audit = { exportedBy: 'test', strategyVersion: null, runId: null };

describe('signal retention', () => {
  it('removes exactly the signals older than the retention and keeps the rest', async () => {
    const now = Math.floor(Date.now() / MIN) * MIN;
    const edge = now - SIGNAL_TTL_SECONDS * 1000;
    await new SignalStore(t.db).export(
      [row(edge - 2 * MIN), row(edge - MIN), row(edge), row(edge + MIN), row(now - MIN)],
      audit,
    );
    expect(await expireSignals(t.db(), now, DEFAULT_SIGNAL_RETENTION_DAYS)).toMatchObject({
      removed: 2,
      batches: 1,
      retentionDays: 30,
    });
    const left = await t.db().collection(COLLECTIONS.signals).find({ strategy_id: 'exp' }).sort({ ts: 1 }).toArray();
    expect(left.map((d) => (d.ts as Date).getTime())).toEqual([edge, edge + MIN, now - MIN]);
    expect((await expireSignals(t.db(), now, DEFAULT_SIGNAL_RETENTION_DAYS)).removed).toBe(0);
  });

  it('works through a backlog larger than one batch, and keeps everything when set to keep', async () => {
    const now = Math.floor(Date.now() / MIN) * MIN;
    // a backlog of more than a batch, and a few from before 2001 (1999) and before 1970
    const old = [
      ...Array.from({ length: EXPIRY_BATCH + 2_500 }, (_, i) => ({ ...row(now - 10 * DAY - i * MIN, 'backlog') })),
      row(Date.UTC(1999, 0, 1), 'backlog'),
      row(-DAY, 'backlog'),
    ];
    for (let i = 0; i < old.length; i += 5000)
      await t
        .db()
        .collection(COLLECTIONS.signals)
        .insertMany(old.slice(i, i + 5000));
    expect((await expireSignals(t.db(), now, null)).removed).toBe(0);
    expect(await t.db().collection(COLLECTIONS.signals).countDocuments({ strategy_id: 'backlog' })).toBe(old.length);
    const due = await t
      .db()
      .collection(COLLECTIONS.signals)
      .countDocuments({ ts: { $lt: new Date(now - 7 * DAY) } });
    expect(due).toBeGreaterThanOrEqual(old.length);
    const run = await expireSignals(t.db(), now, 7);
    expect(run).toMatchObject({ removed: due, batches: 3, retentionDays: 7 });
    expect(await t.db().collection(COLLECTIONS.signals).countDocuments({ strategy_id: 'backlog' })).toBe(0);
  });

  it('expires the export log and the skipped-document records with the same lifetime', async () => {
    const now = Date.now();
    const old = new Date(now - SIGNAL_TTL_SECONDS * 1000 - 1);
    const log = t.db().collection(COLLECTIONS.exportLog);
    await log.insertMany([
      { at: old, ok: true },
      { at: new Date(now - 1000), ok: false },
    ]);
    const skips = t.db().collection<{ _id: string; lastSeen: Date }>(COLLECTIONS.signalSkips);
    await skips.insertMany([
      { _id: 'gone', lastSeen: old },
      { _id: 'seen-lately', lastSeen: new Date(now - 1000) },
    ]);
    expect(await expireSignalRecords(t.db(), now, null)).toBe(0);
    expect(await expireSignalRecords(t.db(), now, DEFAULT_SIGNAL_RETENTION_DAYS)).toBe(2);
    expect(await log.countDocuments({ at: new Date(now - 1000) })).toBe(1);
    expect((await skips.find({}).toArray()).map((d) => d._id)).toEqual(['seen-lately']);
  });

  it('sets the TTL index lifetime where the server has one, and the schema check still accepts it', async () => {
    const report = await ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true });
    if (report.ttlIndex === 'unsupported') {
      expect(await applyRetentionToTtlIndex(t.db(), 7)).toBe(false);
      return;
    }
    expect(await applyRetentionToTtlIndex(t.db(), 7)).toBe(true);
    expect(
      (await t.db().collection(COLLECTIONS.signals).indexes()).find((i) => i.name === 'ts_ttl')?.expireAfterSeconds,
    ).toBe(7 * 86_400);
    expect(await applyRetentionToTtlIndex(t.db(), 7)).toBe(false);
    await expect(ensureSchema(t.db(), createMemoryLogger(), undefined, { quiet: true })).resolves.toMatchObject({
      ttlIndex: 'created',
    });
  });
});
