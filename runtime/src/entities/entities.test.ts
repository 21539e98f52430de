import { TaktError } from '../errors';
import { CANONICAL_ENTITIES, getCanonicalEntity, isCanonicalEntity } from './registry';
import { validateEntity } from './validate';

const id = { external_id: '1000000', external_source: 'sap-prd-100' };

/** One valid record per entity; each test below breaks one thing. */
const VALID: Record<string, Record<string, unknown>> = {
  work_order: {
    ...id,
    order_number: '1000000',
    product_code: 'MZ-FG-R10',
    quantity: '500',
    status: 'released',
    planned_start: '2024-05-01T06:00:00Z',
    planned_end: '2024-05-02T14:00:00+02:00',
  },
  operation: { ...id, work_order_external_id: '1000000', operation_number: '0010', name: 'Laser cut', sequence: 1 },
  work_center: { ...id, code: 'CUT-01', active: true },
  machine: { ...id, name: 'Press 7', status: 'active' },
  resource: { ...id, name: 'CNC Mill #1', kind: 'equipment', status: 'available' },
  job: { ...id, job_number: 'JOB-2024-001', due_date: '2024-12-31', priority: 5 },
  part: { ...id, job_external_id: 'SO-12345', part_number: 'BRACKET-A', quantity: '25' },
  production_data: { ...id, work_order_external_id: '1000000', good_quantity: '100.000', scrap_quantity: '0' },
  downtime: { ...id, machine_external_id: '10000000', start: '2024-05-01T08:00:00Z', end: null },
  order_context: { ...id, order_code: 'AB-12345', machine_code: 'M1', start: '2022-01-11T06:27:00+00:00' },
  booking: { ...id, timestamp: '2022-01-11T06:27:00Z', order_code: 'AB-12345', machine_code: 'M1', event: 'START' },
  customer: { ...id, name: 'Acme Corp', country: 'DE' },
};

describe('canonical entities', () => {
  it('has a valid example for every registered entity and each passes its schema', () => {
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(CANONICAL_ENTITIES).sort());
    for (const [name, record] of Object.entries(VALID)) {
      expect([name, validateEntity(name)(record)]).toEqual([name, []]);
    }
  });

  it('requires external_id and external_source on every entity', () => {
    for (const [name, record] of Object.entries(VALID)) {
      const { external_id: _id, external_source: _source, ...rest } = record;
      const paths = validateEntity(name)(rest).map((issue) => issue.path);
      expect([name, paths.sort()]).toEqual([name, ['external_id', 'external_source']]);
    }
  });

  it('keeps decimals as strings and refuses numbers and malformed decimals', () => {
    const check = validateEntity('production_data');
    expect(check({ ...VALID.production_data, good_quantity: '12.50' })).toEqual([]);
    for (const bad of [12.5, '12,5', '1e3', '', '.5', '-1']) {
      const issues = check({ ...VALID.production_data, good_quantity: bad });
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: 'RECORD_INVALID', path: 'good_quantity' });
    }
  });

  it('takes integers as numbers, and as digit strings only beyond 2^53', () => {
    const check = validateEntity('job');
    expect(check({ ...VALID.job, priority: 9007199254740991 })).toEqual([]);
    expect(check({ ...VALID.job, priority: '90071992547409931' })).toEqual([]);
    expect(check({ ...VALID.job, priority: '5' })).toEqual([
      { code: 'RECORD_INVALID', path: 'priority', message: 'Integers within ±(2^53 − 1) must be JSON numbers' },
    ]);
    expect(check({ ...VALID.job, priority: 1.5 })[0]?.path).toBe('priority');
    expect(check({ ...VALID.job, priority: 2 ** 53 })[0]?.path).toBe('priority');
  });

  it('requires a zone on date-times and plain dates on dates', () => {
    const check = validateEntity('downtime');
    expect(check({ ...VALID.downtime, start: '2024-05-01T08:00:00.123+02:00' })).toEqual([]);
    expect(check({ ...VALID.downtime, start: '2024-05-01T08:00:00' })[0]?.path).toBe('start');
    expect(check({ ...VALID.downtime, start: '/Date(1714550400000)/' })[0]?.path).toBe('start');
    expect(validateEntity('job')({ ...VALID.job, due_date: '2024-12-31T00:00:00Z' })[0]?.path).toBe('due_date');
  });

  it('refuses an end before the start, comparing instants across offsets', () => {
    const check = validateEntity('downtime');
    expect(check({ ...VALID.downtime, start: '2024-05-01T10:00:00+02:00', end: '2024-05-01T08:30:00Z' })).toEqual([]);
    expect(check({ ...VALID.downtime, start: '2024-05-01T10:00:00Z', end: '2024-05-01T09:59:59Z' })).toEqual([
      { code: 'RECORD_INVALID', path: 'end', message: 'end is before start' },
    ]);
  });

  it('names each unknown field, and accepts custom values under extra', () => {
    const check = validateEntity('machine');
    expect(check({ ...VALID.machine, colour: 'red', sreial: 'x' }).map((i) => i.path)).toEqual(['colour', 'sreial']);
    expect(check({ ...VALID.machine, extra: { colour: 'red', lines: [1, { a: null }] } })).toEqual([]);
  });

  it('joins nested paths with dots', () => {
    const issues = validateEntity('customer')({ ...VALID.customer, extra: { bad: undefined as unknown as string } });
    expect(issues.map((i) => i.path)).toEqual(['extra.bad']);
  });

  it('checks enums: resource kinds and statuses, booking events', () => {
    expect(validateEntity('resource')({ ...VALID.resource, kind: 'mold', status: 'in_use' })).toEqual([]);
    expect(validateEntity('resource')({ ...VALID.resource, kind: 'robot' })[0]?.path).toBe('kind');
    expect(validateEntity('booking')({ ...VALID.booking, event: 'start' })[0]?.path).toBe('event');
  });

  it('requires an operation to have a parent', () => {
    const { work_order_external_id: _parent, ...orphan } = VALID.operation!;
    expect(validateEntity('operation')(orphan)).toEqual([
      {
        code: 'RECORD_INVALID',
        path: 'part_external_id',
        message: 'An operation needs a parent: part_external_id or work_order_external_id',
      },
    ]);
  });

  it('describes the job → part → operation nesting and the identity keys', () => {
    expect(CANONICAL_ENTITIES.part.parent).toEqual({ entity: 'job', field: 'job_external_id' });
    expect(CANONICAL_ENTITIES.operation.parent).toEqual({ entity: 'part', field: 'part_external_id' });
    expect(getCanonicalEntity('work_order').keyFields).toEqual(['external_source', 'external_id']);
    expect(isCanonicalEntity('work_order')).toBe(true);
    expect(isCanonicalEntity('toString')).toBe(false);
  });

  it('fails fast with MAPPING_INVALID for an unknown entity', () => {
    let caught: unknown;
    try {
      validateEntity('workorder');
    } catch (error) {
      caught = error;
    }
    expect(TaktError.is(caught) && caught.code).toBe('MAPPING_INVALID');
    expect((caught as Error).message).toContain('work_order');
  });
});
