import { STATUS_CODES } from 'node:http';

import { TaktError, redactHeaders, type ErrorCode } from '../../errors';
import { parseRetryAfter } from '../retry/retry-after';
import { BODY_SNIPPET_BYTES, describeRequest, transportDetails, type RequestContext } from './failure-facts';

/**
 * The table that turns an unsuccessful response into a TaktError, by status; its other half, for what a
 * request threw, is classify.ts. `reached` fills `details.requestMayHaveReachedServer`: false where the
 * status says the server refused the request without acting on it.
 */

interface StatusRow {
  readonly code: ErrorCode;
  readonly reached: boolean;
  readonly hint: string;
  /** Overrides the code's default `retryable` for this status. */
  readonly retryable?: boolean;
}

const SERVER_ERROR: StatusRow = {
  code: 'HTTP_SERVER_ERROR',
  reached: true,
  hint: 'The server failed while processing the request; this is usually temporary.',
};
const UNAVAILABLE: StatusRow = {
  code: 'HTTP_UNAVAILABLE',
  reached: true,
  hint: 'The server, or a gateway in front of it, is unavailable or timed out; this is usually temporary.',
};
const CLIENT_ERROR: StatusRow = {
  code: 'HTTP_CLIENT_ERROR',
  reached: true,
  hint: 'The server rejected the request; the reason is usually in its answer.',
};
/**
 * Redirects are not followed: following one would resend the credentials to another URL and may turn a POST
 * into a GET. For an API, a redirect means a moved service or a login page.
 */
const REDIRECT: StatusRow = {
  code: 'CONFIG_INVALID',
  reached: true,
  hint:
    'Redirects are not followed for API calls. If the service moved, update the URL; a redirect to a login ' +
    'page means the server did not accept the credentials for API access.',
};

const STATUS: Readonly<Record<number, StatusRow>> = {
  304: {
    code: 'INTERNAL',
    reached: true,
    hint: 'A 304 answers a conditional request (If-None-Match); the caller must list 304 in okStatuses.',
  },
  400: { code: 'HTTP_BAD_REQUEST', reached: true, hint: 'The server rejected the request as malformed.' },
  401: {
    code: 'AUTH_FAILED',
    reached: false,
    hint:
      "Check the user name and password, token or client secret in the connection's credentials, and that the " +
      'account is neither locked nor expired.',
  },
  403: {
    code: 'FORBIDDEN',
    reached: false,
    hint: 'The credentials were accepted but lack the permission for this resource; ask the system administrator.',
  },
  404: {
    code: 'HTTP_NOT_FOUND',
    reached: true,
    hint: "Check the request path, the record key and the service root in the connection's URL.",
  },
  407: {
    code: 'PROXY_AUTH_FAILED',
    reached: false,
    hint: 'A proxy requires credentials: put them in the proxy URL (http://user:password@host:port).',
  },
  408: { code: 'HTTP_TIMEOUT', reached: false, hint: 'The server gave up waiting for the request; try again.' },
  409: {
    code: 'HTTP_CONFLICT',
    reached: true,
    hint: 'The request conflicts with the current state of the record (often: it already exists).',
  },
  410: {
    code: 'HTTP_GONE',
    reached: true,
    hint: 'The resource no longer exists; for a delta or next link the token expired, so start a full read.',
  },
  412: {
    code: 'HTTP_PRECONDITION_FAILED',
    reached: true,
    hint: 'The record changed since it was read (its ETag no longer matches If-Match): read it again first.',
  },
  413: { code: 'HTTP_PAYLOAD_TOO_LARGE', reached: true, hint: 'The request body is too large; send smaller batches.' },
  422: {
    code: 'HTTP_UNPROCESSABLE',
    reached: true,
    hint: 'The server understood the request but rejected its data.',
  },
  425: { code: 'HTTP_TOO_EARLY', reached: false, hint: 'The server refused to process the request yet; try again.' },
  428: {
    code: 'HTTP_PRECONDITION_REQUIRED',
    reached: true,
    hint: 'The server requires If-Match for this change: read the record first and send its ETag.',
  },
  429: { code: 'HTTP_RATE_LIMITED', reached: false, hint: 'The server is rate limiting this client.' },
  // Not implemented: the method is unsupported for this resource, and will stay so.
  501: { ...SERVER_ERROR, retryable: false, hint: 'The server does not support this method for this resource.' },
  502: UNAVAILABLE,
  503: UNAVAILABLE,
  504: UNAVAILABLE,
};

/** Statuses whose Retry-After is honoured (RFC 9110 §10.2.3; RFC 6585 §4). */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

function statusRow(status: number): StatusRow {
  return STATUS[status] ?? (status >= 500 ? SERVER_ERROR : status >= 400 ? CLIENT_ERROR : REDIRECT);
}

/** A response that is not a success, with as much of its body as was read. */
export interface FailedResponse {
  readonly status: number;
  readonly statusText?: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

/**
 * The TaktError for an unsuccessful status. 429 and 503 carry `retryAt` from Retry-After when the header is
 * valid; the message quotes the start of the body, because that is where ERPs explain what was wrong.
 */
export function classifyStatus(response: FailedResponse, context: RequestContext, now: number): TaktError {
  const { status, headers } = response;
  const row = statusRow(status);
  const retryAtMs = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(headers['retry-after'], now) : undefined;
  const retryAt = retryAtMs === undefined ? undefined : new Date(retryAtMs);
  const contentType = String(headers['content-type'] ?? '');
  const snippet = response.body.subarray(0, BODY_SNIPPET_BYTES).toString('utf8');
  const location = status < 400 && typeof headers.location === 'string' ? ` (Location: ${headers.location})` : '';
  const said = excerpt(snippet, contentType);
  const message =
    `${describeRequest(context)} returned ${status} ${response.statusText || STATUS_CODES[status] || ''}`.trimEnd() +
    `${location}. ${row.hint}` +
    (retryAt ? ` Retry after ${retryAt.toISOString()}.` : '') +
    (said ? ` Server said: ${said}` : '');
  return new TaktError(row.code, message, {
    ...(row.retryable === undefined ? {} : { retryable: row.retryable }),
    ...(retryAt ? { retryAt } : {}),
    details: transportDetails(context, row.reached, {
      status,
      bodySnippet: snippet,
      responseHeaders: redactHeaders(headers),
    }),
  });
}

const MAX_EXCERPT = 300;

function excerpt(body: string, contentType: string): string {
  const text = /html/i.test(contentType) ? body.replace(/<(script|style)[\s\S]*?<\/\1>|<[^>]*>/gi, ' ') : body;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_EXCERPT ? `${line.slice(0, MAX_EXCERPT)}…` : line;
}
