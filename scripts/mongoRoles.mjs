// `npm run db:roles -- <admin MONGO_URI> [dbName]`: least-privilege accounts for a MongoDB
// server. research: writes market data and signals; execution: reads signals and market data,
// writes its own records; ui: reads. Prints each user's generated password once (store them
// in your secret manager or the workers' environment); never writes them anywhere.
// Servers without role management (FerretDB v1, the bundled engine) are skipped with a clear
// message: there the app's single connection is all there is.
import crypto from 'node:crypto';
import { MongoClient } from 'mongodb';

// The bars, and the index of which bars each series has stored (written with them).
const MARKET = ['crypto_market', 'crypto_market_1m', 'quantdesk_series_bars'];
const SIGNALS = ['crypto_signals'];
const OWN_RESEARCH = ['quantdesk_series', 'quantdesk_backtests', 'quantdesk_pipelines', 'quantdesk_signal_latency', 'quantdesk_export_log'];
const OWN_EXECUTION = ['quantdesk_orders', 'quantdesk_fills', 'quantdesk_exec_state', 'quantdesk_exec_configs', 'quantdesk_exec_settings', 'quantdesk_exec_daystart', 'quantdesk_equity', 'quantdesk_balances', 'quantdesk_paper_accounts', 'quantdesk_paper_orders', 'quantdesk_recon', 'quantdesk_recon_ignored', 'quantdesk_alerts'];

export function roleDefinitions(db) {
  const on = (collections, actions) => collections.map((collection) => ({ resource: { db, collection }, actions }));
  const read = ['find', 'listIndexes', 'collStats'];
  const write = [...read, 'insert', 'update', 'remove', 'createIndex', 'createCollection'];
  // Every worker first ensures the schema: it lists the database's collections.
  const list = { resource: { db, collection: '' }, actions: ['listCollections'] };
  return [
    { role: 'quantdesk_research', privileges: [list, ...on([...MARKET, ...SIGNALS, ...OWN_RESEARCH], write)] },
    { role: 'quantdesk_execution', privileges: [list, ...on([...MARKET, ...SIGNALS], read), ...on(OWN_EXECUTION, write)] },
    { role: 'quantdesk_ui', privileges: [list, ...on([...MARKET, ...SIGNALS, ...OWN_RESEARCH, ...OWN_EXECUTION], read)] },
  ];
}

export async function setupRoles(uri, dbName, log = console.log) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  try {
    const db = client.db(dbName);
    const created = [];
    for (const def of roleDefinitions(dbName)) {
      try {
        await db.command({ createRole: def.role, privileges: def.privileges, roles: [] });
      } catch (err) {
        if (err.codeName === 'DuplicateKey' || err.code === 51002) await db.command({ updateRole: def.role, privileges: def.privileges, roles: [] });
        else if (err.code === 59 || err.codeName === 'CommandNotFound' || /not implemented|no such command|unsupported/i.test(err.message)) {
          log(`skipped: this server does not manage roles (${err.message.split('\n')[0]}). FerretDB v1, the bundled engine, has no role management: run this against a MongoDB server to give each part of the app its own least-privilege account.`);
          return { skipped: true, created };
        } else throw err;
      }
      const user = def.role.replace('quantdesk_', 'quantdesk-');
      const password = crypto.randomBytes(18).toString('base64url');
      try {
        await db.command({ createUser: user, pwd: password, roles: [{ role: def.role, db: dbName }] });
      } catch (err) {
        if (err.code === 51003) await db.command({ updateUser: user, pwd: password, roles: [{ role: def.role, db: dbName }] });
        else throw err;
      }
      created.push(user);
      log(`${user}: role ${def.role}, password ${password}`);
    }
    return { skipped: false, created };
  } finally {
    await client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [uri, dbName = 'quantdesk'] = process.argv.slice(2);
  if (!uri) {
    console.error('usage: npm run db:roles -- <admin MONGO_URI> [dbName]');
    process.exit(2);
  }
  setupRoles(uri, dbName).then(
    (r) => process.exit(r.skipped ? 0 : 0),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
