import type { FilterNode } from '../filter/filter-ast';
import { readCollection } from '../odata/collection-page';
import { asODataError, v2ErrorBody } from '../odata/error-body';
import { navigationScope } from '../odata/navigation-scope';
import { ERROR_CODES, methodNotAllowed, notFound, ODataError } from '../odata/odata-error';
import { exposedSet, type ODataContext, type ODataRequest, type ODataResponse } from '../odata/request-context';
import { formatKey, parseKey, parseResourcePath } from '../odata/resource-path';
import { etagOf } from '../writes/etag';
import { createEntity, updateEntity } from '../writes/write-entity';
import { v2Entity } from './v2-entity';
import { v2Metadata } from './v2-metadata';
import { v2ServiceDocument } from './v2-service-document';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', dataserviceversion: '2.0' };

/**
 * Gateway answers Atom XML unless asked for JSON. The simulator serves JSON only, so it insists on being asked
 * (Accept: application/json or $format=json, reference A.5) rather than silently answering JSON to a client
 * that would get XML from a real system.
 */
function requireJson(request: ODataRequest): void {
  const format = request.query.get('$format');
  if (format === 'json') return;
  if (format !== null) {
    throw new ODataError(
      406,
      ERROR_CODES.notAcceptable,
      `$format=${format} is not supported by the simulator; use json`,
    );
  }
  const accept = String(request.headers.accept ?? '');
  if (/application\/json/i.test(accept)) return;
  throw new ODataError(
    406,
    ERROR_CODES.notAcceptable,
    'The simulator serves JSON only: send Accept: application/json or $format=json (a real Gateway would answer Atom XML)',
  );
}

/** V2 method tunnelling: POST with X-HTTP-Method: MERGE/PATCH/PUT/DELETE (reference A.8). */
function effectiveMethod(request: ODataRequest): string {
  const tunnelled = request.headers['x-http-method'];
  return request.method === 'POST' && typeof tunnelled === 'string' ? tunnelled.toUpperCase() : request.method;
}

export function handleV2(context: ODataContext, request: ODataRequest): ODataResponse {
  try {
    return routeV2(context, request);
  } catch (error) {
    const failure = asODataError(error);
    return {
      status: failure.status,
      headers: { ...JSON_HEADERS, ...failure.headers },
      body: v2ErrorBody(failure, { serviceId: context.service.name, language: context.language }),
    };
  }
}

function routeV2(context: ODataContext, request: ODataRequest): ODataResponse {
  const method = effectiveMethod(request);
  if (request.path === '' || request.path === '/') {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, 'the service document');
    return v2ServiceDocument(context, request);
  }
  if (request.path === '/$metadata') {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, '$metadata');
    return {
      status: 200,
      headers: { 'content-type': 'application/xml', dataserviceversion: '2.0' },
      body: v2Metadata(context.service, context.data),
    };
  }
  const path = parseResourcePath(request.path);
  const set = exposedSet(context.service, path.set);
  if (!set) throw notFound(`Resource not found for the segment '${path.set}'`);
  const store = context.data.store(set.dataSet);

  if (path.keyText === undefined) {
    if (path.navigation) throw notFound(`Resource not found for the segment '${path.navigation}'`);
    if (method === 'GET' && path.count) return countResponse(context, request, set.name, undefined);
    if (method === 'GET') {
      requireJson(request);
      return collection(context, request, set.name, undefined, set.name);
    }
    if (method === 'POST') {
      const { record } = createEntity(context, set, request.body, { version: 'v2' });
      const entity = v2Entity(context, set, store.def, record);
      return {
        status: 201,
        headers: {
          ...JSON_HEADERS,
          location: `${context.rootUrl}/${set.name}${formatKey(store.def, record, 'v2')}`,
          etag: etagOf(record),
        },
        body: { d: entity },
      };
    }
    throw methodNotAllowed(method, set.name);
  }

  const key = parseKey(path.keyText, store.def, 'v2');
  if (path.navigation) {
    if (method !== 'GET') throw methodNotAllowed(method, `${set.name}/${path.navigation}`);
    const source = store.get(key);
    if (!source) throw notFound(`Resource not found for the segment '${set.name}'`);
    const { target, scope } = navigationScope(context.service, store.def, source, path.navigation);
    const resource = `${set.name}${formatKey(store.def, source, 'v2')}/${path.navigation}`;
    if (path.count) return countResponse(context, request, target.name, scope);
    requireJson(request);
    return collection(context, request, target.name, scope, resource);
  }
  if (method === 'GET') {
    requireJson(request);
    const record = store.get(key);
    if (!record) throw notFound(`Resource not found for the segment '${set.name}'`);
    const select = request.query.get('$select')?.split(',');
    return {
      status: 200,
      headers: { ...JSON_HEADERS, etag: etagOf(record) },
      body: { d: v2Entity(context, set, store.def, record, select) },
    };
  }
  if (method === 'PATCH' || method === 'MERGE' || method === 'PUT') {
    const ifMatch = request.headers['if-match'];
    const { record } = updateEntity(
      context,
      set,
      {
        key,
        body: request.body,
        ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined,
        replace: method === 'PUT',
        method,
      },
      { version: 'v2' },
    );
    // Gateway answers a successful update with 204 and no body (reference A.8); the new ETag saves a re-read.
    return { status: 204, headers: { dataserviceversion: '2.0', etag: etagOf(record) } };
  }
  throw methodNotAllowed(method, set.name);
}

function collection(
  context: ODataContext,
  request: ODataRequest,
  setName: string,
  scope: FilterNode | undefined,
  resource: string,
): ODataResponse {
  const set = exposedSet(context.service, setName);
  if (!set) throw notFound(`Resource not found for the segment '${setName}'`);
  const def = context.data.store(set.dataSet).def;
  const { query, page, nextLink } = readCollection(context, set, request, scope, resource, context.maxPageSize);
  const d: Record<string, unknown> = {};
  // __count is a string in V2 (reference A.6).
  if (page.count !== undefined) d.__count = String(page.count);
  d.results = page.records.map((record) => v2Entity(context, set, def, record, query.select));
  if (nextLink) d.__next = nextLink;
  return { status: 200, headers: JSON_HEADERS, body: { d } };
}

function countResponse(
  context: ODataContext,
  request: ODataRequest,
  setName: string,
  scope: FilterNode | undefined,
): ODataResponse {
  const set = exposedSet(context.service, setName);
  if (!set) throw notFound(`Resource not found for the segment '${setName}'`);
  const params = new URLSearchParams(request.query);
  params.set('$inlinecount', 'allpages');
  params.set('$top', '0');
  params.delete('$skiptoken');
  const { page } = readCollection(context, set, { ...request, query: params }, scope, set.name, 0);
  return {
    status: 200,
    headers: { 'content-type': 'text/plain', dataserviceversion: '2.0' },
    body: String(page.count ?? 0),
  };
}
