import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TaktError } from '../../errors';
import { createLogger, type LogRecord } from '../../log';
import { FakeClock } from '../../time';
import { jsonBatchIds, multipartBodies, v2BatchReply } from './__fixtures__/batch-replies';
import { connectorOn, mockSap, PASSWORD, type MockSap } from './__fixtures__/mock-sap';
import { METADATA_RETRY_MS } from './metadata-cache';

/**
 * V2 writes put ISO dates into the wire form of their property (`$metadata`, read once per service); V4 sends
 * them as they are. Contract tests on MockAgent with the simulator's recorded `$metadata` documents.
 */
const EQUIPMENT_ROOT = '/sap/opu/odata/sap/API_EQUIPMENT';
const NOTIFICATION_ROOT = '/sap/opu/odata/sap/API_MAINTNOTIFICATION';
const TOKEN = 'csrf-token-dates-1';
const MAY_1_0830 = 1_714_552_200_000;

function metadataOf(service: string): string {
  return readFileSync(join(__dirname, '__fixtures__', 'metadata', `${service}.xml`), 'utf8');
}

function serveService(mock: MockSap, root: string, service: string): void {
  mock.on('GET', `${root}/$metadata`, {
    status: 200,
    body: metadataOf(service),
    headers: { 'content-type': 'application/xml' },
  });
  mock.on('GET', `${root}/`, { status: 200, body: { d: { EntitySets: [] } }, headers: { 'x-csrf-token': TOKEN } });
}

/** A connector whose log lines are kept for assertions. */
function connect(mock: MockSap, extra: Parameters<typeof connectorOn>[1] = {}) {
  const lines: LogRecord[] = [];
  const sap = connectorOn(mock, { logger: createLogger({ sink: (line) => lines.push(line) }), ...extra });
  return { sap, lines };
}

const metadataReads = (mock: MockSap): number => mock.exchanges.filter((e) => e.path.includes('$metadata')).length;

describe('SapConnector.write: dates and times (V2 wire form from $metadata)', () => {
  let mock: MockSap;
  beforeEach(() => {
    mock = mockSap();
  });
  afterEach(() => mock.close());

  it('writes an equipment record back as it was read: ISO dates become /Date(ms)/, /Date(ms+0000)/', async () => {
    serveService(mock, EQUIPMENT_ROOT, 'API_EQUIPMENT');
    mock.on('PATCH', /\/Equipment\(/, { status: 204, headers: { etag: 'W/"2"' } });
    const { sap, lines } = connect(mock);
    const read = {
      __metadata: { etag: 'W/"1"' },
      Equipment: '10000000',
      ValidityEndDate: '9999-12-31T00:00:00.000Z',
      ValidityStartDate: '2024-05-01T08:30:00.000Z',
      EquipmentName: 'Press 1 (renamed)',
      LastChangeDateTime: '2024-05-01T08:30:00.000Z',
    };
    const first = await sap.write('equipment', [{ data: read, etag: 'W/"1"' }], { mode: 'update' });
    const second = await sap.write('equipment', [{ data: { ...read, EquipmentName: 'again' } }], { mode: 'update' });
    await sap.close();

    expect([...first, ...second].map((r) => r.action)).toEqual(['updated', 'updated']);
    const patches = mock.exchanges.filter((e) => e.method === 'PATCH');
    expect(patches[0]?.path).toMatch(/Equipment\(Equipment='10000000',ValidityEndDate=datetime'9999-12-31T00:00:00'\)/);
    expect(JSON.parse(patches[0]?.body ?? '{}')).toEqual({
      __metadata: { etag: 'W/"1"' },
      ValidityStartDate: `/Date(${MAY_1_0830})/`,
      EquipmentName: 'Press 1 (renamed)',
      LastChangeDateTime: `/Date(${MAY_1_0830}+0000)/`,
    });
    expect(JSON.parse(patches[1]?.body ?? '{}')).toMatchObject({ ValidityStartDate: `/Date(${MAY_1_0830})/` });
    // One document per service and connector, read before the CSRF fetch of the first write.
    expect(metadataReads(mock)).toBe(1);
    expect(mock.exchanges[0]?.path).toMatch(/^\/sap\/opu\/odata\/sap\/API_EQUIPMENT\/\$metadata\?/);
    expect(mock.exchanges[0]?.url.searchParams.get('sap-client')).toBe('100');
    expect(lines).toEqual([]);
  });

  it('upserts a notification written back as read as unchanged, and one with a new date as updated', async () => {
    serveService(mock, NOTIFICATION_ROOT, 'API_MAINTNOTIFICATION');
    const stored = {
      __metadata: { etag: 'W/"7"', type: 'cds_api_maintnotification.MaintenanceNotificationType' },
      MaintenanceNotification: '10000007',
      NotificationText: 'Spindle',
      MalfunctionStartDate: `/Date(${MAY_1_0830})/`,
      MalfunctionStartTime: 'PT08H30M00S',
      LastChangeDateTime: `/Date(${MAY_1_0830}+0000)/`,
    };
    mock.on('GET', /MaintenanceNotification\('10000007'\)$/, { status: 200, body: { d: stored } });
    mock.on('PATCH', /MaintenanceNotification\('10000007'\)$/, { status: 204, headers: { etag: 'W/"8"' } });
    const { sap } = connect(mock);
    const asRead = {
      ...stored,
      MalfunctionStartDate: '2024-05-01T08:30:00.000Z',
      LastChangeDateTime: '2024-05-01T08:30:00.000Z',
      to_Items: { __deferred: { uri: 'x' } },
    };
    const results = await sap.write(
      'maintenance-notifications',
      [{ data: asRead }, { data: { ...asRead, MalfunctionStartDate: '2024-05-02T08:30:00Z' } }],
      { mode: 'upsert' },
    );
    await sap.close();
    expect(results.map((r) => [r.action, r.etag])).toEqual([
      ['unchanged', 'W/"7"'],
      ['updated', 'W/"8"'],
    ]);
    const patches = mock.exchanges.filter((e) => e.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]?.headers['if-match']).toBe('W/"7"');
    expect(JSON.parse(patches[0]?.body ?? '{}')).toMatchObject({
      MalfunctionStartDate: `/Date(${MAY_1_0830 + 86_400_000})/`,
    });
  });

  it('creates with the key date in the body and Edm.Time from a clock time', async () => {
    serveService(mock, NOTIFICATION_ROOT, 'API_MAINTNOTIFICATION');
    mock.on('POST', `${NOTIFICATION_ROOT}/MaintenanceNotification`, {
      status: 201,
      body: { d: { MaintenanceNotification: '10000001' } },
    });
    const { sap } = connect(mock);
    const results = await sap.write(
      'maintenance-notifications',
      [{ data: { NotificationText: 'Spindle', MalfunctionStartDate: '2024-05-01', MalfunctionStartTime: '08:30' } }],
      { mode: 'create' },
    );
    await sap.close();
    expect(results).toEqual([{ index: 0, action: 'created', targetId: '10000001' }]);
    const post = mock.exchanges.find((e) => e.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      NotificationText: 'Spindle',
      MalfunctionStartDate: '/Date(1714521600000)/',
      MalfunctionStartTime: 'PT08H30M00S',
    });
  });

  it('$batch: a record with a bad date fails alone with RECORD_INVALID and its index; the others are sent', async () => {
    serveService(mock, NOTIFICATION_ROOT, 'API_MAINTNOTIFICATION');
    mock.on(
      'POST',
      `${NOTIFICATION_ROOT}/$batch`,
      v2BatchReply([
        { ok: [{ status: 201, body: { d: { MaintenanceNotification: '10000001' } } }] },
        { ok: [{ status: 201, body: { d: { MaintenanceNotification: '10000003' } } }] },
      ]),
    );
    const { sap } = connect(mock);
    const results = await sap.write(
      'maintenance-notifications',
      [
        { data: { NotificationText: 'A', MalfunctionStartDate: '2024-05-01T08:30:00Z' } },
        { data: { NotificationText: 'B', MalfunctionStartDate: '2024-02-30' } },
        { data: { NotificationText: 'C', MalfunctionEndDate: `/Date(${MAY_1_0830})/` } },
      ],
      { mode: 'create', batchSize: 10 },
    );
    await sap.close();
    expect(results.map((r) => [r.index, r.action, r.targetId ?? r.error?.code])).toEqual([
      [0, 'created', '10000001'],
      [1, 'error', 'RECORD_INVALID'],
      [2, 'created', '10000003'],
    ]);
    expect(results[1]?.error?.message).toMatch(/^MalfunctionStartDate is an Edm\.DateTime property, and "2024-02-30"/);
    const batch = mock.exchanges.find((e) => e.method === 'POST');
    expect(multipartBodies(batch?.body ?? '')).toEqual([
      { NotificationText: 'A', MalfunctionStartDate: `/Date(${MAY_1_0830})/` },
      { NotificationText: 'C', MalfunctionEndDate: `/Date(${MAY_1_0830})/` },
    ]);
  });

  it('once the document is known, checks every string in a date property, even one that does not look like a date', async () => {
    serveService(mock, NOTIFICATION_ROOT, 'API_MAINTNOTIFICATION');
    mock.on('POST', `${NOTIFICATION_ROOT}/MaintenanceNotification`, {
      status: 201,
      body: { d: { MaintenanceNotification: '10000001' } },
    });
    const { sap } = connect(mock);
    await sap.write('maintenance-notifications', [{ data: { MalfunctionStartDate: '2024-05-01' } }], {
      mode: 'create',
    });
    const results = await sap.write('maintenance-notifications', [{ data: { MalfunctionStartDate: 'tomorrow' } }], {
      mode: 'create',
    });
    await sap.close();
    expect(results.map((r) => [r.action, r.error?.code])).toEqual([['error', 'RECORD_INVALID']]);
    expect(mock.exchanges.filter((e) => e.method === 'POST')).toHaveLength(1);
  });

  it('reads no $metadata for writes without ISO-looking values', async () => {
    mock.on('GET', `${EQUIPMENT_ROOT}/`, { status: 200, body: { d: {} }, headers: { 'x-csrf-token': TOKEN } });
    mock.on('PATCH', /\/Equipment\(/, { status: 204 });
    const { sap } = connect(mock);
    const results = await sap.write(
      'equipment',
      [
        {
          data: { Equipment: '10000000', ValidityEndDate: `/Date(253402214400000)/`, EquipmentName: 'x' },
          etag: 'W/"1"',
        },
      ],
      { mode: 'update' },
    );
    await sap.close();
    expect(results.map((r) => r.action)).toEqual(['updated']);
    expect(metadataReads(mock)).toBe(0);
  });

  it('when $metadata cannot be read: sends values as given, one redacted warning per service, no write fails', async () => {
    mock.on('GET', `${EQUIPMENT_ROOT}/$metadata`, {
      status: 404,
      body: { error: { code: '/IWFND/MED/170', message: { value: `No service found (${PASSWORD})` } } },
    });
    mock.on('GET', `${EQUIPMENT_ROOT}/`, { status: 200, body: { d: {} }, headers: { 'x-csrf-token': TOKEN } });
    mock.on('PATCH', /\/Equipment\(/, { status: 204 });
    const { sap, lines } = connect(mock);
    const item = {
      data: { Equipment: '10000000', ValidityEndDate: '9999-12-31T00:00:00Z', ValidityStartDate: '2024-05-01' },
      etag: 'W/"1"',
    };
    const first = await sap.write('equipment', [item], { mode: 'update' });
    const second = await sap.write('equipment', [item], { mode: 'update' });
    await sap.close();

    expect([...first, ...second].map((r) => r.action)).toEqual(['updated', 'updated']);
    const patches = mock.exchanges.filter((e) => e.method === 'PATCH');
    expect(patches.map((e) => JSON.parse(e.body) as unknown)).toEqual([
      { ValidityStartDate: '2024-05-01' },
      { ValidityStartDate: '2024-05-01' },
    ]);
    // Not asked again right away (METADATA_RETRY_MS), and said once.
    expect(metadataReads(mock)).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', service: 'API_EQUIPMENT', code: 'SAP_METADATA_UNAVAILABLE' });
    expect(lines[0]?.msg).toMatch(/^SAP service API_EQUIPMENT: date and time values are sent as given/);
    expect(JSON.stringify(lines)).not.toContain(PASSWORD);
  });

  it('tries an unreadable $metadata again after METADATA_RETRY_MS, and converts from then on', async () => {
    const clock = new FakeClock();
    mock.on('GET', `${EQUIPMENT_ROOT}/$metadata`, { status: 503, body: 'Service unavailable' }, 1);
    serveService(mock, EQUIPMENT_ROOT, 'API_EQUIPMENT');
    mock.on('POST', `${EQUIPMENT_ROOT}/Equipment`, { status: 201, body: { d: { Equipment: '1' } } });
    const { sap, lines } = connect(mock, { clock, retry: { maxAttempts: 1 } });
    const write = () => sap.write('equipment', [{ data: { ValidityStartDate: '2024-05-01' } }], { mode: 'create' });
    await write();
    await clock.advance(METADATA_RETRY_MS - 1);
    await write();
    await clock.advance(1);
    await write();
    await sap.close();
    const posts = mock.exchanges.filter((e) => e.method === 'POST').map((e) => JSON.parse(e.body) as unknown);
    expect(posts).toEqual([
      { ValidityStartDate: '2024-05-01' },
      { ValidityStartDate: '2024-05-01' },
      { ValidityStartDate: '/Date(1714521600000)/' },
    ]);
    expect(metadataReads(mock)).toBe(2);
    expect(lines).toHaveLength(1);
  });

  it('a cancelled write is cancelled, not sent as given', async () => {
    serveService(mock, EQUIPMENT_ROOT, 'API_EQUIPMENT');
    const { sap, lines } = connect(mock);
    const controller = new AbortController();
    controller.abort();
    const error = await sap
      .write('equipment', [{ data: { ValidityStartDate: '2024-05-01' } }], {
        mode: 'create',
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    await sap.close();
    expect(TaktError.is(error) && error.code).toBe('ABORTED');
    expect(mock.exchanges.filter((e) => e.method === 'POST')).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('warns when the document lacks the entity set, and sends as given', async () => {
    mock.on('GET', `${EQUIPMENT_ROOT}/$metadata`, { status: 200, body: metadataOf('API_WORK_CENTERS') });
    mock.on('GET', `${EQUIPMENT_ROOT}/`, { status: 200, body: { d: {} }, headers: { 'x-csrf-token': TOKEN } });
    mock.on('POST', `${EQUIPMENT_ROOT}/Equipment`, { status: 201, body: { d: { Equipment: '1' } } });
    const { sap, lines } = connect(mock);
    await sap.write('equipment', [{ data: { ValidityStartDate: '2024-05-01' } }], { mode: 'create' });
    await sap.write('equipment', [{ data: { ValidityStartDate: '2024-05-02' } }], { mode: 'create' });
    await sap.close();
    const posts = mock.exchanges.filter((e) => e.method === 'POST').map((e) => JSON.parse(e.body) as unknown);
    expect(posts).toEqual([{ ValidityStartDate: '2024-05-01' }, { ValidityStartDate: '2024-05-02' }]);
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/has no entity set Equipment/)]);
  });

  it('V4 sends ISO as it is and reads no $metadata: ISO 8601 is its wire form', async () => {
    const root = '/sap/opu/odata4/sap/api_production_order/srvd_a2x/sap/productionorder/0001';
    mock.on('GET', `${root}/`, { status: 200, body: { value: [] }, headers: { 'x-csrf-token': TOKEN } });
    mock.on('POST', `${root}/$batch`, (e) => ({
      status: 200,
      body: {
        responses: jsonBatchIds(e.body).map((id) => ({ id, status: 201, body: { ManufacturingOrder: `10${id}` } })),
      },
    }));
    const { sap } = connect(mock, { odataVersion: 'v4', services: { API_PRODUCTION_ORDER_2_SRV: root } });
    const data = { Material: 'A', MfgOrderPlannedStartDate: '2024-05-01', MfgOrderPlannedStartTime: '08:30:00' };
    const results = await sap.write('production-orders', [{ data }, { data }], { mode: 'create', batchSize: 10 });
    await sap.close();
    expect(results.map((r) => r.action)).toEqual(['created', 'created']);
    const sent = JSON.parse(mock.exchanges.find((e) => e.method === 'POST')?.body ?? '{}') as {
      requests: { body: unknown }[];
    };
    expect(sent.requests.map((r) => r.body)).toEqual([data, data]);
    expect(metadataReads(mock)).toBe(0);
  });
});
