import type { MappingPreset } from '../types';
import { sapFlag } from '../sap/expressions';
import { SAP_WORK_CENTER_SOURCE } from '../sap/work-center';
import { mesSyncShape } from './wire-shapes';

/**
 * SAP work centers (API_WORK_CENTERS, OData V2) → MES sync API cells, named by the work center code: the
 * name the operations preset writes as `cell_name`, so sync the cells before the operations. Keyed like the
 * work_center preset, by the internal id.
 */
export const sapWorkCenterMesCellPreset: MappingPreset = {
  id: 'sap/API_WORK_CENTERS/A_WorkCenters/mes-sync/cells',
  ...SAP_WORK_CENTER_SOURCE,
  title: 'SAP work centers → MES cells',
  directions: ['inbound'],
  target: { system: 'mes-sync', entity: 'cells' },
  mapping: {
    name: 'sap.work-center→mes-sync.cells',
    canonical: mesSyncShape('cells'),
    erpEntity: 'A_WorkCenters',
    timeZone: 'UTC',
    aliases: { ARBPL: 'WorkCenter' },
    fields: [
      { canonical: 'external_id', erp: 'WorkCenterInternalID', type: 'STRING', key: true, direction: 'inbound' },
      // Replaced by fromPreset's `source`.
      { canonical: 'external_source', constant: 'sap', type: 'STRING', direction: 'inbound' },
      { canonical: 'name', erp: 'WorkCenter', type: 'STRING', required: true, direction: 'inbound' },
      {
        canonical: 'active',
        expression: `$not(${sapFlag('WorkCenterIsToBeDeleted')})`,
        type: 'BOOLEAN',
        direction: 'inbound',
      },
    ],
  },
};
