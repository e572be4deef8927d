// Environment variables the app reads, from the real environment or a .env file
// (the working folder's, then the data folder's); the real environment always wins.
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { maskUri } from '../../core/logging/mask';

export const ENV_VARS = {
  MONGO_URI: 'Use this MongoDB server instead of starting a local one',
  MONGO_URI_EXECUTION:
    "Least-privilege account for the executor worker (see npm run db:roles); the app's connection when unset",
  MONGO_URI_RESEARCH:
    "Least-privilege account for the import workers (see npm run db:roles); the app's connection when unset",
  QUANTDESK_DATA_DIR: 'Data folder (settings, logs, local database)',
  QUANTDESK_PORT: 'Browser-mode port on 127.0.0.1 (overrides the setting)',
  QUANTDESK_DB_ENGINE: 'Path of the local database engine binary',
  QUANTDESK_DB_PORT:
    'Port of the local database server until one is saved (default 27017 when free; 0 = any free port)',
} as const;
export type EnvName = keyof typeof ENV_VARS;

export interface EnvValue {
  name: EnvName;
  value: string | null;
  source: 'environment' | '.env' | 'default';
}

export type AppEnvironment = Record<EnvName, EnvValue>;

function readDotenv(file: string): Record<string, string> {
  try {
    return dotenv.parse(fs.readFileSync(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export function loadEnvironment(envFiles: string[], env: NodeJS.ProcessEnv = process.env): AppEnvironment {
  const fromFiles: Record<string, string> = {};
  for (const file of envFiles) Object.assign(fromFiles, readDotenv(path.resolve(file)));
  const out = {} as AppEnvironment;
  for (const name of Object.keys(ENV_VARS) as EnvName[]) {
    const real = env[name];
    if (real !== undefined && real !== '') out[name] = { name, value: real, source: 'environment' };
    else if (fromFiles[name] !== undefined && fromFiles[name] !== '')
      out[name] = { name, value: fromFiles[name] ?? null, source: '.env' };
    else out[name] = { name, value: null, source: 'default' };
  }
  return out;
}

/** The environment as the Settings page may show it: connection strings masked. */
export function displayEnvironment(environment: AppEnvironment): EnvValue[] {
  return Object.values(environment).map((v) => ({ ...v, value: v.value === null ? null : maskUri(v.value) }));
}
