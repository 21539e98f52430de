import { TaktError } from '../../../errors';
import type { WriteResult } from '../../types';
import type { BatchPart, BatchRequestPlan, PlannedOperation } from './batch-plan';
import { parseJsonBody, type OperationResponse } from './http-message';
import { mediaTypeOf } from './multipart';
import { markStopped, settleGroup, type IdentifiedResponse, type OperationOutcome } from './operation-outcome';
import { parseMultipartBatchResponse, type EncodedBatch } from './v2-multipart';
import { toWriteResults } from './write-results';

/**
 * The OData 4.01 JSON `$batch` codec (reference erp-protocols.md A.9):
 * `{"requests":[{"id","method","url","headers","body","atomicityGroup"?,"dependsOn"?}]}` →
 * `{"responses":[{"id","status","headers","body"}]}`.
 * https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html#sec_BatchRequestsandResponses
 *
 * Responses: JSON by default. A V4 service that cannot answer in JSON answers multipart (OData 4.0 batch, the
 * format every V4 service speaks; RAP's JSON batch support is an open point, reference F.4), so a multipart
 * answer is parsed with the multipart codec rather than refused.
 */

export interface JsonBatchRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly atomicityGroup?: string;
  readonly dependsOn?: readonly string[];
}

export function encodeJsonBatch(plan: BatchRequestPlan): EncodedBatch {
  const ids = new Set(plan.operations.map((planned) => planned.contentId));
  const requests = plan.parts.flatMap((part) => requestsOf(part, ids));
  return {
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      // Without it a service stops at the first failed request and leaves the records after it unanswered.
      Prefer: 'odata.continue-on-error',
    },
    body: JSON.stringify({ requests }),
  };
}

/** Changesets of more than one write become an atomicity group named after the first record's index. */
export function groupIdOf(part: BatchPart): string | undefined {
  if (part.kind === 'read' || part.operations.length < 2) return undefined;
  return `g${part.operations[0]?.contentId ?? ''}`;
}

function requestsOf(part: BatchPart, ids: ReadonlySet<string>): JsonBatchRequest[] {
  const group = groupIdOf(part);
  const operations = part.kind === 'read' ? [part.operation] : part.operations;
  return operations.map((planned) => toRequest(planned, group, ids));
}

function toRequest(planned: PlannedOperation, group: string | undefined, ids: ReadonlySet<string>): JsonBatchRequest {
  const { method, url, body, ifMatch, headers: extra, dependsOn } = planned.operation;
  if (method === 'MERGE') {
    throw new TaktError('CONFIG_INVALID', `Record #${planned.index}: MERGE is OData V2 only; use PATCH in V4.`);
  }
  const headers: Record<string, string> = {};
  const hasBody = body !== undefined && method !== 'GET' && method !== 'DELETE';
  if (hasBody) headers['content-type'] = 'application/json';
  if (ifMatch !== undefined) headers['if-match'] = ifMatch;
  for (const [name, value] of Object.entries(extra ?? {})) headers[name.toLowerCase()] = value;
  const needs = (dependsOn ?? []).map(String);
  const unknown = needs.find((id) => !ids.has(id));
  if (unknown !== undefined) {
    throw new TaktError(
      'CONFIG_INVALID',
      `Record #${planned.index} depends on record #${unknown}, which is not in the same $batch request.`,
    );
  }
  return {
    id: planned.contentId,
    method,
    url: url.replace(/^\/+/, ''),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(hasBody ? { body } : {}),
    ...(group === undefined ? {} : { atomicityGroup: group }),
    ...(needs.length > 0 ? { dependsOn: needs } : {}),
  };
}

/**
 * One outcome per planned operation, in plan order. Responses are matched by `id` (a JSON batch may answer
 * out of order); a response named after an atomicity group stands for the whole group, like a failed V2
 * changeset.
 */
export function parseJsonBatchResponse(
  plan: BatchRequestPlan,
  contentType: string | undefined,
  body: unknown,
): OperationOutcome[] {
  if (mediaTypeOf(contentType).startsWith('multipart/') && typeof body === 'string') {
    return parseMultipartBatchResponse(plan, contentType, body);
  }
  const json = typeof body === 'string' ? parseJsonBody(body, 'application/json') : body;
  const list = isRecord(json) && Array.isArray(json.responses) ? json.responses : undefined;
  if (list === undefined) {
    throw new TaktError('RESPONSE_INVALID', 'The JSON $batch response has no "responses" array.', {
      details: { contentType },
    });
  }
  const byId = new Map<string, Readonly<Record<string, unknown>>[]>();
  for (const item of list.filter(isRecord)) {
    const id = item.id === undefined || item.id === null ? '' : String(item.id);
    byId.set(id, [...(byId.get(id) ?? []), item]);
  }
  const outcomes = plan.parts.flatMap((part) => {
    const operations = part.kind === 'read' ? [part.operation] : part.operations;
    const group = groupIdOf(part);
    const keys = [...operations.map((planned) => planned.contentId), ...(group === undefined ? [] : [group])];
    const responses = keys.flatMap((key) =>
      (byId.get(key) ?? []).map((item): IdentifiedResponse => ({
        ...(key === group ? {} : { id: key }),
        response: toOperationResponse(item),
      })),
    );
    return settleGroup(operations, responses);
  });
  return markStopped(outcomes);
}

/** `parseJsonBatchResponse` worded as one WriteResult per planned record. */
export function parseJsonBatchResults(
  plan: BatchRequestPlan,
  contentType: string | undefined,
  body: unknown,
): WriteResult[] {
  return toWriteResults(parseJsonBatchResponse(plan, contentType, body));
}

function toOperationResponse(item: Readonly<Record<string, unknown>>): OperationResponse {
  const headers: Record<string, string> = {};
  if (isRecord(item.headers)) {
    for (const [name, value] of Object.entries(item.headers)) {
      if (typeof value === 'string' || typeof value === 'number') headers[name.toLowerCase()] = String(value);
    }
  }
  const status = typeof item.status === 'number' ? item.status : Number(item.status);
  const text = typeof item.body === 'string' ? item.body : item.body === undefined ? '' : JSON.stringify(item.body);
  const json = typeof item.body === 'string' ? parseJsonBody(item.body, headers['content-type']) : item.body;
  // Status 0 marks a response without a readable status: a failure (RESPONSE_INVALID), never a success.
  return { status: Number.isInteger(status) ? status : 0, headers, text, json };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
