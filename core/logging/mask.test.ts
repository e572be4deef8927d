import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, SecretMasker, maskUri } from './mask';

describe('secret masking', () => {
  it('masks credentials in connection strings but keeps host and user', () => {
    expect(maskUri('mongodb://trader:s3cret-pw@db.example:27017/quant?authSource=admin')).toBe(
      `mongodb://trader:${MASK}@db.example:27017/quant?authSource=admin`,
    );
    expect(maskUri('mongodb+srv://u:p%40ss@cluster0.x.net/')).toBe(`mongodb+srv://u:${MASK}@cluster0.x.net/`);
    expect(maskUri('mongodb://127.0.0.1:27017/')).toBe('mongodb://127.0.0.1:27017/');
  });

  it('masks tokens and signatures in query strings', () => {
    expect(new SecretMasker().maskString('GET /?token=abcDEF123&x=1&signature=ffee')).toBe(
      `GET /?token=${MASK}&x=1&signature=${MASK}`,
    );
  });

  it('masks values under secret-looking keys, deeply, and leaves other values alone', () => {
    const m = new SecretMasker();
    expect(
      m.mask({
        apiKey: 'AKIA123',
        nested: { secret: 'x', password: 'y', list: [{ api_key: 'z' }] },
        price: 42,
        symbol: 'BINANCE:BTCUSDT',
      }),
    ).toEqual({
      apiKey: MASK,
      nested: { secret: MASK, password: MASK, list: [{ api_key: MASK }] },
      price: 42,
      symbol: 'BINANCE:BTCUSDT',
    });
  });

  it('masks a registered secret wherever it appears, including inside errors', () => {
    const m = new SecretMasker();
    m.register('vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A');
    const out = m.mask({
      message: 'auth failed for key vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
      err: new Error('bad vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'),
    });
    expect(JSON.stringify(out)).not.toContain('vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A');
  });

  it('never leaks a registered secret embedded in arbitrary text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 40 }).filter((s) => !s.includes(MASK) && s.trim().length >= 6),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const m = new SecretMasker();
          m.register(secret);
          expect(m.maskString(before + secret + after)).not.toContain(secret);
        },
      ),
    );
  });

  it('masks tokens carried in a URL path: Telegram bot URLs and generated webhook tokens', () => {
    const m = new SecretMasker();
    expect(
      m.maskString('POST https://api.telegram.org/bot123456789:AAH-x_Yz0123456789abcdefGHIJ/sendMessage failed'),
    ).toBe(`POST https://api.telegram.org/bot${MASK}/sendMessage failed`);
    expect(m.maskString('https://discord.com/api/webhooks/1234/aB3dE5fG7hI9jK1lM3nO5pQ7')).toBe(
      `https://discord.com/api/webhooks/1234/${MASK}`,
    );
    expect(m.maskString('https://hooks.example/services/T0ABC/B0DEF/x9Y8z7W6v5U4t3S2r1Q0p9')).toBe(
      `https://hooks.example/services/T0ABC/B0DEF/${MASK}`,
    );
    // Ordinary paths stay readable.
    expect(m.maskString('GET https://api.binance.com/api/v3/order?symbol=BTCUSDT')).toBe(
      'GET https://api.binance.com/api/v3/order?symbol=BTCUSDT',
    );
  });

  it('masks credentials quoted in text: header lines, bearer tokens, JSON bodies', () => {
    const m = new SecretMasker();
    expect(m.maskString('headers: X-MBX-APIKEY: abcdef123456, Authorization: Bearer eyJhbGciOi.x.y')).toBe(
      `headers: X-MBX-APIKEY: ${MASK}, Authorization: ${MASK}`,
    );
    expect(m.maskString('sent {"symbol":"BTCUSDT","apiKey":"k-123456","secret":"s-654321"}')).toBe(
      `sent {"symbol":"BTCUSDT","apiKey":"${MASK}","secret":"${MASK}"}`,
    );
    expect(m.maskString('body timestamp=1&newClientOrderId=qd-1&signature=9f8e7d')).toBe(
      `body timestamp=1&newClientOrderId=qd-1&signature=${MASK}`,
    );
  });

  it('masks header and credential keys but keeps the order ids that tie a line to its order', () => {
    const out = new SecretMasker().mask({
      headers: { 'X-MBX-APIKEY': 'k', Authorization: 'Bearer t', Cookie: 'c' },
      auth: { user: 'u', pass: 'p' },
      listenKey: 'l',
      clientOrderId: 'qd-abc',
      exchangeOrderId: '12345',
    });
    expect(out).toEqual({
      headers: { 'X-MBX-APIKEY': MASK, Authorization: MASK, Cookie: MASK },
      auth: MASK,
      listenKey: MASK,
      clientOrderId: 'qd-abc',
      exchangeOrderId: '12345',
    });
  });

  it('keeps a key hint (what the desk shows instead of the key) and masks the key beside it', () => {
    expect(new SecretMasker().mask({ apiKeyHint: '…0001', apiKey: 'demo-key-0001' })).toEqual({
      apiKeyHint: '…0001',
      apiKey: MASK,
    });
  });

  it('terminates on cyclic objects', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(() => new SecretMasker().mask(a)).not.toThrow();
  });
});
