// Masks secrets before anything is written to a log or shown in the desk: values under
// secret-looking keys, credentials inside connection strings, and any value registered
// as a known secret (e.g. an API key just read from the keychain).

const SECRET_KEY = /(secret|password|passwd|passphrase|api[-_]?key|apikey|token|signature|private[-_]?key|authorization|cookie)/i;
const URI_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]+):([^@/\s]+)@/gi;
/** Query parameters carrying secrets, e.g. `?token=...&signature=...`. */
const QUERY_SECRET = /([?&](?:token|signature|apikey|api_key|secret|password)=)[^&#\s"']+/gi;

export const MASK = '***';

export class SecretMasker {
  private readonly known = new Set<string>();

  /** Registers a literal secret so that it is masked wherever it appears. Short values are ignored (they would mask innocent text). */
  register(secret: string): void {
    if (secret.length >= 6) this.known.add(secret);
  }

  maskString(text: string): string {
    let out = text.replace(URI_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`).replace(QUERY_SECRET, `$1${MASK}`);
    for (const secret of this.known) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  }

  /** Deep copy with secrets masked; cycles and depth are bounded so a log call can never hang. */
  mask(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.maskString(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 8) return '[depth]';
    if (value instanceof Error) return { name: value.name, message: this.maskString(value.message) };
    if (Array.isArray(value)) return value.slice(0, 200).map((v) => this.mask(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '' ? MASK : this.mask(v, depth + 1);
    }
    return out;
  }
}

/** Masks the credentials of a connection string for display. */
export function maskUri(uri: string): string {
  return new SecretMasker().maskString(uri);
}
