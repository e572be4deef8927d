import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ApiTransport } from '../../core/api/client';
import { services, type ServiceHandlers } from '../../core/api/contract';
import { createDispatcher } from '../../core/api/dispatcher';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import {
  APP_ORIGIN,
  blockForeignNavigation,
  createIpcRequestHandler,
  isAllowedNavigation,
  isAllowedSender,
  isExternalLinkAllowed,
  resolveAppFile,
  secureWebPreferences,
  windowOpenHandler,
} from './security';

describe('Electron window security', () => {
  it('turns every isolation switch on and every Node door off', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      preload: '/app/preload.cjs',
    });
  });

  it('accepts IPC only from our own pages', () => {
    expect(isAllowedSender(`${APP_ORIGIN}/index.html#/settings`)).toBe(true);
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://other/index.html',
      'http://127.0.0.1:5173/',
      '',
      null,
      undefined,
      'not a url',
    ]) {
      expect(isAllowedSender(url)).toBe(false);
    }
  });

  it('blocks navigation away from our pages and opens only https links outside', () => {
    expect(isAllowedNavigation(`${APP_ORIGIN}/index.html#/charts`)).toBe(true);
    expect(isAllowedNavigation('https://binance.com/')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
    expect(isExternalLinkAllowed('https://docs.example/')).toBe(true);
    for (const url of ['http://x/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://share'])
      expect(isExternalLinkAllowed(url)).toBe(false);
  });

  it('maps app:// URLs into the renderer folder and nothing outside it', () => {
    const dir = path.resolve('/opt/quantdesk/dist/renderer');
    expect(resolveAppFile(dir, `${APP_ORIGIN}/`)).toBe(path.join(dir, 'index.html'));
    expect(resolveAppFile(dir, `${APP_ORIGIN}/assets/index-abc.js`)).toBe(path.join(dir, 'assets', 'index-abc.js'));
    // Dot segments are normalised by URL parsing or refused: never a path outside the folder.
    for (const url of [
      `${APP_ORIGIN}/../../etc/passwd`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
      `${APP_ORIGIN}/assets/..%2f..%2f..%2fetc/passwd`,
    ]) {
      const file = resolveAppFile(dir, url);
      expect(file === null || file.startsWith(dir + path.sep)).toBe(true);
    }
    expect(resolveAppFile(dir, `${APP_ORIGIN}/assets/..%2f..%2f..%2fetc/passwd`)).toBeNull();
    for (const url of [`${APP_ORIGIN}/assets/%00x`, 'app://other/index.html', `${APP_ORIGIN}/%E0%A4%A`, 'not a url']) {
      expect(resolveAppFile(dir, url)).toBeNull();
    }
  });

  it('exposes through the preload exactly the transport the desk expects', () => {
    type Bridge = ApiTransport & { mode: 'electron' };
    expectTypeOf<Bridge>().toHaveProperty('request');
    expectTypeOf<Bridge['subscribe']>().returns.toEqualTypeOf<() => void>();
  });
});

describe('permissions', () => {
  it('grants desktop notifications and nothing else', async () => {
    const { isAllowedPermission } = await import('./security');
    expect(isAllowedPermission('notifications')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'midi', 'pointerLock'])
      expect(isAllowedPermission(p)).toBe(false);
  });
});

describe('the handlers electronMain installs', () => {
  it('will-navigate: stops every navigation away from our pages, lets our own hash routes through', () => {
    const outcome = (url: string) => {
      let prevented = false;
      blockForeignNavigation({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(outcome(`${APP_ORIGIN}/index.html#/trading`)).toBe(false);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:8765/',
      'file:///etc/passwd',
      'app://other/index.html',
      'javascript:alert(1)',
      'data:text/html,x',
    ])
      expect(outcome(url)).toBe(true);
  });

  it('window open: always denied; only an https link is handed to the system browser', () => {
    const opened: string[] = [];
    const handler = windowOpenHandler((url) => opened.push(url));
    for (const url of [
      'https://docs.example/a',
      `${APP_ORIGIN}/index.html`,
      'http://x/',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ])
      expect(handler({ url })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example/a']);
  });

  it('ipc: answers our page through the real dispatcher and refuses any other frame unread', async () => {
    const appInfo = {
      name: 'Quantdesk',
      version: '1.0.0',
      mode: 'electron' as const,
      platform: 'linux-x64',
      versions: {},
      startedAt: '2026-01-01T00:00:00.000Z',
      dataDir: '/d',
    };
    const origins: string[] = [];
    const handlers = {
      ...(Object.fromEntries(
        Object.keys(services).map((k) => [
          k,
          async () => {
            throw new Error(`${k} is not used here`);
          },
        ]),
      ) as unknown as ServiceHandlers),
      'app.info': async () => appInfo,
    };
    const log = createMemoryLogger();
    const dispatch = createDispatcher(handlers, log);
    const handle = createIpcRequestHandler((raw, origin) => (origins.push(origin), dispatch(raw, origin)), log);
    const request = { type: 'request', id: 7, method: 'app.info', params: {} };
    expect(await handle({ senderFrame: { url: `${APP_ORIGIN}/index.html#/overview` } }, request)).toEqual({
      type: 'reply',
      id: 7,
      ok: true,
      value: appInfo,
    });
    for (const senderFrame of [
      { url: 'https://evil.example/' },
      { url: 'app://other/index.html' },
      { url: 'file:///tmp/x.html' },
      null,
      undefined,
    ]) {
      expect(await handle({ senderFrame }, request)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(origins).toEqual(['ipc']);
    expect(log.lines.filter((l) => l.message === 'ipc message from an unexpected sender refused')).toHaveLength(5);
  });
});
