/**
 * How a connection proves who it is, per request. Basic sends a fixed header, X.509 sends nothing (the client
 * certificate is presented in the TLS handshake), OAuth 2.0 sends a cached bearer token it renews.
 */
export interface SapAuth {
  readonly kind: 'basic' | 'oauth2-client-credentials' | 'x509';
  /** Headers for the next request (`authorization`), fetching a token first when none is valid. */
  headers(signal?: AbortSignal): Promise<Readonly<Record<string, string>>>;
  /**
   * Told that the server answered 401 to credentials from `headers()`. Returns true when asking `headers()`
   * again yields different credentials worth one more attempt (a new token); false when the same credentials
   * would be sent again (a password), so the 401 stands.
   */
  rejected(): boolean;
  /** Forgets cached tokens and unregisters the secrets it registered. Idempotent. */
  close(): Promise<void>;
}

/** The `auth` option of the SAP connector (reference A.3: Basic and X.509 on premise; OAuth 2.0 in the cloud). */
export type SapAuthOptions = SapBasicAuthOptions | SapOAuth2ClientCredentialsOptions | SapX509AuthOptions;

export interface SapBasicAuthOptions {
  readonly type: 'basic';
  readonly username: string;
  readonly password: string;
}

export interface SapOAuth2ClientCredentialsOptions {
  readonly type: 'oauth2-client-credentials';
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
}

export interface SapX509AuthOptions {
  readonly type: 'x509';
  /** Client certificate (PEM, optionally with its intermediates). */
  readonly cert: string;
  /** Its private key (PEM), possibly encrypted. */
  readonly key: string;
  readonly passphrase?: string;
  /** CA certificates (PEM) to trust besides Node's public roots, for a company CA. */
  readonly ca?: string | readonly string[];
}
