// The TTL index's fallback: servers without TTL indexes (FerretDB v1, the bundled engine) get
// the same expiry by hand, so crypto_signals stays the size it would on MongoDB. Every read of
// that collection is a full scan on such a server; an unbounded one would slow the executor
// down bar after bar.
import type { Db } from 'mongodb';
import { COLLECTIONS, SIGNAL_TTL_SECONDS } from '../../core/db/collections';
import { EXPORT_LOG_COLLECTION } from '../signals/signalStore';

/** Deletes the signals the TTL index would have removed by `now`; returns how many. */
export async function expireSignals(db: Db, now: number): Promise<number> {
  const r = await db.collection(COLLECTIONS.signals).deleteMany({ ts: { $lt: new Date(now - SIGNAL_TTL_SECONDS * 1000) } });
  return r.deletedCount;
}

/** The export attempts log (for the success-rate chart) keeps the same lifetime as the signals, on every server. */
export async function expireExportLog(db: Db, now: number): Promise<number> {
  const r = await db.collection(EXPORT_LOG_COLLECTION).deleteMany({ at: { $lt: new Date(now - SIGNAL_TTL_SECONDS * 1000) } });
  return r.deletedCount;
}
