import type { RunningSimulator } from '../../simulator';
import { getJson, PO_ROOT, PO_V4_ROOT, sapSimulator } from '../../testing/wire';

/**
 * Server-driven paging (reference A.6): pages of maxPageSize with __next / @odata.nextLink carrying a
 * $skiptoken, followed verbatim until absent. 100,000 records are read exactly once each, page by page (one
 * awaited request at a time, no per-record promises), against lazily generated data.
 */
interface V2Page {
  d: { results: { ManufacturingOrder: string; LastChangeDateTime: string }[]; __next?: string; __count?: string };
}
interface V4Page {
  value: { ManufacturingOrder: string }[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await sapSimulator({ size: 100_000, sap: { maxPageSize: 5000 } });
});
afterAll(() => sim.close());

it('pages through 100,000 production orders via __next, each once and in key order', async () => {
  let url: string | undefined =
    `${sim.url}${PO_ROOT}/A_ProductionOrder_2?$select=ManufacturingOrder,LastChangeDateTime&$inlinecount=allpages`;
  let seen = 0;
  let pages = 0;
  let previous = '';
  const tokens = new Set<string>();
  while (url) {
    const page: { status: number; body: V2Page } = await getJson<V2Page>(url);
    expect(page.status).toBe(200);
    if (pages === 0) expect(page.body.d.__count).toBe('100000');
    for (const record of page.body.d.results) {
      // Strictly increasing keys prove "each exactly once".
      if (!(record.ManufacturingOrder > previous)) throw new Error(`out of order at ${record.ManufacturingOrder}`);
      previous = record.ManufacturingOrder;
      seen++;
    }
    pages++;
    url = page.body.d.__next;
    if (url) {
      const token = new URL(url).searchParams.get('$skiptoken') ?? '';
      expect(tokens.has(token)).toBe(false);
      tokens.add(token);
      expect(page.body.d.results).toHaveLength(5000);
    }
  }
  expect(seen).toBe(100_000);
  expect(pages).toBe(20);
  expect(previous).toBe('1099999');
});

it('pages a delta query by LastChangeDateTime through a filtered window', async () => {
  // Record i changed at 2024-01-01 + i minutes (plus seconds of jitter): index 90,000 is 62.5 days in.
  const since = '20240301000000';
  const first = `${sim.url}${PO_ROOT}/A_ProductionOrder_2?$filter=LastChangeDateTime ge '${since}'&$orderby=LastChangeDateTime&$inlinecount=allpages&$select=ManufacturingOrder,LastChangeDateTime`;
  let url: string | undefined = first;
  let seen = 0;
  let total = -1;
  let previous = '';
  while (url) {
    const page: { body: V2Page } = await getJson<V2Page>(url);
    if (total < 0) total = Number(page.body.d.__count);
    for (const record of page.body.d.results) {
      expect(record.LastChangeDateTime >= since).toBe(true);
      expect(record.LastChangeDateTime >= previous).toBe(true);
      previous = record.LastChangeDateTime;
      seen++;
    }
    url = page.body.d.__next;
  }
  // 2024-03-01 is 60 days = 86,400 minutes after the epoch of the data.
  expect(total).toBe(100_000 - 86_400);
  expect(seen).toBe(total);
});

it('keeps the rest of a client $top in the next link and stops there', async () => {
  const { body } = await getJson<V2Page>(
    `${sim.url}${PO_ROOT}/A_ProductionOrder_2?$top=7000&$skip=10&$select=ManufacturingOrder`,
  );
  expect(body.d.results).toHaveLength(5000);
  expect(body.d.results[0]!.ManufacturingOrder).toBe('1000010');
  const next = new URL(body.d.__next!);
  expect(next.searchParams.get('$top')).toBe('2000');
  expect(next.searchParams.has('$skip')).toBe(false);
  const rest = await getJson<V2Page>(body.d.__next!);
  expect(rest.body.d.results).toHaveLength(2000);
  expect(rest.body.d.results[0]!.ManufacturingOrder).toBe('1005010');
  expect(rest.body.d.__next).toBeUndefined();
});

it('supports client paging with $top/$skip deep into the set', async () => {
  const { body } = await getJson<V2Page>(
    `${sim.url}${PO_ROOT}/A_ProductionOrder_2?$top=3&$skip=99990&$orderby=ManufacturingOrder&$select=ManufacturingOrder`,
  );
  expect(body.d.results.map((r) => r.ManufacturingOrder)).toEqual(['1099990', '1099991', '1099992']);
});

it('pages V4 with @odata.nextLink and honours Prefer: odata.maxpagesize', async () => {
  const response = await fetch(`${sim.url}${PO_V4_ROOT}/A_ProductionOrder_2?$count=true&$select=ManufacturingOrder`, {
    headers: {
      authorization: `Basic ${Buffer.from('TAKT_USER:Welcome1!').toString('base64')}`,
      prefer: 'odata.maxpagesize=100',
    },
  });
  const body = (await response.json()) as V4Page;
  expect(response.headers.get('preference-applied')).toBe('odata.maxpagesize=100');
  expect(body['@odata.count']).toBe(100_000);
  expect(body.value).toHaveLength(100);
  const next = await getJson<V4Page>(body['@odata.nextLink']!);
  expect(next.body.value[0]!.ManufacturingOrder).toBe('1000100');
  expect(next.body.value).toHaveLength(5000);
});

it('answers a forged $skiptoken with 400', async () => {
  const { status } = await getJson(`${sim.url}${PO_ROOT}/A_ProductionOrder_2?$skiptoken=not-a-token`);
  expect(status).toBe(400);
});
