import type { RunningSimulator } from '../../simulator';
import { type CsrfSession, fetchCsrf, getJson, PO_V4_ROOT, sapSimulator, send } from '../../testing/wire';

/** OData 4.01 JSON $batch (reference A.9): ids, atomicity groups, dependsOn, $<id> references. */
interface JsonBatchResponse {
  responses: {
    id: string;
    status: number;
    atomicityGroup?: string;
    headers: Record<string, string>;
    body?: Record<string, unknown>;
  }[];
}

let sim: RunningSimulator;
let session: CsrfSession;
beforeAll(async () => {
  sim = await sapSimulator({ size: 1000 });
  session = await fetchCsrf(sim, PO_V4_ROOT);
});
afterAll(() => sim.close());

const batch = async (requests: unknown[]): Promise<{ status: number; body: JsonBatchResponse }> => {
  const response = await send(`${sim.url}${PO_V4_ROOT}/$batch`, 'POST', session, { requests });
  return { status: response.status, body: response.body as JsonBatchResponse };
};
const quantity = async (order: string): Promise<unknown> =>
  (await getJson<{ TotalQuantity: number }>(`${sim.url}${PO_V4_ROOT}/A_ProductionOrder_2('${order}')`)).body
    .TotalQuantity;
const newOrder = {
  ManufacturingOrderType: 'PP01',
  Material: 'FG-GEARBOX-200',
  ProductionPlant: '1710',
  TotalQuantity: 8,
};

it('answers 200 with one response per request, keyed by id, following the reference example', async () => {
  const { status, body } = await batch([
    { id: 'r1', method: 'GET', url: 'A_ProductionOrder_2?$top=1' },
    {
      id: 'c1',
      atomicityGroup: 'g1',
      method: 'POST',
      url: 'A_ProductionOrder_2',
      headers: { 'content-type': 'application/json' },
      body: newOrder,
    },
    {
      id: 'c2',
      atomicityGroup: 'g1',
      method: 'PATCH',
      url: "A_ProductionOrder_2('1000006')",
      headers: { 'if-match': '*' },
      body: { TotalQuantity: 61 },
    },
  ]);
  expect(status).toBe(200);
  expect(body.responses.map((r) => [r.id, r.status, r.atomicityGroup])).toEqual([
    ['r1', 200, undefined],
    ['c1', 201, 'g1'],
    ['c2', 204, 'g1'],
  ]);
  expect((body.responses[0]!.body!.value as unknown[]).length).toBe(1);
  expect(await quantity('1000006')).toBe(61);
});

it('rolls back an atomicity group when one request fails; the others answer 424', async () => {
  const before = sim.sap!.data.counts().ProductionOrders;
  const { body } = await batch([
    { id: 'a', atomicityGroup: 'g', method: 'POST', url: 'A_ProductionOrder_2', body: newOrder },
    {
      id: 'b',
      atomicityGroup: 'g',
      method: 'PATCH',
      url: "A_ProductionOrder_2('1000007')",
      headers: { 'if-match': '*' },
      body: { TotalQuantity: 70 },
    },
    {
      id: 'c',
      atomicityGroup: 'g',
      method: 'PATCH',
      url: "A_ProductionOrder_2('1000008')",
      headers: { 'if-match': 'W/"old"' },
      body: { TotalQuantity: 80 },
    },
    {
      id: 'd',
      method: 'PATCH',
      url: "A_ProductionOrder_2('1000009')",
      headers: { 'if-match': '*' },
      body: { TotalQuantity: 90 },
    },
  ]);
  expect(body.responses.map((r) => [r.id, r.status])).toEqual([
    ['a', 424],
    ['b', 424],
    ['c', 412],
    ['d', 204],
  ]);
  expect(sim.sap!.data.counts().ProductionOrders).toBe(before);
  expect(await quantity('1000007')).not.toBe(70);
  expect(await quantity('1000009')).toBe(90);
});

it('answers 424 for a request that depends on a failed one, and resolves $<id> to a created entity', async () => {
  const { body } = await batch([
    { id: 'bad', method: 'PATCH', url: "A_ProductionOrder_2('9999999')", headers: { 'if-match': '*' }, body: {} },
    { id: 'after', dependsOn: ['bad'], method: 'GET', url: "A_ProductionOrder_2('1000000')" },
    { id: 'new', method: 'POST', url: 'A_ProductionOrder_2', body: newOrder },
    {
      id: 'change',
      dependsOn: ['new'],
      method: 'PATCH',
      url: '$new',
      headers: { 'if-match': '*' },
      body: { TotalQuantity: 5 },
    },
  ]);
  expect(body.responses.map((r) => [r.id, r.status])).toEqual([
    ['bad', 404],
    ['after', 424],
    ['new', 201],
    ['change', 204],
  ]);
  expect(await quantity(String(body.responses[2]!.body!.ManufacturingOrder))).toBe(5);
});

it('handles 1000 requests in one JSON batch', async () => {
  const requests = Array.from({ length: 1000 }, (_, i) => ({
    id: `u${i}`,
    atomicityGroup: `g${Math.floor(i / 100)}`,
    method: 'PATCH',
    url: `A_ProductionOrder_2('${1000000 + i}')`,
    headers: { 'if-match': '*' },
    body: { TotalQuantity: i + 1 },
  }));
  const { body } = await batch(requests);
  expect(body.responses).toHaveLength(1000);
  expect(body.responses.every((r) => r.status === 204)).toBe(true);
  expect(await quantity('1000999')).toBe(1000);
});

it('refuses a forward dependsOn and a JSON batch on a V2 service', async () => {
  const forward = await send(`${sim.url}${PO_V4_ROOT}/$batch`, 'POST', session, {
    requests: [
      { id: 'x', dependsOn: ['y'], method: 'GET', url: 'A_ProductionOrder_2?$top=1' },
      { id: 'y', method: 'GET', url: 'A_ProductionOrder_2?$top=1' },
    ],
  });
  expect(forward.status).toBe(400);
  const v2session = await fetchCsrf(sim);
  const v2 = await send(`${sim.url}/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV/$batch`, 'POST', v2session, {
    requests: [],
  });
  expect(v2.status).toBe(415);
});
