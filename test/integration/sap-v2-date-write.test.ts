import { SAP_DEFAULTS, startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import { SapConnector } from '@takt/runtime';

/**
 * OData V2 dates on write, against the ERP simulator (which, like SAP Gateway V2, accepts only `/Date(ms)/` for
 * Edm.DateTime and DateTimeOffset and `PT…H…M…S` for Edm.Time): a record read through the connector comes out with
 * ISO dates, and written back as it was read it must be accepted, with the values landing at the simulator.
 */

const MAY_1 = Date.UTC(2024, 4, 1);

let sequence = 0;
function connect(url: string): SapConnector {
  sequence += 1;
  const [user] = SAP_DEFAULTS.users;
  return new SapConnector({
    id: `sap-v2-dates-${process.pid}-${sequence}`,
    baseUrl: url,
    client: SAP_DEFAULTS.client,
    auth: { type: 'basic', username: user.user, password: user.password },
    proxy: 'none',
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    logger: { debug: noop, info: noop, warn: unexpected, error: unexpected, child: () => silentButStrict },
  });
}
const noop = (): void => undefined;
function unexpected(msg: string): void {
  throw new Error(`unexpected log line: ${msg}`);
}
const silentButStrict = { debug: noop, info: noop, warn: unexpected, error: unexpected, child: () => silentButStrict };

async function first(
  sap: SapConnector,
  entity: string,
  wanted: (record: Record<string, unknown>) => boolean = () => true,
): Promise<Record<string, unknown>> {
  for await (const page of sap.read(entity, { pageSize: 100 })) {
    const record = page.records.find(wanted);
    if (record) return record;
  }
  throw new Error(`the simulator has no such ${entity}`);
}

function etagOf(record: Record<string, unknown>): string {
  const metadata = record.__metadata as { etag?: unknown } | undefined;
  if (typeof metadata?.etag !== 'string') throw new Error('the record was read without an ETag');
  return metadata.etag;
}

describe('SAP connector, OData V2: dates written the way they are read (simulator)', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, seed: 21, size: 200, services: ['sap'] });
  });
  afterEach(() => sim.close());

  it('equipment read, renamed and re-dated, written back as read (ISO dates) → accepted', async () => {
    const sap = connect(sim.url);
    // One that was changed before, so that its Edm.DateTimeOffset change stamp goes back as well.
    const read = await first(sap, 'equipment', (record) => typeof record.LastChangeDateTime === 'string');
    expect(read.ValidityEndDate).toBe('9999-12-31T00:00:00.000Z');
    expect(read.ValidityStartDate).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
    expect(read.LastChangeDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const changed = { ...read, EquipmentName: 'Press 7 (retrofit)', ValidityStartDate: '2024-05-01T00:00:00.000Z' };
    const results = await sap.write('equipment', [{ data: changed, etag: etagOf(read) }], { mode: 'update' });
    expect(results.map((r) => [r.action, r.error?.message])).toEqual([['updated', undefined]]);

    const key = { Equipment: String(read.Equipment), ValidityEndDate: Date.UTC(9999, 11, 31) };
    expect(sim.sap?.data.get('Equipment', key)).toMatchObject({
      EquipmentName: 'Press 7 (retrofit)',
      ValidityStartDate: MAY_1,
      ValidityEndDate: Date.UTC(9999, 11, 31),
    });
    // And it reads back as it was written.
    const again = await first(sap, 'equipment', (record) => record.Equipment === read.Equipment);
    expect(again).toMatchObject({ EquipmentName: 'Press 7 (retrofit)', ValidityStartDate: '2024-05-01T00:00:00.000Z' });
    await sap.close();
    expect(sim.requests.list({ path: /\$metadata$/ })).toHaveLength(1);
  });

  it('production order written back as read without an ETag, with a typed date and clock time → accepted', async () => {
    const sap = connect(sim.url);
    const read = await first(sap, 'production-orders');
    expect(read.MfgOrderPlannedStartTime).toMatch(/^PT\d{2}H\d{2}M\d{2}S$/);
    const changed = {
      ...read,
      TotalQuantity: '77',
      MfgOrderPlannedStartDate: '2024-05-01',
      MfgOrderPlannedStartTime: '07:15',
    };
    const results = await sap.write('production-orders', [{ data: changed }], { mode: 'update' });
    await sap.close();
    expect(results.map((r) => [r.action, r.error?.message])).toEqual([['updated', undefined]]);
    expect(
      sim.sap?.data.get('ProductionOrders', { ManufacturingOrder: String(read.ManufacturingOrder) }),
    ).toMatchObject({
      TotalQuantity: '77',
      MfgOrderPlannedStartDate: MAY_1,
      MfgOrderPlannedStartTime: (7 * 60 + 15) * 60_000,
      MfgOrderPlannedEndDate: Date.parse(String(read.MfgOrderPlannedEndDate)),
    });
  });

  it('$batch of notifications with one bad date: only that record fails, with its index', async () => {
    const sap = connect(sim.url);
    const before = sim.sap?.data.counts().MaintenanceNotifications ?? 0;
    const notification = (text: string, start: string) => ({
      data: {
        NotificationType: 'M1',
        NotificationText: text,
        MalfunctionStartDate: start,
        MalfunctionStartTime: '06:30:00',
      },
    });
    const results = await sap.write(
      'maintenance-notifications',
      [
        notification('Spindle vibration', '2024-05-01T00:00:00Z'),
        notification('Coolant leak', '2024-13-01'),
        notification('Door sensor', '2024-05-02'),
      ],
      { mode: 'create', batchSize: 10 },
    );
    await sap.close();

    expect(results.map((r) => [r.index, r.action, r.error?.code])).toEqual([
      [0, 'created', undefined],
      [1, 'error', 'RECORD_INVALID'],
      [2, 'created', undefined],
    ]);
    expect(results[1]?.error?.message).toMatch(/^MalfunctionStartDate is an Edm\.DateTime property, and "2024-13-01"/);
    expect(sim.sap?.data.counts().MaintenanceNotifications).toBe(before + 2);
    const stored = [results[0], results[2]].map((r) =>
      sim.sap?.data.get('MaintenanceNotifications', { MaintenanceNotification: r?.targetId ?? '' }),
    );
    expect(stored.map((r) => [r?.NotificationText, r?.MalfunctionStartDate, r?.MalfunctionStartTime])).toEqual([
      ['Spindle vibration', MAY_1, 6.5 * 3_600_000],
      ['Door sensor', MAY_1 + 86_400_000, 6.5 * 3_600_000],
    ]);
    expect(sim.requests.list({ method: 'POST', path: /\$batch$/ })).toHaveLength(1);
  });
});
