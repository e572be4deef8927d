// The only bridge between the sandboxed desk and the back end: two functions that carry
// plain API messages. No ipcRenderer, no Node, no secrets cross it.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiTransport } from '../../core/api/client';
import type { RequestMessage } from '../../core/api/messages';
import { IPC_EVENT, IPC_REQUEST } from './ipcChannels';

const bridge: ApiTransport & { mode: 'electron' } = {
  mode: 'electron',
  request: (message: RequestMessage) => ipcRenderer.invoke(IPC_REQUEST, message),
  subscribe(listener: (raw: unknown) => void) {
    const handler = (_event: IpcRendererEvent, raw: unknown) => listener(raw);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('quantdesk', bridge);
