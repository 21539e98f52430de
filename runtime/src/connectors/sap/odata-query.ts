import { TaktError } from '../../errors';
import type { ReadOptions } from '../types';
import { deltaFilter } from './delta-literal';
import type { SapEntity } from './entities';
import { assertPropertyName, primitiveLiteral } from './odata-literal';

/**
 * The system query options of a collection read, before paging adds `$top` / `$skip`.
 *
 * - `$filter`: the delta condition (delta-literal.ts) and the equality filters, joined with `and`.
 * - `$orderby`: the delta field first when there is one, then the key. Key order alone makes `$skip` pages
 *   stable (reference A.6); the delta field first makes every page's cursor at least the one before, so a
 *   caller that commits the cursor page by page never moves it past a record it has not seen yet.
 * - `$inlinecount=allpages` (V2) / `$count=true` (V4) when the total is asked for.
 * https://www.odata.org/documentation/odata-version-2-0/uri-conventions/ (4 Query String Options)
 */
export function collectionQuery(entity: SapEntity, options: ReadOptions): Record<string, string> {
  const query: Record<string, string> = {};
  const filter = filterExpression(entity, options);
  if (filter !== undefined) query.$filter = filter;
  const order = [...(entity.deltaField === undefined ? [] : [entity.deltaField]), ...entity.keyFields];
  query.$orderby = order.map((field) => `${field} asc`).join(',');
  if (options.count) {
    if (entity.odataVersion === 'v2') query.$inlinecount = 'allpages';
    else query.$count = 'true';
  }
  return query;
}

export function filterExpression(entity: SapEntity, options: ReadOptions): string | undefined {
  const parts: string[] = [];
  if (options.since !== undefined) {
    if (entity.deltaField === undefined || entity.deltaFieldType === undefined) {
      return missingDelta(entity);
    }
    parts.push(deltaFilter(entity.deltaField, options.since, entity.deltaFieldType, entity.odataVersion));
  }
  for (const [name, value] of Object.entries(options.filter ?? {})) {
    parts.push(`${assertPropertyName(name, 'filter')} eq ${primitiveLiteral(value, name)}`);
  }
  return parts.length === 0 ? undefined : parts.join(' and ');
}

function missingDelta(entity: SapEntity): never {
  throw new TaktError(
    'CONFIG_INVALID',
    `${entity.name} (${entity.entitySet}) has no delta field, so it cannot be read incrementally ("since"). ` +
      'Read it in full, or name its change timestamp in customEntities (deltaField, deltaFieldType).',
    { details: { field: 'since', entity: entity.name } },
  );
}
