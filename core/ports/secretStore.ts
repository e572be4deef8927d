// The port through which secrets (exchange API keys) are kept. Main implements it with the
// OS keychain; nothing else in the app ever holds a secret at rest, and the renderer never
// sees one.

export interface SecretStore {
  /** The secret stored under `account`, or null when there is none. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** true when something was deleted. */
  delete(account: string): Promise<boolean>;
  /** Accounts that hold a secret (names only). */
  list(): Promise<string[]>;
}

/** Account names are ours to choose: keep them printable and short so they can be logged. */
export function validateAccountName(account: string): string {
  if (!/^[A-Za-z0-9:._-]{1,128}$/.test(account))
    throw new Error(`Invalid secret account name "${account.slice(0, 40)}": use letters, digits and : . _ - (1-128)`);
  return account;
}
