import { TaktError } from '../errors';
import { compileMapping } from './compile';
import { listPresets } from './presets';
import type { MappingSpec } from './types';

const order: MappingSpec = {
  name: 'sap.production-order→work_order',
  canonical: 'work_order',
  aliases: { AUFNR: 'ManufacturingOrder' },
  fields: [
    { canonical: 'external_id', erp: 'AUFNR', type: 'STRING', key: true },
    { canonical: 'quantity', erp: 'TotalQuantity', type: 'DECIMAL', required: true },
    { canonical: 'extra', erp: 'Extra', type: 'JSON' },
  ],
};

function compileError(spec: MappingSpec, direction: 'inbound' | 'outbound' = 'inbound'): TaktError {
  try {
    compileMapping(spec, { direction });
  } catch (error) {
    if (TaktError.is(error)) return error;
    throw error;
  }
  throw new Error('compileMapping did not throw');
}

describe('compileMapping', () => {
  it('maps a record and keys it by its canonical key values', async () => {
    const compiled = compileMapping(order, { direction: 'inbound' });
    expect(compiled.mode).toBe('fields');
    expect(await compiled.map({ ManufacturingOrder: '1000123', TotalQuantity: '10.500' }, 4)).toEqual({
      index: 4,
      ok: true,
      output: { external_id: '1000123', quantity: '10.5' },
      key: '["1000123"]',
    });
  });

  it('never shares objects between input and output', async () => {
    const input = { ManufacturingOrder: '1', TotalQuantity: '1', Extra: { nested: { list: [1, 2] } } };
    const result = await compileMapping(order, { direction: 'inbound' }).map(input, 0);
    if (!result.ok) throw new Error('expected ok');
    input.Extra.nested.list.push(3);
    expect(result.output['extra']).toEqual({ nested: { list: [1, 2] } });
  });

  it('names the mapping path, JSONata code, position and token of a malformed expression', () => {
    const error = compileError({
      name: 'broken',
      canonical: 'work_order',
      fields: [
        { canonical: 'a', erp: 'A', type: 'STRING' },
        { canonical: 'b', erp: 'B', type: 'STRING' },
        { canonical: 'c', erp: 'C', type: 'STRING' },
        { canonical: 'd', expression: 'Material & (', type: 'STRING' },
      ],
    });
    expect(error.code).toBe('MAPPING_EXPRESSION_INVALID');
    expect(error.message).toContain('fields[3].expression');
    expect(error.message).toContain('S0');
    expect(error.details).toMatchObject({
      mapping: 'broken',
      path: 'fields[3].expression',
      jsonataCode: expect.stringMatching(/^S0\d{3}$/),
      position: expect.any(Number),
      expressionToken: expect.any(String),
    });
  });

  it('reports every spec problem together, each under its own code', () => {
    const error = compileError({
      name: 'many',
      canonical: 'work_order',
      timeZone: 'Mars/Olympus',
      fields: [
        { canonical: 'a', expression: '$x(', type: 'STRING' },
        { canonical: 'a', erp: 'B', type: 'STRING' },
        { canonical: 'c', erp: 'C', type: 'STRING', format: 'iso' },
      ],
    });
    expect(error.code).toBe('MAPPING_INVALID');
    const issues = error.details['issues'] as { code: string; path: string }[];
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['MAPPING_INVALID', 'timeZone'],
      ['MAPPING_EXPRESSION_INVALID', 'fields[0].expression'],
      ['MAPPING_INVALID', 'fields[2].format'],
    ]);
  });

  it('refuses a spec that is not an object', () => {
    expect(compileError(null as unknown as MappingSpec).code).toBe('MAPPING_INVALID');
  });

  it('turns validator issues into RECORD_INVALID, and a throwing validator too', async () => {
    const rejecting = compileMapping(order, {
      direction: 'inbound',
      validate: (output) =>
        output['quantity'] === '0' ? [{ code: 'too_small', path: 'quantity', message: 'zero' }] : [],
    });
    expect(await rejecting.map({ ManufacturingOrder: '1', TotalQuantity: '0.00' }, 0)).toEqual({
      index: 0,
      ok: false,
      issues: [{ code: 'RECORD_INVALID', path: 'quantity', message: 'zero' }],
    });
    expect(await rejecting.map({ ManufacturingOrder: '1', TotalQuantity: '2' }, 1)).toMatchObject({ ok: true });
    const throwing = compileMapping(order, {
      direction: 'inbound',
      validate: () => {
        throw new Error('schema exploded');
      },
    });
    expect(await throwing.map({ ManufacturingOrder: '1', TotalQuantity: '2' }, 0)).toEqual({
      index: 0,
      ok: false,
      issues: [{ code: 'RECORD_INVALID', path: '', message: 'schema exploded' }],
    });
  });

  it('collects every failing field of a record', async () => {
    const result = await compileMapping(order, { direction: 'inbound' }).map({ TotalQuantity: 'ten' }, 2);
    expect(result).toEqual({
      index: 2,
      ok: false,
      issues: [
        { code: 'MAPPING_FIELD_REQUIRED', path: 'external_id', message: 'fields[0]: required value is missing' },
        { code: 'MAPPING_TYPE_INVALID', path: 'quantity', message: 'fields[1]: expected a decimal, got "ten"' },
      ],
    });
  });

  describe('references', () => {
    const spec: MappingSpec = {
      name: 'confirmation',
      canonical: 'production_data',
      fields: [{ canonical: 'work_order_id', erp: 'OrderID', type: 'REFERENCE', reference: { entity: 'work_order' } }],
    };

    it('awaits an asynchronous resolver with entity, source and external id', async () => {
      const calls: string[] = [];
      const compiled = compileMapping(spec, { direction: 'inbound' });
      const result = await compiled.map({ OrderID: '1000123' }, 0, {
        source: 'sap-prd',
        resolveReference: async (entity, source, id) => {
          calls.push(`${entity}/${source}/${id}`);
          return 'wo-1';
        },
      });
      expect(calls).toEqual(['work_order/sap-prd/1000123']);
      expect(result).toMatchObject({ ok: true, output: { work_order_id: 'wo-1' } });
    });

    it('is unresolved without a source or a resolver', async () => {
      const compiled = compileMapping(spec, { direction: 'inbound' });
      const noSource = await compiled.map({ OrderID: '1' }, 0, { resolveReference: () => 'x' });
      expect(noSource).toMatchObject({ ok: false, issues: [{ code: 'MAPPING_REFERENCE_UNRESOLVED' }] });
      const noResolver = await compiled.map({ OrderID: '1' }, 0, { source: 's' });
      expect(noResolver).toMatchObject({ ok: false, issues: [{ code: 'MAPPING_REFERENCE_UNRESOLVED' }] });
    });

    it('lets a failing id map stop the run instead of failing every record', async () => {
      const down = new TaktError('STORE_UNAVAILABLE', 'store down');
      const compiled = compileMapping(spec, { direction: 'inbound' });
      await expect(
        compiled.mapAll([{ OrderID: '1' }], {
          source: 's',
          resolveReference: () => Promise.reject(down),
        }),
      ).rejects.toBe(down);
    });
  });

  describe('directions', () => {
    it('infers inbound-only for expression fields and fields without erp', async () => {
      const spec: MappingSpec = {
        name: 'infer',
        canonical: 'work_order',
        fields: [
          { canonical: 'id', erp: 'Id', type: 'STRING' },
          { canonical: 'label', expression: "Id & '!'", erp: 'Label', type: 'STRING' },
          { canonical: 'source', constant: 'sap', type: 'STRING' },
        ],
      };
      const outbound = compileMapping(spec, { direction: 'outbound' });
      expect(await outbound.map({ id: '7', label: 'x', source: 'y' }, 0)).toMatchObject({ output: { Id: '7' } });
      const inbound = compileMapping(spec, { direction: 'inbound' });
      expect(await inbound.map({ Id: '7' }, 0)).toMatchObject({ output: { id: '7', label: '7!', source: 'sap' } });
    });
  });
});

describe('the presets compile', () => {
  const presets = listPresets();
  it('has presets to check', () => {
    expect(presets.length).toBeGreaterThan(0);
  });
  it.each(presets.flatMap((p) => p.directions.map((d) => [p.id, d, p] as const)))('%s %s', (_id, direction, preset) => {
    expect(compileMapping(preset.mapping, { direction }).direction).toBe(direction);
  });
});
