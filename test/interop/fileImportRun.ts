// The file import job run in-process on a test database, as its worker runs it.
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
