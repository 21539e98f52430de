import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimRecord } from '../model/edm';
import { productionOrders } from '../data/production-orders';
import { propertyMap } from '../query/query-options';
import { bindFilter, evaluateFilter } from './bind-filter';
import type { ODataVersion } from './filter-ast';
import { indexRange } from './index-range';
import { parseFilter } from './parse-filter';

/** $filter conformance cases as data (reference A.7): each either matches the record or not, or is refused. */
interface FilterCase {
  readonly v: ODataVersion;
  readonly filter: string;
  readonly matches?: boolean;
  readonly error?: string;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'filter-cases.json'), 'utf8')) as {
  record: SimRecord;
  cases: FilterCase[];
};
const def = productionOrders(1);
const properties = propertyMap(def);
const record = fixture.record;

describe.each(fixture.cases)('$filter %o', (c) => {
  it(c.error ? `is refused (${c.error})` : `matches: ${String(c.matches)}`, () => {
    const run = (): boolean => evaluateFilter(bindFilter(parseFilter(c.filter, c.v), properties, c.v), record, c.v);
    if (c.error)
      expect(run).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining(c.error) }));
    else expect(run()).toBe(c.matches);
  });
});

describe('index ranges over generated records', () => {
  const range = (filter: string, count = 100_000) =>
    indexRange(def, count, bindFilter(parseFilter(filter, 'v2'), properties, 'v2'), 'v2');

  it('narrows key ranges by binary search and knows when the window decides the filter', () => {
    expect(range("ManufacturingOrder ge '1000100' and ManufacturingOrder lt '1000200'")).toEqual({
      lo: 100,
      hi: 200,
      exact: true,
    });
    expect(range("ManufacturingOrder eq '1000042'")).toEqual({ lo: 42, hi: 43, exact: true });
    expect(range("ManufacturingOrder gt '1000100' and Material eq 'FG-SHAFT-40'")).toEqual({
      lo: 101,
      hi: 100_000,
      exact: false,
    });
    expect(range("ManufacturingOrder gt '2000000'")).toEqual({ lo: 100_000, hi: 100_000, exact: true });
  });

  it('finds a change-stamp window that matches a scan of the same records', () => {
    const since = String(def.generate(5000).LastChangeDateTime);
    const { lo, hi } = range(`LastChangeDateTime ge '${since}'`, 10_000);
    expect([lo, hi]).toEqual([5000, 10_000]);
    expect(String(def.generate(lo - 1).LastChangeDateTime) < since).toBe(true);
  });
});
