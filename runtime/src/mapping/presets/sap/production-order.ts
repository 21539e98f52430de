import type { MappingPreset, PresetSource } from '../types';
import type { EnumFlag, FieldMapping } from '../../types';

/**
 * The lifecycle status from the order's status flags, most final first; an order with none set is 'created'.
 * Flag names: erp-protocols.md A.11 (header fields) and A.12 (OrderIsDeleted); OrderIsPartiallyConfirmed
 * appears in the published sample payload A.11 cites (production-order-01-general-sample.json).
 */
const STATUS_FLAGS: readonly EnumFlag[] = [
  { erp: ['OrderIsMarkedForDeletion', 'OrderIsDeleted'], value: 'cancelled' },
  { erp: ['OrderIsClosed'], value: 'closed' },
  { erp: ['OrderIsTechnicallyCompleted', 'OrderIsConfirmed'], value: 'completed' },
  { erp: ['OrderIsPartiallyConfirmed'], value: 'in_progress' },
  { erp: ['OrderIsReleased'], value: 'released' },
];

/** API_PRODUCTION_ORDER_2_SRV's order header as a source; every production order preset reads it this way. */
export const SAP_PRODUCTION_ORDER_SOURCE: PresetSource = {
  system: 'sap',
  service: 'API_PRODUCTION_ORDER_2_SRV',
  entitySet: 'A_ProductionOrder_2',
  odataVersion: 'v2',
  keyFields: ['ManufacturingOrder'],
  // A.11: an Edm.String of 14 characters, YYYYMMDDhhmmss in UTC, compared as a string literal.
  deltaField: 'LastChangeDateTime',
  deltaFieldType: 'timestamp14',
  deltaNote:
    'String of 14 characters (YYYYMMDDhhmmss, UTC); filter with a string literal. Check sap:filterable in ' +
    '$metadata on your release.',
};

/** The order's identity in every production order preset: the order number without leading zeros. */
export const SAP_PRODUCTION_ORDER_EXTERNAL_ID: FieldMapping = {
  canonical: 'external_id',
  erp: 'ManufacturingOrder',
  type: 'STRING',
  trimLeadingZeros: true,
  key: true,
  direction: 'inbound',
};

/**
 * SAP production order header (API_PRODUCTION_ORDER_2_SRV, OData V2, erp-protocols.md A.11) → work_order.
 * Inbound only: the planned / scheduled start and end are SAP date + time pairs in the plant's zone (set the
 * preset's timeZone), while LastChangeDateTime is a UTC stamp and carries its own zone.
 */
export const sapProductionOrderPreset: MappingPreset = {
  id: 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2',
  ...SAP_PRODUCTION_ORDER_SOURCE,
  title: 'SAP production orders → work orders',
  directions: ['inbound'],
  unverifiedAliases: {
    AUART: 'ManufacturingOrderType',
    AUTYP: 'ManufacturingOrderCategory',
    MATNR: 'Material',
    GAMNG: 'TotalQuantity',
    GMEIN: 'ProductionUnit',
    WERKS: 'ProductionPlant',
  },
  mapping: {
    name: 'sap.production-order→work_order',
    canonical: 'work_order',
    erpEntity: 'A_ProductionOrder_2',
    timeZone: 'UTC',
    // A.11 classic-name table: AUFNR → ManufacturingOrder is confirmed (cdsee E_ProductionOrder + API spec).
    aliases: { AUFNR: 'ManufacturingOrder' },
    fields: [
      // Inbound only: order_number writes ManufacturingOrder back as SAP spelled it.
      SAP_PRODUCTION_ORDER_EXTERNAL_ID,
      { canonical: 'order_number', erp: 'ManufacturingOrder', type: 'STRING', required: true },
      { canonical: 'order_type', erp: 'ManufacturingOrderType', type: 'STRING' },
      { canonical: 'product_code', erp: 'Material', type: 'STRING', required: true },
      { canonical: 'plant', erp: 'ProductionPlant', type: 'STRING' },
      { canonical: 'quantity', erp: 'TotalQuantity', type: 'DECIMAL', required: true },
      { canonical: 'unit', erp: 'ProductionUnit', type: 'STRING' },
      { canonical: 'confirmed_quantity', erp: 'MfgOrderConfirmedYieldQty', type: 'DECIMAL' },
      { canonical: 'scrap_quantity', erp: 'MfgOrderPlannedScrapQty', type: 'DECIMAL' },
      {
        canonical: 'status',
        type: 'ENUM',
        enum: { flags: STATUS_FLAGS },
        default: 'created',
        required: true,
      },
      {
        canonical: 'planned_start',
        erp: 'MfgOrderPlannedStartDate',
        erpTime: 'MfgOrderPlannedStartTime',
        type: 'DATETIME',
        format: 'odata-v2',
      },
      {
        canonical: 'planned_end',
        erp: 'MfgOrderPlannedEndDate',
        erpTime: 'MfgOrderPlannedEndTime',
        type: 'DATETIME',
        format: 'odata-v2',
      },
      {
        canonical: 'scheduled_start',
        erp: 'MfgOrderScheduledStartDate',
        erpTime: 'MfgOrderScheduledStartTime',
        type: 'DATETIME',
        format: 'odata-v2',
      },
      {
        canonical: 'scheduled_end',
        erp: 'MfgOrderScheduledEndDate',
        erpTime: 'MfgOrderScheduledEndTime',
        type: 'DATETIME',
        format: 'odata-v2',
      },
      { canonical: 'sales_order', erp: 'SalesOrder', type: 'STRING' },
      { canonical: 'production_version', erp: 'ProductionVersion', type: 'STRING' },
      // UTC by definition (A.11), whatever zone the plant's date + time pairs are read in.
      { canonical: 'changed_at', erp: 'LastChangeDateTime', type: 'DATETIME', format: 'sap14', timeZone: 'UTC' },
    ],
  },
};
