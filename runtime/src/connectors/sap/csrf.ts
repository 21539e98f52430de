import { TaktError, forgetSecret, registerSecret } from '../../errors';

/**
 * The CSRF token of one SAP connection (reference A.4; diagram in README.md). Fetched lazily before the first
 * modifying request, reused by every write and `$batch` until the server rejects it, then fetched again once.
 *
 * The token is bound to the session cookies that came with it, so the two are dropped together (the cookie
 * jar is cleared by the caller on a rejection). It is registered for masking while held.
 * https://help.sap.com/saphelp_gateway20sp12/helpdata/en/e6/cae27d5e8d4996add4067280c8714e/content.htm
 */
export class CsrfToken {
  private value: string | undefined;
  private fetched = false;
  private fetching: Promise<string | undefined> | undefined;

  /**
   * `fetchToken` sends a non-modifying request to a service root with `x-csrf-token: Fetch` and returns the
   * token the response carried.
   */
  constructor(private readonly fetchToken: (root: string, signal?: AbortSignal) => Promise<string | undefined>) {}

  /**
   * The token to send, fetching it first when none is held. Undefined when the server issued none: CSRF
   * protection can be switched off per ICF node, and then writes go without it.
   */
  async get(root: string, signal?: AbortSignal): Promise<string | undefined> {
    if (this.fetched) return this.value;
    this.fetching ??= this.fetchToken(root, signal)
      .then((token) => {
        this.set(token);
        return token;
      })
      .finally(() => {
        this.fetching = undefined;
      });
    return this.fetching;
  }

  /** Forgets the token, so the next `get` fetches a new one. */
  reset(): void {
    this.set(undefined);
    this.fetched = false;
  }

  private set(token: string | undefined): void {
    if (this.value !== undefined) forgetSecret(this.value);
    this.value = token;
    this.fetched = true;
    if (token !== undefined) registerSecret(token);
  }
}

/**
 * A CSRF rejection: 403 **and** `x-csrf-token: Required` (case-insensitive). Any other 403 is an authorization
 * error and must not trigger a refetch loop (reference A.4, step 5).
 */
export function isCsrfRejection(status: number, headers: Readonly<Record<string, string | string[]>>): boolean {
  const header = headers['x-csrf-token'];
  const value = Array.isArray(header) ? header[0] : header;
  return status === 403 && typeof value === 'string' && value.trim().toLowerCase() === 'required';
}

/** The token a Fetch response carries; `Required` or an empty header means none was issued. */
export function issuedToken(headers: Readonly<Record<string, string | string[]>>): string | undefined {
  const header = headers['x-csrf-token'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value && value.toLowerCase() !== 'required' && value.toLowerCase() !== 'fetch' ? value : undefined;
}

export function csrfRejectedAgain(method: string, url: string): TaktError {
  return new TaktError(
    'CSRF_TOKEN_REJECTED',
    `SAP rejected the CSRF token of ${method} ${url} again right after a fresh token was fetched. Usually the ` +
      'session cookies do not reach the same server: check that a load balancer or Web Dispatcher in front of ' +
      'SAP keeps sessions sticky, that no proxy strips Cookie / Set-Cookie, and that sap-client is the same on ' +
      'every request (the token cookie is per client).',
    { details: { method, url } },
  );
}
