// The heartbeat ping against a local receiver, its URL in the real OS keychain.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { KeychainSecretStore } from '../secrets/keychainSecretStore';
import { HeartbeatPinger } from './heartbeatPinger';

const secrets = new KeychainSecretStore(`quantdesk-test-${crypto.randomUUID()}`);
const hits: string[] = [];
const server = http.createServer((req, res) => {
  hits.push(req.url ?? '');
  const delay = req.url?.startsWith('/slow') ? 300 : 0;
  setTimeout(() => res.writeHead(200).end('OK'), delay);
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const a of await secrets.list()) await secrets.delete(a);
  await new Promise((r) => server.close(r));
});

describe('heartbeat ping', () => {
  it('pings the configured URL on a timer, shows only its host, and stops when removed', async () => {
    const p = new HeartbeatPinger(secrets, createMemoryLogger(), 100);
    const s = await p.configure(`${base}/ping/uuid-token-1`);
    expect(s).toMatchObject({ configured: true, host: new URL(base).host, last: { ok: true, status: 200 } });
    expect(JSON.stringify(s)).not.toContain('uuid-token-1');
    await new Promise((r) => setTimeout(r, 350));
    expect(hits.filter((h) => h === '/ping/uuid-token-1').length).toBeGreaterThanOrEqual(3);
    await p.configure(null);
    const count = hits.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(hits.length).toBe(count);
    expect(p.status()).toMatchObject({ configured: false, last: null });
    await expect(p.configure('ftp://x/y')).rejects.toThrow(/http\(s\)/);
    p.stop();
  });

  it('a ping still in flight when the URL is removed does not report afterwards', async () => {
    const p = new HeartbeatPinger(secrets, createMemoryLogger(), 60_000);
    await p.configure(`${base}/slow/token-2`);
    const inFlight = p.ping();
    await new Promise((r) => setTimeout(r, 50));
    await p.configure(null);
    expect((await inFlight).ok).toBe(true);
    expect(p.status()).toMatchObject({ configured: false, last: null });
    p.stop();
  });
});
