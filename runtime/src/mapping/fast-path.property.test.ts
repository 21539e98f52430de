/**
 * The fast path is an optimisation, not a dialect: a mapping whose fields read plain dot paths and constants
 * must give exactly what the same mapping gives with every path written as a JSONata expression.
 *
 * Equivalence, precisely: for every JSON record R (objects, arrays nested in any position, null, '', numbers,
 * strings that look like flags, dates and decimals) and every field list F whose sources are dot paths
 * `n1.n2…` (n from a small name set, so paths hit often) or JSON constants, `map(R)` under F equals `map(R)`
 * under F' — F with each `erp: p` (inbound) / `canonical: p` (outbound) source replaced by
 * `expression: "p"` / `outboundExpression: "p"` and each `constant: c` by the JSONata literal of c — in every
 * part of the result (a constant that does not fit its type fails compile in F and, with the same message,
 * every record in F'): ok, output (deep, JSON arrays from JSONata sequences included), key, and each issue's
 * code, path and message. JSONata's own path quirks (flattening over arrays, singleton results, an array
 * reached by the last step kept as is) are therefore the fast path's semantics too.
 *
 * Native-only options are left out on purpose: a date + time pair (`erpTime`), `trimLeadingZeros` and an ENUM
 * from `enum.flags` read differently from any one JSONata path, so they have no twin to compare with. The
 * conformance cases cover them; `NATIVE_ONLY` below keeps a generated field from carrying one unnoticed.
 */
import fc from 'fast-check';
import { TaktError } from '../errors';
import { type CompiledMapping, compileMapping } from './compile';
import type { FieldMapping, FieldType, JsonValue, MapContext, MappingDirection, MappingSpec } from './types';

const NAMES = ['a', 'b', 'c', 'Qty', 'd'] as const;

const primitive = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('', 'X', 'T', 'F', 'true', '12.50', '007', '1.5', 'REL', 'TECO', '10-4', '2024-05-01'),
  fc.constantFrom('20240501080000', '/Date(1700000000000)/', '/Date(1714521600000)/', '00000000', '9007199254740993'),
  fc.string({ maxLength: 6 }),
);

const { record } = fc.letrec<{ value: JsonValue; array: JsonValue[]; record: Record<string, JsonValue> }>((tie) => ({
  value: fc.oneof({ maxDepth: 4, depthIdentifier: 'json' }, primitive, tie('array'), tie('record')),
  array: fc.array(tie('value'), { maxLength: 3, depthIdentifier: 'json' }),
  record: fc.dictionary(fc.constantFrom(...NAMES), tie('value'), { maxKeys: 5, depthIdentifier: 'json' }),
}));

const path = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));

const TYPES: readonly FieldType[] = [
  'STRING',
  'INTEGER',
  'DECIMAL',
  'BOOLEAN',
  'DATE',
  'DATETIME',
  'ENUM',
  'REFERENCE',
  'JSON',
];

const DEFAULTS: Readonly<Record<FieldType, JsonValue>> = {
  STRING: 'dflt',
  INTEGER: 1,
  DECIMAL: '1.5',
  BOOLEAN: true,
  DATE: '2024-01-01',
  DATETIME: '2024-01-01T00:00:00.000Z',
  ENUM: 'released',
  REFERENCE: 't-1',
  JSON: { x: 1 },
};

const constant = fc.oneof(
  primitive.filter((v) => typeof v !== 'number' || Number.isSafeInteger(v)),
  fc.dictionary(fc.constantFrom(...NAMES), fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean()), {
    maxKeys: 3,
  }),
);

interface FieldShape {
  readonly type: FieldType;
  readonly source: { readonly path: string } | { readonly constant: JsonValue };
  readonly key: boolean;
  readonly required: boolean;
  readonly withDefault: boolean;
  readonly booleanFormat: 'json' | 'sap' | 'netsuite';
  readonly format: 'auto' | 'iso' | 'odata-v2' | 'sap14' | 'sap8';
  readonly timeZone: 'UTC' | 'Europe/Berlin';
  readonly numberFormat: 'string' | 'number';
}

const fieldShape: fc.Arbitrary<FieldShape> = fc.record({
  type: fc.constantFrom(...TYPES),
  source: fc.oneof(
    { weight: 4, arbitrary: path.map((p) => ({ path: p })) },
    { weight: 1, arbitrary: constant.map((c) => ({ constant: c })) },
  ),
  key: fc.boolean(),
  required: fc.boolean(),
  withDefault: fc.boolean(),
  booleanFormat: fc.constantFrom('json', 'sap', 'netsuite'),
  format: fc.constantFrom('auto', 'iso', 'odata-v2', 'sap14', 'sap8'),
  timeZone: fc.constantFrom('UTC', 'Europe/Berlin'),
  numberFormat: fc.constantFrom('string', 'number'),
});

/** The field in both spellings: fast (paths and constants) and JSONata (the same as expressions). */
function field(shape: FieldShape, i: number, direction: MappingDirection): [FieldMapping, FieldMapping] {
  const { type } = shape;
  const isDate = type === 'DATE' || type === 'DATETIME';
  let format = shape.format;
  if (type === 'DATE' && format === 'sap14') format = 'sap8';
  if (type === 'DATETIME' && format === 'sap8') format = 'sap14';
  if (direction === 'outbound' && format === 'auto') format = 'iso';
  const common: FieldMapping = {
    canonical: direction === 'inbound' ? `f${i}` : 'x',
    erp: `E${i}`,
    type,
    direction,
    key: shape.key,
    required: shape.required,
    ...(shape.withDefault ? { default: DEFAULTS[type] } : {}),
    ...(type === 'BOOLEAN' ? { booleanFormat: shape.booleanFormat } : {}),
    ...(isDate ? { format } : {}),
    ...(type === 'DATETIME' ? { timeZone: shape.timeZone } : {}),
    ...(type === 'INTEGER' || type === 'DECIMAL' ? { numberFormat: shape.numberFormat } : {}),
    ...(type === 'ENUM'
      ? {
          enum: {
            values: { REL: 'released', TECO: 'completed', X: 'flag', '12.50': 'twelve' },
            unknown: { default: 'released' },
          },
        }
      : {}),
    ...(type === 'REFERENCE' ? { reference: { entity: 'work_order' } } : {}),
  };
  const { source } = shape;
  const expressionKey = direction === 'inbound' ? 'expression' : 'outboundExpression';
  if ('constant' in source) {
    return [
      { ...common, constant: source.constant },
      { ...common, [expressionKey]: JSON.stringify(source.constant) },
    ];
  }
  const fast = direction === 'inbound' ? { ...common, erp: source.path } : { ...common, canonical: source.path };
  return [fast, { ...common, [expressionKey]: source.path }];
}

const ctx: MapContext = {
  source: 'src',
  resolveReference: (_entity, _source, id) => (id.startsWith('1') ? `t-${id}` : undefined),
  resolveExternalId: (_entity, _source, id) => (id.startsWith('t') ? id.slice(1) : undefined),
};

const NATIVE_ONLY = ['erpTime', 'trimLeadingZeros'] as const;

function specs(shapes: readonly FieldShape[], direction: MappingDirection): [MappingSpec, MappingSpec] {
  const pairs = shapes.map((s, i) => field(s, i, direction));
  for (const [fast] of pairs) {
    expect(NATIVE_ONLY.filter((option) => fast[option] !== undefined)).toEqual([]);
    expect(fast.enum?.flags).toBeUndefined();
  }
  const base = { name: 'fast-path-property', canonical: 'work_order' };
  return [
    { ...base, fields: pairs.map(([fast]) => fast) },
    { ...base, fields: pairs.map(([, slow]) => slow) },
  ];
}

describe.each(['inbound', 'outbound'] as const)('%s fast path ≡ JSONata paths', (direction) => {
  it('gives identical results on arbitrary records and mappings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fieldShape, { minLength: 1, maxLength: 6 }), record, async (shapes, input) => {
        const [fastSpec, slowSpec] = specs(shapes, direction);
        const slow = await compileMapping(slowSpec, { direction }).map(input, 0, ctx);
        let fast: CompiledMapping;
        try {
          fast = compileMapping(fastSpec, { direction });
        } catch (error) {
          // A constant is checked when the mapping compiles; as an expression the same value can only fail
          // when it is evaluated, so it must fail every record with the same message instead.
          expect(TaktError.is(error) && error.code).toBe('MAPPING_INVALID');
          const issues = (error as TaktError).details['issues'] as { path: string; message: string }[];
          for (const issue of issues) {
            expect(issue.path).toMatch(/^fields\[\d+\]\.constant$/);
            const at = issue.path.replace('.constant', '');
            expect(slow.ok ? [] : slow.issues.map((i) => i.message)).toContain(`${at}: ${issue.message}`);
          }
          return;
        }
        expect(await fast.map(input, 0, ctx)).toEqual(slow);
      }),
      { numRuns: 400 },
    );
  });
});

describe('JSONata path quirks the fast path reproduces', () => {
  const cases: readonly [string, Record<string, JsonValue>, JsonValue | undefined][] = [
    ['a', { a: [1] }, [1]],
    ['a.b', { a: [{ b: 1 }, { b: [2, 3] }] }, [1, 2, 3]],
    ['a.b', { a: [{ b: 1 }] }, 1],
    ['a.b', { a: [{ b: [[1]] }] }, [[1]]],
    ['a.b', { a: [[{ b: 1 }]] }, 1],
    ['a.b', { a: [] }, undefined],
    ['a.b', { a: null }, undefined],
    ['a.b', { a: [{ c: 1 }] }, undefined],
  ];
  it.each(cases)('%s on %j', async (p, input, expected) => {
    const spec: MappingSpec = { name: 'quirk', canonical: 'x', fields: [{ canonical: 'v', erp: p, type: 'JSON' }] };
    const result = await compileMapping(spec, { direction: 'inbound' }).map(input, 0);
    expect(result).toEqual({ index: 0, ok: true, key: '[]', output: expected === undefined ? {} : { v: expected } });
  });
});
