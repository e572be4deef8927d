// Exchange API keys: kept in the OS keychain only, tested before they are stored (a balance
// is fetched with them), never sent to the renderer (it sees a hint of the key, never the
// secret). Live trading reads them from here when it builds its client.
import type { Exchange } from 'ccxt';
import { ServiceError } from '../../core/api/dispatcher';
import type { SecretStore } from '../../core/ports/secretStore';
import type { Logger } from '../../core/logging/logger';
import { CcxtBroker } from './ccxtBroker';

export interface KeyStatus {
  exchange: string;
  hasKeys: boolean;
  /** The key's last four characters, to tell keys apart. */
  apiKeyHint: string | null;
}

const KEY_SHAPE = /^[\x21-\x7e]{8,256}$/;

export class ExchangeKeys {
  constructor(
    private readonly secrets: SecretStore,
    private readonly exchanges: () => string[],
    private readonly clientFor: (exchange: string, apiKey: string, secret: string) => Exchange,
    private readonly log: Logger,
  ) {}

  private static accounts(exchange: string) {
    return { key: `exchange:${exchange}:apiKey`, secret: `exchange:${exchange}:secret` };
  }

  private known(exchange: string): void {
    if (!this.exchanges().includes(exchange)) throw new ServiceError('BAD_REQUEST', `Unknown exchange "${exchange}"`);
  }

  async list(): Promise<KeyStatus[]> {
    const out: KeyStatus[] = [];
    for (const exchange of this.exchanges()) {
      const key = await this.secrets.get(ExchangeKeys.accounts(exchange).key);
      out.push({ exchange, hasKeys: key !== null, apiKeyHint: key ? `…${key.slice(-4)}` : null });
    }
    return out;
  }

  /** Checks the keys against the exchange (a balance must come back), then stores them. */
  async set(exchange: string, apiKey: string, secret: string): Promise<KeyStatus & { assets: number }> {
    this.known(exchange);
    if (!KEY_SHAPE.test(apiKey) || !KEY_SHAPE.test(secret))
      throw new ServiceError('BAD_REQUEST', 'API key and secret must be 8-256 printable characters without spaces');
    const assets = await this.check(exchange, apiKey, secret);
    const a = ExchangeKeys.accounts(exchange);
    await this.secrets.set(a.key, apiKey);
    await this.secrets.set(a.secret, secret);
    this.log.info('exchange keys stored in the keychain', { exchange, apiKeyHint: `…${apiKey.slice(-4)}` });
    return { exchange, hasKeys: true, apiKeyHint: `…${apiKey.slice(-4)}`, assets };
  }

  private async check(exchange: string, apiKey: string, secret: string): Promise<number> {
    try {
      const balances = await new CcxtBroker(this.clientFor(exchange, apiKey, secret)).balances();
      return Object.keys(balances).length;
    } catch (err) {
      throw new ServiceError(
        'BAD_REQUEST',
        `The exchange refused these keys or could not be reached: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`,
      );
    }
  }

  async test(exchange: string): Promise<{ ok: boolean; assets: number; error: string | null }> {
    this.known(exchange);
    const keys = await this.keys(exchange);
    if (!keys) return { ok: false, assets: 0, error: `No keys stored for ${exchange}` };
    try {
      return { ok: true, assets: await this.check(exchange, keys.apiKey, keys.secret), error: null };
    } catch (err) {
      return { ok: false, assets: 0, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async remove(exchange: string): Promise<{ removed: boolean }> {
    this.known(exchange);
    const a = ExchangeKeys.accounts(exchange);
    const removed = (await this.secrets.delete(a.key)) || (await this.secrets.delete(a.secret));
    await this.secrets.delete(a.secret).catch(() => false);
    this.log.info('exchange keys removed from the keychain', { exchange });
    return { removed };
  }

  /** For main only: the stored keys, or null. */
  async keys(exchange: string): Promise<{ apiKey: string; secret: string } | null> {
    const a = ExchangeKeys.accounts(exchange);
    const [apiKey, secret] = await Promise.all([this.secrets.get(a.key), this.secrets.get(a.secret)]);
    return apiKey && secret ? { apiKey, secret } : null;
  }

  /** A client signed with the stored keys, for live trading. */
  async client(exchange: string): Promise<Exchange> {
    const keys = await this.keys(exchange);
    if (!keys)
      throw new ServiceError('BAD_REQUEST', `No API keys for ${exchange} in the OS keychain: add them in Settings`);
    return this.clientFor(exchange, keys.apiKey, keys.secret);
  }
}
