import type { MappingPreset } from '../types';
import { sapEquipmentPreset } from './equipment';
import { sapMaintenanceNotificationPreset } from './maintenance-notification';
import { sapProductionConfirmationPreset } from './production-confirmation';
import { sapProductionOrderPreset } from './production-order';
import { sapWorkCenterPreset } from './work-center';

export { sapDateAndTime, sapDayOf, sapFlag, sapKey, sapTimeOf } from './expressions';
export {
  sapEquipmentPreset,
  sapMaintenanceNotificationPreset,
  sapProductionConfirmationPreset,
  sapProductionOrderPreset,
  sapWorkCenterPreset,
};

/** The SAP S/4HANA presets of erp-protocols.md A.11, in the order a first sync usually needs them. */
export const SAP_PRESETS: readonly MappingPreset[] = [
  sapWorkCenterPreset,
  sapEquipmentPreset,
  sapProductionOrderPreset,
  sapProductionConfirmationPreset,
  sapMaintenanceNotificationPreset,
];
