import { redactUrl, type TaktError } from '../../errors';
import type { RestUpsertConfig } from './config';

/**
 * What a failed connection test tells the user to do. Auth and path failures are rephrased for this kind of
 * target (where the key goes, what the base URL must point at); everything else keeps the transport's message,
 * which already names the fix (DNS, TLS, proxy, timeouts).
 */
export function connectionTestFailure(error: TaktError, config: RestUpsertConfig): string {
  const url = redactUrl(config.baseUrl);
  switch (error.code) {
    case 'AUTH_FAILED':
      return `${url} refused the credentials (401): check the ${credentialName(config)} in the connection's credentials.`;
    case 'FORBIDDEN':
      return `${url} accepted the credentials but refused the request (403): the ${credentialName(config)} needs permission for the sync endpoints.`;
    case 'HTTP_NOT_FOUND':
      return `Nothing answers at ${url}${config.test?.path ?? ''} (404): the base URL must be the API root the sync paths are appended to.`;
    default:
      return error.message;
  }
}

function credentialName(config: RestUpsertConfig): string {
  switch (config.auth.type) {
    case 'bearer':
      return 'API key (sent as a bearer token)';
    case 'apiKey':
      return `API key (sent in the ${config.auth.header} header)`;
    case 'basic':
      return 'user name and password';
    case 'none':
      return 'access settings (no credentials are configured)';
  }
}
