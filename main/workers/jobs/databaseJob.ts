// The database maintenance worker: creates the data contract's collections and indexes
// (with progress), then keeps watch, reporting document counts as its heartbeat. Losing the
// server ends the job with an error, so the supervisor restarts it (with backoff) and the
// schema is ensured again once the server is back. It applies the signal retention: the TTL
// index's lifetime where the server has one, an hourly expiry in batches where it has not.
import { boundedDb, createMongoClient } from '../../database/mongoConnection';
import { z } from 'zod';
import { CONTRACT_COLLECTIONS, DEFAULT_SIGNAL_RETENTION_DAYS } from '../../../core/db/collections';
import { ensureSchema } from '../../database/schemaSetup';
import {
  applyRetentionToTtlIndex,
  expireSignalRecords,
  expireSignals,
  type ExpiryRun,
} from '../../signals/signalExpiry';
import type { Job } from '../workerContext';

const Params = z.object({
  uri: z.string().min(1),
  dbName: z.string().min(1),
  intervalMs: z.number().int().positive().default(2000),
  /** Days a signal is kept; null keeps them all. */
  signalRetentionDays: z.number().int().positive().nullable().default(DEFAULT_SIGNAL_RETENTION_DAYS),
});

const COUNT_EVERY_MS = 60_000;

/** Waits `ms`, or less if the worker is asked to stop. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export const databaseJob: Job = async (raw, ctx) => {
  const params = Params.parse(raw);
  const client = createMongoClient(params.uri, 'quantdesk-worker-database');
  try {
    await client.connect();
    const db = boundedDb(client.db(params.dbName));
    const schema = await ensureSchema(db, ctx.log, (done, total, label) => ctx.progress(done, total, label));
    const retention = params.signalRetentionDays;
    const base = {
      ttlIndex: schema.ttlIndex,
      indexesCreated: schema.created.length,
      indexesExisting: schema.existing.length,
      signalRetentionDays: retention ?? 'keep',
    };
    if (schema.ttlIndex === 'created' && (await applyRetentionToTtlIndex(db, retention)))
      ctx.log.info('signal lifetime of the TTL index set to the retention', { days: retention });
    ctx.idle(base);
    // Hourly: the export log and the skipped-document records expire; with no TTL index on this server, signals too. Each run's
    // result (or its failure, which does not stop the worker) is in the heartbeat for the Monitor.
    let lastRun: ExpiryRun | null = null;
    let lastError: string | null = null;
    let lastExpiry = 0;
    // Document counts for the Overview: once a minute is plenty, and on a server without a
    // count of its own each count reads the whole collection.
    const counts: Record<string, number> = {};
    let countedAt = 0;
    while (!ctx.signal.aborted) {
      if (Date.now() - lastExpiry > 3_600_000) {
        lastExpiry = Date.now();
        try {
          await expireSignalRecords(db, lastExpiry, retention);
          if (schema.ttlIndex === 'unsupported') {
            lastRun = await expireSignals(db, lastExpiry, retention);
            if (lastRun.removed) ctx.log.info('signals past their retention removed', { ...lastRun });
          }
          lastError = null;
        } catch (err) {
          lastError = (err as Error).message;
          ctx.log.warn('signal expiry failed; tried again next hour', { message: lastError });
        }
      }
      await sleep(params.intervalMs, ctx.signal);
      if (ctx.signal.aborted) break;
      const detail: Record<string, number | string> = { ...base };
      if (lastRun)
        Object.assign(detail, {
          expiryLastAt: lastRun.at,
          expiryLastRemoved: lastRun.removed,
          expiryLastMs: lastRun.ms,
        });
      if (lastError) detail.expiryLastError = lastError;
      if (Date.now() - countedAt > COUNT_EVERY_MS) {
        countedAt = Date.now();
        for (const name of CONTRACT_COLLECTIONS) counts[name] = await db.collection(name).estimatedDocumentCount();
      }
      ctx.heartbeat({ ...detail, ...counts });
    }
    return base;
  } finally {
    await client.close().catch(() => undefined);
  }
};
