// `npm run db:roles -- <admin MONGO_URI> [dbName]`: least-privilege accounts for a MongoDB
// server (main/database/mongoRoles.ts). Prints each user's generated password once (store them
// in your secret manager or the workers' environment); never writes them anywhere.
import { importTs } from './importTs.mjs';

const [uri, dbName = 'quantdesk'] = process.argv.slice(2);
if (!uri) {
  console.error('usage: npm run db:roles -- <admin MONGO_URI> [dbName]');
  process.exit(2);
}
const { setupRoles } = await importTs('main/database/mongoRoles.ts', 'build/scripts/mongoRoles.mjs');
try {
  await setupRoles(uri, dbName);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
