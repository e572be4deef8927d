// Which database server the app uses, the one client it talks to it with, and a health probe
// that the desk shows. MONGO_URI given: that server, nothing started. Otherwise a mongod on
// PATH (if preferred) or the bundled engine, started here with data in the data folder.
import path from 'node:path';
import type { Db, MongoClient } from 'mongodb';
import type { DatabaseHealth } from '../../core/api/contract';
import type { Logger } from '../../core/logging/logger';
import { maskUri } from '../../core/logging/mask';
import { DatabaseUnavailable } from './databaseUnavailable';
import { findEngineBinary, findMongod } from './databaseEngine';
import { MONGODB_PORT, savedPort } from '../settings/savedPort';
import { LocalDatabaseServer } from './localDatabase';
import { boundedDb, createMongoClient } from './mongoConnection';

/** A ping slower than this counts as no answer. */
const PING_LIMIT_MS = 2000;

/** The promise's value, or an error once `ms` have passed (the operation itself is not stopped). */
function withinMs<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export interface DatabaseManagerOptions {
  /** The trader's own server; when set nothing is started. */
  mongoUri: string | null;
  preferMongod: boolean;
  dbName: string;
  /** Parent folder of the managed servers' data folders. */
  dataDir: string;
  /** Folder holding bin/ferretdb. */
  resourcesDir: string;
  engineOverride?: string | null;
  log: Logger;
  probeIntervalMs?: number;
  /** PATH to search for mongod (tests pass their own). */
  searchPath?: string;
  /** The managed server's port when it has none saved: MongoDB's 27017 by default, 0 for any free one. */
  preferredPort?: number;
}

type Listener = (health: DatabaseHealth) => void;

export class DatabaseManager {
  private client: MongoClient | null = null;
  private bounded: Db | null = null;
  private server: LocalDatabaseServer | null = null;
  private state: DatabaseHealth;
  private readonly listeners = new Set<Listener>();
  private probeTimer: NodeJS.Timeout | null = null;
  private probing = false;
  private knowsVersion = false;
  private stopped = false;
  private resolvedUri = '';

  constructor(private readonly options: DatabaseManagerOptions) {
    const now = new Date().toISOString();
    this.state = {
      state: 'connecting',
      server: options.mongoUri ? 'external' : 'ferretdb',
      managed: !options.mongoUri,
      version: null,
      engine: null,
      uri: options.mongoUri ? maskUri(options.mongoUri) : '',
      dbName: options.dbName,
      pid: null,
      latencyMs: null,
      lastError: null,
      checkedAt: now,
      since: now,
      ttlIndex: 'unknown',
    };
  }

  /** The full connection string (credentials included): for our own workers only, never for display. */
  get uri(): string {
    return this.resolvedUri;
  }

  health(): DatabaseHealth {
    return this.state;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The app's database, every read bounded in time on the server. */
  db(): Db {
    if (!this.bounded) throw new DatabaseUnavailable('the database has not started yet');
    return this.bounded;
  }

  setTtlIndexState(ttlIndex: DatabaseHealth['ttlIndex']): void {
    if (this.state.ttlIndex !== ttlIndex) this.update({ ttlIndex });
  }

  async start(): Promise<void> {
    const { log } = this.options;
    try {
      this.resolvedUri = this.options.mongoUri ?? (await this.startManagedServer());
    } catch (err) {
      this.update({ state: 'down', lastError: (err as Error).message });
      throw err;
    }
    this.update({ uri: maskUri(this.resolvedUri) });
    this.client = createMongoClient(this.resolvedUri, 'quantdesk', { selectionTimeoutMs: 2000, heartbeatMs: 2000 });
    this.bounded = boundedDb(this.client.db(this.options.dbName));
    log.info('database selected', {
      server: this.state.server,
      uri: maskUri(this.resolvedUri),
      dbName: this.options.dbName,
    });
    // The driver connects lazily and reconnects by itself; the probe reports what it sees.
    this.client.on('serverHeartbeatFailed', () => void this.probe());
    await this.probe();
    this.probeTimer = setInterval(() => void this.probe(), this.options.probeIntervalMs ?? 1000);
    this.probeTimer.unref();
  }

  private async startManagedServer(): Promise<string> {
    const { log } = this.options;
    const mongod = this.options.preferMongod ? findMongod(this.options.searchPath) : null;
    const engine = mongod ? null : findEngineBinary(this.options.resourcesDir, this.options.engineOverride);
    if (!mongod && !engine) {
      throw new Error(
        'No database server: the local engine is not built (run `npm run db:build`, which needs Go), no mongod is on PATH, and MONGO_URI is not set.',
      );
    }
    const kind = mongod ? 'mongod' : 'ferretdb';
    this.update({ server: kind, managed: true });
    const dataDir = path.join(this.options.dataDir, kind);
    const choice = await savedPort(path.join(dataDir, 'port'), this.options.preferredPort ?? MONGODB_PORT);
    if (choice.moved) log.warn('the database port saved before is taken: a new one is used', { port: choice.port });
    this.server = new LocalDatabaseServer({ kind, binary: (mongod ?? engine)!, dataDir, port: choice.port, log });
    this.server.onEvent((event) => {
      if (event.type === 'exited') {
        // Report at once: the probe would take up to a heartbeat to notice.
        this.knowsVersion = false;
        this.update({ state: 'down', pid: null, lastError: `local ${kind} ${event.why}; restarting`, latencyMs: null });
      } else if (event.type === 'started') {
        this.update({ pid: event.pid });
        void this.probe();
      } else {
        this.update({ lastError: event.message });
      }
    });
    const uri = await this.server.start();
    this.update({ pid: this.server.pid });
    return uri;
  }

  private async probe(): Promise<void> {
    const client = this.client;
    if (!client || this.probing || this.stopped) return;
    this.probing = true;
    try {
      const admin = client.db('admin');
      const t0 = performance.now();
      // "down" means no answer to a ping within the limit, however long other reads take
      await withinMs(admin.command({ ping: 1 }), PING_LIMIT_MS, 'the database did not answer a ping');
      const latencyMs = Math.round((performance.now() - t0) * 10) / 10;
      const patch: Partial<DatabaseHealth> = { state: 'connected', latencyMs, lastError: null };
      if (!this.knowsVersion) {
        const info = await withinMs(
          admin.command({ buildInfo: 1 }),
          PING_LIMIT_MS,
          'the database did not answer buildInfo',
        );
        const ferret = typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : null;
        patch.version = String(info.version);
        patch.engine = ferret ? `FerretDB ${ferret} (SQLite)` : `MongoDB ${String(info.version)}`;
        this.knowsVersion = true;
      }
      this.update(patch);
    } catch (err) {
      this.knowsVersion = false;
      this.update({ state: 'down', latencyMs: null, lastError: (err as Error).message });
    } finally {
      this.probing = false;
    }
  }

  private update(patch: Partial<DatabaseHealth>): void {
    const now = new Date().toISOString();
    const changed = patch.state !== undefined && patch.state !== this.state.state;
    if (changed)
      this.options.log[patch.state === 'down' ? 'warn' : 'info'](`database ${patch.state}`, {
        lastError: patch.lastError ?? null,
      });
    this.state = { ...this.state, ...patch, checkedAt: now, ...(changed && { since: now }) };
    for (const l of this.listeners) l(this.state);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    await this.client?.close().catch(() => undefined);
    await this.server?.stop();
  }
}
