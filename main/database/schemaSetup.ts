// Creates the data contract's collections and indexes exactly as core/db/collections.ts
// declares them. Idempotent: a second run creates nothing. The optional TTL index is made
// where the server supports it; elsewhere that is reported, not treated as a failure.
import type { Db } from 'mongodb';
import {
  CONTRACT_COLLECTIONS,
  INDEXES,
  OWN_COLLECTIONS_UP_FRONT,
  writerOf,
  type CollectionName,
  type CollectionWriter,
  type IndexSpec,
} from '../../core/db/collections';
import type { Logger } from '../../core/logging/logger';
import { word, type Text } from '../../core/wording/wording';

export interface SchemaReport {
  created: string[];
  existing: string[];
  ttlIndex: 'created' | 'unsupported';
}

/** Server replies meaning "this index option is not available here" (FerretDB v1 answers 238). */
const UNSUPPORTED_CODES = new Set([238, 115]);

/** The TTL index's lifetime is the retention setting's to change (signalExpiry.ts): any lifetime matches. */
function sameIndex(
  existing: { key: Record<string, unknown>; unique?: boolean; expireAfterSeconds?: number },
  spec: IndexSpec,
): boolean {
  return (
    JSON.stringify(existing.key) === JSON.stringify(spec.key) &&
    Boolean(existing.unique) === Boolean(spec.unique) &&
    (existing.expireAfterSeconds === undefined) === (spec.expireAfterSeconds === undefined)
  );
}

/**
 * `quiet`: for callers that only make sure (import jobs); the database worker reports the TTL
 * state. `writer`: only the collections that account writes (a least-privilege account may not
 * touch the others).
 */
export async function ensureSchema(
  db: Db,
  log: Logger,
  onProgress?: (done: number, total: number, label: Text) => void,
  options: { quiet?: boolean; writer?: CollectionWriter } = {},
): Promise<SchemaReport> {
  const mine = (name: CollectionName) => !options.writer || writerOf(name) === options.writer;
  const names = [...CONTRACT_COLLECTIONS, ...OWN_COLLECTIONS_UP_FRONT].filter(mine);
  const indexes = INDEXES.filter((i) => mine(i.collection));
  const total = names.length + indexes.length;
  let done = 0;
  const step = (label: Text) => onProgress?.(++done, total, label);
  const report: SchemaReport = { created: [], existing: [], ttlIndex: 'created' };

  const present = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of names) {
    if (!present.has(name)) {
      try {
        await db.createCollection(name);
        report.created.push(name);
      } catch (err) {
        // Another process created it between our look and our create: that is the goal anyway.
        if ((err as { code?: number }).code !== 48) throw err;
      }
    }
    step(word('progress.collection', { name }));
  }

  for (const spec of indexes) {
    const label = `${spec.collection}.${spec.name}`;
    const existing = (await db.collection(spec.collection).indexes()).find((i) => i.name === spec.name);
    if (existing) {
      if (!sameIndex(existing as never, spec)) {
        throw new Error(
          `Index ${label} exists with different options (${JSON.stringify({ key: existing.key, unique: existing.unique ?? false, expireAfterSeconds: existing.expireAfterSeconds })}); expected ${JSON.stringify({ key: spec.key, unique: spec.unique ?? false, expireAfterSeconds: spec.expireAfterSeconds })}. Drop it or fix it by hand; nothing was changed.`,
        );
      }
      report.existing.push(label);
      step(word('progress.index', { name: label }));
      continue;
    }
    try {
      await db.collection(spec.collection).createIndex(spec.key, {
        name: spec.name,
        ...(spec.unique && { unique: true }),
        ...(spec.expireAfterSeconds !== undefined && { expireAfterSeconds: spec.expireAfterSeconds }),
      });
      report.created.push(label);
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (!spec.optional || code === undefined || !UNSUPPORTED_CODES.has(code)) throw err;
      report.ttlIndex = 'unsupported';
      log[options.quiet ? 'debug' : 'warn'](
        'optional TTL index not supported by this database server; signals will not expire automatically',
        { index: label, reason: (err as Error).message },
      );
      if (spec.plainFallback) await db.collection(spec.collection).createIndex(spec.key, { name: spec.plainFallback });
    }
    step(word('progress.index', { name: label }));
  }
  log[options.quiet ? 'debug' : 'info']('schema ensured', {
    created: report.created,
    existing: report.existing.length,
    ttlIndex: report.ttlIndex,
  });
  return report;
}
