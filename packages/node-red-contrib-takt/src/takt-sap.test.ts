import { messages, nextCall, receive, useRedSuite } from './testing/red';
import { sapConnection, useSimulator } from './testing/simulator';
import taktSap from './takt-sap';
import taktSapConnection from './takt-sap-connection';

type Row = Record<string, unknown>;

describe('takt-sap', () => {
  const ctx = useRedSuite();
  const sim = useSimulator({ seed: 11, size: 40 });

  /** sap-conn → n1 (takt-sap with `config`) → out */
  async function load(config: Row): Promise<void> {
    const connection = sapConnection(sim(), 'sap-conn');
    await ctx.load(
      [taktSapConnection, taktSap],
      [
        connection.node,
        { id: 'n1', type: 'takt-sap', connection: 'sap-conn', wires: [['out']], ...config },
        { id: 'out', type: 'helper' },
      ],
      { 'sap-conn': connection.credentials },
    );
  }

  function input(msg: Row): void {
    receive('n1', msg);
  }

  it('gets many production orders with a filter and limit, passing _takt through', async () => {
    await load({ operation: 'getMany', entity: 'production-orders', limit: 3 });
    const received = messages('out');
    const meta = { token: 'tok-1', deliveryKind: 'pull', stream: 'sap/production-orders' };
    input({ payload: null, _takt: meta });
    const [msg] = await received;
    const orders = msg?.payload as Row[];
    expect(orders).toHaveLength(3);
    for (const order of orders) {
      expect(
        sim().sap?.data.get('ProductionOrders', { ManufacturingOrder: String(order.ManufacturingOrder) }),
      ).toBeDefined();
    }
    expect(msg?._takt).toEqual(meta);

    const plant = String(orders[0]?.ProductionPlant);
    const filtered = messages('out');
    input({ payload: null, filter: { ProductionPlant: plant }, limit: 100 });
    const [filteredMsg] = await filtered;
    const rows = filteredMsg?.payload as Row[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.ProductionPlant === plant)).toBe(true);
  });

  it('gets one record by key with its ETag', async () => {
    await load({ operation: 'get', entity: 'maintenance-notifications' });
    const key = String(sim().sap?.data.store('MaintenanceNotifications').base(0)?.MaintenanceNotification);
    const received = messages('out');
    input({ payload: { MaintenanceNotification: key } });
    const [msg] = await received;
    expect((msg?.payload as Row).MaintenanceNotification).toBe(key);
    expect(typeof msg?.etag).toBe('string');
  });

  it('creates maintenance notifications and reports one result per record', async () => {
    await load({ operation: 'create', entity: 'maintenance-notifications', batchSize: 10 });
    const before = sim().sap?.data.counts().MaintenanceNotifications ?? 0;
    const received = messages('out');
    input({
      payload: [
        {
          NotificationType: 'M2',
          NotificationText: 'Spindle stopped',
          TechnicalObject: '10000003',
          MaintenanceObjectIsDown: true,
        },
        { NotificationType: 'M2', NotificationText: 'x'.repeat(41) },
        { NotificationType: 'M2', NotificationText: 'Coolant low', TechnicalObject: '10000004' },
      ],
    });
    const [msg] = await received;
    const results = msg?.payload as Row[];
    expect(results.map((r) => r.action)).toEqual(['created', 'error', 'created']);
    expect(results.map((r) => r.index)).toEqual([0, 1, 2]);
    expect((results[1]?.error as Row).code).toBeDefined();
    expect(sim().sap?.data.counts().MaintenanceNotifications).toBe(before + 2);
    const created = sim().sap?.data.get('MaintenanceNotifications', {
      MaintenanceNotification: String(results[0]?.targetId),
    });
    expect(created?.NotificationText).toBe('Spindle stopped');
  });

  it('updates one record and sends nothing else', async () => {
    await load({ operation: 'update', entity: 'maintenance-notifications' });
    const key = String(sim().sap?.data.store('MaintenanceNotifications').base(1)?.MaintenanceNotification);
    const received = messages('out');
    input({ payload: { MaintenanceNotification: key, MaintPriority: '1' } });
    const [msg] = await received;
    expect(msg?.payload).toMatchObject({ index: 0, action: 'updated' });
    expect(sim().sap?.data.get('MaintenanceNotifications', { MaintenanceNotification: key })?.MaintPriority).toBe('1');
  });

  it('reads any entity set the user names', async () => {
    await load({
      operation: 'getMany',
      entity: 'custom',
      service: 'API_MAINTNOTIFICATION',
      entitySet: 'MaintenanceNotification',
      keyFields: 'MaintenanceNotification',
      limit: 2,
    });
    const received = messages('out');
    input({ payload: null });
    const [msg] = await received;
    const rows = msg?.payload as Row[];
    expect(rows).toHaveLength(2);
    expect(typeof rows[0]?.MaintenanceNotification).toBe('string');
  });

  it('fails a message through done(err) when no connection is selected, naming the field', async () => {
    await ctx.load(
      [taktSap],
      [{ id: 'n1', type: 'takt-sap', connection: '', operation: 'getMany', entity: 'equipment', wires: [[]] }],
    );
    const failed = nextCall('n1', 'error', (arg) => arg instanceof Error);
    input({ payload: null });
    const error = await failed;
    expect(String((error as Error).message)).toContain(
      "select a SAP Connection (takt-sap-connection) in the node's settings",
    );
  });
});
