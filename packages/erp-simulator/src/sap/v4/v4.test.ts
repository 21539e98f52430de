import type { RunningSimulator } from '../../simulator';
import { batchBody, parseBatchResponse } from '../../testing/multipart-body';
import {
  BASIC,
  type CsrfSession,
  fetchCsrf,
  getJson,
  PO_V4_ROOT,
  sapSimulator,
  send,
  WC_V4_ROOT,
} from '../../testing/wire';

/** OData V4 behaviour of the RAP-style roots (reference A.1, A.5, A.6, A.7, A.8, A.10). */
interface V4Collection {
  '@odata.context': string;
  '@odata.count'?: number;
  value: Record<string, unknown>[];
}
interface V4Error {
  error: {
    code: string;
    message: string;
    target?: string;
    details: { code: string; message: string; target: string }[];
  };
}

let sim: RunningSimulator;
let session: CsrfSession;
beforeAll(async () => {
  sim = await sapSimulator({ size: 1000 });
  session = await fetchCsrf(sim, PO_V4_ROOT);
});
afterAll(() => sim.close());

const po = (path: string): string => `${sim.url}${PO_V4_ROOT}${path}`;

it('lists entity sets in the JSON service document and types them in CSDL $metadata', async () => {
  const doc = await getJson<{ value: { name: string; kind: string }[] }>(po('/'));
  expect(doc.body.value).toEqual([
    { name: 'A_ProductionOrder_2', url: 'A_ProductionOrder_2', kind: 'EntitySet' },
    { name: 'A_ProductionOrderOperation_2', url: 'A_ProductionOrderOperation_2', kind: 'EntitySet' },
  ]);
  const metadata = await (
    await fetch(`${sim.url}${WC_V4_ROOT}/$metadata`, { headers: { authorization: BASIC } })
  ).text();
  expect(metadata).toContain('<edmx:Edmx Version="4.0"');
  expect(metadata).toContain(
    '<EntityType Name="WorkCenterHeaderType"><Key><PropertyRef Name="WorkCenterInternalID"/><PropertyRef Name="WorkCenterTypeCode"/></Key>',
  );
  expect(metadata).toContain('<Property Name="LastChangeDate" Type="Edm.Date"/>');
});

it('answers value, a numeric @odata.count, ISO dates, numeric decimals and boolean flags', async () => {
  const { body, headers } = await getJson<V4Collection>(po('/A_ProductionOrder_2?$top=2&$count=true'));
  expect(headers.get('odata-version')).toBe('4.0');
  expect(body['@odata.context']).toMatch(/\$metadata#A_ProductionOrder_2$/);
  expect(body['@odata.count']).toBe(1000);
  const first = body.value[0]!;
  expect(first['@odata.etag']).toMatch(/^W\/"/);
  expect(first.MfgOrderPlannedStartDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(first.MfgOrderPlannedStartTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  expect(typeof first.TotalQuantity).toBe('number');
  expect(typeof first.OrderIsReleased).toBe('boolean');
  expect(first.LastChangeDateTime).toMatch(/^\d{14}$/);
});

it('sends decimals as strings with IEEE754Compatible=true', async () => {
  const { body } = await getJson<V4Collection>(po('/A_ProductionOrder_2?$top=1'), {
    accept: 'application/json;IEEE754Compatible=true',
  });
  expect(typeof body.value[0]!.TotalQuantity).toBe('string');
});

it('filters with bare V4 literals and rejects the V2 prefixed form with 400', async () => {
  const wc = `${sim.url}${WC_V4_ROOT}/WorkCenterHeader`;
  const ok = await getJson<V4Collection>(
    `${wc}?$count=true&$top=0&$filter=${encodeURIComponent('LastChangeDate ge 2024-01-01 and LastChangeDate lt 2024-01-02')}`,
  );
  expect(ok.status).toBe(200);
  // One record a minute: the first day holds 1440 records, more than the 1000 generated.
  expect(ok.body['@odata.count']).toBe(1000);
  const v2Form = await getJson<V4Error>(
    `${wc}?$filter=${encodeURIComponent("LastChangeDate ge datetime'2024-01-01T00:00:00'")}`,
  );
  expect(v2Form.status).toBe(400);
  expect(typeof v2Form.body.error.message).toBe('string');
  const flag = await getJson<V4Collection>(
    po(`/A_ProductionOrder_2?$count=true&$top=0&$filter=${encodeURIComponent('OrderIsReleased eq true')}`),
  );
  const notFlag = await getJson<V4Collection>(
    po(`/A_ProductionOrder_2?$count=true&$top=0&$filter=${encodeURIComponent('OrderIsReleased eq false')}`),
  );
  expect(flag.body['@odata.count']! + notFlag.body['@odata.count']!).toBe(1000);
});

it('reads a work center by its two-part key and answers /$count as text', async () => {
  const { body, headers } = await getJson<Record<string, unknown>>(
    `${sim.url}${WC_V4_ROOT}/WorkCenterHeader(WorkCenterInternalID='10000004',WorkCenterTypeCode='A')`,
  );
  expect(body.WorkCenter).toBe('AS000005');
  expect(headers.get('etag')).toBe(body['@odata.etag']);
  const count = await fetch(`${sim.url}${WC_V4_ROOT}/WorkCenterHeader/$count`, {
    headers: { authorization: BASIC },
  });
  expect(await count.text()).toBe('1000');
});

it('creates with 201 and @odata.context, updates with PATCH 204, 412 on a stale ETag, 428 without If-Match', async () => {
  const created = await send(po('/A_ProductionOrder_2'), 'POST', session, {
    ManufacturingOrderType: 'PP02',
    Material: 'SF-COMPOUND-7',
    ProductionPlant: '2010',
    TotalQuantity: 12.5,
    MfgOrderPlannedStartDate: '2026-12-01',
  });
  expect(created.status).toBe(201);
  const body = created.body as Record<string, unknown>;
  expect(body['@odata.context']).toMatch(/\$metadata#A_ProductionOrder_2\/\$entity$/);
  expect(body.TotalQuantity).toBe(12.5);
  expect(body.MfgOrderPlannedStartDate).toBe('2026-12-01');
  const url = po(`/A_ProductionOrder_2('${String(body.ManufacturingOrder)}')`);
  const patched = await send(url, 'PATCH', session, { TotalQuantity: 20 }, { 'if-match': String(body['@odata.etag']) });
  expect(patched.status).toBe(204);
  const stale = await send(url, 'PATCH', session, { TotalQuantity: 21 }, { 'if-match': String(body['@odata.etag']) });
  expect(stale.status).toBe(412);
  expect((stale.body as V4Error).error.code).toMatch(/^TAKT_SIM\//);
  expect((await send(url, 'PATCH', session, { TotalQuantity: 21 })).status).toBe(428);
  const representation = await send(
    url,
    'PATCH',
    session,
    { TotalQuantity: 22 },
    { 'if-match': '*', prefer: 'return=representation' },
  );
  expect(representation.status).toBe(200);
  expect((representation.body as Record<string, unknown>).TotalQuantity).toBe(22);
});

it('reports validation errors with error.code, a string message and details with targets', async () => {
  const response = await send(po('/A_ProductionOrder_2'), 'POST', session, {
    ManufacturingOrderType: 'PP01',
    Material: 'FG-SHAFT-40',
    ProductionPlant: '1010',
    TotalQuantity: '1',
    MfgOrderPlannedStartDate: '/Date(1735689600000)/',
  });
  expect(response.status).toBe(400);
  const error = (response.body as V4Error).error;
  expect(typeof error.message).toBe('string');
  expect(error.target).toBe('MfgOrderPlannedStartDate');
  expect(error.details).toEqual([expect.objectContaining({ target: 'MfgOrderPlannedStartDate' })]);
});

it('takes multipart $batch on V4 too, answering 200 with the changeset rolled back on failure', async () => {
  const body = batchBody('b4', [
    { method: 'GET', url: 'A_ProductionOrder_2?$top=1' },
    [
      {
        method: 'PATCH',
        url: "A_ProductionOrder_2('1000030')",
        body: { TotalQuantity: 3 },
        headers: { 'If-Match': '*' },
        contentId: '1',
      },
      {
        method: 'PATCH',
        url: "A_ProductionOrder_2('1000031')",
        body: { TotalQuantity: 3 },
        headers: { 'If-Match': 'W/"x"' },
        contentId: '2',
      },
    ],
  ]);
  const response = await send(po('/$batch'), 'POST', session, body, { 'content-type': 'multipart/mixed; boundary=b4' });
  expect(response.status).toBe(200);
  const parts = parseBatchResponse(response.headers.get('content-type') ?? '', response.text);
  expect(parts.map((p) => p.status)).toEqual([200, 412]);
  expect((JSON.parse(parts[1]!.body) as V4Error).error.message).toMatch(/Precondition failed/);
  const unchanged = await getJson<{ TotalQuantity: number }>(po("/A_ProductionOrder_2('1000030')"));
  expect(unchanged.body.TotalQuantity).not.toBe(3);
});
