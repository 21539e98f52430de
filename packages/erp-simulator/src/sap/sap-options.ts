import type { OAuthClientCredential, UserCredential } from './auth/credentials';

export interface SapOptions {
  /** The ABAP client (sap-client) the system has; requests naming another client fail logon. Default '100'. */
  readonly client?: string;
  /** Basic-auth users. Default: one user, TAKT_USER / Welcome1!. */
  readonly users?: readonly UserCredential[];
  /** OAuth 2.0 client-credentials clients. Default: takt-client / takt-secret. */
  readonly oauthClients?: readonly OAuthClientCredential[];
  /** Server-driven page size (reference A.6). Default 1000. */
  readonly maxPageSize?: number;
  /** Lifetime of issued bearer tokens. Default 3600. */
  readonly tokenTtlSeconds?: number;
}

export const SAP_DEFAULTS = {
  client: '100',
  users: [{ user: 'TAKT_USER', password: 'Welcome1!' }],
  oauthClients: [{ clientId: 'takt-client', clientSecret: 'takt-secret' }],
  maxPageSize: 1000,
  tokenTtlSeconds: 3600,
  /** The system id in cookie names (SAP_SESSIONID_<SID>_<client>, reference A.4). */
  systemId: 'TKT',
} as const;

export const OAUTH_TOKEN_PATH = '/sap/bc/sec/oauth2/token';
