import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  SettingsPatchSchema,
  SettingsSchema,
  applySettingsPatch,
  changedRestartKeys,
} from './settingsSchema';

describe('settings schema', () => {
  it('fills defaults for a missing or partial file', () => {
    expect(SettingsSchema.parse({})).toEqual(DEFAULT_SETTINGS);
    expect(SettingsSchema.parse({ language: 'zh-CN', database: { name: 'desk' } })).toMatchObject({
      language: 'zh-CN',
      database: { name: 'desk', preferMongod: true },
    });
  });

  it('refuses unknown keys so that nothing (a secret, say) can be smuggled into the file', () => {
    expect(SettingsSchema.safeParse({ apiSecret: 'x' }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ database: { password: 'x' } }).success).toBe(false);
  });

  it.each([
    [{ language: 'fr' }, 'language'],
    [{ server: { port: 70000 } }, 'server.port'],
    [{ database: { name: 'has space' } }, 'database.name'],
    [{ logging: { maxFiles: 0 } }, 'logging.maxFiles'],
    [{ timeDisplay: 1 }, 'timeDisplay'],
  ])('rejects a bad patch %j at %s', (patch, where) => {
    const result = SettingsPatchSchema.safeParse(patch);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.path.join('.')).toBe(where);
  });

  it('applies a patch without touching other fields and names restart-only changes', () => {
    const next = applySettingsPatch(DEFAULT_SETTINGS, { language: 'zh-CN', server: { port: 8080 } });
    expect(next).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN', server: { port: 8080 } });
    expect(changedRestartKeys(DEFAULT_SETTINGS, next)).toEqual(['server.port']);
    expect(changedRestartKeys(DEFAULT_SETTINGS, applySettingsPatch(DEFAULT_SETTINGS, { timeDisplay: 'utc' }))).toEqual(
      [],
    );
  });
});
