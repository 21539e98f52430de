import { TaktError } from '@takt/runtime';

import type { NodeMessage } from './shared/node-red';
import { doneError } from './testing/done-error';
import { messages, receive, statusWhere, useRedSuite } from './testing/red';
import { readSampleOrders, useSimulator } from './testing/simulator';
import taktMap from './takt-map';
import taktStore from './takt-store';

const PRESET = 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2';

function input(msg: NodeMessage): void {
  receive('map', msg);
}

describe('takt-map', () => {
  const ctx = useRedSuite();
  const sim = useSimulator({ seed: 7, size: 50, services: ['sap'] });
  let orders: Record<string, unknown>[];

  beforeAll(async () => {
    orders = await readSampleOrders(sim(), 3);
  });

  function flow(extra: Record<string, unknown>): { id: string; type: string; [key: string]: unknown }[] {
    return [
      {
        id: 'map',
        type: 'takt-map',
        mode: 'apply',
        direction: 'inbound',
        mappingSource: 'preset',
        preset: PRESET,
        externalSource: 'sap-sim-100',
        wires: [['out']],
        ...extra,
      },
      { id: 'out', type: 'helper' },
    ];
  }

  it('maps SAP production orders read from the simulator into work orders, keeping _takt', async () => {
    await ctx.load([taktMap], flow({}));
    const got = messages('out');
    const meta = { token: 'delivery-1', deliveryKind: 'pull' as const, stream: 'sap/production-orders' };
    input({ payload: orders.slice(0, 3), _takt: meta, topic: 'orders' });
    const [msg] = await got;
    const mapped = msg?.payload as Record<string, unknown>[];
    expect(mapped).toHaveLength(3);
    orders.slice(0, 3).forEach((order, index) => {
      expect(mapped[index]).toMatchObject({
        order_number: order.ManufacturingOrder,
        product_code: order.Material,
        external_source: 'sap-sim-100',
      });
      expect(Number(mapped[index]?.quantity)).toBe(Number(order.TotalQuantity));
    });
    expect(msg?._takt).toEqual(meta);
    expect(msg?.topic).toBe('orders');
  });

  it('answers one object for one object', async () => {
    await ctx.load([taktMap], flow({}));
    const got = messages('out');
    input({ payload: orders[0] });
    const [msg] = await got;
    expect(msg?.payload).toMatchObject({ order_number: orders[0]?.ManufacturingOrder });
  });

  it('refuses a bad mapping at deploy with a red ring, and fails each message with the same error', async () => {
    await ctx.load([taktMap], flow({ overrides: '{"remove": ["no_such_field"]}' }));
    const status = await statusWhere('map', (s) => s.fill === 'red').catch(() => undefined);
    // The status may have been set before the listener attached: the error route is what matters.
    expect(status === undefined || status.text === 'MAPPING_INVALID').toBe(true);
    const failed = doneError('map');
    input({ payload: orders[0] });
    const error = await failed;
    expect(TaktError.is(error)).toBe(true);
    expect((error as TaktError).code).toBe('MAPPING_INVALID');
    expect((error as TaktError).message).toContain('no_such_field');
  });

  it('names invalid overrides JSON', async () => {
    await ctx.load([taktMap], flow({ overrides: '{"timeZone": ' }));
    const failed = doneError('map');
    input({ payload: orders[0] });
    expect(String((await failed) as Error)).toMatch(/Overrides is not valid JSON/);
  });

  it('fails a message whose record does not map, naming the record', async () => {
    await ctx.load([taktMap], flow({}));
    const failed = doneError('map');
    const broken = { ...orders[0] };
    delete broken.Material;
    input({ payload: [orders[0], broken] });
    const error = (await failed) as TaktError;
    expect(error.message).toMatch(/1/);
    expect(error.message).toContain('product_code');
  });

  it('refuses a payload that is not a record', async () => {
    await ctx.load([taktMap], flow({}));
    const failed = doneError('map');
    input({ payload: 'hello' });
    expect(((await failed) as TaktError).code).toBe('RECORD_INVALID');
  });

  it('simulates against an empty store: every record would be created, nothing is written', async () => {
    await ctx.load(
      [taktStore, taktMap],
      [
        { id: 'st', type: 'takt-store', storeType: 'sqlite', file: 'map-sim.sqlite' },
        ...flow({ mode: 'simulate', store: 'st', connectionName: 'mes', targetEntity: 'jobs' }),
      ],
    );
    const got = messages('out');
    input({ payload: orders.slice(0, 2) });
    const [msg] = await got;
    const rows = msg?.payload as { predictedAction: string; mapped: Record<string, unknown>; issues: unknown[] }[];
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.predictedAction)).toEqual(['create', 'create']);
    expect(rows[0]?.mapped).toMatchObject({ order_number: orders[0]?.ManufacturingOrder });
    expect(rows[0]?.issues).toEqual([]);
  });
});
