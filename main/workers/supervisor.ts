// Runs long jobs in their own processes, off the UI thread, and keeps them alive: a worker
// that crashes (or stops sending heartbeats) is restarted with backoff while the app stays up.
import { fork, type ChildProcess } from 'node:child_process';
import type { WorkerStatus } from '../../core/api/contract';
import type { Logger } from '../../core/logging/logger';
import type { RequestBudgets } from '../exchange/requestBudgets';
import { WORKER_RESTART_BACKOFF, backoffDelayMs } from '../../core/retry/backoff';
import type { JobRunner, WorkerSpec } from '../../core/ports/jobRunner';
import { FromWorkerSchema, type FromWorker, type ToWorker } from '../../core/workers/protocol';

export interface SupervisorOptions {
  /** The bundled worker entry (dist/main/workerMain.cjs). */
  workerScript: string;
  log: Logger;
  /** A worker silent for longer than this is killed and restarted. */
  heartbeatTimeoutMs?: number;
  /** A worker that ran this long without crashing has its backoff reset. */
  stableAfterMs?: number;
  now?: () => Date;
  random?: () => number;
  /** Shared exchange request budgets; without one, weight is granted at once. */
  budgets?: RequestBudgets;
}

interface Slot {
  spec: WorkerSpec;
  status: WorkerStatus;
  child: ChildProcess | null;
  consecutiveCrashes: number;
  restartTimer: NodeJS.Timeout | null;
  lastSeen: number;
  stopping: boolean;
  /** Aborted when the current child exits. */
  gone: AbortController;
  /** The job reported its own failure before exiting: a failed job, not a crash. */
  failed: boolean;
}

export class Supervisor implements JobRunner {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(status: WorkerStatus) => void>();
  private readonly watchdog: NodeJS.Timeout;
  private readonly heartbeatTimeoutMs: number;
  private readonly stableAfterMs: number;
  private readonly now: () => Date;
  private readonly random: () => number;
  private closed = false;

  constructor(private readonly options: SupervisorOptions) {
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 20_000;
    this.stableAfterMs = options.stableAfterMs ?? 60_000;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.watchdog = setInterval(() => this.checkHeartbeats(), Math.min(1000, this.heartbeatTimeoutMs / 2));
    this.watchdog.unref();
  }

  private readonly eventListeners = new Set<(worker: string, name: string, payload: unknown) => void>();

  /** Events workers send for the desk (validated by whoever passes them on). */
  onEvent(listener: (worker: string, name: string, payload: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onChange(listener: (status: WorkerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): WorkerStatus[] {
    return [...this.slots.values()].map((s) => s.status);
  }

  /** The workers kept running for the app's whole life (restart: 'always'), not one-off jobs. */
  resident(): WorkerStatus[] {
    return [...this.slots.values()].filter((s) => s.spec.restart === 'always').map((s) => s.status);
  }

  get(name: string): WorkerStatus | undefined {
    return this.slots.get(name)?.status;
  }

  /** Starts a worker, or replaces the spec of one with that name and restarts it. */
  start(spec: WorkerSpec): void {
    if (this.closed) throw new Error('supervisor is stopped');
    const existing = this.slots.get(spec.name);
    if (existing) {
      existing.spec = spec;
      existing.stopping = false;
      existing.status = { ...existing.status, job: spec.job, lastError: null, failure: null };
      existing.failed = false;
      this.restart(spec.name);
      return;
    }
    const slot: Slot = {
      spec,
      child: null,
      consecutiveCrashes: 0,
      restartTimer: null,
      lastSeen: Date.now(),
      stopping: false,
      gone: new AbortController(),
      failed: false,
      status: {
        name: spec.name,
        job: spec.job,
        state: 'starting',
        pid: null,
        restarts: 0,
        startedAt: null,
        lastHeartbeat: null,
        lastError: null,
        nextRestartAt: null,
        progress: null,
        detail: {},
      },
    };
    this.slots.set(spec.name, slot);
    this.spawn(slot);
  }

  /** Restarts a worker now (from the UI), whatever its state. */
  restart(name: string): WorkerStatus {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no worker named "${name}"`);
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    slot.consecutiveCrashes = 0;
    const child = slot.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      slot.stopping = true;
      child.once('exit', () => {
        slot.stopping = false;
        if (!this.closed) this.spawn(slot);
      });
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    } else {
      this.spawn(slot);
    }
    return slot.status;
  }

  /** Asks a worker to stop (its job ends cleanly) and keeps it stopped; SIGKILL after 5 s. */
  async stop(name: string): Promise<WorkerStatus> {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`no worker named "${name}"`);
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    slot.stopping = true;
    const child = slot.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      this.send(child, { type: 'stop' });
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(kill);
    }
    this.update(slot, { state: 'stopped', pid: null, nextRestartAt: null, progress: null });
    return slot.status;
  }

  async stopAll(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    await Promise.all([...this.slots.keys()].map((name) => this.stop(name)));
  }

  private spawn(slot: Slot): void {
    slot.failed = false;
    const child = fork(this.options.workerScript, [slot.spec.name], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Under Electron, fork() runs the Electron binary: make it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      serialization: 'json',
    });
    slot.child = child;
    slot.lastSeen = Date.now();
    const gone = new AbortController();
    slot.gone = gone;
    child.once('exit', () => gone.abort());
    const startedAt = this.now();
    this.update(slot, {
      state: 'starting',
      pid: child.pid ?? null,
      startedAt: startedAt.toISOString(),
      nextRestartAt: null,
      progress: null,
    });
    this.options.log.info('worker started', { worker: slot.spec.name, job: slot.spec.job, pid: child.pid });

    child.on('message', (raw) => this.onMessage(slot, child, raw));
    child.on('error', (err) => {
      this.options.log.error('worker process error', { worker: slot.spec.name, message: err.message });
      this.update(slot, { lastError: err.message });
    });
    child.on('exit', (code, signal) => {
      if (slot.child !== child) return;
      slot.child = null;
      const ranMs = Date.now() - startedAt.getTime();
      if (slot.stopping || this.closed) return;
      const clean = code === 0 && signal === null;
      if (clean && slot.spec.restart !== 'always') {
        this.update(slot, { state: 'stopped', pid: null });
        return;
      }
      if (slot.spec.restart === 'never') {
        this.update(slot, {
          state: slot.failed ? 'failed' : 'crashed',
          pid: null,
          progress: null,
          lastError: slot.status.lastError ?? (signal ? `killed by ${signal}` : `exited with code ${code}`),
        });
        return;
      }
      if (ranMs >= this.stableAfterMs) slot.consecutiveCrashes = 0;
      slot.consecutiveCrashes += 1;
      const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const delay = backoffDelayMs(slot.consecutiveCrashes, WORKER_RESTART_BACKOFF, this.random());
      const nextRestartAt = new Date(this.now().getTime() + delay).toISOString();
      this.options.log.warn('worker crashed; restarting with backoff', {
        worker: slot.spec.name,
        why,
        delayMs: delay,
        crashes: slot.consecutiveCrashes,
      });
      this.update(slot, {
        state: 'crashed',
        pid: null,
        lastError: slot.status.lastError && !clean ? `${why}; last error: ${slot.status.lastError}` : why,
        nextRestartAt,
      });
      this.update(slot, { state: 'restarting' });
      slot.restartTimer = setTimeout(() => {
        slot.restartTimer = null;
        if (this.closed) return;
        slot.status = { ...slot.status, restarts: slot.status.restarts + 1 };
        this.spawn(slot);
      }, delay);
    });

    this.send(child, { type: 'start', job: slot.spec.job, params: slot.spec.params });
  }

  private onMessage(slot: Slot, child: ChildProcess, raw: unknown): void {
    if (slot.child !== child) return;
    const parsed = FromWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.log.warn('worker sent a malformed message; ignored', {
        worker: slot.spec.name,
        issues: parsed.error.issues.slice(0, 5).map((i) => i.message),
      });
      return;
    }
    slot.lastSeen = Date.now();
    const message: FromWorker = parsed.data;
    const at = this.now().toISOString();
    switch (message.type) {
      case 'ready':
        this.update(slot, { state: 'running', lastHeartbeat: at });
        break;
      case 'progress':
        this.update(slot, {
          state: 'running',
          lastHeartbeat: at,
          progress: { done: message.done, total: message.total, label: message.label },
        });
        break;
      case 'heartbeat':
        this.update(slot, { lastHeartbeat: at, ...(message.detail && { detail: message.detail }) }, false);
        break;
      case 'idle':
        this.update(slot, {
          state: 'idle',
          lastHeartbeat: at,
          progress: null,
          ...(message.detail && { detail: message.detail }),
        });
        slot.consecutiveCrashes = 0;
        break;
      case 'done':
        this.update(slot, {
          state: 'stopped',
          lastHeartbeat: at,
          progress: null,
          ...(message.detail && { detail: message.detail }),
        });
        break;
      case 'failed':
        this.options.log.error('worker reported a failure', { worker: slot.spec.name, error: message.error });
        slot.failed = true;
        this.update(slot, { lastError: message.error, failure: message.wording ?? null });
        break;
      case 'log':
        this.options.log[message.level](message.message, { worker: slot.spec.name, ...message.fields });
        break;
      case 'event':
        for (const l of this.eventListeners) l(slot.spec.name, message.name, message.payload);
        break;
      case 'acquire': {
        const grant = () => {
          if (slot.child === child && child.connected) this.send(child, { type: 'granted', id: message.id });
        };
        if (!this.options.budgets) grant();
        else {
          // A worker that dies while waiting gives up its place in the queue.
          this.options.budgets
            .acquire(message.account, message.weight, message.priority, slot.gone.signal)
            .then(grant, () => undefined);
        }
        break;
      }
    }
  }

  private checkHeartbeats(): void {
    const limit = Date.now() - this.heartbeatTimeoutMs;
    for (const slot of this.slots.values()) {
      const child = slot.child;
      if (!child || slot.stopping || slot.lastSeen >= limit) continue;
      this.options.log.warn('worker missed its heartbeats; killing it', { worker: slot.spec.name, pid: child.pid });
      this.update(slot, { lastError: `no heartbeat for ${Math.round(this.heartbeatTimeoutMs / 1000)} s` });
      slot.lastSeen = Date.now();
      child.kill('SIGKILL');
    }
  }

  private send(child: ChildProcess, message: ToWorker): void {
    if (child.connected) child.send(message);
  }

  private update(slot: Slot, patch: Partial<WorkerStatus>, notify = true): void {
    slot.status = { ...slot.status, ...patch };
    if (notify || patch.detail) for (const listener of this.listeners) listener(slot.status);
  }
}
