// Chooses the transport: the Electron preload's bridge when present, otherwise the
// WebSocket of browser mode, after checking the session token the app printed.
import { createApiClient, type ApiClient, type ApiTransport } from '../../../core/api/client';
import { createWsTransport, type ConnectionState } from './wsTransport';

declare global {
  interface Window {
    quantdesk?: ApiTransport & { mode: 'electron' };
  }
}

export type Connection =
  | {
      ok: true;
      client: ApiClient;
      mode: 'electron' | 'browser';
      state(): ConnectionState;
      onState(l: (s: ConnectionState) => void): () => void;
    }
  | { ok: false; reason: string };

const TOKEN_KEY = 'quantdesk.token';

/** Takes the token from the address bar (then hides it there) or from this tab's session. */
function sessionToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const now = () => new Date().toISOString();
const onInvalid = (what: string, detail: unknown) => console.warn(`api: invalid ${what}`, detail);

export async function connect(): Promise<Connection> {
  const bridge = window.quantdesk;
  if (bridge) {
    return {
      ok: true,
      client: createApiClient(bridge, now, onInvalid),
      mode: 'electron',
      state: () => 'open',
      onState: () => () => undefined,
    };
  }
  const token = sessionToken();
  if (!token) return { ok: false, reason: 'no token' };
  const res = await fetch(`/api/session?token=${encodeURIComponent(token)}`, { cache: 'no-store' });
  if (!res.ok) {
    sessionStorage.removeItem(TOKEN_KEY);
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    return { ok: false, reason: body?.error?.message ?? `HTTP ${res.status}` };
  }
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const transport = createWsTransport(`${protocol}//${window.location.host}/api?token=${encodeURIComponent(token)}`);
  return {
    ok: true,
    client: createApiClient(transport, now, onInvalid),
    mode: 'browser',
    state: transport.state,
    onState: transport.onState,
  };
}
