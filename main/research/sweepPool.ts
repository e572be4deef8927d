// Runs a parameter sweep on worker threads, one per core: the bars are shared once, each
// thread takes a contiguous share of the grid (neighbouring sets share moving averages in
// its factor cache), progress is summed, and a cancel terminates the threads.
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BacktestConfig } from '../../core/backtest/engine';
import type { ColumnarBars } from '../../core/market/bars';
import type { SweepPoint } from '../../core/research/sweep';
import { shareBars, type SweepThreadInput, type SweepThreadMessage } from './sweepShared';

export interface SweepRun {
  bars: ColumnarBars;
  templateId: string;
  sets: Record<string, number>[];
  config: BacktestConfig;
  /** Threads to use; defaults to the machine's available parallelism. */
  threads?: number;
  /** The bundled thread script (dist/main/sweepThread.cjs next to the main bundle by default). */
  script?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** dist/main/sweepThread.cjs beside the main bundle; in a packaged app, its unpacked copy (threads cannot load from inside an asar). */
export function defaultSweepScript(): string {
  return path.join(__dirname, 'sweepThread.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

export async function runSweep(run: SweepRun): Promise<(SweepPoint | null)[]> {
  const total = run.sets.length;
  const threads = Math.max(1, Math.min(run.threads ?? os.availableParallelism(), total, 16));
  const shared = shareBars(run.bars);
  const size = Math.ceil(total / threads);
  const done = new Array<number>(threads).fill(0);
  const workers: Worker[] = [];
  const onAbort = () => workers.forEach((w) => void w.terminate());
  run.signal?.addEventListener('abort', onAbort);
  try {
    if (run.signal?.aborted) throw new Error('Sweep cancelled');
    const parts = await Promise.all(
      Array.from({ length: threads }, (_, k) => {
        const input: SweepThreadInput = {
          bars: shared,
          templateId: run.templateId,
          sets: run.sets.slice(k * size, (k + 1) * size),
          config: run.config,
        };
        return new Promise<(SweepPoint | null)[]>((resolve, reject) => {
          const w = new Worker(run.script ?? defaultSweepScript(), { workerData: input });
          workers.push(w);
          w.on('message', (m: SweepThreadMessage) => {
            if (run.signal?.aborted) reject(new Error('Sweep cancelled'));
            else if (m.type === 'progress') {
              done[k] = m.done;
              run.onProgress?.(
                done.reduce((a, b) => a + b, 0),
                total,
              );
            } else if (m.type === 'done') resolve(m.points);
            else reject(new Error(m.message));
          });
          w.on('error', reject);
          w.on('exit', (code) => {
            if (run.signal?.aborted) reject(new Error('Sweep cancelled'));
            else if (code !== 0) reject(new Error(`A sweep thread stopped with code ${code}`));
          });
        });
      }),
    );
    return parts.flat();
  } finally {
    run.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
