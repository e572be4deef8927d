// Starts the real back end in browser mode with a fresh data folder for the whole run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBrowserModeApp } from './appServer';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-e2e-'));
  const app = await startBrowserModeApp(dataDir);
  process.env.QUANTDESK_E2E_URL = app.url;
  process.env.QUANTDESK_E2E_DATA_DIR = dataDir;
  fs.mkdirSync(path.resolve('artifacts/screenshots'), { recursive: true });

  return async () => {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
