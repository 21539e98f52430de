import { TaktError } from '../../../errors';
import type { TlsOptions } from '../../../http';
import type { SapAuth, SapX509AuthOptions } from './sap-auth';

/**
 * X.509 client certificates (reference A.3): the identity travels in the TLS handshake, so requests carry no
 * credentials header and a 401 is final. The transport loads the PEM text and registers the passphrase for
 * masking (tls-options.ts); this only merges the certificate into the connection's TLS settings.
 */
export function x509Auth(): SapAuth {
  return {
    kind: 'x509',
    headers: () => Promise.resolve({}),
    rejected: () => false,
    close: () => Promise.resolve(),
  };
}

export function x509Tls(options: SapX509AuthOptions, tls: TlsOptions | undefined): TlsOptions {
  if (!options.cert || !options.key) {
    throw new TaktError('CONFIG_INVALID', 'X.509 authentication needs auth.cert and auth.key (PEM text).', {
      details: { field: 'auth' },
    });
  }
  return {
    ...tls,
    cert: options.cert,
    key: options.key,
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  };
}
