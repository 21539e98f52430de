import type { SimRecord } from '../model/edm';
import type { DataSetDef, ValidationIssue } from '../model/entity-set';
import { formatQuantity, USERS } from './catalog';
import {
  OPERATIONS_PER_ORDER,
  operationConfirmationGroup,
  operationNumber,
  productionOrderOperations,
} from './production-order-operations';
import { FIRST_ORDER } from './production-orders';
import { numericIndex } from './keys';
import { indexRandom } from '../../seeded-random';
import { touchDate } from './stamps';
import { baseChangeTime, startOfDay, timeOfDay } from './timeline';
import { decimalIssue, requiredIssues } from './validation';

/**
 * Production order confirmations (API_PROD_ORDER_CONFIRMATION_2_SRV ProdnOrdConf2, reference A.11). Base
 * confirmation i is the first confirmation (count 1) of operation i. Confirmations are append-only documents:
 * POST creates one, there is no update. No single change stamp: delta reads combine ConfirmationEntryDate +
 * ConfirmationEntryTime, and LastChangeDate.
 */
export function confirmations(seed: number): DataSetDef {
  const operations = productionOrderOperations(seed);
  return {
    name: 'Confirmations',
    keys: ['ConfirmationGroup', 'ConfirmationCount'],
    properties: [
      { name: 'ConfirmationGroup', kind: 'string', maxLength: 10, nullable: false, alpha: true },
      { name: 'ConfirmationCount', kind: 'string', maxLength: 8, nullable: false, alpha: true },
      { name: 'OrderID', kind: 'string', maxLength: 12, alpha: true, requiredOnCreate: true },
      { name: 'OrderOperation', kind: 'string', maxLength: 4, requiredOnCreate: true },
      { name: 'Sequence', kind: 'string', maxLength: 6 },
      { name: 'ConfirmationText', kind: 'string', maxLength: 40 },
      { name: 'Plant', kind: 'string', maxLength: 4, computed: true },
      { name: 'WorkCenter', kind: 'string', maxLength: 8, computed: true },
      { name: 'ConfirmationUnit', kind: 'string', maxLength: 3 },
      { name: 'ConfirmationYieldQuantity', kind: 'decimal', precision: 13, scale: 3 },
      { name: 'ConfirmationScrapQuantity', kind: 'decimal', precision: 13, scale: 3 },
      { name: 'ConfirmationReworkQuantity', kind: 'decimal', precision: 13, scale: 3 },
      { name: 'IsFinalConfirmation', kind: 'boolean' },
      { name: 'PostingDate', kind: 'date' },
      { name: 'ConfirmedExecutionStartDate', kind: 'date' },
      { name: 'ConfirmedExecutionStartTime', kind: 'time' },
      { name: 'ConfirmedExecutionEndDate', kind: 'date' },
      { name: 'ConfirmedExecutionEndTime', kind: 'time' },
      { name: 'OpConfirmedWorkQuantity1', kind: 'decimal', precision: 13, scale: 3 },
      { name: 'OpWorkQuantityUnit1', kind: 'string', maxLength: 3 },
      { name: 'EnteredByUser', kind: 'string', maxLength: 12, computed: true },
      { name: 'ConfirmationEntryDate', kind: 'date', computed: true },
      { name: 'ConfirmationEntryTime', kind: 'time', computed: true },
      { name: 'LastChangeDate', kind: 'date', computed: true },
      { name: 'ExternalSystemConfirmation', kind: 'guid' },
      { name: 'IsReversed', kind: 'boolean', computed: true },
      { name: 'IsReversal', kind: 'boolean', computed: true },
    ],
    navigations: [],
    deepInsert: ['to_ProdnOrdConfMatlDocItm'],
    monotone: ['ConfirmationGroup', 'OrderID', 'ConfirmationEntryDate', 'LastChangeDate'],
    writes: { create: true, update: false },
    baseCount: (size) => size,
    generate(index): SimRecord {
      const operation = operations.generate(index);
      const random = indexRandom(seed, 'confirmation', index);
      const entered = baseChangeTime(index, random.next());
      const end = entered - random.int(5, 120) * 60_000;
      const start = end - random.int(15, 480) * 60_000;
      const unit = operation.OperationUnit === 'KG' || operation.OperationUnit === 'M' ? operation.OperationUnit : 'PC';
      const planned = Number(operation.OpPlannedTotalQuantity);
      const final = random.chance(0.7);
      const yieldQuantity = final ? planned : planned * random.next();
      return {
        ConfirmationGroup: operationConfirmationGroup(index),
        ConfirmationCount: '1',
        OrderID: operation.ManufacturingOrder ?? null,
        OrderOperation: operation.ManufacturingOrderOperation ?? null,
        Sequence: '0',
        ConfirmationText: final ? 'Final confirmation' : 'Partial confirmation',
        Plant: operation.ProductionPlant ?? null,
        WorkCenter: operation.WorkCenter ?? null,
        ConfirmationUnit: unit,
        ConfirmationYieldQuantity: formatQuantity(yieldQuantity, unit),
        ConfirmationScrapQuantity: formatQuantity(random.chance(0.2) ? random.int(1, 5) : 0, unit),
        ConfirmationReworkQuantity: formatQuantity(0, unit),
        IsFinalConfirmation: final,
        PostingDate: startOfDay(entered),
        ConfirmedExecutionStartDate: startOfDay(start),
        ConfirmedExecutionStartTime: timeOfDay(start),
        ConfirmedExecutionEndDate: startOfDay(end),
        ConfirmedExecutionEndTime: timeOfDay(end),
        OpConfirmedWorkQuantity1: ((end - start) / 3_600_000).toFixed(3),
        OpWorkQuantityUnit1: 'H',
        EnteredByUser: random.pick(USERS),
        ConfirmationEntryDate: startOfDay(entered),
        ConfirmationEntryTime: timeOfDay(entered),
        LastChangeDate: startOfDay(entered),
        ExternalSystemConfirmation: random.chance(0.5) ? uuidFrom(random.next(), random.next(), index) : null,
        IsReversed: false,
        IsReversal: false,
      };
    },
    indexOfKey(key) {
      if (key.ConfirmationCount !== '1') return undefined;
      return numericIndex(key.ConfirmationGroup, Number(operationConfirmationGroup(0)));
    },
    create(input, context) {
      const issues = requiredIssues(this, input);
      if (issues.length > 0) return issues;
      const orderIndex = numericIndex(input.OrderID, FIRST_ORDER);
      const order = context.lookup('ProductionOrders', { ManufacturingOrder: input.OrderID ?? null });
      if (orderIndex === undefined || !order) {
        return [{ property: 'OrderID', message: `Order ${String(input.OrderID)} does not exist` }];
      }
      const position = Number(input.OrderOperation) / 10 - 1;
      if (!Number.isInteger(position) || position < 0 || position >= OPERATIONS_PER_ORDER) {
        return [{ property: 'OrderOperation', message: `Operation ${String(input.OrderOperation)} does not exist` }];
      }
      const group = operationConfirmationGroup(orderIndex * OPERATIONS_PER_ORDER + position);
      let count = 1;
      while (context.exists({ ConfirmationGroup: group, ConfirmationCount: String(count) })) count++;
      const now = context.now;
      return {
        Sequence: '0',
        ConfirmationText: '',
        ConfirmationUnit: order.ProductionUnit ?? 'PC',
        ConfirmationYieldQuantity: '0',
        ConfirmationScrapQuantity: '0',
        ConfirmationReworkQuantity: '0',
        IsFinalConfirmation: false,
        PostingDate: startOfDay(now),
        ConfirmedExecutionStartDate: null,
        ConfirmedExecutionStartTime: null,
        ConfirmedExecutionEndDate: null,
        ConfirmedExecutionEndTime: null,
        OpConfirmedWorkQuantity1: '0',
        OpWorkQuantityUnit1: 'H',
        ExternalSystemConfirmation: null,
        ...input,
        OrderOperation: operationNumber(position),
        ConfirmationGroup: group,
        ConfirmationCount: String(count),
        Plant: order.ProductionPlant ?? null,
        WorkCenter: null,
        EnteredByUser: context.user,
        ConfirmationEntryDate: startOfDay(now),
        ConfirmationEntryTime: Math.floor(timeOfDay(now) / 1000) * 1000,
        LastChangeDate: startOfDay(now),
        IsReversed: false,
        IsReversal: false,
      };
    },
    validate(record): ValidationIssue[] {
      const issues = [
        ...decimalIssue(record, 'ConfirmationYieldQuantity', { nonNegative: true }),
        ...decimalIssue(record, 'ConfirmationScrapQuantity', { nonNegative: true }),
        ...decimalIssue(record, 'ConfirmationReworkQuantity', { nonNegative: true }),
      ];
      const total =
        Number(record.ConfirmationYieldQuantity ?? 0) +
        Number(record.ConfirmationScrapQuantity ?? 0) +
        Number(record.ConfirmationReworkQuantity ?? 0);
      if (issues.length === 0 && !(total > 0) && record.IsFinalConfirmation !== true) {
        issues.push({ property: 'ConfirmationYieldQuantity', message: 'Enter a yield, scrap or rework quantity' });
      }
      return issues;
    },
    touch: (record, now) => touchDate(record, now, 'LastChangeDate'),
  };
}

/** A version-4-shaped UUID drawn from the record's own random stream (deterministic per seed). */
function uuidFrom(a: number, b: number, index: number): string {
  const hex = (n: number, width: number): string =>
    Math.floor(n * 16 ** width)
      .toString(16)
      .padStart(width, '0');
  const tail = index.toString(16).padStart(12, '0').slice(-12);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(a * b, 3)}-a${hex(b * 0.5, 3)}-${tail}`;
}
