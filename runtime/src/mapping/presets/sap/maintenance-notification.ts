import type { MappingPreset } from '../types';

/**
 * SAP maintenance notifications (API_MAINTNOTIFICATION, OData V2, CDS-based, erp-protocols.md A.11) ↔
 * downtime. A machine stop is a malfunction report on the machine's technical object: MalfunctionStart/End
 * Date/Time bound it, MaintenanceObjectIsDown says it is a breakdown.
 *
 * Outbound defaults that depend on the SAP system's customizing — override them with fromPreset:
 * NotificationType 'M2' (malfunction report) and TechObjIsEquipOrFuncnlLoc 'EAMS_EQUI' (the technical object
 * is an equipment) are the values of the published sample payload A.11 cites, not confirmed requirements.
 */
export const sapMaintenanceNotificationPreset: MappingPreset = {
  id: 'sap/API_MAINTNOTIFICATION/MaintenanceNotification',
  system: 'sap',
  title: 'SAP maintenance notifications ↔ downtime',
  service: 'API_MAINTNOTIFICATION',
  entitySet: 'MaintenanceNotification',
  odataVersion: 'v2',
  keyFields: ['MaintenanceNotification'],
  deltaField: 'LastChangeDateTime',
  deltaFieldType: 'datetimeoffset',
  deltaNote:
    'A UTC timestamp that may be empty for unchanged records (A.11); LastChangeDate + LastChangeTime is the ' +
    'alternative. DateTime vs DateTimeOffset is an open point (F.2).',
  directions: ['inbound', 'outbound'],
  unverifiedAliases: {
    QMNUM: 'MaintenanceNotification',
    QMART: 'NotificationType',
    QMTXT: 'NotificationText',
    TPLNR: 'FunctionalLocation',
  },
  mapping: {
    name: 'sap.maintenance-notification↔downtime',
    canonical: 'downtime',
    erpEntity: 'MaintenanceNotification',
    timeZone: 'UTC',
    fields: [
      {
        canonical: 'external_id',
        erp: 'MaintenanceNotification',
        type: 'STRING',
        trimLeadingZeros: true,
        key: true,
        direction: 'inbound',
      },
      // Padded with zeros here ("000000000210100094") while API_EQUIPMENT returns the key unpadded.
      {
        canonical: 'machine_external_id',
        erp: 'TechnicalObject',
        type: 'STRING',
        trimLeadingZeros: true,
        required: true,
      },
      { canonical: 'work_center', erp: 'MainWorkCenter', type: 'STRING' },
      { canonical: 'description', erp: 'NotificationText', type: 'STRING' },
      {
        canonical: 'start',
        erp: 'MalfunctionStartDate',
        erpTime: 'MalfunctionStartTime',
        type: 'DATETIME',
        format: 'odata-v2',
        required: true,
      },
      {
        canonical: 'end',
        erp: 'MalfunctionEndDate',
        erpTime: 'MalfunctionEndTime',
        type: 'DATETIME',
        format: 'odata-v2',
      },
      { canonical: 'breakdown', erp: 'MaintenanceObjectIsDown', type: 'BOOLEAN' },
      {
        canonical: 'changed_at',
        erp: 'LastChangeDateTime',
        type: 'DATETIME',
        format: 'odata-v2',
        timeZone: 'UTC',
        direction: 'inbound',
      },
      {
        canonical: 'notification_type',
        erp: 'NotificationType',
        constant: 'M2',
        type: 'STRING',
        direction: 'outbound',
      },
      {
        canonical: 'technical_object_kind',
        erp: 'TechObjIsEquipOrFuncnlLoc',
        constant: 'EAMS_EQUI',
        type: 'STRING',
        direction: 'outbound',
      },
    ],
  },
};
