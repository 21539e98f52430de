import type { SimRecord } from '../model/edm';
import type { FilterNode } from '../filter/filter-ast';
import { runQuery, type QueryPage } from '../query/run-query';
import { parseCollectionQuery, type CollectionQuery } from '../query/query-options';
import { encodeSkipToken } from '../query/skip-token';
import type { ODataContext, ODataRequest } from './request-context';
import type { ExposedSet } from '../services';

/**
 * One page of a collection read, with the link to the next page when the server cut it (reference A.6):
 * the page holds at most maxPageSize records (V4 clients may ask for fewer with Prefer: odata.maxpagesize);
 * the next link repeats the request's options with a $skiptoken, the rest of $top, and no $skip.
 */
export interface CollectionResult {
  readonly query: CollectionQuery;
  readonly page: QueryPage;
  readonly nextLink?: string;
}

export function readCollection(
  context: ODataContext,
  set: ExposedSet,
  request: ODataRequest,
  scope: FilterNode | undefined,
  resourcePath: string,
  pageSize: number,
): CollectionResult {
  const store = context.data.store(set.dataSet);
  const query = parseCollectionQuery(request.query, store.def, context.service.version, scope);
  const limit = Math.min(query.top ?? Number.POSITIVE_INFINITY, pageSize);
  const page = runQuery(
    store,
    {
      ...(query.filter ? { filter: query.filter } : {}),
      ordering: query.ordering,
      ...(query.after ? { after: query.after } : {}),
      skip: query.skip,
      limit,
      count: query.count,
    },
    context.service.version,
  );
  const last: SimRecord | undefined = page.records[page.records.length - 1];
  const remaining = query.top === undefined ? undefined : query.top - page.records.length;
  if (!page.hasMore || !last || remaining === 0) return { query, page };
  const params = new URLSearchParams(request.query);
  params.delete('$skip');
  params.delete('$skiptoken');
  if (remaining !== undefined) params.set('$top', String(remaining));
  params.set('$skiptoken', encodeSkipToken(query.ordering.tuple(last)));
  return { query, page, nextLink: `${context.rootUrl}/${resourcePath}?${params.toString()}` };
}
