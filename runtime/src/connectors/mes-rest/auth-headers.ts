import { TaktError } from '../../errors';
import type { RestAuth } from './config';

export interface AuthHeaders {
  readonly headers: Readonly<Record<string, string>>;
  /** Values to mask for as long as the connector lives, whatever header name carries them. */
  readonly secrets: readonly string[];
}

/**
 * The headers that authenticate every request. A custom API-key header name (`X-Mes-Key`) is not one the
 * redaction layer knows, so the key is also returned for explicit registration.
 */
export function authHeaders(auth: RestAuth): AuthHeaders {
  switch (auth.type) {
    case 'none':
      return { headers: {}, secrets: [] };
    case 'bearer':
      required(auth.token, 'auth.token');
      return { headers: { authorization: `Bearer ${auth.token}` }, secrets: [auth.token] };
    case 'apiKey': {
      required(auth.value, 'auth.value');
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(auth.header)) {
        throw new TaktError('CONFIG_INVALID', `auth.header "${auth.header}" is not a valid HTTP header name.`, {
          details: { field: 'auth.header' },
        });
      }
      return { headers: { [auth.header.toLowerCase()]: `${auth.prefix ?? ''}${auth.value}` }, secrets: [auth.value] };
    }
    case 'basic': {
      required(auth.username, 'auth.username');
      const encoded = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
      return { headers: { authorization: `Basic ${encoded}` }, secrets: [auth.password, encoded] };
    }
  }
}

function required(value: string, field: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TaktError('CONFIG_INVALID', `${field} is empty: enter it in the connection's credentials.`, {
      details: { field },
    });
  }
}
