// Starts the real back end in browser mode (`dist/main/serveMain.cjs`, built by `npm test` and
// `npm run build`) on a data folder, so it also starts and owns its own local database server.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface RunningApp {
  /** The page address with its token. */
  url: string;
  /** The back end's process (to pause it, as a hung back end would be). */
  pid: number;
  stop(): Promise<void>;
}

/** `extraEnv`: settings of this run only (e.g. a MONGO_URI nothing answers on). */
export async function startBrowserModeApp(
  dataDir: string,
  root = process.cwd(),
  extraEnv: Record<string, string> = {},
): Promise<RunningApp> {
  // any free port for the database: several apps of a run start side by side
  const env: NodeJS.ProcessEnv = { QUANTDESK_DB_PORT: '0', ...process.env, QUANTDESK_DATA_DIR: dataDir };
  delete env.QUANTDESK_PORT;
  delete env.MONGO_URI;
  if (process.env.MONGO_URL) env.MONGO_URI = process.env.MONGO_URL;
  Object.assign(env, extraEnv);
  const server = spawn(process.execPath, [path.join(root, 'dist/main/serveMain.cjs')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  return {
    url,
    pid: server.pid!,
    async stop() {
      if (server.exitCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
