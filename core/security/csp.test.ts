import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp';

describe('content security policy', () => {
  it('allows only our own scripts and styles, nothing inline, no plugins or framing', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('adds only the given socket origins to connect-src', () => {
    const csp = contentSecurityPolicy(['ws://127.0.0.1:8765']);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8765");
    expect(csp.match(/ws:\/\//g)).toHaveLength(1);
  });

  it('refuses a source that could widen or break the policy', () => {
    expect(() => contentSecurityPolicy(['*'])).toThrow();
    expect(() => contentSecurityPolicy(["ws://x; script-src 'unsafe-inline'"])).toThrow();
  });
});
