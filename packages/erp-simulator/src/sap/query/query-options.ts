import type { PropertyDef } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import { bindFilter, type BoundFilter } from '../filter/bind-filter';
import type { Comparable } from '../filter/comparable';
import type { FilterNode, ODataVersion } from '../filter/filter-ast';
import { parseFilter } from '../filter/parse-filter';
import { badRequest, ERROR_CODES, ODataError } from '../odata/odata-error';
import { createOrdering, type Ordering, parseOrderBy } from './ordering';
import { decodeSkipToken } from './skip-token';

/** The system query options of a collection read, checked against the entity type (reference A.6, A.7). */
export interface CollectionQuery {
  readonly filter?: BoundFilter;
  readonly ordering: Ordering;
  readonly top?: number;
  readonly skip: number;
  readonly select?: readonly string[];
  /** V2 $inlinecount=allpages, V4 $count=true. */
  readonly count: boolean;
  readonly after?: Comparable[];
}

const KNOWN: Record<ODataVersion, readonly string[]> = {
  v2: ['$filter', '$orderby', '$top', '$skip', '$select', '$inlinecount', '$skiptoken', '$format', '$expand'],
  v4: ['$filter', '$orderby', '$top', '$skip', '$select', '$count', '$skiptoken', '$format', '$expand'],
};

function nonNegativeInteger(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null) return undefined;
  if (!/^\d+$/.test(text)) throw badRequest(`Invalid value '${text}' for ${name}`);
  return Number(text);
}

export function propertyMap(def: DataSetDef): Map<string, PropertyDef> {
  return new Map(def.properties.map((p) => [p.name, p]));
}

/** Combines a navigation's join condition with the client's $filter. */
function withScope(scope: FilterNode | undefined, filter: FilterNode | undefined): FilterNode | undefined {
  if (scope && filter) return { type: 'and', left: scope, right: filter };
  return scope ?? filter;
}

export function parseCollectionQuery(
  params: URLSearchParams,
  def: DataSetDef,
  version: ODataVersion,
  scope?: FilterNode,
): CollectionQuery {
  for (const name of params.keys()) {
    if (name.startsWith('$') && !KNOWN[version].includes(name)) {
      throw new ODataError(501, ERROR_CODES.notImplemented, `System query option ${name} is not supported`);
    }
  }
  if (params.has('$expand')) {
    throw new ODataError(501, ERROR_CODES.notImplemented, '$expand is not supported by the simulator');
  }
  const properties = propertyMap(def);
  const filterText = params.get('$filter');
  const parsed = withScope(scope, filterText ? parseFilter(filterText, version) : undefined);
  const filter = parsed ? bindFilter(parsed, properties, version) : undefined;
  const ordering = createOrdering(def, parseOrderBy(params.get('$orderby'), properties), version);

  let count = false;
  if (version === 'v2') {
    const inline = params.get('$inlinecount');
    if (inline !== null && inline !== 'allpages' && inline !== 'none') {
      throw badRequest(`Invalid value '${inline}' for $inlinecount (allpages or none)`);
    }
    count = inline === 'allpages';
  } else {
    const text = params.get('$count');
    if (text !== null && text !== 'true' && text !== 'false') throw badRequest(`Invalid value '${text}' for $count`);
    count = text === 'true';
  }

  const selectText = params.get('$select');
  const select = selectText ? selectText.split(',').map((s) => s.trim()) : undefined;
  const navigations = new Set(def.navigations.map((n) => n.name));
  for (const name of select ?? []) {
    if (name !== '*' && !properties.has(name) && !navigations.has(name)) {
      throw badRequest(`Property ${name} in $select not found in the entity type`);
    }
  }

  const token = params.get('$skiptoken');
  const top = nonNegativeInteger(params, '$top');
  return {
    ...(filter ? { filter } : {}),
    ordering,
    ...(top === undefined ? {} : { top }),
    skip: nonNegativeInteger(params, '$skip') ?? 0,
    ...(select ? { select } : {}),
    count,
    ...(token ? { after: decodeSkipToken(token, ordering.items.length) } : {}),
  };
}
