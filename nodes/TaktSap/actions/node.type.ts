import type { SapOperation } from '@takt/runtime';

/** The SAP node's resources: the five manufacturing presets, plus any entity set the user names. */
export const SAP_RESOURCES = {
  productionOrder: { entity: 'production-orders', name: 'Production Order' },
  confirmation: { entity: 'confirmations', name: 'Confirmation' },
  equipment: { entity: 'equipment', name: 'Equipment' },
  workCenter: { entity: 'work-centers', name: 'Work Center' },
  maintenanceNotification: { entity: 'maintenance-notifications', name: 'Maintenance Notification' },
} as const;

export type PresetResource = keyof typeof SAP_RESOURCES;
export type TaktSapResource = PresetResource | 'anyEntitySet';
export type TaktSapOperation = SapOperation;

export const SAP_OPERATIONS: readonly TaktSapOperation[] = [
  'get',
  'getMany',
  'create',
  'update',
  'createOrUpdate',
  'delete',
];

export function isPresetResource(value: unknown): value is PresetResource {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SAP_RESOURCES, value);
}

export function isSapOperation(value: unknown): value is TaktSapOperation {
  return typeof value === 'string' && (SAP_OPERATIONS as readonly string[]).includes(value);
}
