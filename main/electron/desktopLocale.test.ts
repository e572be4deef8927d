// The desktop app's Chromium locale follows the saved language, and falls back to English.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopLocale } from './desktopLocale';

describe('desktop locale', () => {
  it('is the saved language, English without settings or with unreadable ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-locale-'));
    try {
      expect(desktopLocale(dir)).toBe('en');
      fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ language: 'zh-CN' }));
      expect(desktopLocale(dir)).toBe('zh-CN');
      fs.writeFileSync(path.join(dir, 'settings.json'), '{ not json');
      expect(desktopLocale(dir)).toBe('en');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
