import type { MappingPreset } from '../types';
import { sapKey } from './expressions';

/** SAP writes this when a confirmation did not come from an external system (see the A.11 sample payloads). */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * SAP production order confirmations (API_PROD_ORDER_CONFIRMATION_2_SRV, OData V2, erp-protocols.md A.11) ↔
 * production_data. Inbound reads posted confirmations; outbound posts MES confirmations with their UUID in
 * ExternalSystemConfirmation, which A.11 recommends as the idempotency key. The execution start / end are
 * the `Confirmed…Start/EndDate/Time` pairs of A.11 (ConfirmedExecution*, per the published field list).
 * Confirmations are documents: SAP assigns the key on create, and a change is a reversal plus a new one.
 */
export const sapProductionConfirmationPreset: MappingPreset = {
  id: 'sap/API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2',
  system: 'sap',
  title: 'SAP production order confirmations ↔ production data',
  service: 'API_PROD_ORDER_CONFIRMATION_2_SRV',
  entitySet: 'ProdnOrdConf2',
  odataVersion: 'v2',
  keyFields: ['ConfirmationGroup', 'ConfirmationCount'],
  // A.11: no single change timestamp; confirmations are append-only, so their entry date finds new ones.
  deltaField: 'ConfirmationEntryDate',
  deltaFieldType: 'datetime',
  deltaNote:
    'No single change timestamp: ConfirmationEntryDate (a date) finds new confirmations — re-read a day of ' +
    'overlap and dedup by key; LastChangeDate shows reversals.',
  directions: ['inbound', 'outbound'],
  unverifiedAliases: {
    AUFNR: 'OrderID',
    VORNR: 'OrderOperation',
    LMNGA: 'ConfirmationYieldQuantity',
    XMNGA: 'ConfirmationScrapQuantity',
    RMNGA: 'ConfirmationReworkQuantity',
  },
  mapping: {
    name: 'sap.production-confirmation↔production_data',
    canonical: 'production_data',
    erpEntity: 'ProdnOrdConf2',
    timeZone: 'UTC',
    // A.11 classic-name table: RUECK / RMZHL (AFRU) by the spec descriptions; ARBPL by cdsee (CRHD).
    aliases: { RUECK: 'ConfirmationGroup', RMZHL: 'ConfirmationCount', ARBPL: 'WorkCenter' },
    fields: [
      {
        canonical: 'external_id',
        expression: `(${sapKey('ConfirmationGroup')}) & '/' & (${sapKey('ConfirmationCount')})`,
        type: 'STRING',
        key: true,
        direction: 'inbound',
      },
      { canonical: 'work_order_external_id', erp: 'OrderID', type: 'STRING', required: true },
      { canonical: 'operation_number', erp: 'OrderOperation', type: 'STRING' },
      { canonical: 'work_center', erp: 'WorkCenter', type: 'STRING', direction: 'inbound' },
      { canonical: 'good_quantity', erp: 'ConfirmationYieldQuantity', type: 'DECIMAL', required: true },
      { canonical: 'scrap_quantity', erp: 'ConfirmationScrapQuantity', type: 'DECIMAL' },
      { canonical: 'rework_quantity', erp: 'ConfirmationReworkQuantity', type: 'DECIMAL' },
      { canonical: 'unit', erp: 'ConfirmationUnit', type: 'STRING' },
      { canonical: 'final', erp: 'IsFinalConfirmation', type: 'BOOLEAN' },
      { canonical: 'posting_date', erp: 'PostingDate', type: 'DATE', format: 'odata-v2' },
      {
        canonical: 'start',
        erp: 'ConfirmedExecutionStartDate',
        erpTime: 'ConfirmedExecutionStartTime',
        type: 'DATETIME',
        format: 'odata-v2',
      },
      {
        canonical: 'end',
        erp: 'ConfirmedExecutionEndDate',
        erpTime: 'ConfirmedExecutionEndTime',
        type: 'DATETIME',
        format: 'odata-v2',
      },
      { canonical: 'reversed', erp: 'IsReversed', type: 'BOOLEAN', direction: 'inbound' },
      { canonical: 'operator', erp: 'EnteredByUser', type: 'STRING', direction: 'inbound' },
      { canonical: 'text', erp: 'ConfirmationText', type: 'STRING' },
      {
        canonical: 'idempotency_key',
        erp: 'ExternalSystemConfirmation',
        expression: `ExternalSystemConfirmation != '${NIL_UUID}' ? ExternalSystemConfirmation`,
        outboundExpression: 'idempotency_key',
        type: 'STRING',
      },
    ],
  },
};
