// IPC channel names, in a module with no imports so the sandboxed preload can bundle it.
export const IPC_REQUEST = 'api:request';
export const IPC_EVENT = 'api:event';
