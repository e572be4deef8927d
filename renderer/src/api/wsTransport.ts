// The API over a WebSocket (browser mode): requests matched to replies by id, events fanned
// out, and automatic reconnection with backoff while the back end is away.
import type { ApiTransport } from '../../../core/api/client';
import { REQUEST_TIMEOUT_MS, type RequestMessage } from '../../../core/api/messages';
import { backoffDelayMs, type BackoffPolicy } from '../../../core/retry/backoff';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

const RECONNECT: BackoffPolicy = { baseMs: 250, maxMs: 5000, jitter: 0.2 };
// Generous: a year of minute bars can take the bundled database engine a while to read.

export interface WsTransport extends ApiTransport {
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

export function createWsTransport(url: string): WsTransport {
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  const pending = new Map<number, { resolve: (raw: unknown) => void; reject: (err: Error) => void; timer: number }>();
  const queue: string[] = [];
  const eventListeners = new Set<(raw: unknown) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    stateListeners.forEach((l) => l(next));
  };

  function connect(): void {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
      while (queue.length) ws.send(queue.shift()!);
    };
    ws.onmessage = (e) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(e.data));
      } catch {
        return;
      }
      const msg = raw as { type?: unknown; id?: unknown };
      if (msg.type === 'reply' && typeof msg.id === 'number' && pending.has(msg.id)) {
        const p = pending.get(msg.id)!;
        pending.delete(msg.id);
        window.clearTimeout(p.timer);
        p.resolve(raw);
      } else if (msg.type === 'event') {
        eventListeners.forEach((l) => l(raw));
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      setState('reconnecting');
      // Requests in flight are lost with the socket: fail them so the UI can say so.
      for (const [id, p] of pending) {
        window.clearTimeout(p.timer);
        p.reject(new Error('connection to the back end lost'));
        pending.delete(id);
      }
      window.setTimeout(connect, backoffDelayMs(++attempt, RECONNECT, Math.random()));
    };
  }
  connect();

  return {
    request(message: RequestMessage) {
      return new Promise((resolve, reject) => {
        const timer = window.setTimeout(() => {
          pending.delete(message.id);
          reject(new Error(`no reply to ${message.method} within ${REQUEST_TIMEOUT_MS / 1000} s`));
        }, REQUEST_TIMEOUT_MS);
        pending.set(message.id, { resolve, reject, timer });
        const text = JSON.stringify(message);
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}
