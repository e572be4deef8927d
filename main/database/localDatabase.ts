// A database server this app starts, owns and stops: the bundled FerretDB engine or a local
// mongod, with its data in the app's data folder (never in memory), on a free loopback port.
// If it dies, listeners hear at once and it is restarted with backoff on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../../core/logging/logger';
import { freePort, portIsFree } from '../settings/savedPort';
import { DATABASE_RESTART_BACKOFF, backoffDelayMs } from '../../core/retry/backoff';

export type ServerKind = 'ferretdb' | 'mongod';

export interface LocalDatabaseOptions {
  kind: ServerKind;
  binary: string;
  /** Folder for this server's data; created if missing. */
  dataDir: string;
  log: Logger;
  /** Fixed port (tests); a free one is picked otherwise. */
  port?: number;
  startTimeoutMs?: number;
  random?: () => number;
  /** Extra environment for the server process (tests: the engine's pushdown switch). */
  env?: Record<string, string>;
}

/** The server's port is held by another program. */
export class PortTaken extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is taken by another program`);
    this.name = 'PortTaken';
  }
}

export type LocalDatabaseEvent =
  { type: 'exited'; why: string } | { type: 'started'; pid: number } | { type: 'restartFailed'; message: string };

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const liveChildren = new Set<ChildProcess>();
// If our process ends without stopping its servers, take them along.
process.once('exit', () => {
  for (const c of liveChildren) c.kill('SIGKILL');
});

export class LocalDatabaseServer {
  private child: ChildProcess | null = null;
  private port = 0;
  private stopping = false;
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(event: LocalDatabaseEvent) => void>();
  private stderrTail: string[] = [];

  constructor(private readonly options: LocalDatabaseOptions) {}

  get kind(): ServerKind {
    return this.options.kind;
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  onEvent(listener: (event: LocalDatabaseEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<string> {
    this.stopping = false;
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    if (!this.port) this.port = this.options.port ?? (await freePort());
    await this.launch();
    return this.uri;
  }

  private args(): string[] {
    const { kind, dataDir } = this.options;
    if (kind === 'ferretdb')
      return [`--listen-addr=127.0.0.1:${this.port}`, `--sqlite-url=file:${dataDir}${path.sep}`, '--log-level=error'];
    return ['--dbpath', dataDir, '--bind_ip', '127.0.0.1', '--port', String(this.port), '--quiet'];
  }

  private async launch(): Promise<void> {
    const { binary, log } = this.options;
    // Something else listening there would answer in our server's place.
    if (!(await portIsFree(this.port))) throw new PortTaken(this.port);
    this.stderrTail = [];
    const child = spawn(binary, this.args(), {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(this.options.env && { env: { ...process.env, ...this.options.env } }),
    });
    this.child = child;
    liveChildren.add(child);
    const keep = (chunk: Buffer) => {
      this.stderrTail.push(...chunk.toString().split('\n').filter(Boolean));
      this.stderrTail = this.stderrTail.slice(-20);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited = false;
    child.once('exit', (code, signal) => {
      exited = true;
      liveChildren.delete(child);
      if (this.child !== child) return;
      this.child = null;
      if (this.stopping) return;
      const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
      log.warn('local database server stopped unexpectedly', {
        kind: this.options.kind,
        why,
        lastOutput: this.stderrTail.slice(-5),
      });
      this.emit({ type: 'exited', why });
      this.scheduleRestart();
    });

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
    while (!(await canConnect(this.port))) {
      if (exited)
        throw new Error(
          `${this.options.kind} exited during start-up: ${this.stderrTail.slice(-5).join(' | ') || 'no output'}`,
        );
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `${this.options.kind} did not accept connections on 127.0.0.1:${this.port} within ${this.options.startTimeoutMs ?? 30_000} ms: ${this.stderrTail.slice(-5).join(' | ') || 'no output'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    log.info('local database server started', {
      kind: this.options.kind,
      pid: child.pid,
      port: this.port,
      dataDir: this.options.dataDir,
    });
    this.emit({ type: 'started', pid: child.pid ?? 0 });
  }

  private scheduleRestart(): void {
    this.crashes += 1;
    const delay = backoffDelayMs(this.crashes, DATABASE_RESTART_BACKOFF, (this.options.random ?? Math.random)());
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.launch().then(
        () => {
          this.crashes = 0;
        },
        (err: Error) => {
          this.options.log.error('local database server restart failed', { message: err.message });
          this.emit({ type: 'restartFailed', message: err.message });
          if (!this.stopping && !this.child) this.scheduleRestart();
        },
      );
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    liveChildren.delete(child);
  }

  private emit(event: LocalDatabaseEvent): void {
    for (const l of this.listeners) l(event);
  }
}
