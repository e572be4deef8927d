// What every page shares: the API client, live health, the settings (which also drive
// the language and the time display), and the requests that failed, shown to the user.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../core/api/client';
import type {
  HealthSnapshot,
  ReplyOf,
  RequestOf,
  ServiceName,
  SettingsView,
  WorkerStatus,
} from '../../core/api/contract';
import type { Connection } from './api/connection';
import type { ConnectionState } from './api/wsTransport';
import { i18n, setLanguage } from './i18n';
import { errorText } from './i18n/say';

export interface Desk {
  client: ApiClient;
  mode: 'electron' | 'browser';
  connection: ConnectionState;
  health: HealthSnapshot | null;
  settings: SettingsView | null;
  setSettings(view: SettingsView): void;
  /**
   * Calls the back end; a failure is shown on the desk's strip of failed requests (until the
   * same call next succeeds or the user dismisses it), never dropped. `onError` lets the page
   * show its own state too (an error in place of data, never an empty table).
   */
  request<K extends ServiceName>(
    method: K,
    params: RequestOf<K>,
    onValue: (value: ReplyOf<K>) => void,
    onError?: (message: string) => void,
  ): void;
  failures: RequestFailure[];
  dismissFailure(method: string): void;
}

export interface RequestFailure {
  method: string;
  message: string;
  at: number;
  /** `show`: the back end answered, but the page could not show the reply. */
  kind: 'request' | 'show';
}

const DeskContext = createContext<Desk | null>(null);

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside DeskProvider');
  return desk;
}

function mergeWorker(health: HealthSnapshot | null, worker: WorkerStatus): HealthSnapshot | null {
  if (!health) return health;
  const workers = health.workers.some((w) => w.name === worker.name)
    ? health.workers.map((w) => (w.name === worker.name ? worker : w))
    : [...health.workers, worker];
  return { ...health, workers };
}

export function DeskProvider({
  connection,
  children,
}: {
  connection: Extract<Connection, { ok: true }>;
  children: ReactNode;
}) {
  const { client } = connection;
  const [health, setHealth] = useState<HealthSnapshot | null>(null);
  const [settings, setSettingsState] = useState<SettingsView | null>(null);
  const [state, setState] = useState<ConnectionState>(connection.state());

  const [failures, setFailures] = useState<RequestFailure[]>([]);

  const setSettings = (view: SettingsView) => {
    setSettingsState(view);
    setLanguage(view.settings.language, view.settings.timeDisplay);
  };

  const dismissFailure = useCallback(
    (method: string) =>
      setFailures((fs) => (fs.some((f) => f.method === method) ? fs.filter((f) => f.method !== method) : fs)),
    [],
  );
  const request = useCallback<Desk['request']>(
    (method, params, onValue, onError) => {
      const fail = (err: unknown, kind: RequestFailure['kind'] = 'request') => {
        const message = errorText(i18n.t, err);
        setFailures((fs) => [...fs.filter((f) => f.method !== method), { method, message, at: Date.now(), kind }]);
        onError?.(message);
      };
      client.call(method, params).then((value) => {
        dismissFailure(method);
        // a reply the page cannot show is a failure too, said as the page's own
        try {
          onValue(value);
        } catch (err) {
          fail(err, 'show');
        }
      }, fail);
    },
    [client, dismissFailure],
  );

  useEffect(() => {
    const load = () => {
      request('health.get', {}, setHealth);
      request('settings.get', {}, setSettings);
    };
    load();
    const offs = [
      client.on('healthChanged', setHealth),
      client.on('workerChanged', (w) => setHealth((h) => mergeWorker(h, w))),
      client.on('settingsChanged', setSettings),
      connection.onState((s) => {
        setState(s);
        if (s === 'open') load();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, connection, request]);

  return (
    <DeskContext.Provider
      value={{
        client,
        mode: connection.mode,
        connection: state,
        health,
        settings,
        setSettings,
        request,
        failures,
        dismissFailure,
      }}
    >
      {children}
    </DeskContext.Provider>
  );
}
