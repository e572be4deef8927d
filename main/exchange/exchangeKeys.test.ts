// Exchange keys through the real OS keychain (gnome-keyring under D-Bus in `npm test`) and
// the exchange simulator: tested before they are stored, never returned, removable.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { KeychainSecretStore } from '../secrets/keychainSecretStore';
import { createExchangeClient } from './ccxtFactory';
import { ExchangeKeys } from './exchangeKeys';
import { BinanceSimulator } from './simulator/binanceSimulator';

const store = new KeychainSecretStore(`quantdesk-test-${crypto.randomUUID()}`);
const sim = new BinanceSimulator({
  market: new SyntheticMarket(demoAssets(Date.now()), 2),
  apiKeys: { 'good-key-0001': 'good-secret-0001' },
});
let keys: ExchangeKeys;
const log = createMemoryLogger();

beforeAll(async () => {
  const url = await sim.start();
  keys = new ExchangeKeys(
    store,
    () => ['sim', 'other'],
    (_e, apiKey, secret) =>
      createExchangeClient({ exchangeId: 'binance', apiBaseUrl: url, apiKey, secret, timeoutMs: 3000 }),
    log,
  );
});
afterAll(async () => {
  for (const account of await store.list()) await store.delete(account);
  await sim.stop();
});

describe('exchange keys', () => {
  it('refuses keys the exchange refuses, storing nothing', async () => {
    await expect(keys.set('sim', 'good-key-0001', 'wrong-secret-99')).rejects.toThrow(/refused these keys/);
    await expect(keys.set('sim', 'short', 'x')).rejects.toThrow(/8-256 printable/);
    await expect(keys.set('nope', 'good-key-0001', 'good-secret-0001')).rejects.toThrow(/Unknown exchange "nope"/);
    expect(await store.list()).toEqual([]);
  });

  it('stores working keys in the keychain, shows only a hint, tests and removes them', async () => {
    const r = await keys.set('sim', 'good-key-0001', 'good-secret-0001');
    expect(r).toMatchObject({ exchange: 'sim', hasKeys: true, apiKeyHint: '…0001' });
    expect(r.assets).toBeGreaterThan(0);
    expect(await store.list()).toEqual(['exchange:sim:apiKey', 'exchange:sim:secret']);
    const listed = await keys.list();
    expect(listed).toEqual([
      { exchange: 'sim', hasKeys: true, apiKeyHint: '…0001' },
      { exchange: 'other', hasKeys: false, apiKeyHint: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain('good-secret-0001');
    expect(JSON.stringify(log.lines)).not.toContain('good-secret-0001');
    expect(await keys.test('sim')).toMatchObject({ ok: true, error: null });
    expect(await keys.test('other')).toEqual({ ok: false, assets: 0, error: 'No keys stored for other' });
    expect(await keys.remove('sim')).toEqual({ removed: true });
    expect(await store.list()).toEqual([]);
    await expect(keys.client('sim')).rejects.toThrow(/No API keys for sim in the OS keychain/);
  });
});
