// Browser mode's front door: one HTTP server on 127.0.0.1 that serves the renderer bundle
// and carries the API over a WebSocket. The socket needs the session token and our own
// Origin, so neither another site in the trader's browser nor a process without the token
// can drive the back end.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, errorReply, type EventMessage, type ReplyMessage } from '../../core/api/messages';
import type { Logger } from '../../core/logging/logger';
import { contentSecurityPolicy } from '../../core/security/csp';
import { MIME_TYPES } from './mimeTypes';

export interface BrowserServerOptions {
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  dispatch(raw: unknown, origin: string): Promise<ReplyMessage>;
  subscribe(listener: (event: EventMessage) => void): () => void;
  log: Logger;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface BrowserServer {
  port: number;
  token: string;
  /** The URL to open, token included. */
  url: string;
  /** The address the server is bound to (always the loopback 127.0.0.1). */
  host: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The page's policy: its own files, and sockets only to this server on the loopback. */
function pagePolicy(port: number): string {
  return contentSecurityPolicy([`ws://${HOST}:${port}`, `ws://localhost:${port}`]);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, port: number): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': pagePolicy(port),
  });
  res.end(JSON.stringify(body));
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const log = options.log.child({ component: 'browser-server' });
  const rendererDir = path.resolve(options.rendererDir);
  let port = options.port;
  const allowedOrigins = () => new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { ok: false, error: { code: 'BAD_REQUEST', message: 'Only GET is served here' } }, port);
      return;
    }
    if (url.pathname === '/api/session') {
      if (tokenMatches(url.searchParams.get('token'), token)) sendJson(res, 200, { ok: true }, port);
      else {
        log.warn('session check with a missing or wrong token', { remote: req.socket.remoteAddress });
        sendJson(
          res,
          401,
          {
            ok: false,
            error: {
              code: 'UNAUTHORIZED',
              message: 'Missing or wrong session token: open the link the app printed when it started.',
            },
          },
          port,
        );
      }
      return;
    }
    serveStatic(rendererDir, url.pathname, res, port);
  });

  // Frames up to 8x the limit are read and answered with TOO_LARGE; beyond that ws closes the socket (1009).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * MAX_MESSAGE_BYTES });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const reject = (status: number, code: string, message: string) => {
      log.warn('api connection refused', {
        status,
        reason: message,
        origin: req.headers.origin ?? null,
        remote: req.socket.remoteAddress,
      });
      const body = JSON.stringify({ ok: false, error: { code, message } });
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Security-Policy: ${pagePolicy(port)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (url.pathname !== '/api') return reject(404, 'BAD_REQUEST', 'No such endpoint');
    if (!req.headers.origin || !allowedOrigins().has(req.headers.origin))
      return reject(403, 'UNAUTHORIZED', 'Origin not allowed: the API only answers pages served by this app');
    if (!tokenMatches(url.searchParams.get('token'), token))
      return reject(401, 'UNAUTHORIZED', 'Missing or wrong session token');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req.headers.origin ?? ''));
  });

  function accept(ws: WebSocket, origin: string): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', (err) => log.warn('api socket error', { message: err.message }));
    ws.on('message', (data, isBinary) => {
      const size = Array.isArray(data)
        ? data.reduce((n, b) => n + b.length, 0)
        : (data as Buffer | ArrayBuffer).byteLength;
      if (isBinary || size > MAX_MESSAGE_BYTES) {
        log.warn('api message refused', { reason: isBinary ? 'binary frame' : 'too large', size });
        ws.send(
          JSON.stringify(
            errorReply(
              null,
              isBinary ? 'BAD_REQUEST' : 'TOO_LARGE',
              isBinary
                ? 'Binary frames are not accepted; send JSON text'
                : `Message larger than ${MAX_MESSAGE_BYTES} bytes`,
            ),
          ),
        );
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        log.warn('api message is not JSON', { origin });
        ws.send(JSON.stringify(errorReply(null, 'BAD_REQUEST', 'Message is not valid JSON')));
        return;
      }
      options.dispatch(raw, `ws ${origin}`).then(
        (reply) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
        },
        (err: unknown) =>
          log.error('api dispatch threw', { message: err instanceof Error ? err.message : String(err) }),
      );
    });
  }

  const unsubscribe = options.subscribe((event) => {
    const text = JSON.stringify(event);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as { address: string; port: number };
  port = bound.port;
  log.info('browser mode listening', { host: bound.address, port });

  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    host: bound.address,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveStatic(rendererDir: string, pathname: string, res: http.ServerResponse, port: number): void {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: 'Bad path' } }, port);
    return;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(rendererDir, '.' + rel);
  if (!file.startsWith(rendererDir + path.sep)) {
    sendJson(res, 404, { ok: false, error: { code: 'BAD_REQUEST', message: 'Not found' } }, port);
    return;
  }
  fs.readFile(file, (err, body) => {
    if (err) {
      const missingBundle = rel === '/index.html';
      sendJson(
        res,
        404,
        {
          ok: false,
          error: {
            code: 'BAD_REQUEST',
            message: missingBundle ? 'The renderer is not built: run `npm run build`' : 'Not found',
          },
        },
        port,
      );
      return;
    }
    const ext = path.extname(file);
    res.writeHead(200, {
      'content-type': MIME_TYPES[ext] ?? 'application/octet-stream',
      'content-security-policy': pagePolicy(port),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': ext === '.html' ? 'no-store' : 'public, max-age=3600',
    });
    res.end(body);
  });
}
