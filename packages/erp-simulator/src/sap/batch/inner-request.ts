import type { IncomingHttpHeaders } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { badRequest } from '../odata/odata-error';
import type { ODataContext, ODataRequest, ODataResponse } from '../odata/request-context';
import { handleV2 } from '../v2/v2-router';
import { handleV4 } from '../v4/v4-router';

/**
 * One operation inside a $batch, in either format. Inner URLs are relative to the service root (reference
 * A.2: no sap-client on inner lines); absolute paths and URLs are accepted too. `$<id>` at the start refers
 * to an entity created earlier in the same changeset (Content-ID, reference A.9).
 */
export interface InnerRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export function toODataRequest(
  context: ODataContext,
  inner: InnerRequest,
  references: ReadonlyMap<string, string>,
): ODataRequest {
  let url = inner.url;
  const reference = /^\$([A-Za-z0-9_.-]+)/.exec(url);
  if (reference?.[1] !== undefined) {
    const target = references.get(reference[1]);
    if (!target) throw badRequest(`Unknown Content-ID reference ${reference[0]}`);
    url = target + url.slice(reference[0].length);
  }
  const parsed = new URL(url, `${context.rootUrl}/`);
  const rootPath = new URL(`${context.rootUrl}/`).pathname;
  if (!parsed.pathname.startsWith(rootPath) && `${parsed.pathname}/` !== rootPath) {
    throw badRequest(`The batch operation ${inner.url} is outside the service root`);
  }
  const path = `/${parsed.pathname.slice(rootPath.length)}`;
  return {
    method: inner.method.toUpperCase(),
    path,
    query: parsed.searchParams,
    headers: inner.headers,
    body: inner.body,
  };
}

export function runInner(context: ODataContext, request: ODataRequest): ODataResponse {
  return context.service.version === 'v2' ? handleV2(context, request) : handleV4(context, request);
}

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

/** The service-relative path of an entity a POST just created, from its Location header. */
export function createdPath(context: ODataContext, response: ODataResponse): string | undefined {
  const location = response.headers.location;
  return location?.startsWith(context.rootUrl) ? location.slice(context.rootUrl.length + 1) : undefined;
}

export function headersFrom(map: ReadonlyMap<string, string>): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of map) headers[name] = value;
  return headers;
}
