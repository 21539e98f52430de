import type { IncomingHttpHeaders } from 'node:http';
import { type OAuthClientCredential, parseBasic, safeEqual } from './credentials';
import type { OAuthTokens } from './oauth-tokens';

export interface TokenEndpointResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

const NO_STORE = { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): POST a form with grant_type=client_credentials, the client
 * authenticated by Basic header or client_id/client_secret in the form. Errors use RFC 6749 §5.2 codes.
 */
export function tokenEndpoint(
  method: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  clients: readonly OAuthClientCredential[],
  tokens: OAuthTokens,
  ttlSeconds: number,
): TokenEndpointResponse {
  if (method !== 'POST') {
    return { status: 405, headers: { ...NO_STORE, allow: 'POST' }, body: { error: 'invalid_request' } };
  }
  if (!/application\/x-www-form-urlencoded/i.test(String(headers['content-type'] ?? ''))) {
    return {
      status: 400,
      headers: NO_STORE,
      body: { error: 'invalid_request', error_description: 'Send the token request as a form' },
    };
  }
  const form = new URLSearchParams(body.toString('utf8'));
  const basic = parseBasic(headers.authorization ?? '');
  const clientId = basic?.user ?? form.get('client_id') ?? '';
  const secret = basic?.password ?? form.get('client_secret') ?? '';
  const client = clients.find((c) => safeEqual(c.clientId, clientId));
  if (!client || !safeEqual(client.clientSecret, secret)) {
    return {
      status: 401,
      headers: { ...NO_STORE, 'www-authenticate': 'Basic realm="oauth2"' },
      body: { error: 'invalid_client' },
    };
  }
  if (form.get('grant_type') !== 'client_credentials') {
    return { status: 400, headers: NO_STORE, body: { error: 'unsupported_grant_type' } };
  }
  return {
    status: 200,
    headers: NO_STORE,
    body: {
      access_token: tokens.issue(client.clientId, ttlSeconds),
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      scope: form.get('scope') ?? 'API_PRODUCTION_ORDER_2_SRV_0001',
    },
  };
}
