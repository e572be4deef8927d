// The one way the app's processes connect to the database: one set of client options, and
// every read carrying a server-side time limit. The driver has no default for it (its
// `timeoutMS` is a no-op), and a read the client gave up on would otherwise keep the server
// busy until it ends, so load piles up on a slow server. Writes are not bounded: a write
// stopped half-way is worse than a slow one, and each is idempotent on retry.
import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { READ_MAX_TIME_MS } from '../../core/db/collections';

export function createMongoClient(
  uri: string,
  appName: string,
  options: { selectionTimeoutMs?: number; heartbeatMs?: number; monitorCommands?: boolean } = {},
): MongoClient {
  const wait = options.selectionTimeoutMs ?? 3000;
  return new MongoClient(uri, {
    serverSelectionTimeoutMS: wait,
    connectTimeoutMS: wait,
    appName,
    ...(options.heartbeatMs && { heartbeatFrequencyMS: options.heartbeatMs }),
    ...(options.monitorCommands && { monitorCommands: true }),
  });
}

/** Position of the options argument of each read a collection offers. */
const READS: Record<string, number> = {
  find: 1,
  findOne: 1,
  countDocuments: 1,
  aggregate: 1,
  distinct: 2,
  estimatedDocumentCount: 0,
};

function boundCollection<T extends Document>(c: Collection<T>, maxTimeMS: number): Collection<T> {
  return new Proxy(c, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const at = typeof prop === 'string' ? READS[prop] : undefined;
      if (at === undefined) return value.bind(target);
      return (...args: unknown[]) => {
        const options = (args[at] ?? {}) as { maxTimeMS?: number };
        const next = [...args];
        // a missing filter or pipeline stays missing, so the driver's own default applies
        next.length = Math.max(next.length, at + 1);
        next[at] = { ...options, maxTimeMS: options.maxTimeMS ?? maxTimeMS };
        return (value as (...a: unknown[]) => unknown).apply(target, next);
      };
    },
  });
}

/** The database with every collection's reads bounded by `maxTimeMS` unless a read sets its own. */
export function boundedDb(db: Db, maxTimeMS = READ_MAX_TIME_MS): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'collection')
        return (name: string, options?: Parameters<Db['collection']>[1]) =>
          boundCollection(target.collection(name, options), maxTimeMS);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
