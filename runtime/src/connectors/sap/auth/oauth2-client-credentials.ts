import { TaktError, forgetSecret, registerSecret } from '../../../errors';
import type { HttpConnection } from '../../../http';
import { systemClock, type Clock } from '../../../time';
import { basicAuthorization } from './basic-header';
import type { SapAuth, SapOAuth2ClientCredentialsOptions } from './sap-auth';

/** Renew this long before the server's expiry, so a token never expires between check and use. */
const EARLY_RENEWAL_MS = 60_000;
/** When the server omits `expires_in`, use the token until a 401 says otherwise. */
const UNKNOWN_LIFETIME_MS = Number.POSITIVE_INFINITY;

interface CachedToken {
  readonly value: string;
  /** When to fetch the next one: the expiry minus the early-renewal margin. */
  readonly renewAt: number;
}

/**
 * OAuth 2.0 client credentials grant (RFC 6749 §4.4), for S/4HANA Cloud communication arrangements and SAP
 * BTP-fronted systems (reference A.3).
 *
 * - One token per connection, cached and shared by concurrent requests; a fetch already running is awaited,
 *   not repeated.
 * - Renewed before it expires: at `expires_in` minus 60 s, or at half its lifetime when that is shorter.
 * - A 401 from SAP drops the token (it may have been revoked before its expiry); the request pipeline then
 *   asks once more (sap-http.ts), so a token expiry costs exactly one extra token fetch.
 * - The client authenticates with HTTP Basic (RFC 6749 §2.3.1, the method servers must support), scope in
 *   the form body. The secret and every token are registered for masking; a replaced token is unregistered.
 */
export class OAuth2ClientCredentials implements SapAuth {
  readonly kind = 'oauth2-client-credentials';
  private readonly clientAuthorization: string;
  private readonly clock: Clock;
  private token: CachedToken | undefined;
  private fetching: Promise<CachedToken> | undefined;
  private closed = false;

  constructor(
    private readonly options: SapOAuth2ClientCredentialsOptions,
    private readonly connection: HttpConnection,
    clock: Clock = systemClock,
  ) {
    if (!options.tokenUrl || !options.clientId || !options.clientSecret) {
      throw new TaktError(
        'CONFIG_INVALID',
        'OAuth 2.0 client credentials need auth.tokenUrl, auth.clientId and auth.clientSecret.',
        { details: { field: 'auth' } },
      );
    }
    this.clock = clock;
    this.clientAuthorization = basicAuthorization(
      encodeURIComponent(options.clientId),
      encodeURIComponent(options.clientSecret),
    );
    registerSecret(options.clientSecret);
    registerSecret(this.clientAuthorization.slice('Basic '.length));
  }

  async headers(signal?: AbortSignal): Promise<Readonly<Record<string, string>>> {
    const token = await this.current(signal);
    return { authorization: `Bearer ${token.value}` };
  }

  rejected(): boolean {
    this.drop();
    return true;
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.drop();
      forgetSecret(this.options.clientSecret);
      forgetSecret(this.clientAuthorization.slice('Basic '.length));
    }
    return this.connection.close();
  }

  private async current(signal: AbortSignal | undefined): Promise<CachedToken> {
    if (this.closed) throw new TaktError('INTERNAL', 'This SAP connection is closed; create a new one.');
    if (this.token && this.clock.now() < this.token.renewAt) return this.token;
    this.fetching ??= this.fetch(signal).finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetch(signal: AbortSignal | undefined): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.scope) form.set('scope', this.options.scope);
    const startedAt = this.clock.now();
    let body: unknown;
    try {
      const response = await this.connection.send(
        {
          method: 'POST',
          url: this.options.tokenUrl,
          headers: {
            authorization: this.clientAuthorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
          ...(signal ? { signal } : {}),
        },
        // Asking for a token twice has no effect beyond a second token.
        { idempotent: true },
      );
      body = response.body;
    } catch (error) {
      throw refused(error);
    }
    const token = parseTokenResponse(body);
    const lifetime = token.expiresInS === undefined ? UNKNOWN_LIFETIME_MS : token.expiresInS * 1000;
    const margin = Math.min(EARLY_RENEWAL_MS, lifetime / 2);
    this.drop();
    registerSecret(token.accessToken);
    this.token = { value: token.accessToken, renewAt: startedAt + lifetime - margin };
    return this.token;
  }

  private drop(): void {
    if (this.token) forgetSecret(this.token.value);
    this.token = undefined;
  }
}

interface TokenResponse {
  readonly accessToken: string;
  readonly expiresInS?: number;
}

/** RFC 6749 §5.1: `access_token`, `token_type` (Bearer), `expires_in` seconds (a string on some servers). */
function parseTokenResponse(body: unknown): TokenResponse {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const accessToken = record.access_token;
  const tokenType = record.token_type;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TaktError(
      'AUTH_FAILED',
      'The OAuth token endpoint answered without an access_token. Check auth.tokenUrl: it must be the token ' +
        'endpoint (…/oauth/token), not the authorization page.',
      { details: { field: 'auth.tokenUrl' } },
    );
  }
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw new TaktError('AUTH_FAILED', `The OAuth token endpoint issued a "${tokenType}" token; SAP needs Bearer.`, {
      details: { field: 'auth.tokenUrl' },
    });
  }
  const expiresIn = Number(record.expires_in);
  return { accessToken, ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresInS: expiresIn } : {}) };
}

/** The token endpoint's refusal as an AUTH_FAILED that names what to check; transient failures pass through. */
function refused(error: unknown): unknown {
  if (!TaktError.is(error) || (error.kind !== 'auth' && error.kind !== 'data')) return error;
  return new TaktError(
    'AUTH_FAILED',
    `The OAuth token endpoint refused the client credentials: ${error.message} Check auth.clientId, ` +
      'auth.clientSecret, auth.scope and auth.tokenUrl (the communication arrangement or service key holds them).',
    { cause: error, details: { field: 'auth', status: error.details.status } },
  );
}
