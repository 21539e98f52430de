import { abortError } from '../../time';
import type { Page, ReadOptions } from '../types';
import type { SapEntity } from './entities';
import { keyLabel, keyPredicate } from './key-predicate';
import { readCollection, readEntity } from './odata-envelope';
import { ODataPaging, type PageRequest } from './odata-next-link';
import { collectionQuery } from './odata-query';
import { versionHeaders } from './odata-version';
import { pageCursor } from './page-cursor';
import { answerJson, type SapHttp } from './sap-http';

/**
 * Reads an entity set page by page. One request is in flight at a time and nothing is prefetched, so memory
 * holds one page (its response body and its records) however large the set; the next page is requested only
 * when the caller asks for it.
 */
export async function* readPages(
  http: SapHttp,
  entity: SapEntity,
  options: ReadOptions,
  pageSize: number,
): AsyncGenerator<Page> {
  if (options.key !== undefined) {
    yield await readByKey(http, entity, options.key, options.signal);
    return;
  }
  const base = collectionQuery(entity, options);
  const paging = new ODataPaging(pageSize);
  const headers = {
    ...versionHeaders(entity.odataVersion),
    // RAP services may honour it and page server-side (reference A.6); V2 servers ignore it.
    ...(entity.odataVersion === 'v4' ? { prefer: `odata.maxpagesize=${pageSize}` } : {}),
  };
  let request: PageRequest | undefined = paging.first();
  let first = true;
  while (request !== undefined) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const answer = await http.send({
      method: 'GET',
      ...(request.kind === 'link'
        ? { url: request.url }
        : { path: `${entity.servicePath}/${entity.entitySet}`, query: { ...base, ...request.query } }),
      headers,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const collection = readCollection(entity.odataVersion, answerJson(answer));
    const { records } = collection;
    const cursor =
      entity.deltaField !== undefined && entity.deltaFieldType !== undefined
        ? pageCursor(records, entity.deltaField, entity.deltaFieldType)
        : undefined;
    const firstRecord = records[0];
    request = paging.next({
      requestUrl: answer.url,
      records: records.length,
      ...(collection.nextLink === undefined ? {} : { nextLink: collection.nextLink }),
      ...(firstRecord === undefined ? {} : { firstKey: safeKey(entity, firstRecord) }),
    });
    // A `$skip` window past the end answers empty: that is how client paging learns it is done, not a page.
    if (records.length > 0 || first) {
      yield {
        records,
        ...(cursor === undefined ? {} : { cursor }),
        ...(first && collection.count !== undefined ? { total: collection.count } : {}),
      };
    }
    first = false;
  }
}

/** `GET <EntitySet>(<key>)`: one page with the record, or with none when the server answers 404. */
export async function readByKey(
  http: SapHttp,
  entity: SapEntity,
  key: Readonly<Record<string, unknown>>,
  signal: AbortSignal | undefined,
): Promise<Page & { readonly etag?: string }> {
  const predicate = keyPredicate(entity.keyFields, key, entity.keyTypes, entity.odataVersion);
  const answer = await http.send({
    method: 'GET',
    path: `${entity.servicePath}/${entity.entitySet}${predicate}`,
    headers: versionHeaders(entity.odataVersion),
    answers: [404],
    ...(signal ? { signal } : {}),
  });
  if (answer.status === 404) return { records: [] };
  const record = readEntity(entity.odataVersion, answerJson(answer));
  const header = answer.headers.etag;
  const etag = Array.isArray(header) ? header[0] : header;
  const cursor =
    entity.deltaField !== undefined && entity.deltaFieldType !== undefined
      ? pageCursor([record], entity.deltaField, entity.deltaFieldType)
      : undefined;
  return { records: [record], ...(cursor === undefined ? {} : { cursor }), ...(etag ? { etag } : {}) };
}

function safeKey(entity: SapEntity, record: Readonly<Record<string, unknown>>): string | undefined {
  try {
    return keyLabel(entity.keyFields, record, entity.keyTypes, entity.odataVersion);
  } catch {
    return undefined;
  }
}
