// Where the app keeps its files. One data folder holds settings, logs, the local database
// and the optional .env; nothing secret is written there.
import os from 'node:os';
import path from 'node:path';

export interface AppPaths {
  dataDir: string;
  settingsFile: string;
  logFile: string;
  envFile: string;
  databaseDir: string;
}

/** The platform's usual per-user data folder, used when not running under Electron. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
  home = os.homedir(),
): string {
  if (env.QUANTDESK_DATA_DIR) return path.resolve(env.QUANTDESK_DATA_DIR);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Quantdesk');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Quantdesk');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'quantdesk');
}

export function appPaths(dataDir: string): AppPaths {
  return {
    dataDir,
    settingsFile: path.join(dataDir, 'settings.json'),
    logFile: path.join(dataDir, 'logs', 'quantdesk.log'),
    envFile: path.join(dataDir, '.env'),
    databaseDir: path.join(dataDir, 'db'),
  };
}
