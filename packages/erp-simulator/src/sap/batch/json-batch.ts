import type { IncomingHttpHeaders } from 'node:http';
import type { Undo } from '../data/data-store';
import { asODataError, v4ErrorBody } from '../odata/error-body';
import { badRequest, ERROR_CODES, ODataError } from '../odata/odata-error';
import type { ODataContext, ODataRequest, ODataResponse } from '../odata/request-context';
import { createdPath, runInner, toODataRequest } from './inner-request';

/**
 * OData 4.01 JSON $batch (reference A.9): `{"requests":[{id, method, url, headers, body, atomicityGroup,
 * dependsOn}]}` → `{"responses":[{id, status, headers, body, atomicityGroup}]}`. Requests run in order;
 * dependsOn may only name earlier requests or groups. An atomicity group is all-or-nothing: when one of its
 * requests fails, its writes are undone, that request reports its error and the group's other requests
 * answer 424 Failed Dependency (the simulator's reading of "the whole group fails"). A request depending on a
 * failed request or group also answers 424.
 */
interface JsonBatchRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly atomicityGroup?: string;
  readonly dependsOn: readonly string[];
}

interface JsonBatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  atomicityGroup?: string;
}

function readRequests(body: Buffer): JsonBatchRequest[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('The JSON batch body is not valid JSON');
  }
  const list = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(list)) throw badRequest('A JSON batch needs a "requests" array');
  const seen = new Set<string>();
  return list.map((raw: unknown, index) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    const id = item.id;
    if (typeof id !== 'string' || id === '' || seen.has(id)) {
      throw badRequest(`Request ${index} of the batch needs a unique string id`);
    }
    seen.add(id);
    if (typeof item.method !== 'string' || typeof item.url !== 'string') {
      throw badRequest(`Request ${id} needs a method and a url`);
    }
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries((item.headers ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
    const dependsOn = Array.isArray(item.dependsOn)
      ? item.dependsOn.filter((d): d is string => typeof d === 'string')
      : [];
    return {
      id,
      method: item.method.toUpperCase(),
      url: item.url,
      headers,
      body: item.body,
      ...(typeof item.atomicityGroup === 'string' ? { atomicityGroup: item.atomicityGroup } : {}),
      dependsOn,
    };
  });
}

function errorResponse(id: string, error: unknown, atomicityGroup?: string): JsonBatchResponse {
  const failure = asODataError(error);
  return {
    id,
    status: failure.status,
    headers: { 'content-type': 'application/json' },
    body: v4ErrorBody(failure),
    ...(atomicityGroup ? { atomicityGroup } : {}),
  };
}

export function jsonBatch(context: ODataContext, request: ODataRequest): ODataResponse {
  const requests = readRequests(request.body);
  const responses: JsonBatchResponse[] = [];
  const failed = new Set<string>();
  const known = new Set<string>();
  const references = new Map<string, string>();
  let index = 0;
  while (index < requests.length) {
    const group = requests[index]?.atomicityGroup;
    let end = index + 1;
    while (group && end < requests.length && requests[end]?.atomicityGroup === group) end++;
    const members = requests.slice(index, end);
    const journal: Undo[] = [];
    const scoped: ODataContext = group ? { ...context, journal } : context;
    const groupAnswers: JsonBatchResponse[] = [];
    let failure: { id: string; response: JsonBatchResponse } | undefined;
    for (const item of members) {
      const missing = item.dependsOn.find((d) => !known.has(d));
      if (missing) throw badRequest(`Request ${item.id} depends on ${missing}, which does not come before it`);
      if (item.dependsOn.some((d) => failed.has(d))) {
        const answer = errorResponse(
          item.id,
          new ODataError(424, ERROR_CODES.failedDependency, `A request ${item.id} depends on has failed`),
          group,
        );
        if (group) {
          failure = { id: item.id, response: answer };
          break;
        }
        groupAnswers.push(answer);
        failed.add(item.id);
        continue;
      }
      let answer: JsonBatchResponse;
      try {
        const body =
          item.body === undefined
            ? Buffer.alloc(0)
            : Buffer.from(typeof item.body === 'string' ? item.body : JSON.stringify(item.body));
        const inner = toODataRequest(
          scoped,
          { method: item.method, url: item.url, headers: item.headers, body },
          references,
        );
        const response = runInner(scoped, inner);
        answer = {
          id: item.id,
          status: response.status,
          headers: response.headers,
          ...(response.body === undefined ? {} : { body: response.body }),
          ...(group ? { atomicityGroup: group } : {}),
        };
        const created = createdPath(scoped, response);
        if (created && response.status < 400) references.set(item.id, created);
      } catch (error) {
        answer = errorResponse(item.id, error, group);
      }
      if (answer.status >= 400) {
        failed.add(item.id);
        if (group) {
          failure = { id: item.id, response: answer };
          break;
        }
      }
      groupAnswers.push(answer);
    }
    if (group && failure) {
      for (const undo of journal.reverse()) undo();
      for (const item of members) {
        failed.add(item.id);
        responses.push(
          item.id === failure.id
            ? failure.response
            : errorResponse(
                item.id,
                new ODataError(
                  424,
                  ERROR_CODES.failedDependency,
                  `Atomicity group ${group} failed at request ${failure.id}; nothing in it was applied`,
                ),
                group,
              ),
        );
      }
      failed.add(group);
    } else {
      responses.push(...groupAnswers);
    }
    for (const item of members) known.add(item.id);
    if (group) known.add(group);
    index = end;
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'odata-version': '4.0' },
    body: { responses },
  };
}
