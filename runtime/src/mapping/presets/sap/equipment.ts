import type { MappingPreset } from '../types';

/**
 * SAP equipment (API_EQUIPMENT, OData V2, CDS-based, erp-protocols.md A.11) → machine. Equipment records are
 * time-dependent: the key is Equipment plus ValidityEndDate, and the current record ends 9999-12-31.
 */
export const sapEquipmentPreset: MappingPreset = {
  id: 'sap/API_EQUIPMENT/Equipment',
  system: 'sap',
  title: 'SAP equipment → machines',
  service: 'API_EQUIPMENT',
  entitySet: 'Equipment',
  odataVersion: 'v2',
  keyFields: ['Equipment', 'ValidityEndDate'],
  // A.11 / F.2: a date-time type in $metadata; DateTime vs DateTimeOffset is to be checked per release.
  deltaField: 'LastChangeDateTime',
  deltaFieldType: 'datetimeoffset',
  deltaNote:
    'Empty for records never changed (fall back to CreationDate). Whether the release types it DateTime or ' +
    'DateTimeOffset is an open point (F.2): check $metadata.',
  directions: ['inbound'],
  unverifiedAliases: { MATNR: 'Material', TPLNR: 'FunctionalLocation', WERKS: 'MaintenancePlant' },
  mapping: {
    name: 'sap.equipment→machine',
    canonical: 'machine',
    erpEntity: 'Equipment',
    timeZone: 'UTC',
    // A.11 classic-name table: EQUNR, DATBI, EQKTX and ARBPL are confirmed.
    aliases: { EQUNR: 'Equipment', DATBI: 'ValidityEndDate', EQKTX: 'EquipmentName', ARBPL: 'WorkCenter' },
    fields: [
      {
        canonical: 'external_id',
        erp: 'Equipment',
        type: 'STRING',
        trimLeadingZeros: true,
        key: true,
        direction: 'inbound',
      },
      { canonical: 'name', erp: 'EquipmentName', type: 'STRING', required: true },
      { canonical: 'type', erp: 'TechnicalObjectType', type: 'STRING' },
      { canonical: 'plant', erp: 'MaintenancePlant', type: 'STRING' },
      { canonical: 'work_center', erp: 'WorkCenter', type: 'STRING' },
      { canonical: 'location', erp: 'FunctionalLocation', type: 'STRING' },
      {
        canonical: 'parent_external_id',
        erp: 'SuperordinateEquipment',
        type: 'STRING',
        trimLeadingZeros: true,
        direction: 'inbound',
      },
      { canonical: 'material', erp: 'Material', type: 'STRING' },
      { canonical: 'serial_number', erp: 'SerialNumber', type: 'STRING' },
      { canonical: 'manufacturer_serial_number', erp: 'ManufacturerSerialNumber', type: 'STRING' },
      {
        canonical: 'status',
        type: 'ENUM',
        enum: {
          flags: [
            { erp: ['EquipmentIsMarkedForDeletion'], value: 'deleted' },
            { erp: ['EquipmentIsInactive'], value: 'inactive' },
          ],
        },
        default: 'active',
        required: true,
      },
      { canonical: 'valid_to', erp: 'ValidityEndDate', type: 'DATE', format: 'odata-v2' },
      // A.11: empty on never-changed records, so the creation date stands in.
      {
        canonical: 'changed_at',
        expression: 'LastChangeDateTime ? LastChangeDateTime : CreationDate',
        type: 'DATETIME',
        format: 'odata-v2',
        timeZone: 'UTC',
      },
    ],
  },
};
