import type { SimRecord } from '../model/edm';
import type { DataStore } from '../data/data-store';
import { type BoundFilter, evaluateFilter } from '../filter/bind-filter';
import type { Comparable } from '../filter/comparable';
import type { ODataVersion } from '../filter/filter-ast';
import { type IndexRange, indexRange, lowerBound } from '../filter/index-range';
import { badRequest } from '../odata/odata-error';
import type { Ordering } from './ordering';

export interface QueryPlan {
  readonly filter?: BoundFilter;
  readonly ordering: Ordering;
  /** Position after this sort tuple (from a $skiptoken). */
  readonly after?: readonly Comparable[];
  readonly skip: number;
  /** At most this many records in the page. */
  readonly limit: number;
  readonly count: boolean;
}

export interface QueryPage {
  readonly records: SimRecord[];
  /** More records follow the page (a next link is due when the page was cut by the server). */
  readonly hasMore: boolean;
  readonly count?: number;
}

/**
 * Sorting by a property that does not grow with the index needs every match in memory; past this many the
 * simulator refuses instead of quietly eating memory.
 */
export const MAX_SORTED_MATCHES = 200_000;

/**
 * Runs a query over a data store without materializing it: the generated base is walked in index order (or
 * backwards) inside the window the filter allows and merged with the sorted overlay of written records. Only
 * a $orderby on a non-monotone property falls back to collecting and sorting the matches.
 */
export function runQuery(store: DataStore, plan: QueryPlan, version: ODataVersion): QueryPage {
  const { filter, ordering } = plan;
  const def = store.def;
  const range = indexRange(def, store.baseCount, filter, version);
  const matches = (record: SimRecord): boolean => !filter || evaluateFilter(filter, record, version);
  const after = plan.after;
  const isAfter = (record: SimRecord): boolean => !after || ordering.compareTuples(ordering.tuple(record), after) > 0;

  const overlay = [...store.overlayRecords()].filter(matches);
  const count = plan.count ? countMatches(store, range, overlay.length, matches) : undefined;

  let stream: Iterator<SimRecord>;
  if (ordering.followsIndex) {
    const sortedOverlay = overlay
      .filter(isAfter)
      .sort((a, b) => ordering.compareTuples(ordering.tuple(a), ordering.tuple(b)));
    stream = merge(baseStream(store, range, plan, matches), sortedOverlay[Symbol.iterator](), ordering);
  } else {
    stream = sortedMatches(store, range, overlay, matches, isAfter, ordering)[Symbol.iterator]();
  }

  let skip = plan.skip;
  if (skip > 0 && ordering.followsIndex && range.exact && overlay.length === 0 && !after) {
    // Nothing written matches and the window decides the filter: $skip is plain arithmetic.
    stream = baseStream(store, range, plan, matches, skip);
    skip = 0;
  }
  for (; skip > 0; skip--) if (stream.next().done) break;

  const records: SimRecord[] = [];
  let next = stream.next();
  while (!next.done && records.length < plan.limit) {
    records.push(next.value);
    next = stream.next();
  }
  return { records, hasMore: !next.done, ...(count === undefined ? {} : { count }) };
}

function countMatches(
  store: DataStore,
  range: IndexRange,
  overlayMatches: number,
  matches: (record: SimRecord) => boolean,
): number {
  if (range.exact) {
    let moved = 0;
    for (const index of store.movedIndices()) if (index >= range.lo && index < range.hi) moved++;
    return range.hi - range.lo - moved + overlayMatches;
  }
  let total = overlayMatches;
  for (let i = range.lo; i < range.hi; i++) {
    const record = store.base(i);
    if (record && matches(record)) total++;
  }
  return total;
}

function* baseStream(
  store: DataStore,
  range: IndexRange,
  plan: QueryPlan,
  matches: (record: SimRecord) => boolean,
  jump = 0,
): Generator<SimRecord> {
  const { ordering, after } = plan;
  const size = range.hi - range.lo;
  const at = (position: number): number => (ordering.descending ? range.hi - 1 - position : range.lo + position);
  let position = after
    ? lowerBound(0, size, (p) => ordering.compareTuples(ordering.tuple(store.def.generate(at(p))), after) > 0)
    : 0;
  position += jump;
  for (; position < size; position++) {
    const record = store.base(at(position));
    if (record && (range.exact || matches(record))) yield record;
  }
}

function* merge(base: Iterator<SimRecord>, overlay: Iterator<SimRecord>, ordering: Ordering): Generator<SimRecord> {
  let a = base.next();
  let b = overlay.next();
  while (!a.done || !b.done) {
    if (!a.done && (b.done || ordering.compareTuples(ordering.tuple(a.value), ordering.tuple(b.value)) <= 0)) {
      yield a.value;
      a = base.next();
    } else if (!b.done) {
      yield b.value;
      b = overlay.next();
    }
  }
}

function sortedMatches(
  store: DataStore,
  range: IndexRange,
  overlay: readonly SimRecord[],
  matches: (record: SimRecord) => boolean,
  isAfter: (record: SimRecord) => boolean,
  ordering: Ordering,
): SimRecord[] {
  const found = overlay.filter(isAfter);
  for (let i = range.lo; i < range.hi; i++) {
    const record = store.base(i);
    if (record && matches(record) && isAfter(record)) {
      found.push(record);
      if (found.length > MAX_SORTED_MATCHES) {
        throw badRequest(
          `Sorting more than ${MAX_SORTED_MATCHES} records by ${ordering.items[0]?.property.name ?? '?'} is not supported by the simulator; filter first or sort by a key or change field`,
        );
      }
    }
  }
  return found.sort((x, y) => ordering.compareTuples(ordering.tuple(x), ordering.tuple(y)));
}
