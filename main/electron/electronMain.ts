// Electron's main process: app lifecycle and one hardened window. The back end is the same
// one browser mode runs; only the transport (IPC through the preload) differs.
import path from 'node:path';
import { BrowserWindow, app, ipcMain, protocol, session, shell } from 'electron';
import { appVersion, repoRoot } from '../app/appInfo';
import { startBackend, type Backend } from '../app/backend';
import { appProtocolResponse } from './appProtocol';
import { desktopLocale } from './desktopLocale';
import { IPC_EVENT, IPC_REQUEST } from './ipcChannels';
import {
  APP_SCHEME,
  APP_URL,
  blockForeignNavigation,
  createIpcRequestHandler,
  isAllowedPermission,
  secureWebPreferences,
  windowOpenHandler,
} from './security';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

const root = repoRoot();
const dataDir = process.env.QUANTDESK_DATA_DIR ?? app.getPath('userData');
// Chromium's own controls (date inputs) in the desk's language; a change of language shows there from the next start.
app.commandLine.appendSwitch('lang', desktopLocale(dataDir));
const rendererDir = path.join(root, 'dist', 'renderer');
let backend: Backend | null = null;
let mainWindow: BrowserWindow | null = null;

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererDir, request.url));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    title: 'Quantdesk',
    backgroundColor: '#0f141b',
    show: false,
    webPreferences: secureWebPreferences(path.join(__dirname, 'preload.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', blockForeignNavigation);
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(windowOpenHandler((url) => void shell.openExternal(url)));
  void win.loadURL(APP_URL);
  return win;
}

async function onReady(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(isAllowedPermission(permission)),
  );
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => isAllowedPermission(permission));
  serveRenderer();

  backend = await startBackend({
    mode: 'electron',
    dataDir,
    resourcesDir: app.isPackaged ? process.resourcesPath : path.join(root, 'resources'),
    appVersion: app.isPackaged ? app.getVersion() : appVersion(root),
    versions: {
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
      node: process.versions.node,
    },
  });
  const log = backend.logger.child({ component: 'electron' });

  ipcMain.handle(IPC_REQUEST, createIpcRequestHandler(backend.dispatch, log));
  backend.subscribe((message) => {
    for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, message);
  });

  mainWindow = createWindow();
}

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', blockForeignNavigation);
  // Any other web contents gets no window and opens nothing outside.
  contents.setWindowOpenHandler(windowOpenHandler(() => undefined));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0 && backend) mainWindow = createWindow();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !backend) return;
  event.preventDefault();
  quitting = true;
  backend.stop().finally(() => app.quit());
});

app
  .whenReady()
  .then(onReady)
  .catch((err: unknown) => {
    process.stderr.write(`Quantdesk failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    app.exit(1);
  });
