// What every page shares: the API client, live health, and the settings (which also drive
// the language and the time display).
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../core/api/client';
import type { HealthSnapshot, SettingsView, WorkerStatus } from '../../core/api/contract';
import type { Connection } from './api/connection';
import type { ConnectionState } from './api/wsTransport';
import { setLanguage } from './i18n';

export interface Desk {
  client: ApiClient;
  mode: 'electron' | 'browser';
  connection: ConnectionState;
  health: HealthSnapshot | null;
  settings: SettingsView | null;
  setSettings(view: SettingsView): void;
}

const DeskContext = createContext<Desk | null>(null);

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside DeskProvider');
  return desk;
}

function mergeWorker(health: HealthSnapshot | null, worker: WorkerStatus): HealthSnapshot | null {
  if (!health) return health;
  const workers = health.workers.some((w) => w.name === worker.name) ? health.workers.map((w) => (w.name === worker.name ? worker : w)) : [...health.workers, worker];
  return { ...health, workers };
}

export function DeskProvider({ connection, children }: { connection: Extract<Connection, { ok: true }>; children: ReactNode }) {
  const { client } = connection;
  const [health, setHealth] = useState<HealthSnapshot | null>(null);
  const [settings, setSettingsState] = useState<SettingsView | null>(null);
  const [state, setState] = useState<ConnectionState>(connection.state());

  const setSettings = (view: SettingsView) => {
    setSettingsState(view);
    setLanguage(view.settings.language);
  };

  useEffect(() => {
    const load = () => {
      client.call('health.get', {}).then(setHealth, () => undefined);
      client.call('settings.get', {}).then(setSettings, () => undefined);
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
  }, [client, connection]);

  return <DeskContext.Provider value={{ client, mode: connection.mode, connection: state, health, settings, setSettings }}>{children}</DeskContext.Provider>;
}
