import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

import { TaktError } from '../../errors';

/**
 * TLS settings of one connection, as an integrator types them: PEM text, never file paths (hosts store
 * connection settings, not files).
 */
export interface TlsOptions {
  /**
   * CA certificates (PEM) to trust in addition to Node's bundled public roots, typically a company's
   * internal CA. One string may hold a whole bundle.
   */
  readonly ca?: string | readonly string[];
  /** Client certificate (PEM, optionally followed by its intermediates) for servers that require mTLS. */
  readonly cert?: string;
  /** Private key (PEM) of `cert`; may be encrypted, then `passphrase` is required. */
  readonly key?: string;
  readonly passphrase?: string;
  /** Verify the server's certificate. Default true; false is for tests against throwaway servers only. */
  readonly rejectUnauthorized?: boolean;
  /**
   * Name to send in SNI and to check the certificate against, when it differs from the URL's host (a URL with
   * an IP address). Applies to every https origin of the connection, not to an https:// proxy.
   */
  readonly servername?: string;
}

/** What undici's connector gets (`Agent({ connect })`, `ProxyAgent({ requestTls, proxyTls })`). */
export interface TlsConnectOptions {
  readonly secureContext?: SecureContext;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
}

export interface ResolvedTls {
  /** For connections to the target servers. */
  readonly target: TlsConnectOptions;
  /** For an https:// proxy: the same trust, without the client certificate and servername meant for the target. */
  readonly proxy: TlsConnectOptions;
  /** Values to register for masking while the connection lives (the key passphrase). */
  readonly secrets: readonly string[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Validates TLS settings and builds the secure contexts once per client rather than once per socket.
 *
 * `ca` is added to Node's bundled roots instead of replacing them (Node's own `ca` option replaces them): a
 * connection that trusts its ERP's internal CA must still reach a public OAuth endpoint.
 * https://nodejs.org/docs/latest-v20.x/api/tls.html#tlscreatesecurecontextoptions
 *
 * Throws CONFIG_INVALID naming the field (`tls.ca`, `tls.key`, …); messages never contain the PEM text.
 */
export function resolveTlsOptions(options: TlsOptions | undefined, field = 'tls'): ResolvedTls {
  const rejectUnauthorized = options?.rejectUnauthorized ?? true;
  const servername = options?.servername?.trim() || undefined;
  const target = { rejectUnauthorized, ...(servername ? { servername } : {}) };
  if (!options) return { target, proxy: { rejectUnauthorized }, secrets: [] };

  const caPems = caList(options.ca).map((pem, index, all) =>
    certificatesOf(pem, all.length > 1 ? `${field}.ca[${index}]` : `${field}.ca`),
  );
  const ca = caPems.length > 0 ? [...rootCertificates, ...caPems.flat()] : undefined;
  const identity = clientIdentity(options, field);

  const context = (withIdentity: boolean): SecureContext | undefined => {
    if (!ca && !(withIdentity && identity)) return undefined;
    try {
      return createSecureContext({ ...(ca ? { ca } : {}), ...(withIdentity ? identity : {}) });
    } catch (cause) {
      throw new TaktError('CONFIG_INVALID', `The TLS settings in ${field} could not be loaded by Node's TLS layer.`, {
        cause,
        details: { field },
      });
    }
  };
  const targetContext = context(true);
  const proxyContext = context(false);
  return {
    target: { ...target, ...(targetContext ? { secureContext: targetContext } : {}) },
    proxy: { rejectUnauthorized, ...(proxyContext ? { secureContext: proxyContext } : {}) },
    secrets: options.passphrase ? [options.passphrase] : [],
  };
}

function caList(ca: TlsOptions['ca']): string[] {
  if (ca === undefined) return [];
  return (typeof ca === 'string' ? [ca] : [...ca]).filter((pem) => pem.trim().length > 0);
}

/** Splits a PEM bundle into its certificates and checks each parses as X.509. */
function certificatesOf(pem: string, field: string): string[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw invalid(
      field,
      `${field} contains no PEM certificate. Paste the certificate file's content (it starts with ` +
        '"-----BEGIN CERTIFICATE-----"), not its path; a binary DER file (.cer, .der) converts with ' +
        '`openssl x509 -inform der -in ca.cer -out ca.pem`.',
    );
  }
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch (cause) {
      const which = blocks.length > 1 ? `Certificate ${index + 1} of ${blocks.length} in ${field}` : field;
      throw invalid(field, `${which} is not a readable X.509 certificate; copy it again from the source.`, cause);
    }
  });
  return blocks;
}

interface ClientIdentity {
  readonly cert: string;
  readonly key: string;
  readonly passphrase?: string;
}

function clientIdentity(options: TlsOptions, field: string): ClientIdentity | undefined {
  const { cert, key, passphrase } = options;
  if (!cert && !key) return undefined;
  if (!cert || !key) {
    const missing = cert ? 'key' : 'cert';
    throw invalid(
      `${field}.${missing}`,
      `${field}.cert and ${field}.key go together for a client certificate; ${field}.${missing} is missing.`,
    );
  }
  const [leaf] = certificatesOf(cert, `${field}.cert`);
  const privateKey = keyOf(key, passphrase, field);
  if (leaf !== undefined && !new X509Certificate(leaf).checkPrivateKey(privateKey)) {
    throw invalid(
      `${field}.key`,
      `${field}.key is not the private key of the certificate in ${field}.cert; they come from different pairs.`,
    );
  }
  return { cert, key, ...(passphrase ? { passphrase } : {}) };
}

const ENCRYPTED_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;

function keyOf(key: string, passphrase: string | undefined, field: string): KeyObject {
  // OpenSSL 3 reports a missing passphrase as "interrupted or cancelled"; the PEM header says it plainly.
  if (!passphrase && ENCRYPTED_KEY.test(key)) {
    throw invalid(`${field}.passphrase`, `${field}.key is encrypted; set ${field}.passphrase.`);
  }
  try {
    return createPrivateKey({ key, format: 'pem', ...(passphrase ? { passphrase } : {}) });
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ERR_OSSL_BAD_DECRYPT') {
      throw invalid(`${field}.passphrase`, `${field}.passphrase does not decrypt ${field}.key.`, cause);
    }
    throw invalid(
      `${field}.key`,
      `${field}.key is not a readable PEM private key (it starts with "-----BEGIN PRIVATE KEY-----", ` +
        '"-----BEGIN ENCRYPTED PRIVATE KEY-----" or "-----BEGIN RSA/EC PRIVATE KEY-----").',
      cause,
    );
  }
}

function invalid(field: string, message: string, cause?: unknown): TaktError {
  return new TaktError('CONFIG_INVALID', message, { details: { field }, ...(cause ? { cause } : {}) });
}
