// An import job's database: connected as the research account (the URI it was given), the
// collections and unique indexes it writes made sure of first (without them a row could be
// stored twice), closed when the work is done or fails.
import type { Db } from 'mongodb';
import type { Logger } from '../../../core/logging/logger';
import type { RejectedRow } from '../../../core/market/fileFormats';
import { ensureSchema } from '../../database/schemaSetup';
import { boundedDb, createMongoClient } from '../../database/mongoConnection';

export async function withResearchDb<T>(
  o: { uri: string; dbName: string; appName: string; log: Logger },
  work: (db: Db) => Promise<T>,
): Promise<T> {
  const client = createMongoClient(o.uri, o.appName, { selectionTimeoutMs: 5000 });
  try {
    await client.connect();
    const db = boundedDb(client.db(o.dbName));
    await ensureSchema(db, o.log, undefined, { quiet: true, writer: 'research' });
    return await work(db);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** A file's rejected rows: logged once (the first ten), and the first five for the report. */
export function reportRejected(log: Logger, file: string, rejected: readonly RejectedRow[]): string {
  if (rejected.length) log.warn('file rows rejected', { file, count: rejected.length, first: rejected.slice(0, 10) });
  return rejected
    .slice(0, 5)
    .map((r) => `line ${r.line}: ${r.reason}`)
    .join('; ');
}
