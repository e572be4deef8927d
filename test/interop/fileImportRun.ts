// The file import job run in-process on a test database, as its worker runs it; and a script
// run in the Freqtrade environment, its JSON answer parsed.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { FROM_FILE } from '../../core/market/fileFormats';
import type { FromWorker } from '../../core/workers/protocol';
import { createWorkerContext } from '../../main/workers/workerContext';
import { fileImportJob } from '../../main/workers/jobs/fileImportJob';

export function runFileImport(
  db: { uri: string; dbName: string },
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const messages: FromWorker[] = [];
  const ctx = createWorkerContext((m) => messages.push(m), new AbortController().signal);
  const series = { exchange: FROM_FILE, pair: 'BTC/USDT' };
  return fileImportJob({ uri: db.uri, dbName: db.dbName, series, format: 'auto', ...params }, ctx) as Promise<
    Record<string, unknown>
  >;
}

const PY = path.resolve('build/pyenv/bin/python');

/** Runs a Python script with Freqtrade importable, `dir` as its argument; returns what it printed as JSON. */
export async function runFreqtradeScript<T>(script: string, dir: string): Promise<T> {
  if (!fs.existsSync(PY)) throw new Error('build/pyenv is missing: run the suite through `npm run test:interop`');
  const { stdout } = await promisify(execFile)(PY, ['-c', script, dir], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}
