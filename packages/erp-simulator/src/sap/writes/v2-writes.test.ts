import type { RunningSimulator } from '../../simulator';
import { type CsrfSession, fetchCsrf, getJson, PO_ROOT, sapSimulator, send } from '../../testing/wire';

/** Creates, updates, ETags and validation errors on the V2 services (reference A.8, A.10, A.11). */
interface V2Entity {
  __metadata: { etag: string };
  [name: string]: unknown;
}
interface V2Error {
  error: {
    code: string;
    message: { value: string };
    innererror: { errordetails: { code: string; message: string; propertyref: string; severity: string }[] };
  };
}

let sim: RunningSimulator;
let session: CsrfSession;
beforeAll(async () => {
  sim = await sapSimulator({ size: 1000 });
  session = await fetchCsrf(sim);
});
afterAll(() => sim.close());

const po = (path: string): string => `${sim.url}${PO_ROOT}${path}`;
const equipmentRoot = (): string => `${sim.url}/sap/opu/odata/sap/API_EQUIPMENT`;

describe('production orders', () => {
  it('creates with 201, Location and ETag, numbering after the generated orders', async () => {
    const response = await send(po('/A_ProductionOrder_2'), 'POST', session, {
      ManufacturingOrderType: 'PP01',
      Material: 'FG-SHAFT-40',
      ProductionPlant: '1010',
      TotalQuantity: '40',
      OrderIsReleased: 'X',
    });
    expect(response.status).toBe(201);
    const created = (response.body as { d: V2Entity }).d;
    expect(created.ManufacturingOrder).toBe('1001000');
    // Status flags are the system's to set: a client's OrderIsReleased is ignored.
    expect(created.OrderIsReleased).toBe('');
    expect(created.ProductionUnit).toBe('PC');
    expect(response.headers.get('location')).toBe(po("/A_ProductionOrder_2('1001000')"));
    expect(response.headers.get('etag')).toBe(created.__metadata.etag);
    const read = await getJson<{ d: V2Entity }>(po("/A_ProductionOrder_2('1001000')"));
    expect(read.body.d.Material).toBe('FG-SHAFT-40');
  });

  it('answers validation errors with 400 and every problem in innererror.errordetails', async () => {
    const response = await send(po('/A_ProductionOrder_2'), 'POST', session, {
      ManufacturingOrderType: 'PP01',
      Material: 'NO-SUCH-MATERIAL',
      ProductionPlant: '9999',
      TotalQuantity: '-1',
    });
    expect(response.status).toBe(400);
    const error = (response.body as V2Error).error;
    expect(error.message.value).toBe('Material NO-SUCH-MATERIAL does not exist');
    expect(error.innererror.errordetails.map((d) => d.propertyref)).toEqual([
      'Material',
      'ProductionPlant',
      'TotalQuantity',
    ]);
    expect(error.innererror.errordetails.every((d) => d.severity === 'error')).toBe(true);
  });

  it('rejects wrong wire forms: a number for a V2 decimal, an ISO date, an unknown property', async () => {
    const base = { ManufacturingOrderType: 'PP01', Material: 'FG-SHAFT-40', ProductionPlant: '1010' };
    for (const body of [
      { ...base, TotalQuantity: 40 },
      { ...base, TotalQuantity: '40', MfgOrderPlannedStartDate: '2024-05-01T00:00:00' },
      { ...base, TotalQuantity: '40', Colour: 'red' },
    ]) {
      const response = await send(po('/A_ProductionOrder_2'), 'POST', session, body);
      expect(response.status).toBe(400);
    }
  });

  it('updates with PATCH and If-Match: 204, new ETag, the record moves to now in LastChangeDateTime', async () => {
    const before = await getJson<{ d: V2Entity }>(po("/A_ProductionOrder_2('1000010')"));
    const etag = before.headers.get('etag')!;
    const started = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const response = await send(
      po("/A_ProductionOrder_2('1000010')"),
      'PATCH',
      session,
      { TotalQuantity: '77' },
      {
        'if-match': etag,
      },
    );
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    const after = await getJson<{ d: V2Entity }>(po("/A_ProductionOrder_2('1000010')"));
    expect(after.body.d.TotalQuantity).toBe('77');
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(response.headers.get('etag')).toBe(after.headers.get('etag'));
    expect(String(after.body.d.LastChangeDateTime) >= started).toBe(true);

    // A delta read from "now" finds exactly the changed order; a key-ordered read still has it in place.
    const delta = await getJson<{ d: { results: V2Entity[] } }>(
      po(`/A_ProductionOrder_2?$filter=LastChangeDateTime ge '${started}'&$select=ManufacturingOrder`),
    );
    expect(delta.body.d.results.map((r) => r.ManufacturingOrder)).toContain('1000010');
    const window = await getJson<{ d: { results: V2Entity[] } }>(
      po("/A_ProductionOrder_2?$filter=ManufacturingOrder ge '1000009' and ManufacturingOrder le '1000011'"),
    );
    expect(window.body.d.results.map((r) => r.ManufacturingOrder)).toEqual(['1000009', '1000010', '1000011']);
  });

  it('answers 412 for a stale ETag and 428 without If-Match; If-Match: * passes', async () => {
    const current = await getJson<{ d: V2Entity }>(po("/A_ProductionOrder_2('1000020')"));
    const etag = current.headers.get('etag')!;
    const ok = await send(
      po("/A_ProductionOrder_2('1000020')"),
      'MERGE',
      session,
      { TotalQuantity: '5' },
      { 'if-match': etag },
    );
    expect(ok.status).toBe(204);
    const stale = await send(
      po("/A_ProductionOrder_2('1000020')"),
      'PATCH',
      session,
      { TotalQuantity: '6' },
      {
        'if-match': etag,
      },
    );
    expect(stale.status).toBe(412);
    const missing = await send(po("/A_ProductionOrder_2('1000020')"), 'PATCH', session, { TotalQuantity: '6' });
    expect(missing.status).toBe(428);
    const any = await send(
      po("/A_ProductionOrder_2('1000020')"),
      'PATCH',
      session,
      { TotalQuantity: '6' },
      {
        'if-match': '*',
      },
    );
    expect(any.status).toBe(204);
  });

  it('takes MERGE tunnelled through POST with X-HTTP-Method', async () => {
    const response = await send(
      po("/A_ProductionOrder_2('1000021')"),
      'POST',
      session,
      { OrderIsMarkedForDeletion: 'X' },
      {
        'x-http-method': 'MERGE',
        'if-match': '*',
      },
    );
    expect(response.status).toBe(204);
    const read = await getJson<{ d: V2Entity }>(po("/A_ProductionOrder_2('1000021')"));
    expect(read.body.d.OrderIsMarkedForDeletion).toBe('X');
  });

  it('refuses DELETE and writes to read-only sets with 405', async () => {
    expect(
      (await send(po("/A_ProductionOrder_2('1000022')"), 'DELETE', session, undefined, { 'if-match': '*' })).status,
    ).toBe(405);
    const operation =
      "/A_ProductionOrderOperation_2(OrderInternalBillOfOperations='2000001',OrderIntBillOfOperationsItem='1')";
    expect((await send(po(operation), 'PATCH', session, {}, { 'if-match': '*' })).status).toBe(405);
  });

  it('answers 404 for an update of a missing order', async () => {
    expect((await send(po("/A_ProductionOrder_2('5000000')"), 'PATCH', session, {}, { 'if-match': '*' })).status).toBe(
      404,
    );
  });
});

describe('confirmations', () => {
  const root = (): string => `${sim.url}/sap/opu/odata/sap/API_PROD_ORDER_CONFIRMATION_2_SRV`;

  it('POST creates the next confirmation of the operation, with the logged-on user and entry stamps', async () => {
    const csrf = await fetchCsrf(sim, '/sap/opu/odata/sap/API_PROD_ORDER_CONFIRMATION_2_SRV');
    const body = {
      OrderID: '1000003',
      OrderOperation: '0020',
      ConfirmationYieldQuantity: '12',
      ConfirmationScrapQuantity: '1',
      IsFinalConfirmation: false,
      ExternalSystemConfirmation: '3f0d1a4e-8a8b-4c7e-9c1e-2b5e1f0a9d11',
      to_ProdnOrdConfMatlDocItm: { results: [] },
    };
    const response = await send(`${root()}/ProdnOrdConf2`, 'POST', csrf, body);
    expect(response.status).toBe(201);
    const created = (response.body as { d: V2Entity }).d;
    // Operation 0020 of order index 3 is operation index 13; its base confirmation has count 1.
    expect(created.ConfirmationGroup).toBe('1000000013');
    expect(created.ConfirmationCount).toBe('2');
    expect(created.EnteredByUser).toBe('TAKT_USER');
    expect(created.ConfirmationEntryDate).toMatch(/^\/Date\(\d+\)\/$/);
    expect(created.ConfirmationEntryTime).toMatch(/^PT\d\dH\d\dM\d\dS$/);
    const again = await send(`${root()}/ProdnOrdConf2`, 'POST', csrf, body);
    expect((again.body as { d: V2Entity }).d.ConfirmationCount).toBe('3');
  });

  it('refuses a confirmation for an unknown order, and any update (append-only documents)', async () => {
    const csrf = await fetchCsrf(sim, '/sap/opu/odata/sap/API_PROD_ORDER_CONFIRMATION_2_SRV');
    const response = await send(`${root()}/ProdnOrdConf2`, 'POST', csrf, {
      OrderID: '7777777',
      OrderOperation: '0010',
      ConfirmationYieldQuantity: '1',
    });
    expect(response.status).toBe(400);
    expect((response.body as V2Error).error.innererror.errordetails[0]!.propertyref).toBe('OrderID');
    const update = await send(
      `${root()}/ProdnOrdConf2(ConfirmationGroup='1000000000',ConfirmationCount='1')`,
      'PATCH',
      csrf,
      {},
      {
        'if-match': '*',
      },
    );
    expect(update.status).toBe(405);
  });
});

describe('equipment and notifications', () => {
  it('updates equipment addressed by its composite key', async () => {
    const csrf = await fetchCsrf(sim, '/sap/opu/odata/sap/API_EQUIPMENT');
    const key = "Equipment(Equipment='10000003',ValidityEndDate=datetime'9999-12-31T00:00:00')";
    const read = await getJson<{ d: V2Entity }>(`${equipmentRoot()}/${key}`);
    const response = await send(
      `${equipmentRoot()}/${key}`,
      'PATCH',
      csrf,
      { EquipmentIsInactive: true },
      {
        'if-match': read.headers.get('etag')!,
      },
    );
    expect(response.status).toBe(204);
    const after = await getJson<{ d: V2Entity }>(`${equipmentRoot()}/${key}`);
    expect(after.body.d.EquipmentIsInactive).toBe(true);
    expect(after.body.d.LastChangeDateTime).toMatch(/^\/Date\(\d+\+0000\)\/$/);
  });

  it('creates and changes a maintenance notification', async () => {
    const root = `${sim.url}/sap/opu/odata/sap/API_MAINTNOTIFICATION`;
    const csrf = await fetchCsrf(sim, '/sap/opu/odata/sap/API_MAINTNOTIFICATION');
    const created = await send(`${root}/MaintenanceNotification`, 'POST', csrf, {
      NotificationType: 'M2',
      NotificationText: 'Spindle stopped',
      TechnicalObject: '10000003',
      MaintenanceObjectIsDown: true,
      MalfunctionStartDate: '/Date(1735689600000)/',
      MalfunctionStartTime: 'PT07H30M00S',
    });
    expect(created.status).toBe(201);
    const record = (created.body as { d: V2Entity }).d;
    expect(record.MaintenanceNotification).toBe('10001000');
    expect(record.NotifProcessingPhase).toBe('1');
    const url = `${root}/MaintenanceNotification('${String(record.MaintenanceNotification)}')`;
    const patched = await send(url, 'PATCH', csrf, { MaintPriority: '1' }, { 'if-match': record.__metadata.etag });
    expect(patched.status).toBe(204);
    const tooLong = await send(url, 'PATCH', csrf, { NotificationText: 'x'.repeat(41) }, { 'if-match': '*' });
    expect(tooLong.status).toBe(400);
  });
});
