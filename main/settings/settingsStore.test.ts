import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { DEFAULT_SETTINGS } from '../../core/settings/settingsSchema';
import { SettingsStore } from './settingsStore';
import { displayEnvironment, loadEnvironment } from './environment';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-settings-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SettingsStore', () => {
  it('starts from defaults without a file and persists updates atomically', () => {
    const file = path.join(dir, 'sub', 'settings.json');
    const store = SettingsStore.open(file, createMemoryLogger());
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    store.update({ language: 'zh-CN', logging: { level: 'debug' } });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      language: 'zh-CN',
      logging: { level: 'debug', maxFiles: 5 },
    });
    expect(SettingsStore.open(file, createMemoryLogger()).get().language).toBe('zh-CN');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['settings.json']);
  });

  it('refuses an invalid update and changes neither memory nor file', () => {
    const file = path.join(dir, 'settings.json');
    const store = SettingsStore.open(file, createMemoryLogger());
    store.update({ timeDisplay: 'utc' });
    const before = fs.readFileSync(file, 'utf8');
    expect(() => store.update({ server: { port: -1 } })).toThrow();
    expect(store.get().server.port).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it.each([
    ['not JSON', '{ language: en'],
    ['wrong type', JSON.stringify({ language: 'klingon' })],
    ['a smuggled secret', JSON.stringify({ apiSecret: 'abc' })],
  ])('keeps a bad file (%s) aside, warns, and starts from defaults', (_label, content) => {
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, content);
    const log = createMemoryLogger();
    const store = SettingsStore.open(file, log, () => new Date('2026-03-04T05:06:07Z'));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    const aside = path.join(dir, 'settings.json.invalid-2026-03-04T05-06-07-000Z');
    expect(fs.readFileSync(aside, 'utf8')).toBe(content);
    expect(log.lines.find((l) => l.level === 'warn')?.message).toMatch(/invalid/);
  });
});

describe('environment', () => {
  it('reads .env files in order, lets the real environment win, and masks credentials for display', () => {
    const a = path.join(dir, 'a.env');
    const b = path.join(dir, 'b.env');
    fs.writeFileSync(a, 'MONGO_URI=mongodb://u:first@h1/\nQUANTDESK_PORT=9000\n');
    fs.writeFileSync(b, 'MONGO_URI=mongodb://u:second@h2/\n');
    const env = loadEnvironment([a, b, path.join(dir, 'missing.env')], { QUANTDESK_PORT: '9100' });
    expect(env.MONGO_URI).toEqual({ name: 'MONGO_URI', value: 'mongodb://u:second@h2/', source: '.env' });
    expect(env.QUANTDESK_PORT).toEqual({ name: 'QUANTDESK_PORT', value: '9100', source: 'environment' });
    expect(env.QUANTDESK_DATA_DIR.source).toBe('default');
    const shown = displayEnvironment(env).find((v) => v.name === 'MONGO_URI');
    expect(shown?.value).toBe('mongodb://u:***@h2/');
  });
});
