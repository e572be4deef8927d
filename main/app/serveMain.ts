// Browser mode: the whole back end under plain Node, the desk served on 127.0.0.1 with a
// session token. Used by `npm run serve`, by `npm start` where Electron cannot run, and by
// the end-to-end tests.
import path from 'node:path';
import { startBrowserServer } from '../api/browserServer';
import { startBackend } from './backend';
import { appVersion, repoRoot } from './appInfo';
import { defaultDataDir } from '../settings/paths';

async function main(): Promise<void> {
  const root = repoRoot();
  const backend = await startBackend({
    mode: 'browser',
    dataDir: defaultDataDir(),
    resourcesDir: path.join(root, 'resources'),
    appVersion: appVersion(),
    versions: { node: process.versions.node, v8: process.versions.v8 },
    envFiles: [path.join(process.cwd(), '.env')],
  });
  const envPort = Number(process.env.QUANTDESK_PORT);
  const port = Number.isInteger(envPort) && envPort > 0 ? envPort : backend.settings().server.port;
  let server;
  try {
    server = await startBrowserServer({
      rendererDir: path.join(root, 'dist', 'renderer'),
      port,
      dispatch: backend.dispatch,
      subscribe: backend.subscribe,
      log: backend.logger,
    });
  } catch (err) {
    process.stderr.write(`Cannot listen on 127.0.0.1:${port}: ${(err as Error).message}\n`);
    await backend.stop();
    process.exit(1);
  }
  // The one line a trader (or a test) needs: where to point the browser.
  process.stdout.write(`Quantdesk is running in browser mode: ${server.url}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Stopping (${signal})...\n`);
    await server.close();
    await backend.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Quantdesk failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
