// Starts the real back end in browser mode (`dist/main/serveMain.cjs`, built by `npm test`)
// with a fresh data folder, so it also starts and owns its own local database server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, QUANTDESK_DATA_DIR: dataDir };
  delete env.QUANTDESK_PORT;
  delete env.MONGO_URI;
  if (process.env.MONGO_URL) env.MONGO_URI = process.env.MONGO_URL;
  const server = spawn(process.execPath, [path.resolve('dist/main/serveMain.cjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /running in browser mode: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.on('exit', (code) => reject(new Error(`serve exited with code ${code}:\n${output}`)));
  });
  process.env.QUANTDESK_E2E_URL = url;
  process.env.QUANTDESK_E2E_DATA_DIR = dataDir;
  fs.mkdirSync(path.resolve('artifacts/screenshots'), { recursive: true });

  return async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
