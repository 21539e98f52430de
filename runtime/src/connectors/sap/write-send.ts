import type { TaktError } from '../../errors';
import {
  encodeJsonBatch,
  encodeMultipartBatch,
  parseJsonBatchResponse,
  parseMultipartBatchResponse,
  type BatchOperation,
  type BatchRequestPlan,
  type OperationOutcome,
  type OperationResponse,
  type PlannedOperation,
} from './batch';
import type { SapEntity } from './entities';
import { jsonContentType, versionHeaders } from './odata-version';
import { headerOf, type SapAnswer, type SapHttp } from './sap-http';

/**
 * The 4xx answers that concern one record rather than the connection: they become that record's result.
 * 401 / 403 are the pipeline's (auth, CSRF); 407 / 408 / 425 / 429 the transport's retry loop.
 */
export const PER_RECORD_STATUSES: readonly number[] = [400, 404, 405, 409, 410, 412, 413, 415, 422, 423, 424, 428];

/**
 * Sends one operation as its own request (no `$batch`) and answers as a batch would, so both paths share
 * the batch module's result wording (batch/write-results.ts). Thrown: what is not about this record.
 */
export async function sendSingle(
  http: SapHttp,
  entity: SapEntity,
  planned: PlannedOperation,
  signal: AbortSignal | undefined,
): Promise<OperationOutcome> {
  const { operation } = planned;
  const hasBody = operation.body !== undefined && operation.method !== 'GET' && operation.method !== 'DELETE';
  const answer = await http.send({
    method: operation.method,
    path: `${entity.servicePath}/${operation.url}`,
    headers: {
      ...versionHeaders(entity.odataVersion),
      ...(hasBody ? { 'content-type': jsonContentType(entity.odataVersion) } : {}),
      ...(operation.ifMatch === undefined ? {} : { 'if-match': operation.ifMatch }),
    },
    ...(hasBody ? { body: JSON.stringify(operation.body) } : {}),
    csrfRoot: entity.servicePath,
    // If-Match makes a write repeatable (a second attempt fails with 412 instead of writing twice); DELETE
    // is idempotent by definition. A POST create is not, and is resent only if it never reached SAP.
    idempotent: operation.ifMatch !== undefined || operation.method === 'DELETE',
    answers: PER_RECORD_STATUSES,
    ...(signal ? { signal } : {}),
  });
  return { kind: 'answered', planned, response: operationResponse(answer) };
}

/**
 * Sends one planned `$batch` request (reference A.9): V2 as multipart/mixed with changesets, V4 as an OData
 * 4.01 JSON batch. The batch POST carries the CSRF token and cookies like any write (A.4) and `sap-client`
 * on its URL, never on the inner request lines (A.2). One outcome per operation.
 */
export async function sendBatch(
  http: SapHttp,
  entity: SapEntity,
  plan: BatchRequestPlan,
  signal: AbortSignal | undefined,
): Promise<OperationOutcome[]> {
  const encoded =
    entity.odataVersion === 'v2' ? encodeMultipartBatch(plan, { odataVersion: '2.0' }) : encodeJsonBatch(plan);
  const headers = Object.fromEntries(
    Object.entries(encoded.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const answer = await http.send({
    method: 'POST',
    path: `${entity.servicePath}/$batch`,
    headers,
    body: encoded.body,
    csrfRoot: entity.servicePath,
    idempotent: false,
    ...(signal ? { signal } : {}),
  });
  const contentType = headerOf(answer, 'content-type');
  const text = answer.body.toString('utf8');
  return entity.odataVersion === 'v2'
    ? parseMultipartBatchResponse(plan, contentType, text)
    : parseJsonBatchResponse(plan, contentType, text);
}

/** Operations with the V4 number format headers, so decimals sent as strings are read as decimals. */
export function withVersionHeaders(entity: SapEntity, operation: BatchOperation): BatchOperation {
  if (entity.odataVersion === 'v2') return operation;
  const hasBody = operation.body !== undefined && operation.method !== 'DELETE';
  return {
    ...operation,
    headers: {
      accept: versionHeaders('v4').accept ?? 'application/json',
      ...(hasBody ? { 'content-type': jsonContentType('v4') } : {}),
      ...operation.headers,
    },
  };
}

function operationResponse(answer: SapAnswer): OperationResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers))
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const text = answer.body.toString('utf8');
  let json: unknown;
  if (text.trim().startsWith('{') || text.trim().startsWith('[')) {
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
  }
  return { status: answer.status, headers, text, json };
}

/** A transport failure that ends the write run: nothing after it can succeed either. */
export function endsTheRun(error: TaktError): boolean {
  if (error.kind === 'auth' || error.kind === 'config' || error.kind === 'internal') return true;
  if (error.code === 'RETRY_DEFERRED' || error.code === 'ABORTED' || error.code === 'CSRF_TOKEN_REJECTED') return true;
  // The server could not be reached at all (no status): the next record would fail the same way.
  return error.kind === 'transient' && typeof error.details.status !== 'number';
}
