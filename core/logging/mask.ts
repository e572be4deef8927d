// Masks secrets before anything is written to a log or shown in the desk: values under
// secret-looking keys, credentials inside connection strings, and any value registered
// as a known secret (e.g. an API key just read from the keychain).

// Order fields such as clientOrderId and exchangeOrderId are deliberately NOT masked: they
// grant no access (ours is a hash of the decision, the exchange's a per-order number) and
// they are what ties a log line to the order record, the exchange and the audit trail.
const SECRET_KEY =
  /(secret|password|passwd|passphrase|api[-_]?key|apikey|token|signature|private[-_]?key|authorization|cookie|credential|listen[-_]?key|^pass$|^auth$)/i;
const URI_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]+):([^@/\s]+)@/gi;
/** Query (or form body) parameters carrying secrets, e.g. `?token=...&signature=...`. */
const QUERY_SECRET = /([?&](?:token|access_token|signature|apikey|api_key|secret|password|listenKey)=)[^&#\s"']+/gi;
/** `"apiKey": "..."` inside text, e.g. a request body quoted in an error message. */
const JSON_SECRET =
  /("(?:[\w-]*(?:secret|password|passphrase|api[-_]?key|apikey|token|signature|authorization)[\w-]*)"\s*:\s*)"[^"]*"/gi;
/** Credentials in header lines quoted in text: `Authorization: Bearer ...`, `X-MBX-APIKEY: ...`. */
const HEADER_SECRET =
  /\b((?:authorization|proxy-authorization|x-mbx-apikey|x-api-key|cookie)\s*[:=]\s*)(?:(?:bearer|basic)\s+)?[^\s,;"'}]+/gi;
const BEARER = /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
/** URLs in text; their path is checked for tokens (webhook and bot URLs carry one there). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
/** Telegram's /bot<id>:<token>/ path. */
const TELEGRAM_BOT = /\/bot\d+:[A-Za-z0-9_-]+/g;
/** A path segment that looks like a generated token: long, letters and digits mixed. */
function isTokenSegment(segment: string): boolean {
  return segment.length >= 20 && /^[A-Za-z0-9_-]+$/.test(segment) && /[A-Za-z]/.test(segment) && /\d/.test(segment);
}

function maskUrlPath(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)(.*)$/i.exec(url);
  if (!m) return url;
  const path = m[2]!
    .replace(TELEGRAM_BOT, `/bot${MASK}`)
    .split('/')
    .map((seg) => (isTokenSegment(seg) ? MASK : seg))
    .join('/');
  return m[1]! + path + m[3]!;
}

export const MASK = '***';

export class SecretMasker {
  private readonly known = new Set<string>();

  /** Registers a literal secret so that it is masked wherever it appears. Short values are ignored (they would mask innocent text). */
  register(secret: string): void {
    if (secret.length >= 6) this.known.add(secret);
  }

  maskString(text: string): string {
    let out = text
      .replace(URI_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`)
      .replace(QUERY_SECRET, `$1${MASK}`)
      .replace(JSON_SECRET, `$1"${MASK}"`)
      .replace(HEADER_SECRET, `$1${MASK}`)
      .replace(BEARER, `$1${MASK}`)
      .replace(URL_IN_TEXT, maskUrlPath);
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
      // A hint (the last characters of a key) is what the desk shows in place of a secret: it stays.
      out[k] =
        SECRET_KEY.test(k) && !/hint$/i.test(k) && v !== null && v !== undefined && v !== ''
          ? MASK
          : this.mask(v, depth + 1);
    }
    return out;
  }
}

/** Masks the credentials of a connection string for display. */
export function maskUri(uri: string): string {
  return new SecretMasker().maskString(uri);
}
