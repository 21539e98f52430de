import type { RunningSimulator } from '../../simulator';
import { type BatchOperation, batchBody, parseBatchResponse } from '../../testing/multipart-body';
import { type CsrfSession, fetchCsrf, getJson, PO_ROOT, sapSimulator, send } from '../../testing/wire';

/** V2 multipart $batch (reference A.9): reads, atomic changesets, Content-ID references, 1000 operations. */
let sim: RunningSimulator;
let session: CsrfSession;
beforeAll(async () => {
  sim = await sapSimulator({ size: 2000 });
  session = await fetchCsrf(sim);
});
afterAll(() => sim.close());
afterEach(() => sim.faults.clear());

async function postBatch(items: Parameters<typeof batchBody>[1], csrf: CsrfSession | null = session) {
  const response = await send(
    `${sim.url}${PO_ROOT}/$batch?sap-client=100`,
    'POST',
    csrf ?? undefined,
    batchBody('batch_1', items),
    {
      'content-type': 'multipart/mixed; boundary=batch_1',
    },
  );
  return { ...response, parts: parseBatchResponse(response.headers.get('content-type') ?? '', response.text) };
}

const etagOf = async (order: string): Promise<string> =>
  (await getJson(`${sim.url}${PO_ROOT}/A_ProductionOrder_2('${order}')`)).headers.get('etag')!;
const quantityOf = async (order: string): Promise<unknown> =>
  (await getJson<{ d: { TotalQuantity: string } }>(`${sim.url}${PO_ROOT}/A_ProductionOrder_2('${order}')`)).body.d
    .TotalQuantity;
const newOrder = {
  ManufacturingOrderType: 'PP01',
  Material: 'FG-PUMP-HOUSING',
  ProductionPlant: '1010',
  TotalQuantity: '3',
};

it('needs the CSRF token like any modifying request', async () => {
  const response = await postBatch(
    [{ method: 'GET', url: 'A_ProductionOrder_2?$top=1', headers: { Accept: 'application/json' } }],
    null,
  );
  expect(response.status).toBe(403);
  expect(response.headers.get('x-csrf-token')).toBe('Required');
});

it('answers 202 with one part per read and one multipart per changeset', async () => {
  const response = await postBatch([
    { method: 'GET', url: 'A_ProductionOrder_2?$top=1&$format=json', headers: { Accept: 'application/json' } },
    [
      { method: 'POST', url: 'A_ProductionOrder_2', body: newOrder, contentId: '1' },
      {
        method: 'MERGE',
        url: "A_ProductionOrder_2('1000005')",
        body: { TotalQuantity: '40' },
        headers: { 'If-Match': await etagOf('1000005') },
      },
    ],
  ]);
  expect(response.status).toBe(202);
  expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batch_/);
  expect(response.parts.map((p) => [p.status, p.changeset])).toEqual([
    [200, undefined],
    [201, 1],
    [204, 1],
  ]);
  const read = JSON.parse(response.parts[0]!.body) as { d: { results: { ManufacturingOrder: string }[] } };
  expect(read.d.results[0]!.ManufacturingOrder).toBe('1000000');
  expect(response.text).toContain('Content-ID: 1');
  expect(await quantityOf('1000005')).toBe('40');
});

it('rolls back a whole changeset when one request fails, answering with that one error', async () => {
  const countBefore = sim.sap!.data.counts().ProductionOrders;
  const response = await postBatch([
    [
      { method: 'POST', url: 'A_ProductionOrder_2', body: newOrder },
      {
        method: 'PATCH',
        url: "A_ProductionOrder_2('1000006')",
        body: { TotalQuantity: '41' },
        headers: { 'If-Match': await etagOf('1000006') },
      },
      {
        method: 'PATCH',
        url: "A_ProductionOrder_2('1000007')",
        body: { TotalQuantity: '42' },
        headers: { 'If-Match': 'W/"stale"' },
      },
    ],
    [
      {
        method: 'PATCH',
        url: "A_ProductionOrder_2('1000008')",
        body: { TotalQuantity: '43' },
        headers: { 'If-Match': '*' },
      },
    ],
  ]);
  expect(response.status).toBe(202);
  expect(response.parts.map((p) => p.status)).toEqual([412, 204]);
  const error = JSON.parse(response.parts[0]!.body) as { error: { message: { value: string } } };
  expect(error.error.message.value).toMatch(/Precondition failed/);
  expect(sim.sap!.data.counts().ProductionOrders).toBe(countBefore);
  expect(await quantityOf('1000006')).not.toBe('41');
  expect(await quantityOf('1000008')).toBe('43');
});

it('fails the changeset holding a record the validation fault matches (and only that one)', async () => {
  sim.faults.addValidationFailure({
    entitySet: 'A_ProductionOrder_2',
    property: 'Material',
    equals: 'FG-VALVE-DN50',
    message: 'Material blocked',
  });
  const response = await postBatch([
    [{ method: 'POST', url: 'A_ProductionOrder_2', body: newOrder }],
    [
      { method: 'POST', url: 'A_ProductionOrder_2', body: newOrder },
      { method: 'POST', url: 'A_ProductionOrder_2', body: { ...newOrder, Material: 'FG-VALVE-DN50' } },
    ],
  ]);
  expect(response.parts.map((p) => p.status)).toEqual([201, 400]);
  const error = JSON.parse(response.parts[1]!.body) as {
    error: { message: { value: string }; innererror: { errordetails: unknown[] } };
  };
  expect(error.error.message.value).toBe('Material blocked');
  expect(error.error.innererror.errordetails).toHaveLength(1);
});

it('lets a later request in the changeset address the created entity as $<Content-ID>', async () => {
  const response = await postBatch([
    [
      { method: 'POST', url: 'A_ProductionOrder_2', body: newOrder, contentId: 'new1' },
      { method: 'PATCH', url: '$new1', body: { TotalQuantity: '9' }, headers: { 'If-Match': '*' } },
    ],
  ]);
  expect(response.parts.map((p) => p.status)).toEqual([201, 204]);
  const created = JSON.parse(response.parts[0]!.body) as { d: { ManufacturingOrder: string } };
  expect(await quantityOf(created.d.ManufacturingOrder)).toBe('9');
});

it('refuses a write outside a changeset and a GET inside one, per part', async () => {
  const response = await postBatch([
    {
      method: 'PATCH',
      url: "A_ProductionOrder_2('1000009')",
      body: { TotalQuantity: '1' },
      headers: { 'If-Match': '*' },
    },
    [{ method: 'GET', url: 'A_ProductionOrder_2?$top=1' }],
  ]);
  expect(response.parts.map((p) => p.status)).toEqual([400, 400]);
});

it('handles 1000 operations in one batch: 1000 updates in 10 changesets of 100', async () => {
  const changesets: BatchOperation[][] = [];
  for (let c = 0; c < 10; c++) {
    changesets.push(
      Array.from({ length: 100 }, (_, i) => ({
        method: 'PATCH',
        url: `A_ProductionOrder_2('${1000100 + c * 100 + i}')`,
        body: { TotalQuantity: String(c * 100 + i + 1) },
        headers: { 'If-Match': '*' },
      })),
    );
  }
  const started = Date.now();
  const response = await postBatch(changesets);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(response.parts).toHaveLength(1000);
  expect(response.parts.every((p) => p.status === 204)).toBe(true);
  expect(await quantityOf('1000100')).toBe('1');
  expect(await quantityOf('1001099')).toBe('1000');
});

it('accepts 1000 reads and answers each in order', async () => {
  const reads = Array.from({ length: 1000 }, (_, i) => ({
    method: 'GET',
    url: `A_ProductionOrder_2('${1000000 + i}')?$select=ManufacturingOrder`,
    headers: { Accept: 'application/json' },
  }));
  const response = await postBatch(reads);
  expect(response.parts).toHaveLength(1000);
  const last = JSON.parse(response.parts[999]!.body) as { d: { ManufacturingOrder: string } };
  expect(last.d.ManufacturingOrder).toBe('1000999');
});

it('answers a batch without a multipart boundary with 415/400 and a V2 error', async () => {
  const response = await send(`${sim.url}${PO_ROOT}/$batch`, 'POST', session, '{}', {
    'content-type': 'application/json',
  });
  expect(response.status).toBe(415);
  expect((response.body as { error: { message: { value: string } } }).error.message.value).toMatch(/content type/);
});
