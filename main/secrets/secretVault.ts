// Where the app's secrets live: the OS keychain when this machine has one, else the encrypted
// secrets file once the trader has unlocked it with its passphrase (asked on the Settings page
// at every start). Every reader of secrets goes through here; while neither is available, each
// says what to do instead of a keychain library's raw error.
import type { Logger } from '../../core/logging/logger';
import type { SecretStore } from '../../core/ports/secretStore';
import { EncryptedFileSecretStore } from './encryptedFileSecretStore';

export interface SecretsStatus {
  store: 'keychain' | 'file';
  /** Why the OS keychain cannot be used (null when it is). */
  keychainError: string | null;
  fileExists: boolean;
  unlocked: boolean;
}

export class SecretsUnavailable extends Error {
  constructor(readonly reason: string) {
    super(
      `The OS keychain is not available on this machine (${reason}): unlock or create the encrypted secrets file on the Settings page`,
    );
    this.name = 'SecretsUnavailable';
  }
}

export class SecretVault implements SecretStore {
  private keychainError: string | null = null;
  private fileStore: EncryptedFileSecretStore | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly keychain: SecretStore,
    readonly file: string,
    private readonly log: Logger,
  ) {}

  /** Finds out once whether the keychain answers (a headless server without a Secret Service does not). */
  async start(): Promise<void> {
    try {
      await this.keychain.list();
      this.keychainError = null;
    } catch (err) {
      this.keychainError = err instanceof Error ? err.message : String(err);
      this.log.warn('OS keychain not available; secrets go to the encrypted file once unlocked', {
        reason: this.keychainError,
        exists: EncryptedFileSecretStore.exists(this.file),
      });
    }
  }

  status(): SecretsStatus {
    return {
      store: this.keychainError === null ? 'keychain' : 'file',
      keychainError: this.keychainError,
      fileExists: EncryptedFileSecretStore.exists(this.file),
      unlocked: this.fileStore !== null,
    };
  }

  /** Opens the secrets file with its passphrase, creating it on first use. */
  unlock(passphrase: string): SecretsStatus {
    if (this.keychainError === null)
      throw new Error('Secrets are kept in the OS keychain on this machine: no file to unlock');
    this.fileStore = EncryptedFileSecretStore.exists(this.file)
      ? EncryptedFileSecretStore.unlock(this.file, passphrase)
      : EncryptedFileSecretStore.create(this.file, passphrase);
    this.log.info('secrets file unlocked', { file: this.file });
    for (const l of this.listeners) l();
    return this.status();
  }

  /** Told when the secrets become readable (workers are restarted with them). */
  onUnlocked(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** What a worker of this app needs to read the same secrets: nothing with the keychain, the file and its derived key otherwise. */
  workerParams(): { secretsFile?: string; secretsKey?: string } {
    return this.fileStore ? { secretsFile: this.file, secretsKey: this.fileStore.keyHex() } : {};
  }

  private current(): SecretStore {
    if (this.keychainError === null) return this.keychain;
    if (this.fileStore) return this.fileStore;
    throw new SecretsUnavailable(this.keychainError);
  }

  // async: "not available" is a rejected promise like any other failure, never a throw at the call
  async get(account: string): Promise<string | null> {
    return this.current().get(account);
  }
  async set(account: string, secret: string): Promise<void> {
    return this.current().set(account, secret);
  }
  async delete(account: string): Promise<boolean> {
    return this.current().delete(account);
  }
  async list(): Promise<string[]> {
    return this.current().list();
  }
}
