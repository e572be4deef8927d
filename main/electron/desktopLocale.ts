// The locale Chromium's own controls (date inputs, their calendars) speak in the desktop app:
// the desk's language from the saved settings. Chromium takes it once, at start.
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { Language } from '../../core/settings/settingsSchema';
import { appPaths } from '../settings/paths';
import { SettingsStore } from '../settings/settingsStore';

export function desktopLocale(dataDir: string): Language {
  try {
    return SettingsStore.open(appPaths(dataDir).settingsFile, createMemoryLogger()).get().language;
  } catch {
    return 'en'; // unreadable settings are the back end's to report; the window still opens
  }
}
