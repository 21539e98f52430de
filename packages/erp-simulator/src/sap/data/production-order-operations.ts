import type { SimRecord } from '../model/edm';
import type { DataSetDef } from '../model/entity-set';
import { formatQuantity } from './catalog';
import { FIRST_ORDER, productionOrders } from './production-orders';
import { indexRandom } from '../../seeded-random';
import { numericIndex } from './keys';
import { touchTimestamp14 } from './stamps';
import { DAY_MS } from './timeline';
import { referencedWorkCenter, workCenterCode, workCenterKind, workCenterPlant } from './work-centers';

/**
 * Routing operations of the production orders (A_ProductionOrderOperation_2, reference A.11): every order has
 * OPERATIONS_PER_ORDER operations, so operation i belongs to order ⌊i / 4⌋ and shares its change stamp, which
 * keeps the set sorted by order and by LastChangeDateTime. Read-only, as in the API.
 */
export const OPERATIONS_PER_ORDER = 4;
const FIRST_ROUTING = 2_000_000;
/** Collective confirmation numbers (RUECK) of the operations; confirmations refer to them. */
export const FIRST_CONFIRMATION_GROUP = 1_000_000_000;

export function operationConfirmationGroup(operationIndex: number): string {
  return String(FIRST_CONFIRMATION_GROUP + operationIndex);
}

export function operationNumber(position: number): string {
  return String((position + 1) * 10).padStart(4, '0');
}

export function productionOrderOperations(seed: number): DataSetDef {
  const orders = productionOrders(seed);
  return {
    name: 'ProductionOrderOperations',
    keys: ['OrderInternalBillOfOperations', 'OrderIntBillOfOperationsItem'],
    properties: [
      { name: 'OrderInternalBillOfOperations', kind: 'string', maxLength: 10, nullable: false, alpha: true },
      { name: 'OrderIntBillOfOperationsItem', kind: 'string', maxLength: 8, nullable: false, alpha: true },
      { name: 'ManufacturingOrder', kind: 'string', maxLength: 12, alpha: true },
      { name: 'ManufacturingOrderOperation', kind: 'string', maxLength: 4 },
      { name: 'ManufacturingOrderSequence', kind: 'string', maxLength: 6 },
      { name: 'OperationConfirmation', kind: 'string', maxLength: 10, alpha: true },
      { name: 'MfgOrderOperationText', kind: 'string', maxLength: 40 },
      { name: 'WorkCenter', kind: 'string', maxLength: 8 },
      { name: 'ProductionPlant', kind: 'string', maxLength: 4 },
      { name: 'OpPlannedTotalQuantity', kind: 'decimal', precision: 13, scale: 3 },
      { name: 'OpTotalConfirmedYieldQty', kind: 'decimal', precision: 13, scale: 3 },
      { name: 'OperationUnit', kind: 'string', maxLength: 3 },
      { name: 'OpErlstSchedldExecStrtDte', kind: 'date' },
      { name: 'OpErlstSchedldExecStrtTme', kind: 'time' },
      { name: 'OpErlstSchedldExecEndDte', kind: 'date' },
      { name: 'OpErlstSchedldExecEndTme', kind: 'time' },
      { name: 'OperationIsReleased', kind: 'flag' },
      { name: 'OperationIsConfirmed', kind: 'flag' },
      { name: 'LastChangeDateTime', kind: 'timestamp14', maxLength: 14 },
    ],
    navigations: [],
    monotone: ['OrderInternalBillOfOperations', 'ManufacturingOrder', 'OperationConfirmation', 'LastChangeDateTime'],
    writes: { create: false, update: false },
    baseCount: (size) => size * OPERATIONS_PER_ORDER,
    generate(index): SimRecord {
      const orderIndex = Math.floor(index / OPERATIONS_PER_ORDER);
      const position = index % OPERATIONS_PER_ORDER;
      const order = orders.generate(orderIndex);
      const random = indexRandom(seed, 'operation', index);
      const workCenter = referencedWorkCenter(orderIndex * OPERATIONS_PER_ORDER + position * 3 + random.int(0, 2));
      const start = (order.MfgOrderPlannedStartDate as number) + position * DAY_MS;
      const unit = order.ProductionUnit === 'KG' || order.ProductionUnit === 'M' ? order.ProductionUnit : 'PC';
      const total = Number(order.TotalQuantity);
      const confirmed =
        order.OrderIsConfirmed === true ? total : position === 0 ? Number(order.MfgOrderConfirmedYieldQty) : 0;
      return {
        OrderInternalBillOfOperations: String(FIRST_ROUTING + orderIndex),
        OrderIntBillOfOperationsItem: String(position + 1),
        ManufacturingOrder: String(FIRST_ORDER + orderIndex),
        ManufacturingOrderOperation: operationNumber(position),
        ManufacturingOrderSequence: '0',
        OperationConfirmation: operationConfirmationGroup(index),
        MfgOrderOperationText: workCenterKind(workCenter).operationText,
        WorkCenter: workCenterCode(workCenter),
        ProductionPlant: workCenterPlant(workCenter),
        OpPlannedTotalQuantity: formatQuantity(total, unit),
        OpTotalConfirmedYieldQty: formatQuantity(confirmed, unit),
        OperationUnit: unit,
        OpErlstSchedldExecStrtDte: start,
        OpErlstSchedldExecStrtTme: (6 + random.int(0, 8)) * 3_600_000,
        OpErlstSchedldExecEndDte: start,
        OpErlstSchedldExecEndTme: 22 * 3_600_000,
        OperationIsReleased: order.OrderIsReleased ?? false,
        OperationIsConfirmed: confirmed >= total,
        LastChangeDateTime: order.LastChangeDateTime ?? null,
      };
    },
    indexOfKey(key) {
      const order = numericIndex(key.OrderInternalBillOfOperations, FIRST_ROUTING);
      const item = numericIndex(key.OrderIntBillOfOperationsItem, 1);
      if (order === undefined || item === undefined || item >= OPERATIONS_PER_ORDER) return undefined;
      return order * OPERATIONS_PER_ORDER + item;
    },
    create: () => [{ property: '', message: 'Operations cannot be created through this API' }],
    validate: () => [],
    touch: (record, now) => touchTimestamp14(record, now, 'LastChangeDateTime'),
  };
}
