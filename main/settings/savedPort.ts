// Ports that stay the same across starts, so an outside program (Freqtrade, a pymongo script)
// finds the database, or the demo exchange, where it found it last time: the port saved in the
// data folder while it is free, else the preferred one (MongoDB's 27017 for the database) if
// free, else any free port, saved for the next start.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const MONGODB_PORT = 27017;

/** Whether nothing listens on the loopback port (we could bind it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface PortChoice {
  port: number;
  /** The saved port was taken by something else: outside programs must be told the new one. */
  moved: boolean;
}

/** The port saved in `file` while it is free, else `preferred` (0 = any) if free, else any free port; saved. */
export async function savedPort(file: string, preferred: number): Promise<PortChoice> {
  const saved = Number.parseInt(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', 10);
  const valid = Number.isInteger(saved) && saved > 0 && saved < 65536;
  if (valid && (await portIsFree(saved))) return { port: saved, moved: false };
  const port = preferred > 0 && (await portIsFree(preferred)) ? preferred : await freePort();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${port}\n`);
  return { port, moved: valid };
}
