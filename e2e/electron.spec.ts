// The desktop window, where an Electron runtime exists. Here (no Electron download) it is
// skipped, and says so; browser mode covers the same renderer and API in the other specs.
import fs from 'node:fs';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

function electronBinary(): string | null {
  const pkg = path.resolve('node_modules/electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(pkg, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

const bin = electronBinary();

test.describe('desktop window (Electron)', () => {
  test.skip(
    !bin,
    'Electron runtime not installed on this machine (it cannot be downloaded here); browser mode covers the renderer and API',
  );

  test('opens the desk with a hardened window and reaches the Health panel', async () => {
    const dataDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'quantdesk-electron-'));
    const app = await electron.launch({
      executablePath: bin!,
      args: [path.resolve('.')],
      env: { ...process.env, QUANTDESK_DATA_DIR: dataDir },
    });
    try {
      const window = await app.firstWindow();
      // No Node in the page (nodeIntegration off, sandbox on); only the preload's bridge.
      expect(
        await window.evaluate(() => [
          typeof (globalThis as { require?: unknown }).require,
          typeof (globalThis as { process?: unknown }).process,
        ]),
      ).toEqual(['undefined', 'undefined']);
      expect(
        await window.evaluate(() => typeof (globalThis as { quantdesk?: { request?: unknown } }).quantdesk?.request),
      ).toBe('function');
      await expect(window.getByTestId('db-state')).toHaveText(/connected/, { timeout: 60_000 });
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
