// One sweep worker thread: runs its share of the parameter sets over bars shared (not
// copied) with the other threads, reporting progress as it goes.
import { parentPort, workerData } from 'node:worker_threads';
import { runSweepChunk } from '../../core/research/sweep';
import { barsFromShared, type SweepThreadInput, type SweepThreadMessage } from './sweepShared';

const input = workerData as SweepThreadInput;
const post = (m: SweepThreadMessage) => parentPort!.postMessage(m);
try {
  const points = runSweepChunk(barsFromShared(input.bars), input.templateId, input.sets, input.config, (done) =>
    post({ type: 'progress', done }),
  );
  post({ type: 'done', points });
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
