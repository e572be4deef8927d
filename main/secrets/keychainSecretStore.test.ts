// Runs against the real OS keychain (gnome-keyring under D-Bus in `npm test`).
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from './keychainSecretStore';

const store = new KeychainSecretStore(`quantdesk-test-${crypto.randomUUID()}`);

describe('KeychainSecretStore (real OS keychain)', () => {
  afterAll(async () => {
    for (const account of await store.list()) await store.delete(account);
  });

  it('stores, reads back, lists, replaces and deletes a secret', async () => {
    const secret = crypto.randomBytes(32).toString('base64');
    expect(await store.get('binance:main')).toBeNull();
    await store.set('binance:main', secret);
    expect(await store.get('binance:main')).toBe(secret);
    expect(await store.list()).toEqual(['binance:main']);
    await store.set('binance:main', 'replaced-secret');
    expect(await store.get('binance:main')).toBe('replaced-secret');
    expect(await store.delete('binance:main')).toBe(true);
    expect(await store.get('binance:main')).toBeNull();
    expect(await store.delete('binance:main')).toBe(false);
  });

  it('keeps non-ASCII secrets intact', async () => {
    await store.set('okx:sub', 'pässwörd-密钥-🔑');
    expect(await store.get('okx:sub')).toBe('pässwörd-密钥-🔑');
  });

  it('refuses bad account names and empty secrets with a clear error, storing nothing', async () => {
    await expect(store.set('bad name with spaces', 'x')).rejects.toThrow(/Invalid secret account name/);
    await expect(store.set('ok', '')).rejects.toThrow(/empty secret/);
    expect(await store.list()).not.toContain('ok');
  });
});
