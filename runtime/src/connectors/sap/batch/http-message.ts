import { TaktError } from '../../../errors';
import type { BatchOperation } from './batch-plan';
import { CRLF, parseHeaderLines } from './multipart';

/**
 * The `application/http` payload of a batch part: an HTTP/1.1 request or response message embedded in the
 * multipart body (OData V2 batch, reference erp-protocols.md A.9;
 * https://www.odata.org/documentation/odata-version-2-0/batch-processing/).
 */

/** What one operation of a batch answered, whichever batch format carried it. */
export interface OperationResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent (JSON bodies re-serialised when the batch format carried them as JSON). */
  readonly text: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: unknown;
}

/** Request line, inner headers, blank line, JSON body. Every line ends in CRLF (A.9). */
export function renderHttpRequest(operation: BatchOperation): string {
  // Keyed by lower-case name so a caller's header replaces a default whatever its spelling.
  const headers = new Map<string, readonly [string, string]>([['accept', ['Accept', 'application/json']]]);
  const hasBody = operation.body !== undefined && operation.method !== 'GET' && operation.method !== 'DELETE';
  if (hasBody) headers.set('content-type', ['Content-Type', 'application/json']);
  if (operation.ifMatch !== undefined) headers.set('if-match', ['If-Match', operation.ifMatch]);
  for (const [name, value] of Object.entries(operation.headers ?? {})) headers.set(name.toLowerCase(), [name, value]);
  const lines = [`${operation.method} ${requestTarget(operation.url)} HTTP/1.1`];
  for (const [name, value] of headers.values()) lines.push(`${name}: ${headerValue(name, value)}`);
  const body = hasBody ? JSON.stringify(operation.body) : '';
  return lines.join(CRLF) + CRLF + CRLF + body;
}

/**
 * Parses `HTTP/1.1 201 Created`, the headers and the body of a response part. Throws RESPONSE_INVALID when the
 * part does not start with a status line.
 */
export function parseHttpResponse(message: string): OperationResponse {
  const text = message.replace(/^(\r?\n)+/, '');
  const head = /\r?\n\r?\n/.exec(text);
  const headText = head ? text.slice(0, head.index) : text;
  const body = head ? text.slice(head.index + head[0].length) : '';
  const [statusLine = '', ...headerLines] = headText.split(/\r?\n/);
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/i.exec(statusLine)?.[1];
  if (status === undefined) {
    throw new TaktError(
      'RESPONSE_INVALID',
      `A batch part does not start with an HTTP status line: "${statusLine.slice(0, 80)}"`,
    );
  }
  const headers = parseHeaderLines(headerLines);
  return { status: Number(status), headers, text: body, json: parseJsonBody(body, headers['content-type']) };
}

/** JSON when the part says so or looks so; otherwise undefined (XML errors, empty 204 bodies). */
export function parseJsonBody(body: string, contentType: string | undefined): unknown {
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  if (!/json/i.test(contentType ?? '') && !/^[[{]/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Inner URLs are relative to the service root (A.2: keep sap-client out of them). A path with white space or
 * a line break would corrupt the request line, so those are refused rather than sent.
 */
function requestTarget(url: string): string {
  if (url === '' || /[\s]/.test(url)) {
    throw new TaktError('CONFIG_INVALID', `Batch operation URL "${url}" is empty or contains white space; encode it.`);
  }
  return url.replace(/^\/+/, '');
}

function headerValue(name: string, value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new TaktError('CONFIG_INVALID', `Batch operation header ${name} contains a line break.`);
  }
  return value;
}
