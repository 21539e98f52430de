import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TaktError } from '../../errors';
import { connectorOn, mockSap, pagesOf, V2_ROOT, type MockSap } from './__fixtures__/mock-sap';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as unknown;

const V4_ROOT = '/sap/opu/odata4/sap/api_production_order/srvd_a2x/sap/productionorder/0001';

describe('SapConnector.read (contract, MockAgent)', () => {
  let mock: MockSap;
  beforeEach(() => {
    mock = mockSap();
  });
  afterEach(() => mock.close());

  it('V2: follows __next, sends sap-client and sap-language on every request, and decodes records', async () => {
    mock.on('GET', `${V2_ROOT}/A_ProductionOrder_2`, (e) =>
      e.url.searchParams.has('$skiptoken')
        ? { status: 200, body: fixture('v2-production-orders-page2.json') }
        : { status: 200, body: fixture('v2-production-orders-page1.json') },
    );
    const sap = connectorOn(mock);
    const pages = await pagesOf(
      sap.read('production-orders', { since: '2020-01-01T00:00:00Z', count: true, pageSize: 2 }),
    );
    await sap.close();

    expect(pages.map((p) => p.records.map((r) => r.ManufacturingOrder))).toEqual([['1000000', '1000001'], ['1000002']]);
    expect(pages[0]?.total).toBe(3);
    expect(pages[1]?.total).toBeUndefined();
    // LastChangeDateTime is a 14-character string; the cursor is ISO (reference A.11).
    expect(pages.map((p) => p.cursor)).toEqual(['2024-05-01T08:00:00.000Z', '2024-05-02T09:00:00.000Z']);
    expect(pages[0]?.records[0]?.MfgOrderPlannedStartDate).toBe('2017-04-13T00:00:00.000Z');

    const [first, second] = mock.exchanges;
    expect(first?.url.searchParams.get('$filter')).toBe("LastChangeDateTime ge '20200101000000'");
    expect(first?.url.searchParams.get('$orderby')).toBe('LastChangeDateTime asc,ManufacturingOrder asc');
    expect(first?.url.searchParams.get('$inlinecount')).toBe('allpages');
    expect(first?.url.searchParams.get('$top')).toBe('2');
    expect(first?.headers.accept).toBe('application/json');
    // The next link already carried sap-client; it is not doubled, and sap-language is added.
    expect(second?.url.searchParams.get('$skiptoken')).toBe("'1000001'");
    expect(second?.url.searchParams.getAll('sap-client')).toEqual(['100']);
    for (const exchange of mock.exchanges) {
      expect(exchange.url.searchParams.get('sap-client')).toBe('100');
      expect(exchange.url.searchParams.get('sap-language')).toBe('EN');
    }
  });

  it('V4: follows @odata.nextLink, asks $count=true, IEEE754Compatible and a max page size', async () => {
    mock.on('GET', `${V4_ROOT}/A_ProductionOrder_2`, (e) =>
      e.url.searchParams.has('$skiptoken')
        ? { status: 200, body: fixture('v4-production-orders-page2.json') }
        : { status: 200, body: fixture('v4-production-orders-page1.json') },
    );
    const sap = connectorOn(mock, {
      odataVersion: 'v4',
      services: { API_PRODUCTION_ORDER_2_SRV: V4_ROOT },
    });
    const pages = await pagesOf(
      sap.read('production-orders', { since: '2024-04-30T00:00:00Z', count: true, pageSize: 2 }),
    );
    await sap.close();

    expect(pages.map((p) => p.records.length)).toEqual([2, 1]);
    expect(pages[0]?.total).toBe(3);
    expect(pages[0]?.records[1]?.TotalQuantity).toBe('12.500');
    const [first] = mock.exchanges;
    // V4 takes the timestamp14 field as a string too: the type is the field's, not the version's.
    expect(first?.url.searchParams.get('$filter')).toBe("LastChangeDateTime ge '20240430000000'");
    expect(first?.url.searchParams.get('$count')).toBe('true');
    expect(first?.headers.accept).toBe('application/json;IEEE754Compatible=true');
    expect(first?.headers.prefer).toBe('odata.maxpagesize=2');
    expect(mock.exchanges[1]?.url.searchParams.get('sap-client')).toBe('100');
  });

  it('V4: writes a datetimeoffset watermark bare (reference A.7)', async () => {
    mock.on('GET', /MaintenanceNotification$/, { status: 200, body: { value: [] } });
    const sap = connectorOn(mock, {
      odataVersion: 'v4',
      services: { API_MAINTNOTIFICATION: '/sap/opu/odata4/sap/api_maintnotification/srvd_a2x/sap/maintnotif/0001' },
    });
    await pagesOf(sap.read('maintenance-notifications', { since: '2024-05-06T00:00:00Z' }));
    await sap.close();
    expect(mock.exchanges[0]?.url.searchParams.get('$filter')).toBe('LastChangeDateTime ge 2024-05-06T00:00:00Z');
  });

  it('fails loudly with PAGE_LINK_REPEATED when the server sends the same next link twice', async () => {
    mock.on('GET', `${V2_ROOT}/A_ProductionOrder_2`, {
      status: 200,
      body: { d: { results: [{ ManufacturingOrder: '1' }], __next: "A_ProductionOrder_2?$skiptoken='1'" } },
    });
    const sap = connectorOn(mock);
    const seen: number[] = [];
    const run = async (): Promise<void> => {
      for await (const page of sap.read('production-orders', { pageSize: 1 })) seen.push(page.records.length);
    };
    await expect(run()).rejects.toMatchObject({ code: 'PAGE_LINK_REPEATED' });
    await sap.close();
    // The page that repeated the link is not yielded: its records may be the previous page's again.
    expect(seen).toEqual([1]);
    expect(mock.exchanges).toHaveLength(2);
  });

  it('pages with $top/$skip when the server does not page, until a short page', async () => {
    const all = Array.from({ length: 5 }, (_, i) => ({ ManufacturingOrder: String(1000000 + i) }));
    mock.on('GET', `${V2_ROOT}/A_ProductionOrder_2`, (e) => {
      const top = Number(e.url.searchParams.get('$top'));
      const skip = Number(e.url.searchParams.get('$skip') ?? 0);
      return { status: 200, body: { d: { results: all.slice(skip, skip + top) } } };
    });
    const sap = connectorOn(mock);
    const pages = await pagesOf(sap.read('production-orders', { pageSize: 2 }));
    await sap.close();
    expect(pages.flatMap((p) => p.records.map((r) => r.ManufacturingOrder))).toEqual(
      all.map((r) => r.ManufacturingOrder),
    );
    expect(mock.exchanges.map((e) => e.url.searchParams.get('$skip'))).toEqual([null, '2', '4']);
    // Delta field first, then the key: stable $skip windows and a cursor that never goes back.
    expect(mock.exchanges[0]?.url.searchParams.get('$orderby')).toBe('LastChangeDateTime asc,ManufacturingOrder asc');
  });

  it('reads one record by key, and an absent one as an empty page', async () => {
    mock.on('GET', `${V2_ROOT}/A_ProductionOrder_2('1000000')`, {
      status: 200,
      body: { d: { __metadata: { etag: 'W/"1"' }, ManufacturingOrder: '1000000' } },
      headers: { etag: 'W/"1"' },
    });
    mock.on('GET', /A_ProductionOrder_2\('404'\)$/, {
      status: 404,
      body: { error: { code: '/IWBEP/CM_MGW_RT/020', message: { lang: 'en', value: 'Resource not found' } } },
    });
    const sap = connectorOn(mock);
    const [found] = await pagesOf(sap.read('production-orders', { key: { ManufacturingOrder: '1000000' } }));
    const [absent] = await pagesOf(sap.read('production-orders', { key: { ManufacturingOrder: '404' } }));
    await sap.close();
    expect(found?.records).toEqual([{ __metadata: { etag: 'W/"1"' }, ManufacturingOrder: '1000000' }]);
    expect(absent?.records).toEqual([]);
  });

  it('reports a V2 error body with SAP message and code', async () => {
    mock.on('GET', `${V2_ROOT}/A_ProductionOrder_2`, {
      status: 400,
      body: {
        error: {
          code: '/IWBEP/CM_MGW_RT/021',
          message: { lang: 'en', value: "Filtering on property 'X' is not supported" },
          innererror: { transactionid: 'A1B2C3', timestamp: '20200428134913.3847960', errordetails: [] },
        },
      },
    });
    const sap = connectorOn(mock);
    const error = await pagesOf(sap.read('production-orders', { filter: { X: 'a' } })).catch((e: unknown) => e);
    await sap.close();
    expect(TaktError.is(error) && error.code).toBe('ERP_REJECTED');
    expect(TaktError.is(error) && error.message).toMatch(
      /Filtering on property 'X' is not supported \[\/IWBEP\/CM_MGW_RT\/021\]/,
    );
    expect(mock.exchanges[0]?.url.searchParams.get('$filter')).toBe("X eq 'a'");
  });

  it('throws ENTITY_UNKNOWN for an entity it does not know, listing the known ones', () => {
    const sap = connectorOn(mock);
    expect(() => sap.read('sales-orders')).toThrow(/knows no entity "sales-orders". Known: production-orders/);
  });
});
