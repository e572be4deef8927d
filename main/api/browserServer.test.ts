// Browser mode's front door, over real sockets: token, Origin, 127.0.0.1, bad messages.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { services, type ServiceHandlers } from '../../core/api/contract';
import { createDispatcher } from '../../core/api/dispatcher';
import { MAX_MESSAGE_BYTES, type EventMessage } from '../../core/api/messages';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { DEFAULT_SETTINGS } from '../../core/settings/settingsSchema';
import { startBrowserServer, type BrowserServer } from './browserServer';

const appInfo = {
  name: 'Quantdesk',
  version: '9.9.9',
  mode: 'browser' as const,
  platform: 'linux-x64',
  versions: {},
  startedAt: '2026-01-01T00:00:00.000Z',
  dataDir: '/d',
};
const view = {
  settings: DEFAULT_SETTINGS,
  environment: [],
  paths: { dataDir: '/d', settingsFile: '/d/s', logFile: '/d/l', envFile: '/d/e' },
  restartRequired: [],
};
const handlers: ServiceHandlers = {
  ...(Object.fromEntries(
    Object.keys(services).map((k) => [
      k,
      async () => {
        throw new Error(`${k} is not used in this test`);
      },
    ]),
  ) as unknown as ServiceHandlers),
  'app.info': async () => appInfo,
  'health.get': async () => {
    throw new Error('not in this test');
  },
  'settings.get': async () => view,
  'settings.update': async () => view,
  'workers.list': async () => [],
  'workers.restart': async () => {
    throw new Error('not in this test');
  },
};

let server: BrowserServer;
let rendererDir: string;
const log = createMemoryLogger();
const listeners = new Set<(e: EventMessage) => void>();
const emit = (e: EventMessage) => listeners.forEach((l) => l(e));

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>desk</title>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const dispatch = createDispatcher(handlers, log);
  server = await startBrowserServer({
    rendererDir,
    port: 0,
    dispatch,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    log,
  });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

function get(pathname: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${server.port}${pathname}`, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

function connect(opts: { token?: string; origin?: string | null } = {}): Promise<WebSocket> {
  const token = opts.token ?? server.token;
  const origin = opts.origin === null ? undefined : (opts.origin ?? `http://127.0.0.1:${server.port}`);
  const ws = new WebSocket(
    `ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(token)}`,
    origin ? { origin } : {},
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () =>
        reject(
          Object.assign(new Error(`HTTP ${res.statusCode}`), {
            status: res.statusCode,
            headers: res.headers,
            body: JSON.parse(body) as unknown,
          }),
        ),
      );
    });
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) =>
    ws.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)),
  );
}

describe('browser server', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('serves the renderer with a strict CSP that allows only its own socket', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>desk</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain(`ws://127.0.0.1:${server.port}`);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect((await get('/assets/app.js')).headers['content-type']).toContain('javascript');
  });

  it('is bound to the loopback address only and unreachable on any other interface', async () => {
    expect(server.host).toBe('127.0.0.1');
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    for (const address of others) {
      const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
        http.get(`http://${address}:${server.port}/`, (res) => (res.resume(), resolve(null))).on('error', resolve);
      });
      expect(error?.code).toBe('ECONNREFUSED');
    }
  });

  it('puts the strict policy on every HTTP response: pages, files, errors and refused sockets', async () => {
    const responses = await Promise.all(
      [
        '/',
        '/assets/app.js',
        '/missing',
        `/api/session?token=${server.token}`,
        '/api/session?token=wrong',
        '/%E0%A4%A',
      ].map(get),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 200, 401, 400]);
    const refused = await connect({ origin: 'https://evil.example' }).catch(
      (err: { headers?: http.IncomingHttpHeaders }) => err,
    );
    const policies = [
      ...responses.map((r) => r.headers['content-security-policy']),
      (refused as { headers?: http.IncomingHttpHeaders }).headers?.['content-security-policy'],
    ];
    for (const csp of policies) {
      expect(csp).toBeTruthy();
      expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
      const d = new Map(
        String(csp)
          .split(';')
          .map((x: string) => x.trim().split(/\s+/))
          .map(([name, ...sources]): [string, string[]] => [name!, sources]),
      );
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      // Sockets only to this very server on the loopback (the page may be opened as 127.0.0.1 or localhost).
      expect(d.get('connect-src')).toEqual([
        "'self'",
        `ws://127.0.0.1:${server.port}`,
        `ws://localhost:${server.port}`,
      ]);
    }
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x'])
      expect((await get(p)).status).toBe(404);
  });

  it('answers the session check: 200 for the token, 401 with a clear reason otherwise', async () => {
    expect((await get(`/api/session?token=${server.token}`)).status).toBe(200);
    const bad = await get('/api/session?token=wrong');
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.body)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: expect.stringContaining('session token') },
    });
  });

  it('refuses a socket with a wrong or missing token (401 + JSON reason) and logs it', async () => {
    await expect(connect({ token: 'x'.repeat(32) })).rejects.toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'UNAUTHORIZED' } },
    });
    await expect(connect({ token: '' })).rejects.toMatchObject({ status: 401 });
    expect(
      log.lines.some((l) => l.message === 'api connection refused' && JSON.stringify(l.fields).includes('token')),
    ).toBe(true);
  });

  it('refuses a socket from another Origin or with none, even with the right token', async () => {
    await expect(connect({ origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(connect({ origin: null })).rejects.toMatchObject({ status: 403 });
  });

  it('round-trips a request and pushes events to connected clients', async () => {
    const ws = await connect();
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'app.info', params: {} }));
    expect(await reply).toEqual({ type: 'reply', id: 1, ok: true, value: appInfo });
    const event = nextMessage(ws);
    emit({ type: 'event', name: 'settingsChanged', payload: view, emittedAt: '2026-01-01T00:00:00.000Z' });
    expect(await event).toMatchObject({ type: 'event', name: 'settingsChanged' });
    ws.close();
  });

  it('answers malformed, unknown, binary and oversized messages with clear errors and keeps serving', async () => {
    const ws = await connect();
    const cases: [string | Buffer, string][] = [
      ['{not json', 'BAD_REQUEST'],
      [JSON.stringify({ hello: 'world' }), 'BAD_REQUEST'],
      [JSON.stringify({ type: 'request', id: 2, method: 'orders.sellEverything', params: {} }), 'UNKNOWN_METHOD'],
      [JSON.stringify({ type: 'request', id: 3, method: 'settings.update', params: { language: 42 } }), 'BAD_REQUEST'],
      [Buffer.from([1, 2, 3]), 'BAD_REQUEST'],
      [
        JSON.stringify({ type: 'request', id: 4, method: 'app.info', params: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }),
        'TOO_LARGE',
      ],
    ];
    for (const [data, code] of cases) {
      const reply = nextMessage(ws);
      ws.send(data);
      expect(await reply).toMatchObject({ type: 'reply', ok: false, error: { code } });
    }
    const ok = nextMessage(ws);
    ws.send(JSON.stringify({ type: 'request', id: 5, method: 'app.info', params: {} }));
    expect(await ok).toMatchObject({ id: 5, ok: true });
    ws.close();
  });
});
