import type { Connector } from '@takt/runtime';
import {
  NodeOperationError,
  type IDataObject,
  type ILoadOptionsFunctions,
  type INodeExecutionData,
} from 'n8n-workflow';

import {
  chain,
  HarnessNodeTypes,
  mesCredential,
  readSampleOrders,
  releaseAll,
  runNode,
  runWorkflow,
  sapTestConnector,
  standInNodeTypes,
  startTestSimulator,
  StateFolder,
  TAKT_PACKAGE,
  workflowNode,
  type CredentialMap,
  type TestSimulator,
} from '../../../test/n8n/harness';
import { TaktUpsertSync } from '../../TaktUpsertSync/TaktUpsertSync.node';
import { TaktMap } from '../TaktMap.node';

const MAP = `${TAKT_PACKAGE}.taktMap`;
const UPSERT = `${TAKT_PACKAGE}.taktUpsertSync`;
const ORDERS = 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2';
const SOURCE = 'sap-sim-100';
const nodeTypes = new HarnessNodeTypes([new TaktMap(), new TaktUpsertSync()], standInNodeTypes());

let sim: TestSimulator<'sap' | 'mes'>;
let sap: Connector;
let orders: Record<string, unknown>[];
let folder: StateFolder;

beforeAll(async () => {
  sim = await startTestSimulator({ seed: 11, size: 30, services: ['sap', 'mes'], mes: { size: 0 } });
  sap = sapTestConnector(sim, 'map-node-test');
  orders = await readSampleOrders(sap, 4);
  folder = StateFolder.create('map-node');
});

afterAll(() => releaseAll(sap, sim, folder));

function credentials(): CredentialMap {
  return { taktMesApi: mesCredential(sim), taktStateStore: folder.storeCredential() };
}

function items(records: readonly Record<string, unknown>[]): INodeExecutionData[] {
  return records.map((json, index) => ({ json: { ...json, _takt: { token: `dlv-${index}` } } as IDataObject }));
}

const presetParameters = {
  mode: 'apply',
  mappingSource: 'preset',
  preset: ORDERS,
  externalSource: SOURCE,
  timeZone: 'Europe/Berlin',
};

/** What the preset must make of an order the simulator holds, field by field from the SAP record. */
function expectedOrder(order: Record<string, unknown>): Record<string, unknown> {
  return {
    external_source: SOURCE,
    external_id: String(order['ManufacturingOrder']).replace(/^0+/, ''),
    order_number: order['ManufacturingOrder'],
    product_code: order['Material'],
    plant: order['ProductionPlant'],
  };
}

describe('Takt Map through the n8n engine', () => {
  it('Apply: SAP production orders read from the simulator map through the preset; _takt and pairing kept', async () => {
    const { items: out, thrown } = await runNode({
      nodeTypes,
      type: MAP,
      parameters: presetParameters,
      input: items(orders),
    });
    expect(thrown).toBeUndefined();
    expect(out).toHaveLength(4);
    out.forEach((item, index) => {
      const order = orders[index] ?? {};
      expect(item.pairedItem).toEqual({ item: index });
      expect(item.json).toMatchObject({ ...expectedOrder(order), _takt: { token: `dlv-${index}` } });
      expect(Number(item.json['quantity'])).toBe(Number(order['TotalQuantity']));
      expect(item.json).not.toHaveProperty('ManufacturingOrder');
    });
  });

  it('Apply: field overrides replace and add fields, Remove Fields drops them', async () => {
    const { items: out } = await runNode({
      nodeTypes,
      type: MAP,
      parameters: {
        ...presetParameters,
        fieldOverrides: {
          field: [
            { canonical: 'product_code', erp: 'ProductionPlant', type: 'STRING', required: true },
            { canonical: 'description', expression: '"Order " & ManufacturingOrder', type: 'STRING' },
          ],
        },
        removeFields: 'plant, production_version',
      },
      input: items(orders.slice(0, 1)),
    });
    const order = orders[0] ?? {};
    expect(out[0]?.json).toMatchObject({
      product_code: order['ProductionPlant'],
      description: `Order ${String(order['ManufacturingOrder'])}`,
    });
    expect(out[0]?.json).not.toHaveProperty('plant');
    expect(out[0]?.json).not.toHaveProperty('production_version');
  });

  it('a bad mapping fails before any item, with no itemIndex', async () => {
    const {
      thrown,
      items: out,
      run,
    } = await runNode({
      nodeTypes,
      type: MAP,
      parameters: { mode: 'apply', mappingSource: 'jsonata', expression: '{ "a": ManufacturingOrder ' },
      input: items(orders),
    });
    expect(run.status).toBe('error');
    expect(thrown).toBeInstanceOf(NodeOperationError);
    expect((thrown as NodeOperationError).context['itemIndex']).toBeUndefined();
    expect((thrown as NodeOperationError).context['taktCode']).toBe('MAPPING_EXPRESSION_INVALID');
    expect(out).toEqual([]);

    const unknown = await runNode({
      nodeTypes,
      type: MAP,
      parameters: { ...presetParameters, preset: 'sap/NOPE/Nothing' },
      input: items(orders),
    });
    expect((unknown.thrown as NodeOperationError).message).toMatch(/^Unknown mapping preset "sap\/NOPE\/Nothing"/);
  });

  it('a record that does not map stops the node with its itemIndex, or passes on paired with Continue On Fail', async () => {
    const broken = orders.map((order, index) => (index === 2 ? { ...order, TotalQuantity: 'many' } : order));
    const stopped = await runNode({ nodeTypes, type: MAP, parameters: presetParameters, input: items(broken) });
    expect(stopped.thrown).toBeInstanceOf(NodeOperationError);
    const error = stopped.thrown as NodeOperationError;
    expect(error.context['itemIndex']).toBe(2);
    expect(error.context['taktCode']).toBe('MAPPING_TYPE_INVALID');
    expect(error.message).toMatch(/^Record 2 does not map with .*: quantity: /);

    const continued = await runNode({
      nodeTypes,
      type: MAP,
      parameters: presetParameters,
      onError: 'continueRegularOutput',
      input: items(broken),
    });
    expect(continued.thrown).toBeUndefined();
    expect(continued.items.map((item) => [item.pairedItem, Object.keys(item.json).includes('error')])).toEqual([
      [{ item: 0 }, false],
      [{ item: 1 }, false],
      [{ item: 2 }, true],
      [{ item: 3 }, false],
    ]);
    expect(continued.items[2]?.json).toEqual({
      error: { code: 'MAPPING_TYPE_INVALID', message: error.message },
      _takt: { token: 'dlv-2' },
    });
  });

  it('Simulate predicts create, then unchanged and update with changed fields after Upsert Sync ran', async () => {
    const creds = credentials();
    const simulate = {
      ...presetParameters,
      mode: 'simulate',
      connectionName: 'mes',
      targetEntity: 'resources',
    };
    // Orders → resources keeps the MES target flat: every mapped order becomes one resource record.
    const toResource = {
      mode: 'apply',
      mappingSource: 'jsonata',
      expression: `{ "external_source": "${SOURCE}", "external_id": ManufacturingOrder, "name": Material, "type": "material" }`,
    };
    const before = await runNode({
      nodeTypes,
      type: MAP,
      parameters: { ...simulate, mappingSource: 'jsonata', expression: toResource.expression },
      credentials: creds,
      input: items(orders),
    });
    expect(before.thrown).toBeUndefined();
    expect(before.items.map((item) => [item.pairedItem, item.json['predictedAction'], item.json['issues']])).toEqual(
      orders.map((_order, index) => [{ item: index }, 'create', []]),
    );
    expect(before.items[0]?.json['mapped']).toEqual({
      external_source: SOURCE,
      external_id: orders[0]?.['ManufacturingOrder'],
      name: orders[0]?.['Material'],
      type: 'material',
    });

    const upsert = await runWorkflow({
      nodeTypes,
      workflow: {
        nodes: [
          workflowNode({ name: 'Map', type: MAP, parameters: toResource }),
          workflowNode({ name: 'Upsert', type: UPSERT, parameters: { system: 'mes', mesEntity: 'resources' } }),
        ],
        connections: chain('Map', 'Upsert'),
      },
      credentials: creds,
      startNode: 'Map',
      input: items(orders),
    });
    expect(upsert.json('Upsert').map((json) => json['action'])).toEqual(['created', 'created', 'created', 'created']);
    const written = sim.mes.record('resources', String(orders[1]?.['ManufacturingOrder']), SOURCE);
    expect(written?.fields).toEqual({ name: orders[1]?.['Material'], type: 'material' });

    const changed = orders.map((order, index) => (index === 1 ? { ...order, Material: 'FG-CHANGED' } : order));
    const after = await runNode({
      nodeTypes,
      type: MAP,
      parameters: { ...simulate, mappingSource: 'jsonata', expression: toResource.expression },
      credentials: creds,
      input: items(changed),
    });
    expect(after.items.map((item) => item.json['predictedAction'])).toEqual([
      'unchanged',
      'update',
      'unchanged',
      'unchanged',
    ]);
    expect(after.items[1]?.json).toMatchObject({
      changedFields: ['name'],
      targetId: written?.id,
      _takt: { token: 'dlv-1' },
    });
    expect(sim.mes.record('resources', String(orders[1]?.['ManufacturingOrder']), SOURCE)?.fields['name']).toBe(
      orders[1]?.['Material'],
    );
  });

  it('Simulate reports records that do not map as predicted errors instead of failing', async () => {
    const { items: out, thrown } = await runNode({
      nodeTypes,
      type: MAP,
      parameters: { ...presetParameters, mode: 'simulate', connectionName: 'mes', targetEntity: 'work-orders' },
      credentials: credentials(),
      input: items([orders[0] ?? {}, { ...orders[1], Material: '' }]),
    });
    expect(thrown).toBeUndefined();
    expect(out.map((item) => item.json['predictedAction'])).toEqual(['create', 'error']);
    expect(out[1]?.json['issues']).toEqual([
      expect.objectContaining({ code: 'MAPPING_FIELD_REQUIRED', path: 'product_code' }),
    ]);
    expect(out[1]?.json['mapped']).toBeNull();
  });

  it('lists the presets of the chosen direction for the dropdown', async () => {
    const node = new TaktMap();
    const context = (direction: string) =>
      ({ getCurrentNodeParameter: () => direction }) as unknown as ILoadOptionsFunctions;
    const inbound = await node.methods.loadOptions.getPresets.call(context('inbound'));
    expect(inbound.map((option) => option.value)).toContain(ORDERS);
    const outbound = await node.methods.loadOptions.getPresets.call(context('outbound'));
    expect(outbound.map((option) => option.value)).toEqual([
      'sap/API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2',
      'sap/API_MAINTNOTIFICATION/MaintenanceNotification',
    ]);
  });
});
