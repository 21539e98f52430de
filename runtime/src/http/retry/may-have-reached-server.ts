import { TaktError, type ErrorCode } from '../../errors';

/**
 * Whether a failed request may have been processed by the server: the question that decides if a
 * non-idempotent write (a POST without an idempotency key) may be sent again. Retrying one whose response was
 * lost can create the record twice; such a failure is "ambiguous" and goes to reconciliation instead.
 *
 * The transport answers it on every error it raises, in `details.requestMayHaveReachedServer`:
 * - `false` when the failure proves the server never processed the request: DNS failure, connection refused,
 *   connect timeout, a TLS failure before any request byte was sent, a 429;
 * - `true` when the request was (or may have been) sent and the outcome is unknown: a reset or timeout after
 *   the request was written, a 5xx, a stalled body.
 */
export const REQUEST_MAY_HAVE_REACHED_SERVER = 'requestMayHaveReachedServer';

/**
 * Codes that can only arise before a request reaches the server, or that say the server refused to process it
 * (429, RFC 6585 §4). Used only when an error does not carry the flag.
 */
const NEVER_REACHED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'DNS_NOT_FOUND',
  'DNS_TEMPORARY',
  'CONNECTION_REFUSED',
  'NETWORK_UNREACHABLE',
  'CONNECT_TIMEOUT',
  'HTTP_RATE_LIMITED',
]);

/**
 * Reads the flag above. Without one the code decides, and any other failure, including every non-TaktError,
 * counts as "may have reached": for a write that cannot be repeated safely, unknown must mean ambiguous.
 */
export function mayHaveReachedServer(error: unknown): boolean {
  if (!TaktError.is(error)) return true;
  const flag = error.details[REQUEST_MAY_HAVE_REACHED_SERVER];
  if (typeof flag === 'boolean') return flag;
  return !NEVER_REACHED.has(error.code);
}
