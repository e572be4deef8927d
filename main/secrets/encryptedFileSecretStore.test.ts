// The keychain-less secrets file on disk: secrets round-trip, the file holds none of them in
// clear, a wrong passphrase and any changed byte or swapped entry are refused, a worker opens
// it with the derived key alone, and the file is its owner's only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore, WrongPassphrase } from './encryptedFileSecretStore';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-vault-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('encrypted secrets file', () => {
  it('keeps secrets sealed on disk and opens them with the passphrase only', async () => {
    const file = path.join(dir, 'secrets.json');
    const store = EncryptedFileSecretStore.create(file, 'correct horse battery');
    await store.set('exchange:demo:apiKey', 'key-123456');
    await store.set('exchange:demo:secret', 'very-secret-value');
    const raw = fs.readFileSync(file, 'utf8');
    expect(raw).not.toContain('very-secret-value');
    expect(raw).not.toContain('key-123456');
    expect(raw).not.toContain('correct horse');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const again = EncryptedFileSecretStore.unlock(file, 'correct horse battery');
    expect(await again.get('exchange:demo:secret')).toBe('very-secret-value');
    expect(await again.list()).toEqual(['exchange:demo:apiKey', 'exchange:demo:secret']);
    expect(() => EncryptedFileSecretStore.unlock(file, 'wrong horse battery')).toThrow(WrongPassphrase);
    expect(() => EncryptedFileSecretStore.create(file, 'another passphrase')).toThrow(/already exists/);
    expect(() => EncryptedFileSecretStore.create(path.join(dir, 'short.json'), 'short')).toThrow(/at least 8/);

    // a worker opens it with the derived key, and sees what the desk writes after that
    const worker = EncryptedFileSecretStore.withKey(file, Buffer.from(store.keyHex(), 'hex'));
    await store.set('alerts:heartbeat-url', 'https://hc.example/ping/abc');
    expect(await worker.get('alerts:heartbeat-url')).toBe('https://hc.example/ping/abc');
    expect(await worker.delete('alerts:heartbeat-url')).toBe(true);
    expect(await store.get('alerts:heartbeat-url')).toBeNull();
  });

  it('refuses a changed byte and an entry moved to another account instead of decrypting them wrong', async () => {
    const file = path.join(dir, 'tamper.json');
    const store = EncryptedFileSecretStore.create(file, 'tamper passphrase');
    await store.set('exchange:a:secret', 'aaaa-secret');
    await store.set('exchange:b:secret', 'bbbb-secret');
    const vault = JSON.parse(fs.readFileSync(file, 'utf8'));
    // swap: b's sealed secret filed under a
    vault.entries['exchange:a:secret'] = vault.entries['exchange:b:secret'];
    fs.writeFileSync(file, JSON.stringify(vault));
    await expect(store.get('exchange:a:secret')).rejects.toThrow();
    // one flipped bit in b's data
    const data = Buffer.from(vault.entries['exchange:b:secret'].data, 'base64');
    data[0] = data[0]! ^ 1;
    vault.entries['exchange:b:secret'].data = data.toString('base64');
    fs.writeFileSync(file, JSON.stringify(vault));
    await expect(store.get('exchange:b:secret')).rejects.toThrow();
  });
});
