/**
 * Mapping throughput: the fast path (plain `erp` paths, no JSONata) against the same mapping written as
 * JSONata expressions, in one run, over 100,000 records shaped like SAP production orders
 * (API_PRODUCTION_ORDER_2_SRV A_ProductionOrder_2, OData V2: decimals as strings, /Date(ms)/ dates, 'X' / ''
 * flags, a 14-character LastChangeDateTime). A hand-written copy of the same properties gives the floor:
 * what reading 15 properties into a new object costs with no typing at all.
 *
 * Records are mapped a page of 1,000 at a time, as a connector delivers them. Each variant is warmed up first, then timed over several rounds in turn; the median is reported. Run with
 * `npm run bench:mapping`. This prints figures, it asserts nothing: timings are not tests.
 */
import { performance } from 'node:perf_hooks';
import { compileMapping, type FieldMapping, type MappingSpec } from '@takt/runtime';

const RECORDS = 100_000;
const WARM_UP = 10_000;
const ROUNDS = 3;
const PAGE_SIZE = 1000;
const DAY_MS = 86_400_000;
const ORDER_TYPES = ['PP01', 'PP02', 'YP01'] as const;

function sapOrder(i: number): Record<string, unknown> {
  const order = String(1_000_000 + i);
  const start = Date.UTC(2024, 0, 1) + (i % 365) * DAY_MS;
  return {
    __metadata: {
      id: `https://sap.example/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2('${order}')`,
      type: 'API_PRODUCTION_ORDER_2_SRV.A_ProductionOrder_2Type',
      etag: `W/"datetimeoffset'2024-05-01T08%3A00%3A00.0000000Z'"`,
    },
    ManufacturingOrder: order,
    ManufacturingOrderCategory: '10',
    ManufacturingOrderType: ORDER_TYPES[i % 3],
    Material: `FG-${String(i % 500).padStart(4, '0')}`,
    ProductionPlant: '1010',
    MRPController: '001',
    ProductionVersion: '0001',
    TotalQuantity: `${(i % 1000) + 1}.000`,
    ProductionUnit: 'PC',
    MfgOrderConfirmedYieldQty: `${i % 100}.500`,
    MfgOrderPlannedStartDate: `/Date(${start})/`,
    MfgOrderPlannedEndDate: `/Date(${start + 3 * DAY_MS})/`,
    OrderIsReleased: i % 2 === 0 ? 'X' : '',
    OrderIsTechnicallyCompleted: i % 7 === 0 ? 'X' : '',
    LastChangeDateTime: `202405${String((i % 28) + 1).padStart(2, '0')}08${String(i % 60).padStart(2, '0')}00`,
    SalesOrder: i % 3 === 0 ? '' : String(5_000_000 + i),
    to_ProductionOrderItem: { __deferred: { uri: `https://sap.example/A_ProductionOrder_2('${order}')/to_Item` } },
  };
}

const FIELDS: readonly FieldMapping[] = [
  { canonical: 'external_id', erp: 'ManufacturingOrder', type: 'STRING', key: true },
  {
    canonical: 'order_type',
    erp: 'ManufacturingOrderType',
    type: 'ENUM',
    enum: { values: { PP01: 'standard', PP02: 'rework', YP01: 'prototype' } },
  },
  { canonical: 'category', erp: 'ManufacturingOrderCategory', type: 'INTEGER' },
  { canonical: 'product_code', erp: 'Material', type: 'STRING', required: true },
  { canonical: 'plant', erp: 'ProductionPlant', type: 'STRING' },
  { canonical: 'mrp_controller', erp: 'MRPController', type: 'STRING' },
  { canonical: 'production_version', erp: 'ProductionVersion', type: 'STRING' },
  { canonical: 'quantity', erp: 'TotalQuantity', type: 'DECIMAL', required: true },
  { canonical: 'unit', erp: 'ProductionUnit', type: 'STRING' },
  { canonical: 'confirmed_quantity', erp: 'MfgOrderConfirmedYieldQty', type: 'DECIMAL' },
  { canonical: 'planned_start', erp: 'MfgOrderPlannedStartDate', type: 'DATE', format: 'odata-v2' },
  { canonical: 'planned_end', erp: 'MfgOrderPlannedEndDate', type: 'DATE', format: 'odata-v2' },
  { canonical: 'released', erp: 'OrderIsReleased', type: 'BOOLEAN', booleanFormat: 'sap' },
  { canonical: 'technically_completed', erp: 'OrderIsTechnicallyCompleted', type: 'BOOLEAN', booleanFormat: 'sap' },
  { canonical: 'changed_at', erp: 'LastChangeDateTime', type: 'DATETIME', format: 'sap14', timeZone: 'UTC' },
  { canonical: 'sales_order', erp: 'SalesOrder', type: 'STRING' },
];

const fastSpec: MappingSpec = { name: 'bench.fast-path', canonical: 'work_order', fields: FIELDS };
const jsonataSpec: MappingSpec = {
  name: 'bench.jsonata',
  canonical: 'work_order',
  fields: FIELDS.map((f) => ({ ...f, expression: f.erp, direction: 'inbound' as const })),
};

type Variant = (records: readonly Record<string, unknown>[]) => Promise<number>;

/** The floor: the same 15 properties copied by hand, untyped. */
const floor: Variant = async (records) => {
  let n = 0;
  for (const r of records) {
    const out: Record<string, unknown> = {};
    for (const f of FIELDS) out[f.canonical] = f.erp === undefined ? undefined : r[f.erp];
    if (out['external_id'] !== undefined) n++;
  }
  return n;
};

/** Page by page, as a connector delivers them, so the run measures mapping rather than a 100k-result heap. */
function viaMapping(spec: MappingSpec): Variant {
  const compiled = compileMapping(spec, { direction: 'inbound' });
  return async (records) => {
    let n = 0;
    for (let start = 0; start < records.length; start += PAGE_SIZE) {
      const results = await compiled.mapAll(records.slice(start, start + PAGE_SIZE));
      for (const r of results) if (r.ok) n++;
    }
    return n;
  };
}

async function timed(variant: Variant, records: readonly Record<string, unknown>[]): Promise<number> {
  const started = performance.now();
  const ok = await variant(records);
  const seconds = (performance.now() - started) / 1000;
  if (ok !== records.length) throw new Error(`only ${ok} of ${records.length} records mapped`);
  return records.length / seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const records = Array.from({ length: RECORDS }, (_, i) => sapOrder(i));
  const variants: [string, Variant][] = [
    ['hand-written copy (floor)', floor],
    ['fast path', viaMapping(fastSpec)],
    ['JSONata expressions', viaMapping(jsonataSpec)],
  ];

  // Same results first: a faster path that maps differently would be no result at all.
  const sample = records.slice(0, 1000);
  const fastOut = await compileMapping(fastSpec, { direction: 'inbound' }).mapAll(sample);
  const jsonataOut = await compileMapping(jsonataSpec, { direction: 'inbound' }).mapAll(sample);
  if (JSON.stringify(fastOut) !== JSON.stringify(jsonataOut)) throw new Error('fast path and JSONata disagree');

  for (const [, variant] of variants) await variant(records.slice(0, WARM_UP));
  const rates = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, variant] of variants) rates.get(name)?.push(await timed(variant, records));
  }

  const rate = (name: string): number => median(rates.get(name) ?? []);
  console.log(
    `Mapping ${RECORDS.toLocaleString('en')} SAP production orders, ${FIELDS.length} fields, median of ${ROUNDS}`,
  );
  for (const [name] of variants) {
    console.log(`  ${name.padEnd(28)} ${Math.round(rate(name)).toLocaleString('en').padStart(12)} records/s`);
  }
  console.log(`  fast path / JSONata          ${(rate('fast path') / rate('JSONata expressions')).toFixed(1)}x`);
  console.log(`  fast path / floor            ${(rate('fast path') / rate('hand-written copy (floor)')).toFixed(2)}x`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
