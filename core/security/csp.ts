// The one Content-Security-Policy of the desk, for Electron's app:// pages and browser mode
// alike: our own scripts and styles only, no inline code, no plugins, no framing, and
// network access only to our own origin (plus, in browser mode, our own API socket).

const BASE: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** The policy string; `extraConnect` adds sources to connect-src (e.g. `ws://127.0.0.1:PORT`). */
export function contentSecurityPolicy(extraConnect: readonly string[] = []): string {
  for (const source of extraConnect) {
    if (!/^(wss?|https?):\/\/[A-Za-z0-9.[\]:-]+$/.test(source)) throw new Error(`Refusing CSP source "${source}"`);
  }
  return Object.entries(BASE)
    .map(
      ([directive, sources]) =>
        `${directive} ${(directive === 'connect-src' ? [...sources, ...extraConnect] : sources).join(' ')}`,
    )
    .join('; ');
}
