import type { PropertyDef, SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import { type Comparable, comparableValue, compareComparable } from '../filter/comparable';
import type { ODataVersion } from '../filter/filter-ast';
import { badRequest } from '../odata/odata-error';

export interface OrderItem {
  readonly property: PropertyDef;
  readonly descending: boolean;
}

/**
 * The total order a query pages in: the requested $orderby items, then the keys (in the direction of the
 * first item) as tie-breakers, so a $skiptoken always names exactly one position.
 */
export interface Ordering {
  readonly items: readonly OrderItem[];
  /** Every item is a monotone property in one direction: base records come in index order (or reversed). */
  readonly followsIndex: boolean;
  readonly descending: boolean;
  tuple(record: SimRecord): Comparable[];
  compareTuples(a: readonly Comparable[], b: readonly Comparable[]): number;
}

export function parseOrderBy(text: string | null, properties: ReadonlyMap<string, PropertyDef>): OrderItem[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const [name = '', direction = 'asc', ...rest] = part.trim().split(/\s+/);
    const property = properties.get(name);
    if (!property) throw badRequest(`Property ${name} in $orderby not found in the entity type`);
    if (rest.length > 0 || (direction !== 'asc' && direction !== 'desc')) {
      throw badRequest(`Invalid $orderby item '${part.trim()}'`);
    }
    return { property, descending: direction === 'desc' };
  });
}

export function createOrdering(def: DataSetDef, requested: readonly OrderItem[], version: ODataVersion): Ordering {
  const descending = requested[0]?.descending ?? false;
  const items = [...requested];
  for (const key of def.keys) {
    if (items.some((item) => item.property.name === key)) continue;
    const property = def.properties.find((p) => p.name === key);
    if (property) items.push({ property, descending });
  }
  const followsIndex = items.every(
    (item) => item.descending === descending && def.monotone.includes(item.property.name),
  );
  return {
    items,
    followsIndex,
    descending,
    tuple: (record) => items.map((item) => comparableValue(item.property, record[item.property.name], version)),
    compareTuples(a, b) {
      for (let i = 0; i < items.length; i++) {
        const order = compareComparable(a[i] ?? null, b[i] ?? null);
        if (order !== 0) return items[i]?.descending ? -order : order;
      }
      return 0;
    },
  };
}
