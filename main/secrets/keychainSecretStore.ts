// SecretStore on the OS keychain (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows) through @napi-rs/keyring.
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import type { SecretStore } from '../../core/ports/secretStore';
import { validateAccountName } from '../../core/ports/secretStore';

export const KEYCHAIN_SERVICE = 'app.quantdesk.desk';

export class KeychainSecretStore implements SecretStore {
  /** `service` separates the app's entries; tests pass their own. */
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  private entry(account: string): AsyncEntry {
    return new AsyncEntry(this.service, validateAccountName(account));
  }

  async get(account: string): Promise<string | null> {
    return (await this.entry(account).getPassword()) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    if (secret.length === 0) throw new Error('Refusing to store an empty secret');
    await this.entry(account).setPassword(secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.entry(account).deletePassword();
  }

  async list(): Promise<string[]> {
    return (await findCredentialsAsync(this.service)).map((c) => c.account).sort();
  }
}
