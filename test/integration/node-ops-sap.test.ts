import { SAP_DEFAULTS, startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import {
  createSapConnector,
  customEntity,
  keyOf,
  parseSapConnectionConfig,
  sapGet,
  sapGetMany,
  sapWrite,
  type Connector,
} from '@takt/runtime';

/**
 * The SAP node's host-neutral operations against the ERP simulator over loopback: what n8n and Node-RED's SAP
 * nodes do, without either host.
 */

let sim: RunningSimulator;
let connector: Connector;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, size: 200, services: ['sap'] });
  const [user] = SAP_DEFAULTS.users;
  const config = parseSapConnectionConfig({
    baseUrl: sim.url,
    auth: { type: 'basic', user: user.user, password: user.password },
    sapClient: SAP_DEFAULTS.client,
  });
  connector = createSapConnector(config, `node-ops-sap-${process.pid}`, [
    customEntity({
      service: 'API_MAINTNOTIFICATION',
      entitySet: 'MaintenanceNotification',
      keyFields: 'MaintenanceNotification',
    }),
  ]);
});

afterAll(async () => {
  await connector.close();
  await sim.close();
});

describe('sapGet', () => {
  it('reads one production order by key, with its ETag', async () => {
    const { record, etag } = await sapGet(connector, 'production-orders', { ManufacturingOrder: '1000005' });
    expect(record.ManufacturingOrder).toBe('1000005');
    expect(record.Material).toBe(sim.sap?.data.get('ProductionOrders', { ManufacturingOrder: '1000005' })?.Material);
    expect(typeof etag).toBe('string');
  });

  it('answers HTTP_NOT_FOUND naming the key when there is no such record', async () => {
    await expect(sapGet(connector, 'production-orders', { ManufacturingOrder: '9999999' })).rejects.toMatchObject({
      code: 'HTTP_NOT_FOUND',
      message: 'No production-orders record with ManufacturingOrder=9999999.',
    });
  });
});

describe('sapGetMany', () => {
  it('stops at the limit', async () => {
    const records = await sapGetMany(connector, 'production-orders', { limit: 7 });
    expect(records).toHaveLength(7);
  });

  it('returns all records with Return All, across server pages', async () => {
    const records = await sapGetMany(connector, 'production-orders', { returnAll: true });
    expect(records).toHaveLength(200);
    expect(new Set(records.map((record) => record.ManufacturingOrder)).size).toBe(200);
  });

  it('applies equality filters and Changed Since', async () => {
    const all = await sapGetMany(connector, 'production-orders', { returnAll: true });
    const plant = String(all[0]?.ProductionPlant);
    const inPlant = await sapGetMany(connector, 'production-orders', {
      returnAll: true,
      filter: { ProductionPlant: plant },
    });
    expect(inPlant.length).toBe(all.filter((record) => record.ProductionPlant === plant).length);
    expect(inPlant.every((record) => record.ProductionPlant === plant)).toBe(true);

    const stamps = all.map((record) => String(record.LastChangeDateTime)).sort();
    const middle = stamps[100] as string;
    const iso = `${middle.slice(0, 4)}-${middle.slice(4, 6)}-${middle.slice(6, 8)}T${middle.slice(8, 10)}:${middle.slice(10, 12)}:${middle.slice(12, 14)}Z`;
    const changed = await sapGetMany(connector, 'production-orders', { returnAll: true, since: iso });
    expect(changed.length).toBe(stamps.filter((stamp) => stamp >= middle).length);
  });

  it('reads an entity set the user typed changed since a time, by its delta field', async () => {
    const typed = createSapConnector(
      parseSapConnectionConfig({
        baseUrl: sim.url,
        auth: { type: 'basic', user: SAP_DEFAULTS.users[0].user, password: SAP_DEFAULTS.users[0].password },
        sapClient: SAP_DEFAULTS.client,
      }),
      `node-ops-sap-delta-${process.pid}`,
      [
        customEntity({
          service: 'API_MAINTNOTIFICATION',
          entitySet: 'MaintenanceNotification',
          keyFields: ['MaintenanceNotification'],
          deltaField: 'LastChangeDateTime',
        }),
      ],
    );
    try {
      const entity = 'API_MAINTNOTIFICATION/MaintenanceNotification';
      const all = await sapGetMany(typed, entity, { returnAll: true });
      const stamps = all.map((record) => Date.parse(String(record.LastChangeDateTime))).sort((a, b) => a - b);
      const middle = stamps[Math.floor(stamps.length / 2)] as number;
      const changed = await sapGetMany(typed, entity, { returnAll: true, since: new Date(middle).toISOString() });
      expect(changed.length).toBe(stamps.filter((stamp) => stamp >= middle).length);
      expect(changed.length).toBeLessThan(all.length);
    } finally {
      await typed.close();
    }
  });

  it('rejects a bad limit and a bad date, naming the parameter', async () => {
    await expect(sapGetMany(connector, 'production-orders', { limit: 0 })).rejects.toThrow('Limit must be');
    await expect(sapGetMany(connector, 'production-orders', { since: 'yesterday' })).rejects.toThrow(
      'Changed Since must be a date and time',
    );
  });
});

describe('sapWrite', () => {
  it('creates, updates and creates-or-updates production orders with one result per record', async () => {
    const created = await sapWrite(
      connector,
      'production-orders',
      'create',
      [
        {
          data: {
            ManufacturingOrderType: 'PP01',
            Material: 'FG-GEARBOX-100',
            ProductionPlant: '1010',
            TotalQuantity: '5',
          },
        },
        { data: { ManufacturingOrderType: 'PP01', Material: 'FG-GEARBOX-100' } },
      ],
      { batchSize: 10 },
    );
    expect(created[0]).toMatchObject({ index: 0, action: 'created', targetId: expect.any(String) });
    const newId = created[0]?.targetId as string;
    expect(sim.sap?.data.get('ProductionOrders', { ManufacturingOrder: newId })?.TotalQuantity).toBe('5');
    expect(created[1]).toMatchObject({ index: 1, action: 'error', error: { retryable: false } });

    const updated = await sapWrite(connector, 'production-orders', 'update', [
      { data: { ManufacturingOrder: newId, TotalQuantity: '8' } },
      { data: { TotalQuantity: '9' } },
    ]);
    expect(updated[0]).toMatchObject({ index: 0, action: 'updated' });
    expect(updated[1]).toEqual({
      index: 1,
      action: 'error',
      error: {
        code: 'KEY_MISSING',
        message: 'The record has no value for the key field "ManufacturingOrder".',
        retryable: false,
      },
    });
    expect(sim.sap?.data.get('ProductionOrders', { ManufacturingOrder: newId })?.TotalQuantity).toBe('8');

    const upserted = await sapWrite(connector, 'production-orders', 'createOrUpdate', [
      { data: { ManufacturingOrder: newId, TotalQuantity: '8' } },
      { data: { ManufacturingOrder: newId, TotalQuantity: '11' } },
    ]);
    expect(upserted.map((result) => result.action)).toEqual(['unchanged', 'updated']);
  });

  it('writes to an entity set the user typed', async () => {
    const [first] = await sapGetMany(connector, 'API_MAINTNOTIFICATION/MaintenanceNotification', { limit: 1 });
    const key = keyOf(first ?? {}, ['MaintenanceNotification']);
    const results = await sapWrite(connector, 'API_MAINTNOTIFICATION/MaintenanceNotification', 'update', [
      { data: { ...key, NotificationText: 'Spindle noise checked' } },
    ]);
    expect(results).toEqual([expect.objectContaining({ index: 0, action: 'updated' })]);
    expect(sim.sap?.data.get('MaintenanceNotifications', key)?.NotificationText).toBe('Spindle noise checked');
  });

  it('reports a delete SAP refuses as that record’s error', async () => {
    const [first] = await sapGetMany(connector, 'API_MAINTNOTIFICATION/MaintenanceNotification', { limit: 1 });
    const results = await sapWrite(connector, 'API_MAINTNOTIFICATION/MaintenanceNotification', 'delete', [
      { data: keyOf(first ?? {}, ['MaintenanceNotification']) },
    ]);
    expect(results[0]?.action).toBe('error');
    expect(results[0]?.error?.code).toBe('ERP_REJECTED');
  });

  it('rejects a batch size outside 1..1000', async () => {
    await expect(sapWrite(connector, 'production-orders', 'create', [], { batchSize: 0 })).rejects.toThrow(
      'Batch Size must be a whole number from 1 to 1000',
    );
  });
});
