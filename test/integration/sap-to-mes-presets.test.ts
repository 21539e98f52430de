import { SAP_DEFAULTS, startSimulator, type RunningSimulator } from '@takt/erp-simulator';
import {
  applyMapping,
  createMesConnector,
  createSapConnector,
  parseMesConnectionConfig,
  parseSapConnectionConfig,
  prepareMapping,
  runUpsert,
  sapGetMany,
  simulate,
  SqliteStateStore,
  type Connector,
  type RunUpsertResult,
  type StateStore,
} from '@takt/runtime';

/**
 * Blueprint 1 without a host: SAP work centers, production orders and their operations read from the
 * simulator, mapped by the SAP → MES presets through Map's own prepare / apply, and upserted by Upsert Sync's
 * run into the simulator's MES sync API — cells, then jobs with their parts, then operations linked to the
 * parts through the id map. A second run of the same records sends nothing.
 */

const SOURCE = 'sap-sim-100';
const ORDERS = 12;
const PRESETS = {
  cells: 'sap/API_WORK_CENTERS/A_WorkCenters/mes-sync/cells',
  jobs: 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2/mes-sync/jobs',
  operations: 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrderOperation_2/mes-sync/operations',
} as const;

type Mes = NonNullable<RunningSimulator['mes']>;

let sim: RunningSimulator;
let mes: Mes;
let sap: Connector;
let target: Connector;
let store: StateStore;
const read: { cells: unknown[]; jobs: unknown[]; operations: unknown[] } = { cells: [], jobs: [], operations: [] };
let orders: Record<string, unknown>[] = [];
let operations: Record<string, unknown>[] = [];

/** Maps through the preset as the Map node does; every record must map. */
async function mapAll(preset: string, records: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const prepared = prepareMapping({ source: { kind: 'preset', preset, overrides: { source: SOURCE } } });
  const applied = await applyMapping(prepared, records);
  expect(applied.filter((result) => result.error).map((result) => result.error?.message)).toEqual([]);
  return applied.map((result) => result.record ?? {});
}

function upsert(entity: 'cells' | 'jobs' | 'operations', records: readonly unknown[]): Promise<RunUpsertResult> {
  return runUpsert({ store, connector: target, connection: 'mes', entity, records, jobName: 'sap-to-mes' });
}

/** Every action of a run, nested children included. */
function actions(result: RunUpsertResult): string[] {
  return result.results.flatMap((item) => [item.action, ...(item.children ?? []).map((child) => child.action)]);
}

function errors(result: RunUpsertResult): string[] {
  return result.results.flatMap((item) => [
    ...(item.error ? [item.error.message] : []),
    ...(item.children ?? []).flatMap((child) => (child.error ? [child.error.message] : [])),
  ]);
}

const noZeros = (value: unknown): string => String(value).replace(/^0+(?=\d)/, '');

beforeAll(async () => {
  // Size 60 covers the 48 work centers the simulator's operations refer to; the MES starts empty.
  sim = await startSimulator({ seed: 11, size: 60, services: ['sap', 'mes'], mes: { size: 0 } });
  if (!sim.mes) throw new Error('the simulator runs without its MES');
  mes = sim.mes;
  const [user] = SAP_DEFAULTS.users;
  sap = createSapConnector(
    parseSapConnectionConfig({
      baseUrl: sim.url,
      auth: { type: 'basic', user: user.user, password: user.password },
      sapClient: SAP_DEFAULTS.client,
    }),
    `sap-to-mes-sap-${process.pid}`,
  );
  target = createMesConnector(
    parseMesConnectionConfig({ baseUrl: `${sim.url}${mes.basePath}`, profile: 'mes-sync-api' }),
    `sap-to-mes-mes-${process.pid}`,
  );
  store = await SqliteStateStore.open({ file: ':memory:' });

  read.cells = await sapGetMany(sap, 'work-centers', { returnAll: true });
  orders = await sapGetMany(sap, 'production-orders', { limit: ORDERS });
  const wanted = new Set(orders.map((order) => order['ManufacturingOrder']));
  const all = await sapGetMany(sap, 'production-order-operations', { returnAll: true });
  operations = all.filter((operation) => wanted.has(operation['ManufacturingOrder']));
  read.jobs = orders;
  read.operations = operations;
});

afterAll(async () => {
  await store.close();
  await target.close();
  await sap.close();
  await sim.close();
});

describe('SAP → MES presets through Map and Upsert Sync against the simulator', () => {
  let first: Record<'cells' | 'jobs' | 'operations', RunUpsertResult>;

  beforeAll(async () => {
    const cells = await upsert('cells', await mapAll(PRESETS.cells, read.cells));
    const jobs = await upsert('jobs', await mapAll(PRESETS.jobs, read.jobs));
    const ops = await upsert('operations', await mapAll(PRESETS.operations, read.operations));
    first = { cells, jobs, operations: ops };
  });

  it('read what the test needs from SAP', () => {
    expect(read.cells).toHaveLength(60);
    expect(orders).toHaveLength(ORDERS);
    expect(operations.length).toBe(ORDERS * 4);
  });

  it('creates every cell, job, part and operation, without an error', () => {
    expect(errors(first.cells)).toEqual([]);
    expect(errors(first.jobs)).toEqual([]);
    expect(errors(first.operations)).toEqual([]);
    expect(new Set(actions(first.cells))).toEqual(new Set(['created']));
    // One part per job, nested in it.
    expect(actions(first.jobs)).toEqual(Array<string>(ORDERS * 2).fill('created'));
    expect(actions(first.operations)).toEqual(Array<string>(ORDERS * 4).fill('created'));
    expect(mes.counts('cells')).toEqual({ created: 60, updated: 0, unchanged: 0 });
    expect(mes.counts('jobs')).toEqual({ created: ORDERS, updated: 0, unchanged: 0 });
    expect(mes.counts('parts')).toEqual({ created: ORDERS, updated: 0, unchanged: 0 });
    expect(mes.counts('operations')).toEqual({ created: ORDERS * 4, updated: 0, unchanged: 0 });
  });

  it('holds each order as a job with one part of its material and quantity', () => {
    for (const order of orders) {
      const id = noZeros(order['ManufacturingOrder']);
      const job = mes.record('jobs', id, SOURCE);
      const part = mes.record('parts', id, SOURCE);
      expect(job?.fields).toMatchObject({ job_number: id });
      expect(job?.fields['due_date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(part?.parentId).toBe(job?.id);
      expect(part?.fields).toMatchObject({
        part_number: order['Material'],
        quantity: Math.ceil(Number(order['TotalQuantity'])),
      });
    }
    expect(mes.records('parts').every((part) => Number.isInteger(part.fields['quantity']))).toBe(true);
  });

  it('links each operation to its order part and to the cell of its work center', () => {
    for (const operation of operations) {
      const order = noZeros(operation['ManufacturingOrder']);
      const id = `${order}/${String(operation['ManufacturingOrderOperation'])}`;
      const record = mes.record('operations', id, SOURCE);
      expect(record?.parentId).toBe(mes.record('parts', order, SOURCE)?.id);
      expect(record?.fields).toMatchObject({
        operation_name: operation['MfgOrderOperationText'],
        cell_name: operation['WorkCenter'],
        sequence: Number(operation['ManufacturingOrderOperation']),
      });
      expect(mes.records('cells').some((cell) => cell.fields['name'] === operation['WorkCenter'])).toBe(true);
    }
  });

  it("predicts the second run in Map's Simulate: unchanged, and an update where the job changed", async () => {
    const prepared = prepareMapping({
      source: { kind: 'preset', preset: PRESETS.jobs, overrides: { source: SOURCE } },
    });
    const options = { store, connection: 'mes', entity: 'jobs' };
    const predicted = await simulate(prepared, read.jobs, options);
    expect(predicted.map((item) => item.predictedAction)).toEqual(Array<string>(ORDERS).fill('unchanged'));
    const later = { ...orders[0], MfgOrderPlannedEndDate: '2031-01-15T00:00:00.000Z' };
    const [changed] = await simulate(prepared, [later], options);
    expect(changed).toMatchObject({ predictedAction: 'update', changedFields: ['due_date'] });
  });

  it('sends nothing on a second run of the same records: all unchanged', async () => {
    const effects = mes.effects().length;
    const cells = await upsert('cells', await mapAll(PRESETS.cells, read.cells));
    const jobs = await upsert('jobs', await mapAll(PRESETS.jobs, read.jobs));
    const ops = await upsert('operations', await mapAll(PRESETS.operations, read.operations));
    expect(new Set(actions(cells))).toEqual(new Set(['unchanged']));
    expect(actions(jobs)).toEqual(Array<string>(ORDERS * 2).fill('unchanged'));
    expect(actions(ops)).toEqual(Array<string>(ORDERS * 4).fill('unchanged'));
    expect(mes.effects()).toHaveLength(effects);
  });
});

describe('orders with their operations expanded, nested in one job, to an MES that takes nesting split', () => {
  let split: RunningSimulator;
  let splitMes: Mes;
  let splitTarget: Connector;
  let splitStore: StateStore;
  let expanded: Record<string, unknown>[];

  beforeAll(async () => {
    split = await startSimulator({ seed: 11, services: ['mes'], mes: { size: 0 } });
    if (!split.mes) throw new Error('the simulator runs without its MES');
    splitMes = split.mes;
    splitTarget = createMesConnector(
      parseMesConnectionConfig({
        baseUrl: `${split.url}${splitMes.basePath}`,
        profile: 'mes-sync-api',
        nesting: 'split',
      }),
      `sap-to-mes-split-${process.pid}`,
    );
    splitStore = await SqliteStateStore.open({ file: ':memory:' });
    // What the SAP connector hands over for $expand=to_ProductionOrderOperation: the operations as an array.
    expanded = orders.map((order) => ({
      ...order,
      to_ProductionOrderOperation: operations.filter((op) => op['ManufacturingOrder'] === order['ManufacturingOrder']),
    }));
  });

  afterAll(async () => {
    await splitStore.close();
    await splitTarget.close();
    await split.close();
  });

  const run = (entity: 'cells' | 'jobs', records: readonly unknown[]): Promise<RunUpsertResult> =>
    runUpsert({ store: splitStore, connector: splitTarget, connection: 'mes', entity, records });

  it('creates each job, its part and the part operations, linked, and a second run is all unchanged', async () => {
    expect(errors(await run('cells', await mapAll(PRESETS.cells, read.cells)))).toEqual([]);
    const first = await run('jobs', await mapAll(PRESETS.jobs, expanded));
    expect(errors(first)).toEqual([]);
    expect(actions(first)).toEqual(Array<string>(ORDERS * 6).fill('created'));
    expect(splitMes.counts('operations')).toEqual({ created: ORDERS * 4, updated: 0, unchanged: 0 });
    // Split: parts and operations went in their own calls, after their parents.
    const paths = split.requests
      .list({ service: 'mes' })
      .map((request) => request.path.slice(splitMes.basePath.length));
    expect([...new Set(paths)]).toEqual([
      '/api-cells/bulk-sync',
      '/api-jobs/bulk-sync',
      '/api-parts/bulk-sync',
      '/api-operations/bulk-sync',
    ]);
    for (const operation of operations) {
      const order = noZeros(operation['ManufacturingOrder']);
      const record = splitMes.record(
        'operations',
        `${order}/${String(operation['ManufacturingOrderOperation'])}`,
        SOURCE,
      );
      expect(record?.parentId).toBe(splitMes.record('parts', order, SOURCE)?.id);
      expect(record?.fields['cell_name']).toBe(operation['WorkCenter']);
    }
    const effects = splitMes.effects().length;
    const again = await run('jobs', await mapAll(PRESETS.jobs, expanded));
    expect(actions(again)).toEqual(Array<string>(ORDERS * 6).fill('unchanged'));
    expect(splitMes.effects()).toHaveLength(effects);
  });
});
