import type { SimRecord } from '../model/edm';
import type { DataSetDef, ValidationIssue } from '../model/entity-set';
import { formatQuantity, MATERIALS, PLANTS } from './catalog';
import { indexRandom } from '../../seeded-random';
import { numericIndex } from './keys';
import { touchTimestamp14 } from './stamps';
import { baseChangeTime, DAY_MS, startOfDay, toTimestamp14 } from './timeline';
import { decimalIssue, knownValueIssue, requiredIssues } from './validation';

/**
 * Production order headers (API_PRODUCTION_ORDER_2_SRV A_ProductionOrder_2, reference A.11). Status flags are
 * ABAP flags ("X"/"" in V2) and LastChangeDateTime is the 14-character string stamp, as the API has them.
 */
export const FIRST_ORDER = 1_000_000;
export const ORDER_TYPES = ['PP01', 'PP02', 'YP01'] as const;

function materialOf(index: number, seed: number): (typeof MATERIALS)[number] {
  return indexRandom(seed, 'order-material', index).pick(MATERIALS);
}

export function productionOrders(seed: number): DataSetDef {
  return {
    name: 'ProductionOrders',
    keys: ['ManufacturingOrder'],
    properties: [
      { name: 'ManufacturingOrder', kind: 'string', maxLength: 12, nullable: false, alpha: true },
      { name: 'ManufacturingOrderCategory', kind: 'string', maxLength: 2, computed: true },
      { name: 'ManufacturingOrderType', kind: 'string', maxLength: 4, requiredOnCreate: true },
      { name: 'ManufacturingOrderText', kind: 'string', maxLength: 40 },
      { name: 'Material', kind: 'string', maxLength: 40, requiredOnCreate: true },
      { name: 'ProductionPlant', kind: 'string', maxLength: 4, requiredOnCreate: true },
      { name: 'Plant', kind: 'string', maxLength: 4 },
      { name: 'MRPController', kind: 'string', maxLength: 3 },
      { name: 'ProductionVersion', kind: 'string', maxLength: 4 },
      { name: 'TotalQuantity', kind: 'decimal', precision: 13, scale: 3, requiredOnCreate: true },
      { name: 'ProductionUnit', kind: 'string', maxLength: 3 },
      { name: 'MfgOrderConfirmedYieldQty', kind: 'decimal', precision: 13, scale: 3, computed: true },
      { name: 'MfgOrderPlannedStartDate', kind: 'date' },
      { name: 'MfgOrderPlannedStartTime', kind: 'time' },
      { name: 'MfgOrderPlannedEndDate', kind: 'date' },
      { name: 'MfgOrderPlannedEndTime', kind: 'time' },
      { name: 'MfgOrderScheduledStartDate', kind: 'date', computed: true },
      { name: 'MfgOrderScheduledEndDate', kind: 'date', computed: true },
      { name: 'OrderIsReleased', kind: 'flag', computed: true },
      { name: 'OrderIsConfirmed', kind: 'flag', computed: true },
      { name: 'OrderIsTechnicallyCompleted', kind: 'flag', computed: true },
      { name: 'OrderIsClosed', kind: 'flag', computed: true },
      { name: 'OrderIsMarkedForDeletion', kind: 'flag' },
      { name: 'MfgOrderCreationDate', kind: 'date', computed: true },
      { name: 'MfgOrderCreationTime', kind: 'time', computed: true },
      { name: 'LastChangeDateTime', kind: 'timestamp14', maxLength: 14, computed: true },
    ],
    navigations: [
      {
        name: 'to_ProductionOrderOperation',
        target: 'ProductionOrderOperations',
        on: [['ManufacturingOrder', 'ManufacturingOrder']],
      },
    ],
    monotone: ['ManufacturingOrder', 'LastChangeDateTime'],
    writes: { create: true, update: true },
    baseCount: (size) => size,
    generate(index): SimRecord {
      const random = indexRandom(seed, 'production-order', index);
      const material = materialOf(index, seed);
      const plant = random.pick(PLANTS);
      const changed = baseChangeTime(index, random.next());
      const created = changed - random.int(0, 20 * 24 * 60) * 60_000;
      const start = startOfDay(created) + random.int(1, 14) * DAY_MS;
      const end = start + random.int(0, 5) * DAY_MS;
      const quantity = material.unit === 'PC' ? random.int(1, 500) : random.int(10, 5000) / 4;
      // Older orders are further along their life cycle: released → confirmed → completed → closed.
      const stage = random.int(0, 9);
      const confirmed = stage >= 3 ? quantity * (stage >= 6 ? 1 : random.next()) : 0;
      return {
        ManufacturingOrder: String(FIRST_ORDER + index),
        ManufacturingOrderCategory: '10',
        ManufacturingOrderType: random.pick(ORDER_TYPES),
        ManufacturingOrderText: material.description,
        Material: material.material,
        ProductionPlant: plant,
        Plant: plant,
        MRPController: String(random.int(1, 5)).padStart(3, '0'),
        ProductionVersion: '0001',
        TotalQuantity: formatQuantity(quantity, material.unit),
        ProductionUnit: material.unit,
        MfgOrderConfirmedYieldQty: formatQuantity(confirmed, material.unit),
        MfgOrderPlannedStartDate: start,
        MfgOrderPlannedStartTime: 6 * 3_600_000,
        MfgOrderPlannedEndDate: end,
        MfgOrderPlannedEndTime: 22 * 3_600_000,
        MfgOrderScheduledStartDate: start,
        MfgOrderScheduledEndDate: end,
        OrderIsReleased: stage >= 2,
        OrderIsConfirmed: stage >= 6,
        OrderIsTechnicallyCompleted: stage >= 8,
        OrderIsClosed: stage >= 9,
        OrderIsMarkedForDeletion: stage === 9 && random.chance(0.1),
        MfgOrderCreationDate: startOfDay(created),
        MfgOrderCreationTime: created - startOfDay(created),
        LastChangeDateTime: toTimestamp14(changed),
      };
    },
    indexOfKey: (key) => numericIndex(key.ManufacturingOrder, FIRST_ORDER),
    create(input, context) {
      const issues = requiredIssues(this, input);
      if (issues.length > 0) return issues;
      const number = input.ManufacturingOrder ?? String(context.nextNumber());
      if (context.exists({ ManufacturingOrder: number })) {
        return [{ property: 'ManufacturingOrder', message: `Order ${String(number)} already exists` }];
      }
      const material = MATERIALS.find((m) => m.material === input.Material);
      const now = context.now;
      return {
        ManufacturingOrderCategory: '10',
        ManufacturingOrderText: material?.description ?? '',
        Plant: input.ProductionPlant ?? null,
        MRPController: '001',
        ProductionVersion: '0001',
        ProductionUnit: material?.unit ?? 'PC',
        MfgOrderPlannedStartDate: startOfDay(now) + DAY_MS,
        MfgOrderPlannedStartTime: 6 * 3_600_000,
        MfgOrderPlannedEndDate: startOfDay(now) + 2 * DAY_MS,
        MfgOrderPlannedEndTime: 22 * 3_600_000,
        OrderIsMarkedForDeletion: false,
        ...input,
        ManufacturingOrder: number,
        MfgOrderConfirmedYieldQty: '0',
        MfgOrderScheduledStartDate: startOfDay(now) + DAY_MS,
        MfgOrderScheduledEndDate: startOfDay(now) + 2 * DAY_MS,
        OrderIsReleased: false,
        OrderIsConfirmed: false,
        OrderIsTechnicallyCompleted: false,
        OrderIsClosed: false,
        MfgOrderCreationDate: startOfDay(now),
        MfgOrderCreationTime: now - startOfDay(now),
        LastChangeDateTime: toTimestamp14(now),
      };
    },
    validate(record): ValidationIssue[] {
      return [
        ...knownValueIssue(
          record,
          'Material',
          MATERIALS.map((m) => m.material),
        ),
        ...knownValueIssue(record, 'ProductionPlant', PLANTS),
        ...knownValueIssue(record, 'ManufacturingOrderType', ORDER_TYPES),
        ...decimalIssue(record, 'TotalQuantity', { positive: true }),
      ];
    },
    touch: (record, now) => touchTimestamp14(record, now, 'LastChangeDateTime'),
  };
}
