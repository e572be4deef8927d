// The back end's implementation of core/api's services.
import type { AppInfo, HealthSnapshot, ServiceHandlers, SettingsView } from '../../core/api/contract';
import { ServiceError } from '../../core/api/dispatcher';
import type { Supervisor } from '../workers/supervisor';

export interface ServiceDeps {
  appInfo(): AppInfo;
  health(): HealthSnapshot;
  settingsView(): SettingsView;
  updateSettings: ServiceHandlers['settings.update'];
  supervisor: Supervisor;
}

export function createServiceHandlers(deps: ServiceDeps): ServiceHandlers {
  return {
    'app.info': async () => deps.appInfo(),
    'health.get': async () => deps.health(),
    'settings.get': async () => deps.settingsView(),
    'settings.update': (patch) => deps.updateSettings(patch),
    'workers.list': async () => deps.supervisor.list(),
    'workers.restart': async ({ name }) => {
      if (!deps.supervisor.get(name)) throw new ServiceError('BAD_REQUEST', `No worker named "${name}"`);
      return deps.supervisor.restart(name);
    },
  };
}
