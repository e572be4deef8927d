// Alerts on the real database, with channel URLs in the real OS keychain, delivered to a local
// HTTP receiver that first fails (retried) and then takes them; de-duplication and acknowledgement.
import { word } from '../../core/wording/wording';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { useTestDb } from '../../test/testDb';
import { KeychainSecretStore } from '../secrets/keychainSecretStore';
import { AlertCenter, type StoredAlert } from './alertCenter';

const t = useTestDb('alerts');
const secrets = new KeychainSecretStore(`quantdesk-test-${crypto.randomUUID()}`);
const received: { path: string; body: Record<string, unknown> }[] = [];
let failNext = 1;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    if (failNext > 0) {
      failNext--;
      res.writeHead(503).end();
      return;
    }
    received.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
    res.writeHead(200).end('ok');
  });
});
let base = '';
let center: AlertCenter;
const changes: StoredAlert[] = [];

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  center = new AlertCenter({
    db: t.db,
    secrets,
    log: createMemoryLogger(),
    onChange: (a) => changes.push(a),
    sleep: async () => undefined,
  });
});
afterAll(async () => {
  for (const a of await secrets.list()) await secrets.delete(a);
  await new Promise((r) => server.close(r));
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('alert center', () => {
  it('stores an alert, delivers it as JSON with strategy, pair and time (retrying a 503), and shows the delivery', async () => {
    const ch = await center.addChannel({ name: 'receiver', format: 'json', url: `${base}/hook/secret-token-123` });
    expect(ch.host).toBe(new URL(base).host);
    expect(JSON.stringify(await center.listChannels())).not.toContain('secret-token-123');
    const a = await center.raise({
      kind: 'order-rejected',
      severity: 'critical',
      text: word('alert.refusalsInARow', { strategy: 's1', pair: 'BTC/USDT', count: 5 }),
      strategy_id: 's1',
      pair: 'BTC/USDT',
      timeframe: '1m',
    });
    await until(() => received.length === 1);
    expect(received[0]).toMatchObject({
      path: '/hook/secret-token-123',
      body: {
        source: 'quantdesk',
        kind: 'order-rejected',
        strategy_id: 's1',
        pair: 'BTC/USDT',
        at: a.at,
        // channels get the English; the desk gets the sentence to word in the user's language
        message: 's1 BTC/USDT: 5 refusals in a row, trading paused until reset',
      },
    });
    expect(a.wording).toEqual({
      code: 'alert.refusalsInARow',
      params: { strategy: 's1', pair: 'BTC/USDT', count: 5 },
    });
    await until(() => changes.some((c) => c.id === a.id && c.deliveries.length === 1));
    const [stored] = await center.list(false);
    expect(stored!.deliveries[0]).toMatchObject({ channel: 'receiver', ok: true, attempts: 2, status: 200 });
  });

  it('counts a repeat within the cooldown instead of ringing again; after acknowledgement it rings anew', async () => {
    const before = received.length;
    const again = await center.raise({
      kind: 'order-rejected',
      severity: 'critical',
      text: word('alert.refusalsInARow', { strategy: 's1', pair: 'BTC/USDT', count: 6 }),
      strategy_id: 's1',
      pair: 'BTC/USDT',
      timeframe: '1m',
    });
    expect(again.count).toBe(2);
    expect(received.length).toBe(before);
    const acked = await center.acknowledge(again.id);
    expect(acked.acknowledged).toBe(true);
    expect(await center.list(false)).toEqual([]);
    await center.raise({
      kind: 'order-rejected',
      severity: 'critical',
      text: word('alert.refusalsInARow', { strategy: 's1', pair: 'BTC/USDT', count: 7 }),
      strategy_id: 's1',
      pair: 'BTC/USDT',
      timeframe: '1m',
    });
    await until(() => received.length === before + 1);
    expect(received.length).toBe(before + 1);
  });

  it('speaks Slack and Telegram, refuses bad channels, and reports a receiver that refuses', async () => {
    const slack = await center.addChannel({ name: 'slack', format: 'slack', url: `${base}/slack` });
    const r = await center.testChannel(slack.id);
    expect(r.ok).toBe(true);
    expect(received.at(-1)!.body).toEqual({
      text: expect.stringMatching(/^\[WARNING\] test at .*: Test alert from Quantdesk$/),
    });
    const tg = await center.addChannel({
      name: 'telegram',
      format: 'telegram',
      url: `${base}/bot123/sendMessage`,
      chatId: '42',
    });
    await center.testChannel(tg.id);
    expect(received.at(-1)!.body).toMatchObject({ chat_id: '42', text: expect.any(String) });
    await expect(center.addChannel({ name: 'x', format: 'json', url: 'not a url' })).rejects.toThrow(/not a URL/);
    await expect(center.addChannel({ name: 'x', format: 'telegram', url: `${base}/t` })).rejects.toThrow(/chat id/);
    const dead = await center.addChannel({ name: 'dead', format: 'json', url: 'http://127.0.0.1:9/nothing' });
    const d = await center.testChannel(dead.id);
    expect(d).toMatchObject({ ok: false, attempts: 4 });
    expect(await center.removeChannel(dead.id)).toEqual({ removed: true });
  });
});

describe('e-mail channel', () => {
  it('sends the alert over SMTP to a local server, the password kept in the keychain', async () => {
    const { SMTPServer } = await import('smtp-server');
    const mails: { to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: false,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _s, cb) =>
        auth.username === 'desk' && auth.password === 'mail-secret-9'
          ? cb(null, { user: 'desk' })
          : cb(new Error('bad login')),
      onData: (stream, session, cb) => {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      await expect(
        center.addChannel({ name: 'mail', format: 'email', url: `https://x`, chatId: 'trader@example.com' }),
      ).rejects.toThrow(/smtp:\/\//);
      const ch = await center.addChannel({
        name: 'mail',
        format: 'email',
        url: `smtp://desk:mail-secret-9@127.0.0.1:${port}`,
        chatId: 'trader@example.com',
      });
      expect(JSON.stringify(await center.listChannels())).not.toContain('mail-secret-9');
      const d = await center.testChannel(ch.id);
      expect(d).toMatchObject({ ok: true, status: 250 });
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(['trader@example.com']);
      expect(mails[0]!.data).toMatch(/Subject: Quantdesk warning: test/);
      expect(mails[0]!.data).toMatch(/Test alert from Quantdesk/);
      await center.removeChannel(ch.id);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe('while the database is down', () => {
  it('still delivers the alert (the database going down is one) to the channels read while it was up, once per cooldown', async () => {
    let client = new MongoClient(t.uri);
    await client.connect();
    const own = new AlertCenter({
      db: () => client.db(t.dbName),
      secrets,
      log: createMemoryLogger(),
      onChange: () => undefined,
      sleep: async () => undefined,
    });
    await own.addChannel({ name: 'outage', format: 'json', url: `${base}/hook/outage` });
    await client.close(); // this client's database is gone: every read and write fails from here
    failNext = 0;
    const before = received.length;
    const a = await own.raise({
      kind: 'database-down',
      severity: 'critical',
      text: word('alert.databaseDownNoAnswer', { since: '2026-01-02T03:04:05.000Z' }),
    });
    expect(a.deliveries).toContainEqual(expect.objectContaining({ channel: 'outage', ok: true, status: 200 }));
    const outage = () => received.slice(before).filter((r) => r.path === '/hook/outage');
    expect(outage().map((r) => r.body.kind)).toEqual(['database-down']);
    // Again within the cooldown: not rung twice.
    const rung = received.length;
    await own.raise({
      kind: 'database-down',
      severity: 'critical',
      text: word('alert.databaseDownNoAnswer', { since: '2026-01-02T03:04:05.000Z' }),
    });
    expect(received.length).toBe(rung);
    // Back: the alert raised during the outage is kept, to be acknowledged like any other.
    client = new MongoClient(t.uri);
    await client.connect();
    expect(await own.saveUnsaved()).toBe(1);
    expect((await own.list(false)).filter((x) => x.kind === 'database-down')).toEqual([
      expect.objectContaining({
        id: a.id,
        message:
          'The database has not answered since 2026-01-02T03:04:05.000Z. Trading and imports wait and resume when it is back.',
      }),
    ]);
    await client.close();
  });
});
