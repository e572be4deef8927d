// The Electron window's security policy as plain data and pure functions, so it can be
// unit-tested without the Electron runtime. electronMain.ts applies it.
import path from 'node:path';
import { errorReply, type ReplyMessage } from '../../core/api/messages';
import type { Logger } from '../../core/logging/logger';

/** Our pages are served from this privileged standard+secure scheme, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export interface SecureWebPreferences {
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
  navigateOnDragDrop: false;
  preload: string;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
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
    preload,
  };
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** The only permission the desk may have: desktop notifications for alerts. Everything else is refused. */
export function isAllowedPermission(permission: string): boolean {
  return permission === 'notifications';
}

/** An IPC message is accepted only from a frame showing our own pages. */
export function isAllowedSender(frameUrl: string | undefined | null): boolean {
  return Boolean(frameUrl) && originOf(frameUrl!) === APP_ORIGIN;
}

/** The window may only navigate within our own pages (hash routes included). */
export function isAllowedNavigation(url: string): boolean {
  return originOf(url) === APP_ORIGIN;
}

/** Links the trader clicks may open in the system browser only when they are https. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** will-navigate: the window never leaves our pages (a link or a script changing location is stopped). */
export function blockForeignNavigation(event: { preventDefault(): void }, url: string): void {
  if (!isAllowedNavigation(url)) event.preventDefault();
}

/** setWindowOpenHandler: never a new Electron window; an https link goes to the system browser instead. */
export function windowOpenHandler(
  openExternal: (url: string) => void,
): (details: { url: string }) => { action: 'deny' } {
  return ({ url }) => {
    if (isExternalLinkAllowed(url)) openExternal(url);
    return { action: 'deny' };
  };
}

/** What the IPC handler reads of Electron's event: the frame that sent the message (null once it is gone). */
export interface IpcSenderEvent {
  senderFrame?: { url: string } | null;
}

/** The one ipcMain.handle handler: refuses a sender that is not our page before anything is parsed. */
export function createIpcRequestHandler(
  dispatch: (raw: unknown, origin: string) => Promise<ReplyMessage>,
  log: Pick<Logger, 'warn'>,
): (event: IpcSenderEvent, raw: unknown) => Promise<ReplyMessage> {
  return async (event, raw) => {
    const frameUrl = event.senderFrame?.url;
    if (!isAllowedSender(frameUrl)) {
      log.warn('ipc message from an unexpected sender refused', { frameUrl: frameUrl ?? null });
      return errorReply(null, 'UNAUTHORIZED', 'Sender not allowed');
    }
    return dispatch(raw, 'ipc');
  };
}

/** Maps an app:// request to a file of the renderer bundle; null for anything outside it. */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (`${u.protocol}//${u.host}` !== APP_ORIGIN) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, '.' + rel);
  return file.startsWith(root + path.sep) ? file : null;
}
