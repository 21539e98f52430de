import { randomUUID } from 'node:crypto';
import type { Undo } from '../data/data-store';
import { asODataError, v2ErrorBody, v4ErrorBody } from '../odata/error-body';
import { badRequest } from '../odata/odata-error';
import type { ODataContext, ODataRequest, ODataResponse } from '../odata/request-context';
import { createdPath, headersFrom, type InnerRequest, runInner, statusText, toODataRequest } from './inner-request';
import {
  type BatchResponseItem,
  boundaryOf,
  type MimePart,
  parseHttpMessage,
  parseMultipart,
  type ResponsePart,
  writeMultipart,
} from './multipart';

/**
 * multipart/mixed $batch (reference A.9). Reads stand alone; modifying operations must sit in changesets; a
 * changeset is atomic: when one of its operations fails, every write it made is undone and the changeset is
 * answered by that one error instead of its parts. V2 answers 202 Accepted, V4 200 OK (both as observed).
 */
function innerFrom(part: MimePart): InnerRequest {
  const message = parseHttpMessage(part.content);
  const [method = '', url = ''] = message.startLine.split(' ');
  if (!method || !url) throw badRequest(`Invalid request line in a batch part: ${message.startLine}`);
  return { method, url, headers: headersFrom(message.headers), body: Buffer.from(message.body, 'utf8') };
}

function toPart(response: ODataResponse, contentId?: string): ResponsePart {
  const body =
    response.body === undefined
      ? ''
      : typeof response.body === 'string'
        ? response.body
        : JSON.stringify(response.body);
  return {
    status: response.status,
    statusText: statusText(response.status),
    headers: response.headers,
    body,
    ...(contentId ? { contentId } : {}),
  };
}

function errorPart(context: ODataContext, error: unknown): ResponsePart {
  const failure = asODataError(error);
  const body =
    context.service.version === 'v2'
      ? v2ErrorBody(failure, { serviceId: context.service.name, language: context.language })
      : v4ErrorBody(failure);
  return toPart({ status: failure.status, headers: { 'content-type': 'application/json' }, body });
}

function runChangeset(context: ODataContext, parts: readonly MimePart[]): BatchResponseItem {
  const journal: Undo[] = [];
  const inChangeset: ODataContext = { ...context, journal };
  const references = new Map<string, string>();
  const answers: ResponsePart[] = [];
  const rollback = (): void => {
    for (const undo of journal.reverse()) undo();
  };
  for (const part of parts) {
    const contentId = part.headers.get('content-id');
    let response: ODataResponse;
    try {
      const inner = toODataRequest(inChangeset, innerFrom(part), references);
      if (inner.method === 'GET') throw badRequest('A changeset must not contain a GET request');
      response = runInner(inChangeset, inner);
    } catch (error) {
      rollback();
      return { kind: 'single', part: errorPart(context, error) };
    }
    if (response.status >= 400) {
      rollback();
      return { kind: 'single', part: toPart(response, contentId) };
    }
    const created = createdPath(context, response);
    if (contentId && created) references.set(contentId, created);
    answers.push(toPart(response, contentId));
  }
  return { kind: 'changeset', boundary: `changeset_${randomUUID()}`, parts: answers };
}

export function multipartBatch(context: ODataContext, request: ODataRequest): ODataResponse {
  const boundary = boundaryOf(String(request.headers['content-type'] ?? ''));
  if (!boundary) throw badRequest('A $batch request needs Content-Type: multipart/mixed with a boundary');
  const items: BatchResponseItem[] = [];
  for (const part of parseMultipart(request.body.toString('utf8'), boundary)) {
    const changeset = boundaryOf(part.headers.get('content-type'));
    if (changeset) {
      items.push(runChangeset(context, parseMultipart(part.content, changeset)));
      continue;
    }
    try {
      const inner = toODataRequest(context, innerFrom(part), new Map());
      if (inner.method !== 'GET') throw badRequest(`${inner.method} must be inside a changeset`);
      items.push({ kind: 'single', part: toPart(runInner(context, inner)) });
    } catch (error) {
      items.push({ kind: 'single', part: errorPart(context, error) });
    }
  }
  const responseBoundary = `batch_${randomUUID()}`;
  return {
    status: context.service.version === 'v2' ? 202 : 200,
    headers: { 'content-type': `multipart/mixed; boundary=${responseBoundary}` },
    body: writeMultipart(responseBoundary, items),
  };
}
