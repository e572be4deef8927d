// Signal retention: how long crypto_signals keeps a signal after its bar (the trader's
// setting; null keeps them all). Where the server has the TTL index (MongoDB), the index's
// lifetime is set to it; elsewhere (FerretDB v1, the bundled engine) the same expiry is done
// by hand, in batches, so that neither a large backlog nor a slow server makes one huge delete.
import type { Db } from 'mongodb';
import { COLLECTIONS, INDEXES } from '../../core/db/collections';

const DAY_MS = 86_400_000;
/** Documents removed per delete: small enough for any server, large enough to be quick. */
export const EXPIRY_BATCH = 10_000;
/** A TTL index cannot be switched off in place: "keep" is the longest lifetime MongoDB takes (68 years). */
const KEEP_TTL_SECONDS = 2_147_483_647;
const TTL_INDEX = INDEXES.find((i) => i.collection === COLLECTIONS.signals && i.expireAfterSeconds !== undefined)!;

export interface ExpiryRun {
  at: string;
  retentionDays: number | null;
  removed: number;
  batches: number;
  ms: number;
}

/** The moment before which signals have outlived the retention, or null when every signal is kept. */
export function expiryCutoff(now: number, retentionDays: number | null): number | null {
  return retentionDays === null ? null : now - retentionDays * DAY_MS;
}

/**
 * Times from 2001-09-09 on (ms with 13 digits): a range bounded on both sides within them is
 * one the bundled engine answers from its index, where a one-sided one reads every document.
 */
const INDEXED_SPAN_FROM = 1e12;

/** Deletes, in batches, the documents of `collection` whose `field` is before `cutoff`; returns how many and in how many batches. */
async function deleteBefore(
  db: Db,
  collection: string,
  field: string,
  cutoff: number,
): Promise<{ removed: number; batches: number }> {
  const coll = db.collection(collection);
  let removed = 0;
  let batches = 0;
  // nearly everything due lies in the first span; the second (older times) is usually empty
  const spans =
    cutoff > INDEXED_SPAN_FROM
      ? [{ $gte: new Date(INDEXED_SPAN_FROM), $lt: new Date(cutoff) }, { $lt: new Date(INDEXED_SPAN_FROM) }]
      : [{ $lt: new Date(cutoff) }];
  for (const span of spans) {
    for (;;) {
      const ids = (
        await coll
          .find({ [field]: span }, { projection: { _id: 1 } })
          .limit(EXPIRY_BATCH)
          .toArray()
      ).map((d) => d._id);
      if (ids.length === 0) break;
      removed += (await coll.deleteMany({ _id: { $in: ids } })).deletedCount;
      batches += 1;
    }
  }
  return { removed, batches };
}

/** Removes the signals past the retention by `now` (by hand, for servers without a TTL index). */
export async function expireSignals(db: Db, now: number, retentionDays: number | null): Promise<ExpiryRun> {
  const t0 = performance.now();
  const cutoff = expiryCutoff(now, retentionDays);
  const { removed, batches } =
    cutoff === null ? { removed: 0, batches: 0 } : await deleteBefore(db, COLLECTIONS.signals, 'ts', cutoff);
  return { at: new Date(now).toISOString(), retentionDays, removed, batches, ms: Math.round(performance.now() - t0) };
}

/** Sets the TTL index's lifetime to the retention (servers with TTL indexes); returns whether it changed. */
export async function applyRetentionToTtlIndex(db: Db, retentionDays: number | null): Promise<boolean> {
  const seconds = retentionDays === null ? KEEP_TTL_SECONDS : retentionDays * 86_400;
  const index = (await db.collection(COLLECTIONS.signals).indexes()).find((i) => i.name === TTL_INDEX.name);
  if (!index || index.expireAfterSeconds === seconds) return false;
  await db.command({ collMod: COLLECTIONS.signals, index: { name: TTL_INDEX.name, expireAfterSeconds: seconds } });
  return true;
}

/**
 * The records beside the signals keep the signals' lifetime, on every server: the export
 * attempts log (for the success-rate chart) and the skipped documents not seen since.
 */
export async function expireSignalRecords(db: Db, now: number, retentionDays: number | null): Promise<number> {
  const cutoff = expiryCutoff(now, retentionDays);
  if (cutoff === null) return 0;
  const log = await deleteBefore(db, COLLECTIONS.exportLog, 'at', cutoff);
  const skips = await deleteBefore(db, COLLECTIONS.signalSkips, 'lastSeen', cutoff);
  return log.removed + skips.removed;
}
