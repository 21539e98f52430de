import type { MappingPreset, PresetSource } from '../types';
import { sapFlag } from './expressions';

/**
 * API_WORK_CENTERS' work centers as a source (keyed by internal id and object type), as every work center
 * preset reads it.
 */
export const SAP_WORK_CENTER_SOURCE: PresetSource = {
  system: 'sap',
  service: 'API_WORK_CENTERS',
  entitySet: 'A_WorkCenters',
  odataVersion: 'v2',
  keyFields: ['WorkCenterInternalID', 'WorkCenterTypeCode'],
  // A.11: a date-only change field "where exposed", unverified per entity.
  deltaField: 'LastChangeDate',
  deltaFieldType: 'datetime',
  deltaNote: 'Date only and unverified for A_WorkCenters (A.11): re-read a day of overlap, or sync in full.',
};

/**
 * SAP work centers (API_WORK_CENTERS, OData V2 read API, erp-protocols.md A.11) → work_center. The key is the
 * internal object id plus the object type ("A" for work centers); operations refer to the human code
 * (WorkCenter), which becomes `code`. The field list A.11 gives has no description text, so `name` is left
 * for an override.
 */
export const sapWorkCenterPreset: MappingPreset = {
  id: 'sap/API_WORK_CENTERS/A_WorkCenters',
  ...SAP_WORK_CENTER_SOURCE,
  title: 'SAP work centers → work centers',
  directions: ['inbound'],
  mapping: {
    name: 'sap.work-center→work_center',
    canonical: 'work_center',
    erpEntity: 'A_WorkCenters',
    timeZone: 'UTC',
    // A.11 classic-name table: the CRHD fields are confirmed (cdsee I_MaintenanceWorkCenterOrgUnit).
    aliases: { ARBPL: 'WorkCenter', OBJID: 'WorkCenterInternalID', OBJTY: 'WorkCenterTypeCode', WERKS: 'Plant' },
    fields: [
      { canonical: 'external_id', erp: 'WorkCenterInternalID', type: 'STRING', key: true },
      { canonical: 'code', erp: 'WorkCenter', type: 'STRING', required: true },
      { canonical: 'plant', erp: 'Plant', type: 'STRING' },
      { canonical: 'category', erp: 'WorkCenterCategoryCode', type: 'STRING' },
      { canonical: 'responsible', erp: 'WorkCenterResponsible', type: 'STRING' },
      { canonical: 'active', expression: `$not(${sapFlag('WorkCenterIsToBeDeleted')})`, type: 'BOOLEAN' },
      { canonical: 'valid_from', erp: 'ValidityStartDate', type: 'DATE' },
      { canonical: 'valid_to', erp: 'ValidityEndDate', type: 'DATE' },
    ],
  },
};
