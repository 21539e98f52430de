import type { SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import type { FilterNode } from '../filter/filter-ast';
import { notFound } from './odata-error';
import type { ServiceDef, ExposedSet } from '../services';

/**
 * A navigation from one entity (to_ProductionOrderOperation) becomes a filter on the target set: the join
 * properties equal the source's values. Join properties are monotone, so this is a binary search, not a scan.
 */
export function navigationScope(
  service: ServiceDef,
  sourceDef: DataSetDef,
  source: SimRecord,
  name: string,
): { target: ExposedSet; scope: FilterNode } {
  const navigation = sourceDef.navigations.find((n) => n.name === name);
  const target = navigation && service.sets.find((s) => s.dataSet === navigation.target);
  if (!navigation || !target) throw notFound(`Navigation property ${name} not found`);
  let scope: FilterNode | undefined;
  for (const [from, to] of navigation.on) {
    const value = source[from];
    const node: FilterNode = {
      type: 'compare',
      op: 'eq',
      property: to,
      literal: typeof value === 'string' ? { kind: 'string', value } : { kind: 'null' },
    };
    scope = scope ? { type: 'and', left: scope, right: node } : node;
  }
  if (!scope) throw notFound(`Navigation property ${name} has no join`);
  return { target, scope };
}
