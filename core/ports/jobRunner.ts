// The job runner port: what a feature needs to run a long job in its own process (the
// supervisor implements it; the market desk's imports use it).
import type { WorkerStatus } from '../api/contract';
import type { JobName } from '../workers/protocol';

export interface WorkerSpec {
  name: string;
  job: JobName;
  params: Record<string, unknown>;
  /** 'always': a long-lived service; 'on-failure': a job that may finish; 'never': a one-shot job whose failure is final. */
  restart: 'always' | 'on-failure' | 'never';
}

export interface JobRunner {
  /** Starts a worker, or replaces the spec of one with that name and restarts it. */
  start(spec: WorkerSpec): void;
  get(name: string): WorkerStatus | undefined;
  stop(name: string): Promise<WorkerStatus>;
}
