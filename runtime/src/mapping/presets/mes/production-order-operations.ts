import type { MappingPreset } from '../types';
import { mesOperationId, mesOperationName } from './expressions';
import { mesSyncShape } from './wire-shapes';

/**
 * SAP production order operation (API_PRODUCTION_ORDER_2_SRV, OData V2) → one MES sync API operation, flat,
 * for Upsert Sync to the entity `operations`: `part_external_id` is the order number without leading zeros,
 * the part the jobs preset made for the order, which Upsert Sync resolves through the id map (sync the jobs
 * first). The work center code is the cell name, so the MES needs a cell of that name (the cells preset).
 */
export const sapProductionOrderOperationMesPreset: MappingPreset = {
  id: 'sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrderOperation_2/mes-sync/operations',
  system: 'sap',
  title: 'SAP production order operations → MES operations',
  service: 'API_PRODUCTION_ORDER_2_SRV',
  entitySet: 'A_ProductionOrderOperation_2',
  odataVersion: 'v2',
  keyFields: ['OrderInternalBillOfOperations', 'OrderIntBillOfOperationsItem'],
  deltaField: 'LastChangeDateTime',
  deltaFieldType: 'timestamp14',
  deltaNote:
    'String of 14 characters (YYYYMMDDhhmmss, UTC) on each operation, like the header; check sap:filterable ' +
    'in $metadata on your release.',
  directions: ['inbound'],
  unverifiedAliases: { VORNR: 'ManufacturingOrderOperation', LTXA1: 'MfgOrderOperationText', ARBPL: 'WorkCenter' },
  target: { system: 'mes-sync', entity: 'operations' },
  mapping: {
    name: 'sap.production-order-operation→mes-sync.operations',
    canonical: mesSyncShape('operations'),
    erpEntity: 'A_ProductionOrderOperation_2',
    timeZone: 'UTC',
    aliases: { AUFNR: 'ManufacturingOrder' },
    fields: [
      { canonical: 'external_id', expression: mesOperationId(), type: 'STRING', key: true, direction: 'inbound' },
      // Replaced by fromPreset's `source`; it must be the source the jobs were synced under.
      { canonical: 'external_source', constant: 'sap', type: 'STRING', direction: 'inbound' },
      {
        canonical: 'part_external_id',
        erp: 'ManufacturingOrder',
        type: 'STRING',
        trimLeadingZeros: true,
        required: true,
        direction: 'inbound',
      },
      {
        canonical: 'operation_name',
        expression: mesOperationName(),
        type: 'STRING',
        required: true,
        direction: 'inbound',
      },
      { canonical: 'cell_name', erp: 'WorkCenter', type: 'STRING', required: true, direction: 'inbound' },
      // VORNR is NUMC 4, so '0010' is read as 10; the nested form in the jobs preset reads it the same way.
      { canonical: 'sequence', erp: 'ManufacturingOrderOperation', type: 'INTEGER', direction: 'inbound' },
    ],
  },
};
