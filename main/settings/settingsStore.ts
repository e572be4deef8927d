// The settings file: read with validation, written atomically. A file that cannot be read
// as valid settings is kept aside (never overwritten) and the defaults are used.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/logging/logger';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  applySettingsPatch,
  type Settings,
  type SettingsPatch,
} from '../../core/settings/settingsSchema';

export class SettingsStore {
  private current: Settings;

  private constructor(
    private readonly file: string,
    private readonly log: Logger,
    initial: Settings,
  ) {
    this.current = initial;
  }

  static open(file: string, log: Logger, now: () => Date = () => new Date()): SettingsStore {
    return new SettingsStore(file, log, readSettings(file, log, now));
  }

  get(): Settings {
    return this.current;
  }

  /** Validates and saves a patch; throws the validation error, leaving file and memory as they were. */
  update(patch: SettingsPatch): Settings {
    const next = applySettingsPatch(this.current, patch);
    writeAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
    this.current = next;
    return next;
  }
}

function readSettings(file: string, log: Logger, now: () => Date): Settings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SETTINGS;
    throw err;
  }
  let problem: string;
  try {
    const parsed = SettingsSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  } catch (err) {
    problem = `not valid JSON (${(err as Error).message})`;
  }
  const aside = `${file}.invalid-${now().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(file, aside);
  log.warn('settings: file was invalid; kept it aside and started from defaults', { file, keptAs: aside, problem });
  return DEFAULT_SETTINGS;
}

function writeAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
}
