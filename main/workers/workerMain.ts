// Entry of a worker process (forked by the Supervisor). It waits for one `start` message,
// runs that job, and exits 0 when the job ends or a `stop` arrives, 1 when the job fails.
import type { JobName } from '../../core/workers/protocol';
import { ToWorkerSchema, type FromWorker } from '../../core/workers/protocol';
import type { Wording } from '../../core/wording/wording';
import { databaseJob } from './jobs/databaseJob';
import { fileImportJob } from './jobs/fileImportJob';
import { importJob } from './jobs/importJob';
import { executorJob } from './jobs/executorJob';
import { deleteSeriesJob } from './jobs/deleteSeriesJob';
import { derivativesImportJob } from './jobs/derivativesImportJob';
import { createWorkerContext, type Job } from './workerContext';

const JOBS: Record<JobName, Job> = {
  database: databaseJob,
  import: importJob,
  fileImport: fileImportJob,
  executor: executorJob,
  deleteSeries: deleteSeriesJob,
  derivativesImport: derivativesImportJob,
};

function send(message: FromWorker): void {
  if (process.connected) process.send?.(message);
}

const stop = new AbortController();
let started = false;
let context: ReturnType<typeof createWorkerContext> | null = null;

process.on('message', (raw) => {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    send({ type: 'log', level: 'warn', message: 'worker: malformed message from supervisor ignored' });
    return;
  }
  const message = parsed.data;
  if (message.type === 'granted') {
    context?.granted(message.id);
    return;
  }
  if (message.type === 'stop') {
    stop.abort();
    if (!started) process.exit(0);
    return;
  }
  if (started) return;
  started = true;
  const ctx = createWorkerContext(send, stop.signal);
  context = ctx;
  send({ type: 'ready' });
  // Liveness, independent of the job's progress: a long database scan is not a hang, a
  // blocked event loop or a frozen process is.
  setInterval(() => send({ type: 'heartbeat' }), 2000).unref();
  JOBS[message.job](message.params, ctx).then(
    (detail) => {
      send(detail ? { type: 'done', detail } : { type: 'done' });
      process.exitCode = 0;
      setImmediate(() => process.exit(0));
    },
    (err: unknown) => {
      // An error that says why in words (a refused file) keeps its sentence for the desk.
      const wording = (err as { wording?: Wording } | null)?.wording;
      send({ type: 'failed', error: err instanceof Error ? err.message : String(err), ...(wording && { wording }) });
      setImmediate(() => process.exit(1));
    },
  );
});

// The supervisor is our parent: if it goes away, so do we.
process.on('disconnect', () => process.exit(0));
