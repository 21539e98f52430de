import { forgetSecret, registerSecret } from '../../errors';

/** Cookie values shorter than this are flags ("1", "de"), not session ids; masking them would hide text. */
const MIN_SECRET_LENGTH = 8;

/**
 * The cookies of one connection, per origin. undici has no cookie jar (reference 0), and SAP's CSRF protection
 * needs one: the token is validated against the session (`SAP_SESSIONID_<SID>_<client>`) or the anti-XSRF
 * cookie (`sap-XSRF_<SID>_<client>`), and without them a write runs in a fresh session and fails (reference
 * A.4, step 3). Names change between releases, so every cookie is kept and sent back, name and value only;
 * attributes other than expiry are ignored because one jar serves one service host.
 * https://userapps.support.sap.com/sap/support/knowledge/en/3048103
 *
 * Cookie values are session credentials: each is registered for masking while the jar holds it.
 */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  /** Absorbs a response's `Set-Cookie` lines (undici gives an array when there are several, reference 0). */
  store(origin: string, setCookie: string | readonly string[] | undefined): void {
    if (setCookie === undefined) return;
    for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie) this.storeOne(origin, line);
  }

  /** The `Cookie` header for a request to `origin`, or undefined when the jar has none for it. */
  header(origin: string): string | undefined {
    const cookies = this.byOrigin.get(origin);
    if (!cookies || cookies.size === 0) return undefined;
    return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get size(): number {
    let total = 0;
    for (const cookies of this.byOrigin.values()) total += cookies.size;
    return total;
  }

  /** Drops every cookie (a rejected CSRF token takes its session with it, reference A.4 step 5). */
  clear(): void {
    for (const cookies of this.byOrigin.values()) for (const value of cookies.values()) forget(value);
    this.byOrigin.clear();
  }

  private storeOne(origin: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let cookies = this.byOrigin.get(origin);
    if (!cookies) {
      cookies = new Map();
      this.byOrigin.set(origin, cookies);
    }
    const previous = cookies.get(name);
    if (previous !== undefined) forget(previous);
    if (expired(attributes) || value === '') {
      cookies.delete(name);
      return;
    }
    cookies.set(name, value);
    if (value.length >= MIN_SECRET_LENGTH) registerSecret(value);
  }
}

function forget(value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) forgetSecret(value);
}

/** `Max-Age=0` or an `Expires` in the past: the server deletes the cookie (RFC 6265 §5.2.1, §5.2.2). */
function expired(attributes: readonly string[]): boolean {
  for (const attribute of attributes) {
    const [rawName = '', ...rest] = attribute.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (name === 'max-age' && /^-?\d+$/.test(value) && Number(value) <= 0) return true;
    if (name === 'expires') {
      const at = Date.parse(value);
      if (Number.isFinite(at) && at <= Date.now()) return true;
    }
  }
  return false;
}
