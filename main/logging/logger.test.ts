// The real file logger (pino + rotating file) fed an order and a signed request with planted
// secrets the way the brokers, the key store and the API dispatcher log them: the file
// keeps the order's facts and none of the secrets.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretMasker } from '../../core/logging/mask';
import { createFileLogger } from './logger';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('file logger', () => {
  it('writes no planted secret to the file, whatever shape it is logged in', async () => {
    const p = (name: string) => `${name}${crypto.randomBytes(10).toString('hex')}`;
    const plant = {
      apiKey: p('PK'),
      secret: p('PS'),
      password: p('PW'),
      signature: p('SIG'),
      token: p('TOK'),
      bearer: p('BR'),
      botToken: `AAH${p('bot')}`,
      hook: p('hk9'),
      registered: p('REG'),
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-log-'));
    dirs.push(dir);
    const file = path.join(dir, 'quantdesk.log');
    const masker = new SecretMasker();
    // The back end registers keys it reads from the keychain: they are masked even in free text.
    masker.register(plant.registered);
    const log = createFileLogger({ file, level: 'debug', maxSizeMb: 5, maxFiles: 2, masker, echo: 'none' });
    const order = {
      clientOrderId: 'qd-5f1e0c9a',
      exchangeOrderId: '8812345',
      pair: 'BTC/USDT',
      side: 'buy',
      amount: 0.0123,
      status: 'filled',
    };

    log.child({ component: 'executor', apiKey: plant.apiKey }).info('order sent', {
      order,
      request: {
        method: 'POST',
        url: `https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=${plant.signature}`,
        headers: { 'X-MBX-APIKEY': plant.apiKey, Authorization: `Bearer ${plant.bearer}` },
        body: `symbol=BTCUSDT&side=BUY&newClientOrderId=${order.clientOrderId}&signature=${plant.signature}`,
      },
      credentials: { apiKey: plant.apiKey, secret: plant.secret },
    });
    log.warn(
      `exchange refused: binance POST https://api.binance.com/api/v3/order {"apiKey":"${plant.apiKey}","secret":"${plant.secret}"}`,
    );
    log.error('alert not delivered', {
      channel: 'tg',
      error: new Error(`fetch https://api.telegram.org/bot123456:${plant.botToken}/sendMessage failed`),
      webhook: `https://hooks.example/h/${plant.hook}`,
    });
    log.info('settings updated', {
      patch: { smtp: `smtps://trader:${plant.password}@mail.example:465`, token: plant.token },
    });
    log.info(`key ${plant.registered} read from the keychain`);
    await log.close();

    const text = fs.readFileSync(file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual([
      'order sent',
      expect.stringContaining('exchange refused'),
      'alert not delivered',
      'settings updated',
      expect.stringContaining('read from the keychain'),
    ]);
    // The order's facts survive (ids included, by choice) ...
    expect(lines[0]).toMatchObject({ component: 'executor', order });
    // ... and no secret does.
    expect(
      Object.entries(plant)
        .filter(([, v]) => text.includes(v))
        .map(([k]) => k),
    ).toEqual([]);
  });
});
