// The app:// scheme's answers, from real files: every response, found or not, carries the CSP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolResponse } from './appProtocol';
import { APP_ORIGIN } from './security';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-app-proto-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>desk</title>');
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('app:// protocol', () => {
  it('serves the bundle and answers every request, found or not, with the strict policy', async () => {
    const urls = [
      `${APP_ORIGIN}/`,
      `${APP_ORIGIN}/assets/app.js`,
      `${APP_ORIGIN}/missing.js`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
      'app://other/index.html',
    ];
    const responses = await Promise.all(urls.map((u) => appProtocolResponse(dir, u)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 404, 404]);
    expect(await responses[0]!.text()).toContain('<title>desk</title>');
    expect(responses[1]!.headers.get('content-type')).toContain('javascript');
    for (const r of responses) {
      const csp = r.headers.get('content-security-policy');
      expect(csp).toBeTruthy();
      expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
      const d = directives(csp!);
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      // Electron reaches the back end over IPC: no socket, no other host.
      expect(d.get('connect-src')).toEqual(["'self'"]);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
