import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaktError } from '../errors';
import { MemoryStateStore } from '../state';
import { FakeTarget } from '../testing/fake-target';
import { applyMapping, listMappingPresets, prepareMapping, presetFieldNames } from './map';
import { simulate } from './map-simulate';
import { runUpsert } from './upsert';

const ORDERS = 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2';
const SOURCE = 'sap-prd-100';

/** Two SAP production orders (OData V2 verbose JSON), as the SAP connector reads them. */
function sapOrders(): Record<string, unknown>[] {
  const file = join(__dirname, '..', 'mapping', 'presets', 'sap', '__fixtures__', 'production-orders.json');
  const payload = JSON.parse(readFileSync(file, 'utf8')) as { d: { results: Record<string, unknown>[] } };
  return payload.d.results;
}

function thrown(run: () => unknown): TaktError {
  try {
    run();
  } catch (error) {
    if (error instanceof TaktError) return error;
    throw error;
  }
  throw new Error('expected a TaktError');
}

describe('prepareMapping: a bad mapping fails before any record', () => {
  it('names the known presets for an unknown one', () => {
    const error = thrown(() => prepareMapping({ source: { kind: 'preset', preset: 'sap/NOPE/Nothing' } }));
    expect(error.code).toBe('MAPPING_INVALID');
    expect(error.message).toContain('Unknown mapping preset "sap/NOPE/Nothing"');
    expect(error.message).toContain(ORDERS);
  });

  it('refuses a direction the preset does not map', () => {
    const error = thrown(() => prepareMapping({ source: { kind: 'preset', preset: ORDERS }, direction: 'outbound' }));
    expect(error.code).toBe('MAPPING_INVALID');
    expect(error.message).toBe(
      `Preset ${ORDERS} maps inbound only, not outbound: pick another preset or write a JSONata expression.`,
    );
  });

  it('refuses an override removing a field the preset lacks, naming its fields', () => {
    const error = thrown(() =>
      prepareMapping({ source: { kind: 'preset', preset: ORDERS, overrides: { remove: ['colour'] } } }),
    );
    expect(error.code).toBe('MAPPING_INVALID');
    expect(error.message).toContain('Cannot remove "colour"');
  });

  it('refuses JSONata that does not compile, and an empty expression', () => {
    const bad = thrown(() => prepareMapping({ source: { kind: 'jsonata', expression: '{ "a": $$.( }' } }));
    expect(bad.code).toBe('MAPPING_EXPRESSION_INVALID');
    const empty = thrown(() => prepareMapping({ source: { kind: 'jsonata', expression: '  ' } }));
    expect(empty.code).toBe('MAPPING_INVALID');
    expect(empty.message).toBe('The JSONata expression is empty: write one that returns the mapped record.');
  });
});

describe('applyMapping', () => {
  it('maps SAP orders through the preset with overrides; _takt never reaches the mapping', async () => {
    const prepared = prepareMapping({
      source: {
        kind: 'preset',
        preset: ORDERS,
        overrides: {
          source: SOURCE,
          timeZone: 'Europe/Berlin',
          fields: [{ canonical: 'description', erp: 'MRPController', type: 'STRING' }],
          remove: ['production_version'],
        },
      },
    });
    const [first, second] = sapOrders();
    const results = await applyMapping(prepared, [{ ...first, _takt: { token: 'tok-1' } }, second]);
    expect(results.map((r) => [r.index, r.issues.length, r.error])).toEqual([
      [0, 0, undefined],
      [1, 0, undefined],
    ]);
    expect(results[0]?.record).toEqual({
      external_id: '1000123',
      external_source: SOURCE,
      order_number: '1000123',
      order_type: 'PP01',
      product_code: 'FG-PUMP-200',
      description: '001',
      plant: '1710',
      quantity: '500',
      unit: 'PC',
      confirmed_quantity: '120',
      scrap_quantity: '5',
      status: 'in_progress',
      planned_start: '2024-05-01T04:00:00.000Z',
      planned_end: '2024-05-03T20:00:00.000Z',
      scheduled_start: '2024-05-01T05:30:00.000Z',
      scheduled_end: '2024-05-02T12:15:30.000Z',
      changed_at: '2024-04-30T15:30:12.000Z',
    });
    expect(results[1]?.record).toMatchObject({ external_id: '1000124', status: 'completed' });
  });

  it('a bad record fails alone under its index, with every issue and a data error code', async () => {
    const prepared = prepareMapping({ source: { kind: 'preset', preset: ORDERS, overrides: { source: SOURCE } } });
    const [first, second] = sapOrders();
    const broken = { ...second, TotalQuantity: 'lots', Material: '' };
    const results = await applyMapping(prepared, [first, broken, 'not a record']);
    expect(results[0]?.record).toMatchObject({ external_id: '1000123' });
    expect(results[1]?.record).toBeUndefined();
    expect(results[1]?.issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['MAPPING_FIELD_REQUIRED', 'product_code'],
      ['MAPPING_TYPE_INVALID', 'quantity'],
    ]);
    expect(results[1]?.error?.code).toBe('MAPPING_FIELD_REQUIRED');
    expect(results[1]?.error?.message).toMatch(/^Record 1 does not map with .*: product_code: .*; quantity: /);
    expect(results[2]?.error?.code).toBe('MAPPING_TYPE_INVALID');
  });

  it('a record the canonical entity refuses fails with RECORD_INVALID (no source → no external_source)', async () => {
    const prepared = prepareMapping({ source: { kind: 'preset', preset: ORDERS } });
    const [result] = await applyMapping(prepared, sapOrders().slice(0, 1));
    expect(result?.error?.code).toBe('RECORD_INVALID');
    expect(result?.issues).toEqual([expect.objectContaining({ code: 'RECORD_INVALID', path: 'external_source' })]);
  });

  it('JSONata builds MES jobs with nested parts, validated against the job entity', async () => {
    const prepared = prepareMapping({
      source: {
        kind: 'jsonata',
        entity: 'job',
        expression:
          '{ "external_source": "sap", "external_id": ManufacturingOrder, "job_number": "JOB-" & ManufacturingOrder,' +
          ' "parts": [{ "external_id": ManufacturingOrder & "-1", "part_number": Material, "quantity": TotalQuantity }] }',
      },
    });
    const [first] = sapOrders();
    const [result] = await applyMapping(prepared, [first]);
    expect(result?.record).toEqual({
      external_source: 'sap',
      external_id: '1000123',
      job_number: 'JOB-1000123',
      parts: [{ external_id: '1000123-1', part_number: 'FG-PUMP-200', quantity: '500.000' }],
    });
    const [invalid] = await applyMapping(prepared, [{ ManufacturingOrder: '7', TotalQuantity: '-1' }]);
    expect(invalid?.error?.code).toBe('RECORD_INVALID');
    expect(invalid?.issues.map((issue) => issue.path)).toEqual(['parts.0.part_number', 'parts.0.quantity']);
  });

  it('checks nested operations under their part, with the parent filled as Upsert Sync sends it', async () => {
    const prepared = prepareMapping({ source: { kind: 'jsonata', entity: 'job', expression: '$' } });
    const job = {
      external_source: 'sap',
      external_id: 'J1',
      job_number: 'JOB-1',
      parts: [
        {
          external_id: 'J1-P1',
          part_number: 'P',
          quantity: '2',
          operations: [
            { external_id: 'J1-P1-O1', operation_number: '0010', name: 'Cut' },
            { external_id: 'J1-P1-O2', operation_number: '0020', name: 'Bend', colour: 'red' },
          ],
        },
      ],
    };
    const [result] = await applyMapping(prepared, [job]);
    expect(result?.issues).toEqual([
      {
        code: 'RECORD_INVALID',
        path: 'parts.0.operations.1.colour',
        message: 'Unknown field "colour": not part of the entity; put custom values under "extra"',
      },
    ]);
    const [fine] = await applyMapping(prepared, [{ ...job, parts: [{ ...job.parts[0], operations: [] }] }]);
    expect(fine?.issues).toEqual([]);
  });

  it('outbound checks the canonical input against its entity', async () => {
    const prepared = prepareMapping({
      source: { kind: 'jsonata', entity: 'downtime', expression: '{ "Id": external_id }' },
      direction: 'outbound',
    });
    const [result] = await applyMapping(prepared, [{ external_id: 'D1' }]);
    expect(result?.record).toBeUndefined();
    expect(result?.issues.some((issue) => issue.path === 'external_source')).toBe(true);
  });
});

describe('presets that produce MES sync API records', () => {
  const JOBS = `${ORDERS}/mes-sync/jobs`;

  it('validates against the MES record rules: a whole-number quantity, nested parts', async () => {
    const prepared = prepareMapping({ source: { kind: 'preset', preset: JOBS, overrides: { source: SOURCE } } });
    expect(prepared.canonical).toBe('mes-sync/jobs');
    const [first] = sapOrders();
    const [result] = await applyMapping(prepared, [{ ...first, _takt: { token: 't-1' } }]);
    expect(result?.issues).toEqual([]);
    expect(result?.record).toMatchObject({
      external_id: '1000123',
      external_source: SOURCE,
      job_number: '1000123',
      parts: [{ external_id: '1000123', part_number: 'FG-PUMP-200', quantity: 500 }],
    });
    const [zero] = await applyMapping(prepared, [{ ...first, TotalQuantity: '0.000' }]);
    expect(zero?.error?.code).toBe('RECORD_INVALID');
    expect(zero?.error?.message).toContain('parts.0.quantity: quantity must be at least 1');
  });

  it('lets JSONata name an MES shape as its entity, and keeps the canonical job as strict as before', async () => {
    const operation = { external_source: 'sap', external_id: 'O1', part_external_id: 'P1', operation_name: 'Cut' };
    const mes = prepareMapping({ source: { kind: 'jsonata', entity: 'mes-sync/operations', expression: '$' } });
    const [missing] = await applyMapping(mes, [operation]);
    expect(missing?.issues).toEqual([{ code: 'RECORD_INVALID', path: 'cell_name', message: 'cell_name is required' }]);
    const [fine] = await applyMapping(mes, [{ ...operation, cell_name: 'CUT-01', sequence: 10 }]);
    expect(fine?.issues).toEqual([]);
    const canonical = prepareMapping({ source: { kind: 'jsonata', entity: 'operation', expression: '$' } });
    const [refused] = await applyMapping(canonical, [{ ...operation, cell_name: 'CUT-01' }]);
    expect(refused?.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['operation_number', 'name', 'operation_name', 'cell_name']),
    );
  });

  it('are offered inbound with their shape as the entity', () => {
    const inbound = listMappingPresets('inbound').filter((preset) => preset.canonical.startsWith('mes-sync/'));
    expect(inbound.map((preset) => [preset.id, preset.canonical])).toEqual([
      ['sap/API_WORK_CENTERS/A_WorkCenters/mes-sync/cells', 'mes-sync/cells'],
      [JOBS, 'mes-sync/jobs'],
      ['sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrderOperation_2/mes-sync/operations', 'mes-sync/operations'],
    ]);
    expect(presetFieldNames(JOBS)).toEqual([
      'external_id',
      'external_source',
      'job_number',
      'due_date',
      'notes',
      'parts',
    ]);
  });
});

describe('listMappingPresets', () => {
  it('lists every preset for a dropdown, filtered by direction', () => {
    const all = listMappingPresets();
    expect(all.map((preset) => preset.id)).toContain(ORDERS);
    const order = all.find((preset) => preset.id === ORDERS);
    expect(order).toMatchObject({ canonical: 'work_order', directions: ['inbound'] });
    const outbound = listMappingPresets('outbound').map((preset) => preset.canonical);
    expect(outbound.sort()).toEqual(['downtime', 'production_data']);
    expect(presetFieldNames(ORDERS)).toContain('planned_start');
  });
});

describe('simulate: what Upsert Sync would do', () => {
  const target = (): FakeTarget => new FakeTarget([{ name: 'work-orders', keyFields: ['external_id'] }]);

  it('predicts create, then unchanged and update with the changed fields after a real upsert', async () => {
    const store = new MemoryStateStore();
    const prepared = prepareMapping({ source: { kind: 'preset', preset: ORDERS, overrides: { source: SOURCE } } });
    const orders = sapOrders();
    const options = { store, connection: 'mes', entity: 'work-orders' };

    const before = await simulate(prepared, orders, options);
    expect(before.map((item) => [item.index, item.predictedAction, item.externalId])).toEqual([
      [0, 'create', '1000123'],
      [1, 'create', '1000124'],
    ]);
    expect(before[0]?.mapped).toMatchObject({ external_id: '1000123', quantity: '500' });

    const applied = await applyMapping(prepared, orders);
    const records = applied.map((result) => result.record);
    const run = await runUpsert({ store, connector: target(), connection: 'mes', entity: 'work-orders', records });
    expect(run.results.map((r) => r.action)).toEqual(['created', 'created']);

    const [first, second] = orders;
    const changed = [
      { ...first, _takt: { token: 'other' } },
      { ...second, TotalQuantity: '900.000', ProductionPlant: '1720' },
    ];
    const after = await simulate(prepared, changed, options);
    expect(after.map((item) => item.predictedAction)).toEqual(['unchanged', 'update']);
    expect(after[0]?.targetId).toBe(run.results[0]?.targetId);
    expect(after[1]?.changedFields).toEqual(['plant', 'quantity']);
    expect(after[1]?.reason).toBe('The content changed since it was last written, in 2 field(s).');
    expect((await store.listJobs({ connection: 'mes' })).map((job) => [job.kind, job.status, job.total])).toEqual([
      ['push', 'success', 2],
    ]);
  });

  it('reports mapping issues and unkeyable records as errors, and works without a store', async () => {
    const prepared = prepareMapping({ source: { kind: 'preset', preset: ORDERS, overrides: { source: SOURCE } } });
    const [first] = sapOrders();
    const items = await simulate(prepared, [first, { ...first, Material: '' }], {
      connection: 'mes',
      entity: 'work-orders',
      keyFields: ['order_number'],
    });
    expect(items[0]?.predictedAction).toBe('error');
    expect(items[0]?.issues).toEqual([
      {
        code: 'CONFIG_INVALID',
        path: 'order_number',
        message: 'Custom key fields (order_number) need a "source" to name the id map\'s namespace.',
      },
    ]);
    expect(items[1]?.predictedAction).toBe('error');
    expect(items[1]?.issues[0]?.path).toBe('product_code');

    const keyed = await simulate(prepared, [first], {
      connection: 'mes',
      entity: 'work-orders',
      keyFields: ['order_number'],
      source: SOURCE,
    });
    expect(keyed[0]).toMatchObject({ predictedAction: 'create', externalId: '1000123', issues: [] });
  });

  it('needs a target entity', async () => {
    const prepared = prepareMapping({ source: { kind: 'preset', preset: ORDERS } });
    await expect(simulate(prepared, [], { connection: 'mes', entity: ' ' })).rejects.toThrow(
      'Simulating needs the target entity Upsert Sync writes (e.g. "jobs").',
    );
  });
});
