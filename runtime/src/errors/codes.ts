/**
 * The one table of Takt error codes. A code is a stable contract: hosts, job logs and dead letters store it,
 * users search for it, so a code is never renamed or reused for another meaning. Add rows; do not edit them.
 *
 * `kind` says who must act (the integrator's configuration, the credentials, nobody because it will pass,
 * the data, a concurrent writer, or Takt itself); `retryable` says whether the same call may succeed later
 * unchanged.
 */
export type ErrorKind = 'config' | 'auth' | 'transient' | 'data' | 'conflict' | 'internal';

export interface ErrorCodeSpec {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  /** One line for docs and for hosts that show a title above the message. */
  readonly title: string;
}

export const ERROR_CODES = {
  // config: the integrator must change a setting
  CONFIG_INVALID: { kind: 'config', retryable: false, title: 'Invalid configuration' },
  URL_INVALID: { kind: 'config', retryable: false, title: 'Invalid URL' },
  DNS_NOT_FOUND: { kind: 'config', retryable: false, title: 'Host name not found' },
  TLS_CERT_UNTRUSTED: { kind: 'config', retryable: false, title: 'Server certificate not trusted' },
  TLS_HOSTNAME_MISMATCH: { kind: 'config', retryable: false, title: 'Certificate does not match host name' },
  TLS_CERT_EXPIRED: { kind: 'config', retryable: false, title: 'Server certificate expired or not yet valid' },
  TLS_HANDSHAKE_FAILED: { kind: 'config', retryable: false, title: 'TLS handshake failed' },
  STORE_UNSUPPORTED: { kind: 'config', retryable: false, title: 'State store not supported in this setup' },
  HTTP_PRECONDITION_REQUIRED: { kind: 'config', retryable: false, title: 'Server requires If-Match (428)' },
  MAPPING_INVALID: { kind: 'config', retryable: false, title: 'Mapping invalid' },
  MAPPING_EXPRESSION_INVALID: { kind: 'config', retryable: false, title: 'Mapping expression does not compile' },
  ENTITY_UNKNOWN: { kind: 'config', retryable: false, title: 'Entity not known to this connector' },
  SERVICE_NOT_FOUND: { kind: 'config', retryable: false, title: 'Service or entity set not found' },

  // auth: credentials are wrong, expired or lack a permission
  AUTH_FAILED: { kind: 'auth', retryable: false, title: 'Authentication failed (401)' },
  FORBIDDEN: { kind: 'auth', retryable: false, title: 'Permission denied (403)' },
  PROXY_AUTH_FAILED: { kind: 'auth', retryable: false, title: 'Proxy authentication failed (407)' },
  CSRF_TOKEN_REJECTED: { kind: 'auth', retryable: false, title: 'CSRF token rejected after a refetch' },
  WEBHOOK_SIGNATURE_INVALID: { kind: 'auth', retryable: false, title: 'Webhook signature does not match' },
  WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE: { kind: 'auth', retryable: false, title: 'Webhook timestamp out of tolerance' },

  // transient: expected to pass without anyone changing anything
  DNS_TEMPORARY: { kind: 'transient', retryable: true, title: 'Temporary DNS failure' },
  CONNECTION_REFUSED: { kind: 'transient', retryable: true, title: 'Connection refused' },
  NETWORK_UNREACHABLE: { kind: 'transient', retryable: true, title: 'Network unreachable' },
  CONNECT_TIMEOUT: { kind: 'transient', retryable: true, title: 'Connect timeout' },
  HEADERS_TIMEOUT: { kind: 'transient', retryable: true, title: 'No response in time' },
  BODY_TIMEOUT: { kind: 'transient', retryable: true, title: 'Response body stalled' },
  CONNECTION_RESET: { kind: 'transient', retryable: true, title: 'Connection closed mid-request' },
  HTTP_TIMEOUT: { kind: 'transient', retryable: true, title: 'Request timeout (408)' },
  HTTP_TOO_EARLY: { kind: 'transient', retryable: true, title: 'Too early (425)' },
  HTTP_RATE_LIMITED: { kind: 'transient', retryable: true, title: 'Rate limited (429)' },
  HTTP_SERVER_ERROR: { kind: 'transient', retryable: true, title: 'Server error (5xx)' },
  HTTP_UNAVAILABLE: { kind: 'transient', retryable: true, title: 'Service unavailable (502/503/504)' },
  PROXY_FAILED: { kind: 'transient', retryable: true, title: 'Proxy could not reach the target' },
  RETRY_DEFERRED: { kind: 'transient', retryable: true, title: 'Retry deferred until a later time' },
  ABORTED: { kind: 'transient', retryable: false, title: 'Cancelled' },
  STORE_UNAVAILABLE: { kind: 'transient', retryable: true, title: 'State store unreachable' },
  STORE_BUSY: { kind: 'transient', retryable: true, title: 'State store busy' },
  EVENT_IN_PROGRESS: { kind: 'transient', retryable: true, title: 'Event being processed by another worker' },
  JOB_STALE: { kind: 'transient', retryable: true, title: 'Job stopped reporting (worker died)' },
  DELTA_TOKEN_EXPIRED: { kind: 'transient', retryable: true, title: 'Delta token expired at the source' },

  // data: this request or record is wrong; the same call fails again
  HTTP_BAD_REQUEST: { kind: 'data', retryable: false, title: 'Bad request (400)' },
  HTTP_NOT_FOUND: { kind: 'data', retryable: false, title: 'Not found (404)' },
  HTTP_GONE: { kind: 'data', retryable: false, title: 'Gone (410)' },
  HTTP_PAYLOAD_TOO_LARGE: { kind: 'data', retryable: false, title: 'Request too large (413)' },
  HTTP_UNPROCESSABLE: { kind: 'data', retryable: false, title: 'Unprocessable entity (422)' },
  HTTP_CLIENT_ERROR: { kind: 'data', retryable: false, title: 'Request rejected (4xx)' },
  RESPONSE_TOO_LARGE: { kind: 'data', retryable: false, title: 'Response larger than the limit' },
  RESPONSE_INVALID: { kind: 'data', retryable: false, title: 'Response could not be read' },
  WEBHOOK_HEADERS_INVALID: { kind: 'data', retryable: false, title: 'Webhook headers missing or malformed' },
  WEBHOOK_PAYLOAD_TOO_LARGE: { kind: 'data', retryable: false, title: 'Webhook body larger than the limit' },
  PAGE_LINK_REPEATED: { kind: 'data', retryable: false, title: 'Server repeated a next-page link' },
  ERP_REJECTED: { kind: 'data', retryable: false, title: 'Rejected by the ERP' },
  BATCH_CHANGESET_FAILED: { kind: 'data', retryable: false, title: 'Another record of the changeset failed' },
  RECORD_INVALID: { kind: 'data', retryable: false, title: 'Record does not match the entity schema' },
  MAPPING_FIELD_REQUIRED: { kind: 'data', retryable: false, title: 'Required field missing' },
  MAPPING_TYPE_INVALID: { kind: 'data', retryable: false, title: 'Value does not fit the field type' },
  MAPPING_ENUM_UNKNOWN: { kind: 'data', retryable: false, title: 'Value not in the enum map' },
  MAPPING_REFERENCE_UNRESOLVED: { kind: 'data', retryable: false, title: 'Referenced record not synced yet' },
  MAPPING_EXPRESSION_FAILED: { kind: 'data', retryable: false, title: 'Mapping expression failed on this record' },
  KEY_MISSING: { kind: 'data', retryable: false, title: 'Record has no external id' },
  PARENT_FAILED: { kind: 'data', retryable: false, title: 'Parent record failed' },
  DELTA_REBASELINE_FAILED: { kind: 'data', retryable: false, title: 'Delta expired again during a re-baseline' },
  DELIVERY_UNKNOWN: { kind: 'data', retryable: false, title: 'Delivery token unknown' },
  EVENT_NACKED: { kind: 'data', retryable: false, title: 'Rejected by the flow (negative acknowledgement)' },

  // conflict: someone else changed the same thing
  HTTP_CONFLICT: { kind: 'conflict', retryable: false, title: 'Conflict (409)' },
  HTTP_PRECONDITION_FAILED: { kind: 'conflict', retryable: false, title: 'Changed since read (412)' },
  CURSOR_VERSION_CONFLICT: { kind: 'conflict', retryable: false, title: 'Cursor changed by another writer' },
  LEASE_HELD: { kind: 'conflict', retryable: true, title: 'Stream lease held by another owner' },
  LEASE_LOST: { kind: 'conflict', retryable: false, title: 'Stream lease lost' },
  CLAIM_NOT_OWNED: { kind: 'conflict', retryable: false, title: 'Claim not held by this owner' },
  SYNC_CONFLICT: { kind: 'conflict', retryable: false, title: 'Source and target both changed' },

  // internal: a defect or a damaged store; report it
  INTERNAL: { kind: 'internal', retryable: false, title: 'Internal error' },
  STORE_CORRUPT: { kind: 'internal', retryable: false, title: 'State store damaged' },
  STORE_MIGRATION_FAILED: { kind: 'internal', retryable: false, title: 'State store migration failed' },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
