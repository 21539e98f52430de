import { randomUUID } from 'node:crypto';

import { TaktError } from '../../../errors';
import type { WriteResult } from '../../types';
import { parseSapErrorBody } from '../sap-error';
import type { BatchPart, BatchRequestPlan } from './batch-plan';
import { parseHttpResponse, renderHttpRequest } from './http-message';
import { CRLF, boundaryOf, mediaTypeOf, parseMultipart, renderMultipart, type MimePart } from './multipart';
import { markStopped, settleGroup, type IdentifiedResponse, type OperationOutcome } from './operation-outcome';
import { toWriteResults } from './write-results';

/**
 * The multipart `$batch` codec (reference erp-protocols.md A.9): OData V2, and OData 4.0 multipart, which
 * uses the same envelope. Shape of a request body:
 *
 *   --batch_<uuid>                          a read: one application/http part
 *   --batch_<uuid>                          a changeset: a nested multipart/mixed
 *     --changeset_<uuid>  Content-ID: 3     one application/http part per write
 *     --changeset_<uuid>--
 *   --batch_<uuid>--
 *
 * V2: https://www.odata.org/documentation/odata-version-2-0/batch-processing/
 * 4.0: https://docs.oasis-open.org/odata/odata/v4.0/errata03/os/complete/part1-protocol/odata-v4.0-errata03-os-part1-protocol-complete.html#_Toc453752313
 */

export interface EncodedBatch {
  /** Headers the `$batch` POST must carry (besides auth, CSRF and cookies, which are the connector's). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface MultipartEncodeOptions {
  /** '2.0' (default) for Gateway V2 services, '4.0' for V4 services spoken to in multipart. */
  readonly odataVersion?: '2.0' | '4.0';
  /** Source of the boundary suffixes; tests pass a counter. */
  readonly newId?: () => string;
}

const HTTP_PART_HEADERS = `Content-Type: application/http${CRLF}Content-Transfer-Encoding: binary${CRLF}`;

export function encodeMultipartBatch(plan: BatchRequestPlan, options: MultipartEncodeOptions = {}): EncodedBatch {
  const newId = options.newId ?? randomUUID;
  const boundary = `batch_${newId()}`;
  const body = renderMultipart(
    boundary,
    plan.parts.map((part) => renderPart(part, newId)),
  );
  const headers: Record<string, string> = {
    'Content-Type': `multipart/mixed; boundary=${boundary}`,
    Accept: 'multipart/mixed',
  };
  if (options.odataVersion === '4.0') {
    headers['OData-Version'] = '4.0';
    // Without it a V4 service stops at the first failed part, and the records after it go unanswered.
    headers.Prefer = 'odata.continue-on-error';
  } else {
    headers.DataServiceVersion = '2.0';
  }
  return { headers, body };
}

function renderPart(part: BatchPart, newId: () => string): string {
  if (part.kind === 'read') return HTTP_PART_HEADERS + CRLF + renderHttpRequest(part.operation.operation);
  const boundary = `changeset_${newId()}`;
  const operations = part.operations.map(
    // Content-ID is a MIME header of the part, not of the inner request; V4 requires it in changesets.
    (planned) =>
      `${HTTP_PART_HEADERS}Content-ID: ${planned.contentId}${CRLF}${CRLF}${renderHttpRequest(planned.operation)}`,
  );
  return `Content-Type: multipart/mixed; boundary=${boundary}${CRLF}${CRLF}${renderMultipart(boundary, operations)}`;
}

/**
 * One outcome per planned operation, in the plan's order. Response parts follow the request's parts one for
 * one (a read answers with an application/http part, a changeset with a nested multipart of its operations,
 * or with ONE error part when it failed). Parts the server did not send leave their operations unanswered.
 */
export function parseMultipartBatchResponse(
  plan: BatchRequestPlan,
  contentType: string | undefined,
  body: string,
): OperationOutcome[] {
  const boundary = boundaryOf(contentType) ?? sniffBoundary(body);
  if (boundary === undefined) throw notMultipart(contentType, body);
  const parts = parseMultipart(body, boundary);
  const outcomes = plan.parts.flatMap((part, position): OperationOutcome[] => {
    const answer = parts[position];
    if (part.kind === 'read') {
      const responses = answer === undefined ? [] : httpResponsesOf(answer);
      return settleGroup([part.operation], responses.slice(0, 1));
    }
    return settleGroup(part.operations, answer === undefined ? [] : httpResponsesOf(answer));
  });
  return markStopped(outcomes);
}

/** `parseMultipartBatchResponse` worded as one WriteResult per planned record. */
export function parseMultipartBatchResults(
  plan: BatchRequestPlan,
  contentType: string | undefined,
  body: string,
): WriteResult[] {
  return toWriteResults(parseMultipartBatchResponse(plan, contentType, body));
}

/** The HTTP responses inside a response part: itself, or the parts of a nested changeset multipart. */
function httpResponsesOf(part: MimePart): IdentifiedResponse[] {
  const nested = boundaryOf(part.headers['content-type']);
  if (nested !== undefined) return parseMultipart(part.body, nested).flatMap(httpResponsesOf);
  const response = parseHttpResponse(part.body);
  const id = part.headers['content-id'] ?? response.headers['content-id'];
  return [{ ...(id === undefined ? {} : { id: id.replace(/^<|>$/g, '') }), response }];
}

/** A response that lost its Content-Type header still starts with its first delimiter line. */
function sniffBoundary(body: string): string | undefined {
  return /^\s*--([^\s]+?)\s*\r?\n/.exec(body)?.[1];
}

function notMultipart(contentType: string | undefined, body: string): TaktError {
  const sap = parseSapErrorBody(body);
  const said = sap ? ` SAP said: ${sap.message}${sap.code ? ` [${sap.code}]` : ''}` : '';
  return new TaktError(
    'RESPONSE_INVALID',
    `The $batch response is not multipart (Content-Type "${mediaTypeOf(contentType) || 'none'}").${said}`,
    { details: { contentType, ...(sap ? { sap: { code: sap.code, message: sap.message } } : {}) } },
  );
}
