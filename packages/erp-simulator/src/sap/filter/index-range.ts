import type { SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import type { BoundFilter } from './bind-filter';
import { comparableValue, compareComparable } from './comparable';
import type { ODataVersion } from './filter-ast';

/**
 * The base-index window a filter can match. Generated records are non-decreasing in the data set's
 * monotone properties (keys, change stamps), so each `Prop op literal` conjunct on such a property narrows
 * the window by binary search: a delta read over a million records touches only the records it returns.
 * `exact` says the window alone decides the filter, so counts need no scan.
 */
export interface IndexRange {
  readonly lo: number;
  readonly hi: number;
  readonly exact: boolean;
}

/** First index in [lo, hi) where `predicate` holds, given it is false…false true…true over the range. */
export function lowerBound(lo: number, hi: number, predicate: (index: number) => boolean): number {
  let left = lo;
  let right = hi;
  while (left < right) {
    const mid = left + Math.floor((right - left) / 2);
    if (predicate(mid)) right = mid;
    else left = mid + 1;
  }
  return left;
}

function conjuncts(filter: BoundFilter, out: BoundFilter[]): BoundFilter[] {
  if (filter.type === 'and') {
    conjuncts(filter.left, out);
    conjuncts(filter.right, out);
  } else {
    out.push(filter);
  }
  return out;
}

export function indexRange(
  def: DataSetDef,
  count: number,
  filter: BoundFilter | undefined,
  version: ODataVersion,
  generate: (index: number) => SimRecord = (index) => def.generate(index),
): IndexRange {
  if (!filter) return { lo: 0, hi: count, exact: true };
  let lo = 0;
  let hi = count;
  let exact = true;
  const upperChecks: string[] = [];
  for (const part of conjuncts(filter, [])) {
    if (part.type !== 'compare' || part.value === null || !def.monotone.includes(part.property.name)) {
      exact = false;
      continue;
    }
    const { property, value, op } = part;
    const order = (index: number): number =>
      compareComparable(comparableValue(property, generate(index)[property.name], version), value);
    const firstAtLeast = (): number => lowerBound(lo, hi, (i) => order(i) >= 0);
    const firstAbove = (): number => lowerBound(lo, hi, (i) => order(i) > 0);
    switch (op) {
      case 'eq': {
        const from = firstAtLeast();
        hi = firstAbove();
        lo = from;
        break;
      }
      case 'gt':
        lo = firstAbove();
        break;
      case 'ge':
        lo = firstAtLeast();
        break;
      case 'lt':
        hi = firstAtLeast();
        upperChecks.push(property.name);
        break;
      case 'le':
        hi = firstAbove();
        upperChecks.push(property.name);
        break;
      case 'ne':
        exact = false;
        break;
    }
    if (lo >= hi) return { lo, hi: lo, exact: true };
  }
  // Nulls sort first but never satisfy lt/le, so an upper bound alone is exact only past any null prefix.
  if (exact && upperChecks.length > 0) {
    const first = generate(lo);
    exact = upperChecks.every((name) => first[name] !== null && first[name] !== undefined);
  }
  return { lo, hi, exact };
}
