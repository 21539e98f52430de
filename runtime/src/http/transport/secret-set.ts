import { forgetSecret, isSensitiveHeader, registerSecret } from '../../errors';

const MIN_COOKIE_SECRET = 8;

/**
 * The secrets one owner (a client for its lifetime, or one request while it runs) has registered for masking.
 * Registration is counted by the redaction registry, so releasing a set only unmasks a value that no other
 * owner still holds. Each value is registered at most once per set.
 */
export class SecretSet {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value === undefined || value.length === 0 || this.values.has(value)) return;
    this.values.add(value);
    registerSecret(value);
  }

  addAll(values: Iterable<string>): void {
    for (const value of values) this.add(value);
  }

  /**
   * Registers what a credential header carries. The whole value is not enough: a server that echoes only the
   * token, or a Basic password after decoding, would slip past, so the parts are registered too.
   */
  addHeader(name: string, value: string): void {
    if (!isSensitiveHeader(name)) return;
    this.add(value);
    const scheme = /^([A-Za-z][A-Za-z0-9-]*)\s+(\S.*)$/.exec(value.trim());
    if (scheme?.[1] !== undefined && scheme[2] !== undefined) {
      this.add(scheme[2]);
      if (scheme[1].toLowerCase() === 'basic') this.addBasicCredentials(scheme[2]);
    }
    if (name.toLowerCase() === 'cookie') {
      for (const pair of value.split(';')) {
        // Session ids are long; short values ("1", "true", "de") are flags, and masking them would hide text.
        const cookieValue = pair.slice(pair.indexOf('=') + 1).trim();
        if (pair.includes('=') && cookieValue.length >= MIN_COOKIE_SECRET) this.add(cookieValue);
      }
    }
  }

  /** Forgets every value this set registered. Safe to call twice. */
  release(): void {
    for (const value of this.values) forgetSecret(value);
    this.values.clear();
  }

  private addBasicCredentials(encoded: string): void {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) this.add(decoded.slice(colon + 1));
  }
}

/** The `Basic` credentials header value for a user name and password (RFC 7617, UTF-8). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
