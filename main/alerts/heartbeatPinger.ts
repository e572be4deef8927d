// The dead man's switch: while the app runs it pings a URL of the trader's choice (e.g. a
// healthchecks service) every interval, so an outside service notices when the app itself
// has stopped. The URL can hold a token: it lives in the OS keychain.
import type { Logger } from '../../core/logging/logger';
import type { SecretStore } from '../../core/ports/secretStore';

const ACCOUNT = 'alerts:heartbeat-url';

export interface PingResult {
  at: string;
  ok: boolean;
  status: number | null;
  error: string | null;
}

export class HeartbeatPinger {
  private timer: NodeJS.Timeout | null = null;
  private last: PingResult | null = null;
  private host: string | null = null;
  /** Bumped on every configure: a ping that started before it does not report after it. */
  private generation = 0;

  constructor(
    private readonly secrets: SecretStore,
    private readonly log: Logger,
    private readonly intervalMs = 60_000,
  ) {}

  async start(): Promise<void> {
    const url = await this.secrets.get(ACCOUNT).catch(() => null);
    this.host = url ? new URL(url).host : null;
    if (this.timer) clearInterval(this.timer);
    if (!url) return;
    void this.ping();
    this.timer = setInterval(() => void this.ping(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  status(): { configured: boolean; host: string | null; intervalSec: number; last: PingResult | null } {
    return { configured: this.host !== null, host: this.host, intervalSec: this.intervalMs / 1000, last: this.last };
  }

  /** Sets (or with null, removes) the URL, and pings at once so the trader sees it work. */
  async configure(url: string | null): Promise<ReturnType<HeartbeatPinger['status']>> {
    this.generation += 1;
    if (url === null) {
      await this.secrets.delete(ACCOUNT).catch(() => false);
      this.last = null;
    } else {
      const u = new URL(url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('The heartbeat URL must be http(s)');
      await this.secrets.set(ACCOUNT, u.toString());
    }
    this.last = null;
    await this.start();
    if (url !== null) await this.ping();
    return this.status();
  }

  async ping(): Promise<PingResult> {
    const generation = this.generation;
    const url = await this.secrets.get(ACCOUNT).catch(() => null);
    const at = new Date().toISOString();
    if (!url) return { at, ok: false, status: null, error: 'no heartbeat URL' };
    let result: PingResult;
    try {
      const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(10_000) });
      result = { at, ok: res.ok, status: res.status, error: res.ok ? null : `HTTP ${res.status}` };
    } catch (err) {
      result = { at, ok: false, status: null, error: err instanceof Error ? err.message : String(err) };
    }
    if (generation !== this.generation) return result; // the URL changed meanwhile
    this.last = result;
    if (!result.ok) this.log.warn('heartbeat ping failed', { host: this.host, error: result.error });
    return result;
  }
}
