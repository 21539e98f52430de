import { TaktError, forgetSecret, registerSecret } from '../../../errors';
import { basicAuthorization } from './basic-header';
import type { SapAuth, SapBasicAuthOptions } from './sap-auth';

/**
 * HTTP Basic (RFC 7617), the default for on-premise Gateway (reference A.3). The password and the encoded
 * header are registered for masking for the connection's lifetime, not only while a request runs, so an
 * error raised later (a server echoing the header) cannot carry them. A 401 is final: the same password
 * would be sent again.
 */
export function basicAuth(options: SapBasicAuthOptions): SapAuth {
  if (!options.username || typeof options.password !== 'string') {
    throw new TaktError('CONFIG_INVALID', 'Basic authentication needs auth.username and auth.password.', {
      details: { field: 'auth' },
    });
  }
  const header = basicAuthorization(options.username, options.password);
  const secrets = [options.password, header, header.slice('Basic '.length)];
  for (const secret of secrets) registerSecret(secret);
  let closed = false;
  return {
    kind: 'basic',
    headers: () => Promise.resolve({ authorization: header }),
    rejected: () => false,
    close() {
      if (!closed) {
        closed = true;
        for (const secret of secrets) forgetSecret(secret);
      }
      return Promise.resolve();
    },
  };
}
