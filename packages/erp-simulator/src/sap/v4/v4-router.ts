import { readCollection } from '../odata/collection-page';
import { asODataError, v4ErrorBody } from '../odata/error-body';
import { navigationScope } from '../odata/navigation-scope';
import { ERROR_CODES, methodNotAllowed, notFound, ODataError } from '../odata/odata-error';
import { exposedSet, type ODataContext, type ODataRequest, type ODataResponse } from '../odata/request-context';
import { formatKey, parseKey, parseResourcePath } from '../odata/resource-path';
import type { FilterNode } from '../filter/filter-ast';
import type { ExposedSet } from '../services';
import { etagOf } from '../writes/etag';
import { createEntity, updateEntity } from '../writes/write-entity';
import { v4Entity } from './v4-entity';
import { v4Metadata } from './v4-metadata';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'odata-version': '4.0' };

function header(request: ODataRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** IEEE754Compatible=true in Accept or Content-Type: decimals travel as strings (reference A.5). */
function ieee754(request: ODataRequest): boolean {
  return /IEEE754Compatible=true/i.test(`${header(request, 'accept')};${header(request, 'content-type')}`);
}

function preference(request: ODataRequest, name: string): string | undefined {
  const match = new RegExp(`(?:^|[,;\\s])${name}=([^,;\\s]+)`, 'i').exec(header(request, 'prefer'));
  return match?.[1];
}

export function handleV4(context: ODataContext, request: ODataRequest): ODataResponse {
  try {
    return routeV4(context, request);
  } catch (error) {
    const failure = asODataError(error);
    return { status: failure.status, headers: { ...JSON_HEADERS, ...failure.headers }, body: v4ErrorBody(failure) };
  }
}

function routeV4(context: ODataContext, request: ODataRequest): ODataResponse {
  const method = request.method;
  const format = request.query.get('$format');
  if (format !== null && format !== 'json' && !format.startsWith('application/json')) {
    throw new ODataError(406, ERROR_CODES.notAcceptable, `$format=${format} is not supported; use json`);
  }
  if (request.path === '' || request.path === '/') {
    if (method !== 'GET') throw methodNotAllowed(method, 'the service document');
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        '@odata.context': `${context.rootUrl}/$metadata`,
        value: context.service.sets.map((s) => ({ name: s.name, url: s.name, kind: 'EntitySet' })),
      },
    };
  }
  if (request.path === '/$metadata') {
    if (method !== 'GET') throw methodNotAllowed(method, '$metadata');
    return {
      status: 200,
      headers: { 'content-type': 'application/xml', 'odata-version': '4.0' },
      body: v4Metadata(context.service, context.data),
    };
  }
  const path = parseResourcePath(request.path);
  const set = exposedSet(context.service, path.set);
  if (!set) throw notFound(`Resource not found for the segment '${path.set}'`);
  const store = context.data.store(set.dataSet);
  const wire = { version: 'v4' as const, ieee754Compatible: ieee754(request) };

  if (path.keyText === undefined) {
    if (path.navigation) throw notFound(`Resource not found for the segment '${path.navigation}'`);
    if (method === 'GET') return collection(context, request, set, undefined, set.name, path.count);
    if (method === 'POST') {
      const { record } = createEntity(context, set, request.body, wire);
      const location = `${context.rootUrl}/${set.name}${formatKey(store.def, record, 'v4')}`;
      if (preference(request, 'return') === 'minimal') {
        return {
          status: 204,
          headers: { 'odata-version': '4.0', location, etag: etagOf(record), 'preference-applied': 'return=minimal' },
        };
      }
      return {
        status: 201,
        headers: { ...JSON_HEADERS, location, etag: etagOf(record) },
        body: {
          '@odata.context': `${context.rootUrl}/$metadata#${set.name}/$entity`,
          ...v4Entity(store.def, record, { ieee754Compatible: wire.ieee754Compatible }),
        },
      };
    }
    throw methodNotAllowed(method, set.name);
  }

  const key = parseKey(path.keyText, store.def, 'v4');
  if (path.navigation) {
    if (method !== 'GET') throw methodNotAllowed(method, `${set.name}/${path.navigation}`);
    const source = store.get(key);
    if (!source) throw notFound(`Resource not found for the segment '${set.name}'`);
    const { target, scope } = navigationScope(context.service, store.def, source, path.navigation);
    const resource = `${set.name}${formatKey(store.def, source, 'v4')}/${path.navigation}`;
    return collection(context, request, target, scope, resource, path.count);
  }
  if (method === 'GET') {
    const record = store.get(key);
    if (!record) throw notFound(`Resource not found for the segment '${set.name}'`);
    const select = request.query.get('$select')?.split(',');
    return {
      status: 200,
      headers: { ...JSON_HEADERS, etag: etagOf(record) },
      body: {
        '@odata.context': `${context.rootUrl}/$metadata#${set.name}/$entity`,
        ...v4Entity(store.def, record, { ...(select ? { select } : {}), ieee754Compatible: wire.ieee754Compatible }),
      },
    };
  }
  if (method === 'PATCH' || method === 'PUT') {
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
      wire,
    );
    if (preference(request, 'return') === 'representation') {
      return {
        status: 200,
        headers: { ...JSON_HEADERS, etag: etagOf(record), 'preference-applied': 'return=representation' },
        body: {
          '@odata.context': `${context.rootUrl}/$metadata#${set.name}/$entity`,
          ...v4Entity(store.def, record, { ieee754Compatible: wire.ieee754Compatible }),
        },
      };
    }
    return { status: 204, headers: { 'odata-version': '4.0', etag: etagOf(record) } };
  }
  throw methodNotAllowed(method, set.name);
}

function collection(
  context: ODataContext,
  request: ODataRequest,
  set: ExposedSet,
  scope: FilterNode | undefined,
  resource: string,
  countOnly: boolean,
): ODataResponse {
  const def = context.data.store(set.dataSet).def;
  if (countOnly) {
    const params = new URLSearchParams(request.query);
    params.set('$count', 'true');
    params.set('$top', '0');
    params.delete('$skiptoken');
    const { page } = readCollection(context, set, { ...request, query: params }, scope, resource, 0);
    return {
      status: 200,
      headers: { 'content-type': 'text/plain', 'odata-version': '4.0' },
      body: String(page.count ?? 0),
    };
  }
  // Prefer: odata.maxpagesize lowers the server's page size, never raises it (reference A.6).
  const asked = Number(preference(request, 'odata.maxpagesize'));
  const pageSize = Number.isInteger(asked) && asked > 0 ? Math.min(asked, context.maxPageSize) : context.maxPageSize;
  const { query, page, nextLink } = readCollection(context, set, request, scope, resource, pageSize);
  const body: Record<string, unknown> = { '@odata.context': `${context.rootUrl}/$metadata#${set.name}` };
  // @odata.count is a number in V4 (reference A.6).
  if (page.count !== undefined) body['@odata.count'] = page.count;
  const options = { ...(query.select ? { select: query.select } : {}), ieee754Compatible: ieee754(request) };
  body.value = page.records.map((record) => v4Entity(def, record, options));
  if (nextLink) body['@odata.nextLink'] = nextLink;
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (pageSize !== context.maxPageSize) headers['preference-applied'] = `odata.maxpagesize=${pageSize}`;
  return { status: 200, headers, body };
}
