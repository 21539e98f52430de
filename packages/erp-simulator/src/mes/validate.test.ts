import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { MesEntity } from './entities';
import { validateRecord } from './validate';

interface Case {
  readonly name: string;
  readonly entity: MesEntity;
  readonly record: unknown;
  readonly error: string;
}

const cases = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'validation-cases.json'), 'utf8')) as Case[];

describe('validateRecord: the vendor rules, one case per rule', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = validateRecord(c.entity, c.record);
    expect(result).toEqual({ ok: false, message: c.error });
  });

  test('a nested job inherits its source and parent ids and drops unknown properties', () => {
    const result = validateRecord('jobs', {
      external_id: 'SO-12345',
      external_source: 'SAP',
      job_number: 'JOB-2024-001',
      colour_of_box: 'red',
      parts: [{ external_id: 'SO-12345-10', part_number: 'BRACKET-A', quantity: 25, operations: [] }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record.fields).toEqual({ job_number: 'JOB-2024-001' });
    expect(result.record.children).toEqual([
      {
        entity: 'parts',
        externalId: 'SO-12345-10',
        externalSource: 'SAP',
        parentExternalId: 'SO-12345',
        fields: { part_number: 'BRACKET-A', quantity: 25 },
        children: [],
      },
    ]);
  });
});
