import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { OAuthTokens } from './oauth-tokens';

export interface UserCredential {
  readonly user: string;
  readonly password: string;
}

export interface OAuthClientCredential {
  readonly clientId: string;
  readonly clientSecret: string;
}

export type AuthOutcome =
  | { readonly ok: true; readonly user: string }
  | { readonly ok: false; readonly status: 401; readonly headers: Record<string, string>; readonly body: string };

/** Constant-time comparison, so the simulator does not teach timing-unsafe habits. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function parseBasic(header: string): UserCredential | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Every request to a service authenticates, with Basic (reference A.3) or a bearer token from the simulator's
 * client-credentials endpoint. A failed logon is a 401 with a challenge and no detail about which part was
 * wrong; the session cookie only binds the CSRF token, it does not log anyone on.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  users: readonly UserCredential[],
  tokens: OAuthTokens,
  realm: string,
): AuthOutcome {
  const header = headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer?.[1]) {
    const clientId = tokens.validate(bearer[1]);
    if (clientId) return { ok: true, user: clientId };
    return {
      ok: false,
      status: 401,
      headers: { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'text/plain' },
      body: 'The access token is invalid or expired',
    };
  }
  const basic = parseBasic(header);
  const known = basic && users.find((u) => safeEqual(u.user.toUpperCase(), basic.user.toUpperCase()));
  if (basic && known && safeEqual(known.password, basic.password)) return { ok: true, user: known.user.toUpperCase() };
  return {
    ok: false,
    status: 401,
    headers: { 'www-authenticate': `Basic realm="${realm}"`, 'content-type': 'text/plain' },
    body: 'Logon failed',
  };
}
