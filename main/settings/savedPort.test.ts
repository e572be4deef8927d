// A server keeps one port across starts: the preferred one when free, else any
// free one; the saved one while it stays free; a new one (said as moved) once it is taken.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, portIsFree, savedPort } from './savedPort';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-port-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function hold(port: number): Promise<net.Server> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

describe('saved port', () => {
  it('takes the preferred port, keeps it across starts, and moves (saying so) when it is taken', async () => {
    const preferred = await freePort();
    const a = path.join(dir, 'a');
    expect(await savedPort(path.join(a, 'port'), preferred)).toEqual({ port: preferred, moved: false });
    expect(fs.readFileSync(path.join(a, 'port'), 'utf8').trim()).toBe(String(preferred));
    // the next start: the saved port, whatever is preferred now
    expect(await savedPort(path.join(a, 'port'), 0)).toEqual({ port: preferred, moved: false });

    const other = await hold(preferred);
    try {
      expect(await portIsFree(preferred)).toBe(false);
      // a second data folder finds the preferred port taken: any free one
      const b = await savedPort(path.join(dir, 'b', 'port'), preferred);
      expect(b.port).not.toBe(preferred);
      expect(b.moved).toBe(false);
      // the first one's saved port is taken now: a new one, saved, and said
      const moved = await savedPort(path.join(a, 'port'), preferred);
      expect(moved.moved).toBe(true);
      expect(moved.port).not.toBe(preferred);
      expect(fs.readFileSync(path.join(a, 'port'), 'utf8').trim()).toBe(String(moved.port));
    } finally {
      other.close();
    }
  });

  it('ignores a saved port that is not a port', async () => {
    const c = path.join(dir, 'c');
    fs.mkdirSync(c);
    fs.writeFileSync(path.join(c, 'port'), 'not a port\n');
    const choice = await savedPort(path.join(c, 'port'), 0);
    expect(choice.port).toBeGreaterThan(0);
    expect(choice.moved).toBe(false);
  });
});
