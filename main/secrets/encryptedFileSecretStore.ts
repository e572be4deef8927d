// SecretStore in one encrypted file, for machines without an OS keychain (a headless server).
// The key comes from the trader's passphrase (scrypt, a random salt per file); each secret is
// sealed with AES-256-GCM under its own nonce, its account name bound in as associated data,
// so a wrong passphrase, a swapped entry or a changed byte is refused, never decrypted wrong.
// The file is written whole to a temporary name and renamed (a crash leaves the old or the
// new file), readable by its owner only. The passphrase itself is never kept.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../../core/ports/secretStore';
import { validateAccountName } from '../../core/ports/secretStore';

/** scrypt at 2^15 (about 50 ms here): costly to guess at, quick to open once at start. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const CHECK_ACCOUNT = '__passphrase_check__';

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}
interface VaultFile {
  version: 1;
  salt: string;
  /** A known text sealed with the key: a wrong passphrase fails here, before anything else. */
  check: Sealed;
  entries: Record<string, Sealed>;
}

export class WrongPassphrase extends Error {
  constructor() {
    super('Wrong passphrase for the secrets file');
    this.name = 'WrongPassphrase';
  }
}

function seal(key: Buffer, account: string, text: string): Sealed {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(account));
  const data = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  return { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function open(key: Buffer, account: string, s: Sealed): string {
  const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
  d.setAAD(Buffer.from(account));
  d.setAuthTag(Buffer.from(s.tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(s.data, 'base64')), d.final()]).toString('utf8');
}

export function deriveKey(passphrase: string, salt: Buffer): Buffer {
  return crypto.scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
}

export class EncryptedFileSecretStore implements SecretStore {
  private constructor(
    readonly file: string,
    private readonly key: Buffer,
    private vault: VaultFile,
  ) {}

  static exists(file: string): boolean {
    return fs.existsSync(file);
  }

  /** A new file sealed with this passphrase (refused when one exists: opening it is `unlock`). */
  static create(file: string, passphrase: string): EncryptedFileSecretStore {
    if (passphrase.length < 8) throw new Error('Choose a passphrase of at least 8 characters');
    if (fs.existsSync(file)) throw new Error(`A secrets file already exists at ${file}: unlock it instead`);
    const salt = crypto.randomBytes(16);
    const key = deriveKey(passphrase, salt);
    const store = new EncryptedFileSecretStore(file, key, {
      version: 1,
      salt: salt.toString('base64'),
      check: seal(key, CHECK_ACCOUNT, 'quantdesk'),
      entries: {},
    });
    store.save();
    return store;
  }

  /** The file opened with its passphrase; WrongPassphrase when it does not open it. */
  static unlock(file: string, passphrase: string): EncryptedFileSecretStore {
    const vault = JSON.parse(fs.readFileSync(file, 'utf8')) as VaultFile;
    if (vault.version !== 1) throw new Error(`Unknown secrets file version ${String(vault.version)}`);
    return EncryptedFileSecretStore.withKey(file, deriveKey(passphrase, Buffer.from(vault.salt, 'base64')));
  }

  /** The file opened with a key already derived (how a worker process opens it: the passphrase stays in main). */
  static withKey(file: string, key: Buffer): EncryptedFileSecretStore {
    const vault = JSON.parse(fs.readFileSync(file, 'utf8')) as VaultFile;
    try {
      open(key, CHECK_ACCOUNT, vault.check);
    } catch {
      throw new WrongPassphrase();
    }
    return new EncryptedFileSecretStore(file, key, vault);
  }

  /** The derived key, to hand to a worker process of this app (never written anywhere). */
  keyHex(): string {
    return this.key.toString('hex');
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.vault, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  /** Another process (the desk, a worker) may have written since: read the file again first. */
  private reload(): void {
    this.vault = JSON.parse(fs.readFileSync(this.file, 'utf8')) as VaultFile;
  }

  async get(account: string): Promise<string | null> {
    validateAccountName(account);
    this.reload();
    const s = this.vault.entries[account];
    return s ? open(this.key, account, s) : null;
  }

  async set(account: string, secret: string): Promise<void> {
    validateAccountName(account);
    if (secret.length === 0) throw new Error('Refusing to store an empty secret');
    this.reload();
    this.vault.entries[account] = seal(this.key, account, secret);
    this.save();
  }

  async delete(account: string): Promise<boolean> {
    validateAccountName(account);
    this.reload();
    if (!(account in this.vault.entries)) return false;
    delete this.vault.entries[account];
    this.save();
    return true;
  }

  async list(): Promise<string[]> {
    this.reload();
    return Object.keys(this.vault.entries).sort();
  }
}
