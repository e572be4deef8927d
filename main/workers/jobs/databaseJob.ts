// The database maintenance worker: creates the data contract's collections and indexes
// (with progress), then keeps watch, reporting document counts as its heartbeat. Losing the
// server ends the job with an error, so the supervisor restarts it (with backoff) and the
// schema is ensured again once the server is back. Where the server has no TTL index, it
// expires old signals by hand.
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { COLLECTIONS } from '../../../core/db/collections';
import { ensureSchema } from '../../store/schemaSetup';
import { expireExportLog, expireSignals } from '../../store/signalExpiry';
import type { Job } from '../workerContext';

const Params = z.object({ uri: z.string().min(1), dbName: z.string().min(1), intervalMs: z.number().int().positive().default(2000) });

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
  const client = new MongoClient(params.uri, { serverSelectionTimeoutMS: 3000, appName: 'quantdesk-worker-database' });
  try {
    await client.connect();
    const db = client.db(params.dbName);
    const schema = await ensureSchema(db, ctx.log, (done, total, label) => ctx.progress(done, total, label));
    const base = { ttlIndex: schema.ttlIndex, indexesCreated: schema.created.length, indexesExisting: schema.existing.length };
    ctx.idle(base);
    // Hourly: the export log expires; with no TTL index on this server, signals too.
    let expired = 0;
    let lastExpiry = 0;
    while (!ctx.signal.aborted) {
      if (Date.now() - lastExpiry > 3_600_000) {
        lastExpiry = Date.now();
        await expireExportLog(db, lastExpiry);
        const n = schema.ttlIndex === 'unsupported' ? await expireSignals(db, lastExpiry) : 0;
        expired += n;
        if (n) ctx.log.info('signals past their lifetime removed (no TTL index on this server)', { removed: n });
      }
      await sleep(params.intervalMs, ctx.signal);
      if (ctx.signal.aborted) break;
      const detail: Record<string, number | string> = { ...base, signalsExpired: expired };
      for (const name of Object.values(COLLECTIONS)) detail[name] = await db.collection(name).estimatedDocumentCount();
      ctx.heartbeat(detail);
    }
    return base;
  } finally {
    await client.close().catch(() => undefined);
  }
};
