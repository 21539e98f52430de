import type { MappingPreset } from '../types';
import { sapKey } from '../sap/expressions';
import { SAP_PRODUCTION_ORDER_EXTERNAL_ID, SAP_PRODUCTION_ORDER_SOURCE } from '../sap/production-order';
import { mesNestedOperation, mesPartQuantity, mesQuantityNote } from './expressions';
import { mesSyncShape } from './wire-shapes';

/**
 * The order's expanded operations, when it was read with `$expand=to_ProductionOrderOperation`: an array
 * behind the runtime's SAP connector, `{ results: [...] }` in a raw V2 payload. No value when none came along,
 * the list is empty, or the navigation is only the V2 link to it (`{ __deferred: { uri } }`).
 */
const EXPANDED_OPERATIONS =
  '($ops := to_ProductionOrderOperation; $ops := $exists($ops.results) ? $ops.results : $ops; ' +
  `$type($ops) = 'array' and $count($ops) > 0 ? [$map($ops, function($op) { ${mesNestedOperation('$op.')} })])`;

/**
 * One part per order: the order's material in the order's quantity, keyed by the order number like the job,
 * so an operation read on its own finds its part by the order number it carries.
 */
const PARTS =
  `[{ "external_id": ${sapKey('ManufacturingOrder')}, "part_number": Material ? Material, ` +
  `"quantity": ${mesPartQuantity('TotalQuantity')}, ` +
  `"notes": ${mesQuantityNote('TotalQuantity', 'ProductionUnit')}, ` +
  `"operations": ${EXPANDED_OPERATIONS} }]`;

/**
 * SAP production order header (API_PRODUCTION_ORDER_2_SRV, OData V2) → one MES sync API job with one part,
 * in the wire shape Upsert Sync sends to the entity `jobs` (which nests the part, and the operations when the
 * order came with them). The job and its part are keyed by the order number without leading zeros.
 */
export const sapProductionOrderMesJobPreset: MappingPreset = {
  id: 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2/mes-sync/jobs',
  ...SAP_PRODUCTION_ORDER_SOURCE,
  title: 'SAP production orders → MES jobs (with parts)',
  directions: ['inbound'],
  target: { system: 'mes-sync', entity: 'jobs' },
  mapping: {
    name: 'sap.production-order→mes-sync.jobs',
    canonical: mesSyncShape('jobs'),
    erpEntity: 'A_ProductionOrder_2',
    timeZone: 'UTC',
    aliases: { AUFNR: 'ManufacturingOrder' },
    fields: [
      SAP_PRODUCTION_ORDER_EXTERNAL_ID,
      // Replaced by fromPreset's `source` (the connection's external source, e.g. "sap-prd-100").
      { canonical: 'external_source', constant: 'sap', type: 'STRING', direction: 'inbound' },
      {
        canonical: 'job_number',
        erp: 'ManufacturingOrder',
        type: 'STRING',
        trimLeadingZeros: true,
        required: true,
        direction: 'inbound',
      },
      // The basic finish date: the day SAP plans the order to be done.
      { canonical: 'due_date', erp: 'MfgOrderPlannedEndDate', type: 'DATE', direction: 'inbound' },
      { canonical: 'notes', erp: 'ManufacturingOrderText', type: 'STRING', direction: 'inbound' },
      { canonical: 'parts', expression: PARTS, type: 'JSON', direction: 'inbound' },
    ],
  },
};
