import type { IncomingHttpHeaders } from 'node:http';
import { authenticate, type UserCredential } from './auth/credentials';
import { type CsrfSessions, parseCookies } from './auth/csrf-sessions';
import type { OAuthTokens } from './auth/oauth-tokens';
import type { SimResponse } from '../service';

/** What the gate learnt about a request that may proceed. */
export interface GatePass {
  readonly user: string;
  readonly client: string;
  readonly language: string;
  /** Headers to add to the answer (the CSRF token and session cookies after a fetch). */
  readonly headers: Record<string, string | string[]>;
}

export interface GateConfig {
  readonly client: string;
  readonly systemId: string;
  readonly users: readonly UserCredential[];
  readonly tokens: OAuthTokens;
  readonly sessions: CsrfSessions;
}

const MODIFYING = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What ICF does before a service sees a request: pick the client (sap-client query parameter or header,
 * else the system's default; reference A.2), log on (A.3), and run the CSRF protocol (A.4): a GET/HEAD with
 * `X-CSRF-Token: Fetch` gets a token and session cookies; every modifying request, $batch included, needs
 * both, or it gets 403 with `X-CSRF-Token: Required`.
 */
export function passGate(
  config: GateConfig,
  method: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): GatePass | SimResponse {
  const client = query.get('sap-client') ?? header(headers, 'sap-client') ?? config.client;
  const realm = `SAP NetWeaver Application Server [${config.systemId}/${config.client}]`;
  if (client !== config.client) {
    return {
      status: 401,
      headers: { 'www-authenticate': `Basic realm="${realm}"`, 'content-type': 'text/plain' },
      body: `Logon failed: client ${client} is not available in this system`,
    };
  }
  const language = (query.get('sap-language') ?? header(headers, 'sap-language') ?? 'EN').toLowerCase();
  const auth = authenticate(headers, config.users, config.tokens, realm);
  if (!auth.ok) return auth;

  const cookieName = `SAP_SESSIONID_${config.systemId}_${client}`;
  const sessionId = parseCookies(header(headers, 'cookie')).get(cookieName);
  const csrfHeader = header(headers, 'x-csrf-token');
  if (MODIFYING.has(method)) {
    if (!config.sessions.validate(sessionId, csrfHeader, auth.user, client)) {
      return {
        status: 403,
        headers: { 'x-csrf-token': 'Required', 'content-type': 'text/plain' },
        body: 'CSRF token validation failed',
      };
    }
    return { user: auth.user, client, language, headers: {} };
  }
  if (csrfHeader?.toLowerCase() === 'fetch') {
    const session = config.sessions.fetch(sessionId, auth.user, client);
    return {
      user: auth.user,
      client,
      language,
      headers: {
        'x-csrf-token': session.token,
        'set-cookie': [
          `${cookieName}=${session.sessionId}; path=/; HttpOnly`,
          `sap-usercontext=sap-client=${client}; path=/`,
        ],
      },
    };
  }
  return { user: auth.user, client, language, headers: {} };
}

export function isGatePass(value: GatePass | SimResponse): value is GatePass {
  return 'user' in value;
}
