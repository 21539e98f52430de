import { listTargetShapes, targetShapeEntity, targetShapeValidator } from './wire-shapes';

function check(shape: string, record: unknown): { path: string; message: string }[] {
  const validate = targetShapeValidator(shape);
  if (!validate) throw new Error(`${shape} is not a shape`);
  return validate(record).map(({ path, message }) => ({ path, message }));
}

const job = {
  external_id: '1000123',
  external_source: 'sap',
  job_number: '1000123',
  due_date: '2024-05-03',
  parts: [
    {
      external_id: '1000123',
      part_number: 'FG-PUMP-200',
      quantity: 500,
      operations: [{ external_id: '1000123/0010', operation_name: 'Cut', cell_name: 'CUT-01', sequence: 10 }],
    },
  ],
};

describe('MES sync API shapes', () => {
  it('names one shape per MES entity and nothing else', () => {
    expect(listTargetShapes()).toEqual([
      'mes-sync/cells',
      'mes-sync/resources',
      'mes-sync/jobs',
      'mes-sync/parts',
      'mes-sync/operations',
    ]);
    expect(targetShapeValidator('job')).toBeUndefined();
    expect(targetShapeValidator('mes-sync/widgets')).toBeUndefined();
    expect(targetShapeValidator('mes-sync/toString')).toBeUndefined();
  });

  it('nests each shape like the canonical entity the MES profile names for it', () => {
    expect(listTargetShapes().map(targetShapeEntity)).toEqual(['work_center', 'resource', 'job', 'part', 'operation']);
    expect(targetShapeEntity('job')).toBeUndefined();
  });

  it('accepts a job with nested parts and operations that leave their source and parent to the nesting', () => {
    expect(check('mes-sync/jobs', job)).toEqual([]);
  });

  it('says what the API wants, with the nested path', () => {
    const part = job.parts[0];
    const bad = {
      ...job,
      due_date: '2024-02-30',
      priority: 1.5,
      parts: [{ ...part, quantity: '500', operations: [{ external_id: 'x', operation_name: 'Cut', colour: 'red' }] }],
    };
    expect(check('mes-sync/jobs', bad)).toEqual([
      { path: 'due_date', message: 'due_date must be a calendar date YYYY-MM-DD' },
      { path: 'priority', message: 'priority must be a whole number' },
      { path: 'parts.0.quantity', message: 'quantity must be a whole number (a JSON number)' },
      { path: 'parts.0.operations.0.cell_name', message: 'cell_name is required' },
      {
        path: 'parts.0.operations.0.colour',
        message: 'Unknown field "colour": the MES sync API has no such field on this nested record and would drop it',
      },
    ]);
  });

  it('needs the source and the parent on a record synced on its own', () => {
    const operation = { external_id: '1000123/0010', operation_name: 'Cut', cell_name: 'CUT-01' };
    expect(check('mes-sync/operations', operation)).toEqual([
      { path: 'external_source', message: 'external_source is required' },
      { path: 'part_external_id', message: 'part_external_id is required' },
    ]);
    expect(
      check('mes-sync/parts', { external_id: 'P', external_source: 'sap', part_number: ' ', quantity: 0 }),
    ).toEqual([
      { path: 'job_external_id', message: 'job_external_id is required' },
      { path: 'part_number', message: 'part_number must not be empty' },
      { path: 'quantity', message: 'quantity must be at least 1' },
    ]);
  });

  it('checks cells and resources', () => {
    expect(check('mes-sync/cells', { external_id: '1', external_source: 'sap', name: 'CUT-01', active: true })).toEqual(
      [],
    );
    expect(check('mes-sync/cells', { external_id: '1', external_source: 'sap', name: 'C', color: 'red' })).toEqual([
      { path: 'color', message: 'color must be #rrggbb' },
    ]);
    expect(check('mes-sync/resources', { external_id: 'R', external_source: 'sap', name: 'R', type: 'robot' })).toEqual(
      [{ path: 'type', message: 'type must be one of tooling, fixture, mold, material, equipment' }],
    );
    expect(check('mes-sync/cells', 'CUT-01')).toEqual([{ path: '', message: expect.any(String) }]);
  });
});
