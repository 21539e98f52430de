import type { PropertyDef, SimRecord } from '../model/edm';
import { badRequest } from '../odata/odata-error';
import { type Comparable, comparableLiteral, comparableValue, compareComparable } from './comparable';
import type { CompareOp, FilterNode, ODataVersion, StringFunction } from './filter-ast';

/** A filter checked against the entity type, with literals already converted: evaluated once per record. */
export type BoundFilter =
  | { readonly type: 'and' | 'or'; readonly left: BoundFilter; readonly right: BoundFilter }
  | { readonly type: 'not'; readonly operand: BoundFilter }
  | { readonly type: 'compare'; readonly op: CompareOp; readonly property: PropertyDef; readonly value: Comparable }
  | { readonly type: 'function'; readonly name: StringFunction; readonly property: PropertyDef; readonly text: string };

export function bindFilter(
  node: FilterNode,
  properties: ReadonlyMap<string, PropertyDef>,
  version: ODataVersion,
): BoundFilter {
  const property = (name: string): PropertyDef => {
    const def = properties.get(name);
    if (!def) throw badRequest(`Property ${name} not found in the entity type`);
    return def;
  };
  switch (node.type) {
    case 'and':
    case 'or':
      return {
        type: node.type,
        left: bindFilter(node.left, properties, version),
        right: bindFilter(node.right, properties, version),
      };
    case 'not':
      return { type: 'not', operand: bindFilter(node.operand, properties, version) };
    case 'compare': {
      const def = property(node.property);
      return { type: 'compare', op: node.op, property: def, value: comparableLiteral(def, node.literal, version) };
    }
    case 'function': {
      const def = property(node.property);
      if (def.kind !== 'string') throw badRequest(`${node.name} needs a string property, ${def.name} is not one`);
      return { type: 'function', name: node.name, property: def, text: node.text };
    }
  }
}

export function compareMatches(op: CompareOp, actual: Comparable, expected: Comparable): boolean {
  // A null only equals null; ordering comparisons with null are false (OData null semantics).
  if (actual === null || expected === null) {
    if (op === 'eq') return actual === expected;
    if (op === 'ne') return actual !== expected;
    return false;
  }
  const order = compareComparable(actual, expected);
  switch (op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

export function evaluateFilter(filter: BoundFilter, record: SimRecord, version: ODataVersion): boolean {
  switch (filter.type) {
    case 'and':
      return evaluateFilter(filter.left, record, version) && evaluateFilter(filter.right, record, version);
    case 'or':
      return evaluateFilter(filter.left, record, version) || evaluateFilter(filter.right, record, version);
    case 'not':
      return !evaluateFilter(filter.operand, record, version);
    case 'compare':
      return compareMatches(
        filter.op,
        comparableValue(filter.property, record[filter.property.name], version),
        filter.value,
      );
    case 'function': {
      const value = record[filter.property.name];
      if (typeof value !== 'string') return false;
      if (filter.name === 'startswith') return value.startsWith(filter.text);
      if (filter.name === 'endswith') return value.endsWith(filter.text);
      return value.includes(filter.text);
    }
  }
}
