// Least-privilege accounts for a MongoDB server (`npm run db:roles`), derived from who writes
// each collection (core/db/collections.ts). research: writes market data, research records and
// signals; execution: reads bars and signals, writes its own records; ui: reads everything.
// Collections the desk writes on its own connection get no writer role. Servers without role
// management (FerretDB v1, the bundled engine) are skipped with a clear message.
import crypto from 'node:crypto';
import { COLLECTIONS, COLLECTION_WRITER, type CollectionKey, type CollectionWriter } from '../../core/db/collections';
import { createMongoClient } from './mongoConnection';

export interface RoleDefinition {
  role: string;
  privileges: { resource: { db: string; collection: string }; actions: string[] }[];
}

const READ = ['find', 'listIndexes', 'collStats'];
const WRITE = [...READ, 'insert', 'update', 'remove', 'createIndex', 'createCollection'];

const written = (by: CollectionWriter) =>
  (Object.keys(COLLECTIONS) as CollectionKey[]).filter((k) => COLLECTION_WRITER[k] === by).map((k) => COLLECTIONS[k]);

export function roleDefinitions(db: string): RoleDefinition[] {
  const on = (collections: readonly string[], actions: string[]) =>
    collections.map((collection) => ({ resource: { db, collection }, actions }));
  // Every worker first ensures the schema: it lists the database's collections.
  const list = { resource: { db, collection: '' }, actions: ['listCollections'] };
  const traded = [COLLECTIONS.market1d, COLLECTIONS.market1m, COLLECTIONS.seriesBars, COLLECTIONS.signals];
  return [
    { role: 'quantdesk_research', privileges: [list, ...on(written('research'), WRITE)] },
    { role: 'quantdesk_execution', privileges: [list, ...on(traded, READ), ...on(written('execution'), WRITE)] },
    { role: 'quantdesk_ui', privileges: [list, ...on(Object.values(COLLECTIONS), READ)] },
  ];
}

export async function setupRoles(
  uri: string,
  dbName: string,
  log: (line: string) => void = console.log,
): Promise<{ skipped: boolean; created: string[] }> {
  const client = createMongoClient(uri, 'quantdesk-roles', { selectionTimeoutMs: 5000 });
  await client.connect();
  try {
    const db = client.db(dbName);
    const created: string[] = [];
    for (const def of roleDefinitions(dbName)) {
      try {
        await db.command({ createRole: def.role, privileges: def.privileges, roles: [] });
      } catch (e) {
        const err = e as { code?: number; codeName?: string; message: string };
        if (err.codeName === 'DuplicateKey' || err.code === 51002)
          await db.command({ updateRole: def.role, privileges: def.privileges, roles: [] });
        else if (
          err.code === 59 ||
          err.codeName === 'CommandNotFound' ||
          /not implemented|no such command|unsupported/i.test(err.message)
        ) {
          log(
            `skipped: this server does not manage roles (${err.message.split('\n')[0]}). FerretDB v1, the bundled engine, has no role management: run this against a MongoDB server to give each part of the app its own least-privilege account.`,
          );
          return { skipped: true, created };
        } else throw e;
      }
      const user = def.role.replace('quantdesk_', 'quantdesk-');
      const password = crypto.randomBytes(18).toString('base64url');
      try {
        await db.command({ createUser: user, pwd: password, roles: [{ role: def.role, db: dbName }] });
      } catch (e) {
        if ((e as { code?: number }).code === 51003)
          await db.command({ updateUser: user, pwd: password, roles: [{ role: def.role, db: dbName }] });
        else throw e;
      }
      created.push(user);
      log(`${user}: role ${def.role}, password ${password}`);
    }
    return { skipped: false, created };
  } finally {
    await client.close();
  }
}
